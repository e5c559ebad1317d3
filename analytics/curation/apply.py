"""Safe apply: read the playlist, plan the fewest edits, send them against its snapshot, verify.

A plan is made against a snapshot of the playlist. If the playlist changed before the plan is
applied (a hand edit), the plan is made again from what is there now: tracks added by hand stay
(unless excluded), tracks removed by hand stay removed (unless pinned).
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from analytics.curation.candidates import Candidate
from analytics.curation.curate import Curated
from analytics.curation.definition import PlaylistDefinition, template_fields
from analytics.curation.description import safe_description
from analytics.curation.diff import Diff, plan_diff
from analytics.curation.scoring import Recordings
from analytics.spotify.api import PlaylistApi

WRITE_METHODS = ("POST /playlists", "PUT /playlists", "DELETE /playlists", "POST /me/playlists")


class NotEditable(PermissionError):
    """The playlist belongs to someone else and is not collaborative."""


class ApplyConflict(RuntimeError):
    """The playlist kept changing while it was being updated."""


@dataclass(frozen=True)
class PlaylistState:
    """What the playlist holds now (None id: it does not exist yet)."""

    playlist_id: str | None
    snapshot_id: str | None
    description: str
    track_ids: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """A target, the playlist it was planned against, and the edits between them."""

    definition: PlaylistDefinition
    target: tuple[str, ...]
    state: PlaylistState
    diff: Diff
    description: str

    @property
    def creates(self) -> bool:
        return self.state.playlist_id is None

    @property
    def changes_description(self) -> bool:
        return self.description != self.state.description

    @property
    def empty(self) -> bool:
        return self.diff.empty and not self.creates and not self.changes_description

    def render(self, names: dict[str, str] | None = None) -> str:
        head = f"playlist '{self.definition.name}' ({self.state.playlist_id or 'to be created'})"
        desc = (
            f"\ndescription: {self.state.description!r} -> {self.description!r}"
            if self.changes_description
            else ""
        )
        return f"{head}{desc}\n{self.diff.render(names)}"


@dataclass
class ApplyResult:
    playlist_id: str
    before: list[str]
    after: list[str]
    target: list[str]
    write_requests: int
    planned_write_requests: int
    replans: int
    verified: bool
    diffs: list[dict[str, int]] = field(default_factory=list)


def describe(definition: PlaylistDefinition, curated: Curated) -> str:
    """The description from the template (``{name}``, ``{count}``, ``{minutes}``, ``{first}``), <= 300 chars."""
    values = {
        "name": definition.name,
        "count": len(curated.tracks),
        "minutes": round(sum(p.track.duration_ms for p in curated.tracks) / 60000),
        "first": curated.tracks[0].track.name if curated.tracks else "",
    }
    try:
        pieces = template_fields(definition.description)
    except ValueError as exc:
        raise ValueError(f"playlist '{definition.name}': {exc}") from None
    text = "".join(literal + (str(values[field]) if field else "") for literal, field in pieces)
    return safe_description(text)


def find_playlist(client: PlaylistApi, definition: PlaylistDefinition) -> str | None:
    """The definition's playlist id, or the user's own playlist with its name, or None."""
    if definition.playlist_id:
        return definition.playlist_id
    me = client.me().value.id
    for p in client.my_playlists():
        if p.name == definition.name and p.owner is not None and p.owner.id == me:
            return str(p.id)
    return None


def read_state(client: PlaylistApi, playlist_id: str | None) -> PlaylistState:
    """The playlist's snapshot id, description and track ids; refuses others' playlists."""
    if playlist_id is None:
        return PlaylistState(None, None, "", ())
    playlist = client.playlist(playlist_id).value
    me = client.me().value.id
    owner = playlist.owner.id if playlist.owner else None
    if owner != me and not playlist.collaborative:
        raise NotEditable(
            f"playlist {playlist_id} ('{playlist.name}') belongs to {owner} and is not collaborative: "
            "encore only edits playlists the user owns or collaborates on; set playlist_id to one of yours"
        )
    ids = tuple(
        str(item.item.id)
        for item in client.playlist_items(playlist_id)
        if item.item is not None and item.item.id
    )
    # Spotify returns descriptions HTML-escaped; compare with what was sent
    description = html.unescape(playlist.description or "")
    return PlaylistState(playlist_id, playlist.snapshot_id, description, ids)


def reconcile(
    target: Sequence[str],
    *,
    planned_from: Sequence[str],
    now: Sequence[str],
    definition: PlaylistDefinition,
    candidates: Mapping[str, Candidate] | None = None,
) -> list[str]:
    """The target adjusted to hand edits made between ``planned_from`` and ``now``.

    Added by hand and not excluded: kept, after the track it follows now (skipped if it would repeat
    a recording of the target, :func:`near_identical`, where the definition asks for unique
    recordings, or go over ``max_per_album``). Removed by hand: left out, unless pinned. Pins keep their positions.
    """
    rules = definition.constraints
    pins = {p.track_id: p.position for p in rules.pinned}
    excluded = set(rules.excluded)
    candidates = candidates or {}
    removed = set(planned_from) - set(now) - set(pins)
    out = [t for t in target if t not in removed]
    kept = Recordings()
    for t in out:
        if t in candidates:
            kept.add(candidates[t])
    albums = Counter(c.album_id for c in kept.tracks)
    for k, tid in enumerate(now):
        if tid in planned_from or tid in excluded or tid in out:
            continue
        track = candidates.get(tid)
        if track is not None and rules.unique_recordings and kept.versions(track):
            continue
        album = track.album_id if track is not None else None
        if album and rules.max_per_album is not None and albums[album] >= rules.max_per_album:
            continue
        if album:
            albums[album] += 1
        prev = next((now[m] for m in range(k - 1, -1, -1) if now[m] in out), None)
        out.insert(out.index(prev) + 1 if prev else 0, tid)
        if track is not None:
            kept.add(track)
    free = [t for t in out if t not in pins]
    for tid, pos in sorted(pins.items(), key=lambda x: x[1]):
        free.insert(min(pos, len(free)), tid)
    return free


def make_plan(
    client: PlaylistApi, curated: Curated, *, description: str | None = None, playlist_id: str | None = None
) -> Plan:
    """Read the playlist (by id, else by name among the user's) and plan the edits to ``curated``.

    ``description``: a text to use instead of the definition's template (e.g. from analytics.content).
    """
    text = description if description is not None else describe(curated.definition, curated)
    return plan_for_target(
        client, curated.definition, curated.track_ids, description=text, playlist_id=playlist_id
    )


def plan_for_target(
    client: PlaylistApi,
    definition: PlaylistDefinition,
    target: Sequence[str],
    *,
    description: str,
    playlist_id: str | None = None,
) -> Plan:
    """Plan the edits from the playlist as it is now to ``target`` (track ids in order)."""
    state = read_state(client, playlist_id or find_playlist(client, definition))
    text = safe_description(description)
    return Plan(definition, tuple(target), state, plan_diff(state.track_ids, target), text)


def _writes(client: PlaylistApi) -> int:
    return sum(
        n for (endpoint, _), n in client.request_counts().items() if endpoint.startswith(WRITE_METHODS)
    )


def _send(
    client: PlaylistApi, playlist_id: str, diff: Diff, snapshot: str | None, *, allow_replace: bool
) -> str | None:
    if allow_replace and diff.replace_is_cheaper:
        return client.replace_items(playlist_id, list(diff.after))
    if diff.removals:
        snapshot = client.remove_items(playlist_id, list(diff.removals), snapshot_id=snapshot) or snapshot
    for m in diff.moves:
        snapshot = (
            client.reorder_items(
                playlist_id,
                range_start=m.range_start,
                insert_before=m.insert_before,
                range_length=m.range_length,
                snapshot_id=snapshot,
            )
            or snapshot
        )
    for ins in diff.inserts:
        snapshot = client.add_items(playlist_id, list(ins.track_ids), position=ins.position) or snapshot
    return snapshot


def apply_plan(
    client: PlaylistApi,
    plan: Plan,
    *,
    candidates: Mapping[str, Candidate] | None = None,
    max_attempts: int = 3,
    allow_replace: bool = False,
    on_replan: Callable[[Plan], None] | None = None,
) -> ApplyResult:
    """Apply a plan; re-plan if the playlist changed since it was made; verify the result.

    Edits keep the entries that stay (and their added_at); ``allow_replace`` replaces all entries
    instead when that takes fewer requests (a full reshuffle of a long playlist).

    Raises
    ------
    ApplyConflict : the playlist still differed from the target after ``max_attempts`` rounds.
    """
    writes_at_start = _writes(client)
    playlist_id = plan.state.playlist_id
    if playlist_id is None:
        created = client.create_playlist(
            plan.definition.name, description=plan.description, public=plan.definition.public
        )
        playlist_id = str(created.id)
    before = list(plan.state.track_ids)
    target, planned_from, replans, diffs = list(plan.target), plan.state.track_ids, 0, []
    planned = 1 if plan.creates else 0
    for _ in range(max_attempts):
        state = read_state(client, playlist_id)
        if state.snapshot_id != plan.state.snapshot_id and state.track_ids != planned_from:
            target = reconcile(
                target,
                planned_from=planned_from,
                now=state.track_ids,
                definition=plan.definition,
                candidates=candidates,
            )
            replans += 1
            plan = replace(plan, state=state, target=tuple(target), diff=plan_diff(state.track_ids, target))
            if on_replan is not None:
                on_replan(plan)
        planned_from = state.track_ids
        diff = plan_diff(state.track_ids, target)
        diffs.append(diff.summary())
        planned += diff.requests(allow_replace=allow_replace)
        if state.description != plan.description:
            client.change_playlist_details(playlist_id, description=plan.description)
            planned += 1
        if diff.empty:
            return ApplyResult(
                playlist_id,
                before,
                list(state.track_ids),
                target,
                _writes(client) - writes_at_start,
                planned,
                replans,
                True,
                diffs,
            )
        _send(client, playlist_id, diff, state.snapshot_id, allow_replace=allow_replace)
        after = read_state(client, playlist_id)
        if list(after.track_ids) == target:
            return ApplyResult(
                playlist_id,
                before,
                target,
                target,
                _writes(client) - writes_at_start,
                planned,
                replans,
                True,
                diffs,
            )
        plan = replace(plan, state=after)
        planned_from = state.track_ids
    raise ApplyConflict(
        f"playlist {playlist_id} still differs from the target after {max_attempts} rounds: someone is editing "
        "it right now; run again later"
    )
