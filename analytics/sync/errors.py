"""What can go wrong in a sync beyond the client's own errors."""

from __future__ import annotations


class SyncPayloadError(Exception):
    """Spotify (or the sandbox) answered with a payload the sync cannot store.

    Raised before anything of the unit of work is written: the message names the resource
    (kind and id), the endpoint and what was wrong, so that the run's error says where to look.
    """

    def __init__(self, *, kind: str, key: str, problem: str, endpoint: str | None = None) -> None:
        where = f"{kind} {key}" + (f" ({endpoint})" if endpoint else "")
        super().__init__(
            f"malformed Spotify payload for {where}: {problem}. Nothing of this unit was stored; "
            "the next run retries it from the checkpoint (if it persists, report it with this message)."
        )
        self.kind = kind
        self.key = key
        self.problem = problem
        self.endpoint = endpoint


class UnknownArtist(LookupError):
    """Spotify does not know one of the artist ids the sync was asked for."""

    def __init__(self, artist_ids: list[str]) -> None:
        super().__init__(
            f"Spotify does not know artist id(s) {', '.join(artist_ids)}: check ENCORE_ARTIST_IDS or the "
            "flow's artist_ids (22-character ids from the artist's Spotify URL). Nothing was synced for them."
        )
        self.artist_ids = artist_ids
