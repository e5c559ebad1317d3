"""The world a run lives in, assembled once from settings: the sandbox or the real services.

After Dagster's resources: one definition of each part, real or local, picked by configuration
(``ENCORE_WORLD``).

``sandbox`` (the default)
    The Spotify sandbox serving ``ENCORE_CATALOG_FILE`` (default: the demo catalog), the social
    platforms' emulators and the MusicBrainz sandbox, on loopback ports, started on first use.
    The demo's artists, its seeded streams and its audio excerpts exist only here.
``real``
    The services at their configured base URLs (``ENCORE_SPOTIFY_API_URL`` …) with the user's
    credentials; the user's artists (``ENCORE_ARTIST_IDS``, else those the account follows),
    exports folder and audio folder. Nothing falls back to demo data: a job whose input is
    missing stops with :class:`~analytics.config.MissingInput` before it writes anything.

Flows open the world once (``with world(settings) as w:``) and pass its parts down; library code
receives only the interface it needs (a :class:`~analytics.spotify.SpotifyApi`, connectors).
A flow called while a world is open (the pipeline's sub-jobs, or a CLI command that opened it to
check the inputs first) uses that world rather than assembling a second one.
"""

from __future__ import annotations

import re
import socket
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal, Protocol

from analytics import social, sync
from analytics.catalog.stored import require_artist_stored, require_catalog, stored_rows
from analytics.config import (
    NO_AUDIO_DIR,
    NO_EXPORTS_DIR,
    NO_SPOTIFY_CREDENTIALS,
    MissingInput,
    Settings,
)
from analytics.social.sync import ConnectorSet
from analytics.spotify import QuotaExhausted, SpotifyApi, SpotifyClient
from analytics.streaming.summary import IngestSummary
from analytics.sync import SANDBOX_TOKEN_CACHE, sandbox_client
from analytics.warehouse import Warehouse

WorldName = Literal["sandbox", "real"]

__all__ = [
    "DemoStreams",
    "MissingInput",
    "SocialApis",
    "World",
    "artists_in_scope",
    "artists_to_sync",
    "check_artist_ids",
    "check_playlist_inputs",
    "prefect_rate_limit",
    "require_artist_stored",
    "require_catalog",
    "stored_rows",
    "world",
]


class DemoStreams(Protocol):
    """The sandbox world's seeded demo streams (a real world has none)."""

    def generate(self, out_dir: Path, *, seed: int, days: int, end: date) -> Any: ...
    def ingest(self, warehouse: Warehouse, data: Any, *, run_id: str) -> IngestSummary: ...


@dataclass(frozen=True)
class SocialApis:
    """The social platforms' connectors (configured or not, and why) and MusicBrainz."""

    connectors: ConnectorSet
    musicbrainz: social.MusicBrainzClient


@dataclass(frozen=True)
class World:
    """Everything a run talks to and reads, for one world.

    Attributes
    ----------
    name : ``sandbox`` or ``real``.
    settings : the settings the world was assembled from.
    artists : the configured artists (sandbox: ``ENCORE_ARTIST_IDS`` or the demo's); empty in a
        real world without ``ENCORE_ARTIST_IDS``: the sync then takes those the account follows.
    exports_dir : streaming exports to ingest, or None.
    audio_dir : the artist's audio files, or None (sandbox: the demo excerpts by default).
    catalog : the ``encore-catalog/1`` document the sandbox's Spotify serves; None in a real world.
    demo_streams : the sandbox's seeded demo streams; None in a real world.
    """

    name: WorldName
    settings: Settings
    artists: tuple[str, ...]
    exports_dir: Path | None
    audio_dir: Path | None
    catalog: Mapping[str, Any] | None = None
    demo_streams: DemoStreams | None = None
    _services: _Services = field(default=None, repr=False, compare=False)  # type: ignore[assignment]

    @property
    def spotify(self) -> SpotifyApi:
        """The world's Spotify client, opened on first use and closed with the world.

        Raises
        ------
        MissingInput : a real world without Spotify credentials.
        """
        return self._services.spotify()

    def social(self, *, day: date | None = None) -> SocialApis:
        """The social connectors and MusicBrainz (sandbox: emulators whose clock says ``day``)."""
        return self._services.social(day or datetime.now(UTC).date())

    def require_spotify(self) -> None:
        """Raise :class:`MissingInput` when the Spotify client cannot be built (no request is sent)."""
        if self.name == "real":
            _require_spotify_credentials(self.settings)

    def require_audio_dir(self, audio_dir: str | Path | None = None) -> Path:
        """The audio folder to analyse: ``audio_dir``, else the world's.

        Raises
        ------
        MissingInput : neither is set.
        FileNotFoundError : the folder does not exist.
        """
        folder = Path(audio_dir) if audio_dir else self.audio_dir
        if folder is None:
            raise MissingInput(NO_AUDIO_DIR, setting="ENCORE_AUDIO_DIR")
        if not folder.is_dir():
            raise FileNotFoundError(
                f"no audio folder at {folder}: set ENCORE_AUDIO_DIR to the artist's files"
            )
        return folder

    def require_exports_dir(self, source_dir: str | Path | None = None) -> Path:
        """The exports folder to ingest: ``source_dir``, else the world's.

        Raises
        ------
        MissingInput : neither is set.
        FileNotFoundError : the folder does not exist.
        """
        folder = Path(source_dir) if source_dir else self.exports_dir
        if folder is None:
            raise MissingInput(NO_EXPORTS_DIR, setting="ENCORE_STREAMING_EXPORTS_DIR")
        if not folder.is_dir():
            raise FileNotFoundError(
                f"no exports folder at {folder}: set ENCORE_STREAMING_EXPORTS_DIR to your Spotify exports"
            )
        return folder


@dataclass
class _Services:
    """The world's connections, opened on first use and closed when the world closes."""

    settings: Settings
    stack: ExitStack
    open_spotify: Callable[[], SpotifyApi]
    open_social: Callable[[date], SocialApis]
    _spotify: SpotifyApi | None = None
    _social: dict[date, SocialApis] = field(default_factory=dict)

    def spotify(self) -> SpotifyApi:
        if self._spotify is None:
            self._spotify = self.open_spotify()
        return self._spotify

    def social(self, day: date) -> SocialApis:
        if day not in self._social:
            self._social[day] = self.open_social(day)
        return self._social[day]


_current: ContextVar[World | None] = ContextVar("encore_world", default=None)


@contextmanager
def world(settings: Settings | None = None) -> Iterator[World]:
    """The world ``settings.world`` names, open for the block (or the one already open).

    Services start on first use and stop when the block ends. A world already open in this
    context (an enclosing flow's, or the CLI's) is reused as it is.
    """
    opened = _current.get()
    if opened is not None:
        yield opened
        return
    settings = settings or Settings()
    with ExitStack() as stack:
        built = _sandbox(settings, stack) if settings.world == "sandbox" else _real(settings, stack)
        token = _current.set(built)
        try:
            yield built
        finally:
            _current.reset(token)


def _real(settings: Settings, stack: ExitStack) -> World:
    """The real services at their configured base URLs with the user's credentials."""
    hook = prefect_rate_limit(settings.spotify_rate_limit) if settings.spotify_rate_limit else None

    def open_spotify() -> SpotifyApi:
        _require_spotify_credentials(settings)
        return stack.enter_context(SpotifyClient.from_settings(settings, before_request=hook))

    def open_social(_day: date) -> SocialApis:
        connectors = social.connectors_from_settings(settings)
        stack.callback(connectors.close)
        return SocialApis(connectors, social.musicbrainz_from_settings(settings))

    return World(
        name="real",
        settings=settings,
        artists=tuple(dict.fromkeys(settings.artist_ids)),
        exports_dir=settings.streaming_exports_dir,
        audio_dir=settings.audio_dir,
        _services=_Services(settings, stack, open_spotify, open_social),
    )


def _sandbox(settings: Settings, stack: ExitStack) -> World:
    """Loopback emulators; the demo's artists, streams and audio (the only place they exist)."""
    from analytics import demo

    catalog = demo.load_catalog(settings.catalog_file)
    hook = prefect_rate_limit(settings.spotify_rate_limit) if settings.spotify_rate_limit else None

    def open_spotify() -> SpotifyApi:
        from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox

        options = SandboxOptions(
            quota_mode=settings.quota_mode.value,
            catalog_path=settings.catalog_file,
            port=stable_port(str(settings.data_dir)),
        )
        # the sandbox issues new tokens each time it starts: a cached one would only cost a 401
        (settings.data_dir / "cache" / SANDBOX_TOKEN_CACHE).unlink(missing_ok=True)
        sandbox = stack.enter_context(SpotifySandbox(options).running())
        return stack.enter_context(sandbox_client(settings, sandbox, before_request=hook))

    def open_social(day: date) -> SocialApis:
        from analytics.sandbox.social import SocialSandbox

        sandbox = stack.enter_context(SocialSandbox(today=day).running())
        local = sandbox.configure(settings)
        connectors = social.connectors_from_settings(local, sandbox.base_urls)
        stack.callback(connectors.close)
        return SocialApis(connectors, social.musicbrainz_from_settings(local, sandbox.base_urls))

    return World(
        name="sandbox",
        settings=settings,
        artists=tuple(settings.artist_ids or _catalog_artists(catalog)),
        exports_dir=settings.streaming_exports_dir,
        audio_dir=settings.audio_dir or demo.AUDIO_DIR,
        catalog=catalog,
        demo_streams=_SandboxStreams(catalog=catalog if settings.catalog_file else None),
        _services=_Services(settings, stack, open_spotify, open_social),
    )


def _catalog_artists(catalog: Mapping[str, Any]) -> list[str]:
    """The catalog's own artists (not a compilation's 'Various Artists')."""
    return [a["id"] for a in catalog["artists"] if a["name"] != "Various Artists"]


@dataclass(frozen=True)
class _SandboxStreams:
    """Seeded demo streams of the served catalog's artists (None: the demo catalog's)."""

    catalog: Mapping[str, Any] | None

    def generate(self, out_dir: Path, *, seed: int, days: int, end: date) -> Any:
        from analytics.sandbox.streams import generate_demo_data

        return generate_demo_data(out_dir, seed=seed, days=days, end_date=end, catalog=self.catalog)

    def ingest(self, warehouse: Warehouse, data: Any, *, run_id: str) -> IngestSummary:
        from analytics.sandbox.streams import ingest_demo_data

        return ingest_demo_data(warehouse, data, run_id=run_id)


def artists_in_scope(w: World, artist_id: str | None = None) -> list[str]:
    """The artists a job covers, each checked to be in the warehouse's catalog.

    ``artist_id``, else the configured artists (``ENCORE_ARTIST_IDS``; the sandbox: the demo's),
    else every artist of the warehouse's catalog (a real world whose sync took the artists the
    account follows). So a scheduled job names no artist and follows the settings.

    Raises
    ------
    MissingInput : the warehouse holds no catalog, or not one of these artists (run
        ``encore sync`` first); nothing is written.
    """
    if artist_id:
        ids = [artist_id]
    else:
        ids = list(w.artists) or [r["artist_id"] for r in require_catalog(w.settings, table="artists")]
    for each in ids:
        require_artist_stored(w.settings, each)
    return ids


def stable_port(seed: str, *, host: str = "127.0.0.1") -> int:
    """The same free loopback port for the same ``seed`` run after run, else any free port (0).

    The sandbox's bodies carry its URL, so a stable port lets the next run's conditional
    requests get 304s.
    """
    port = 20000 + zlib.crc32(seed.encode()) % 20000
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind((host, port))
        except OSError:
            return 0
    return port


def prefect_rate_limit(name: str) -> Callable[[], None]:
    """A ``before_request`` hook: wait for a slot of the Prefect global rate limit ``name``.

    Spotify's limit is per app, shared by every worker on every machine; a server-side rate
    limit with slot decay (``definitions.encore_limits`` in prefect.yaml) keeps them together
    under it. A limit missing on the server is an error rather than silently unlimited traffic.
    """
    from prefect.concurrency.sync import rate_limit

    def take_slot() -> None:
        rate_limit(name, occupy=1, strict=True)

    return take_slot


def _require_spotify_credentials(settings: Settings) -> None:
    """A client id and a secret or refresh token (or a cached login): else :class:`MissingInput`."""
    secret = settings.spotify_client_secret
    refresh = settings.spotify_refresh_token
    has_secret = secret is not None and bool(secret.get_secret_value())
    has_refresh = refresh is not None and bool(refresh.get_secret_value())
    logged_in = settings.spotify_token_cache.expanduser().is_file()
    if not settings.spotify_client_id or not (has_secret or has_refresh or logged_in):
        raise MissingInput(NO_SPOTIFY_CREDENTIALS, setting="ENCORE_SPOTIFY_CLIENT_ID")


# The inputs a command or flow needs, checked before Prefect starts or anything is written:
# this module imports no Prefect, so a refused input costs the command line no Prefect import.


def artists_to_sync(w: World, artist_ids: Sequence[str] | None = None) -> list[str] | None:
    """The artists a sync will read, checked before anything is written.

    ``artist_ids``, else the world's (``ENCORE_ARTIST_IDS``; the sandbox: the demo's), else, in a
    real world, the ones the account follows (one read of Spotify). None when Spotify's quota
    stopped that read: the run then records the stop and ends ``partial``.

    Raises
    ------
    MissingInput : no Spotify credentials (real world), or no artist configured or followed.
    """
    w.require_spotify()
    ids = list(artist_ids or w.artists)
    if ids:
        check_artist_ids(w, ids)
        return list(dict.fromkeys(ids))
    try:
        return sync.resolve_artist_ids(w.spotify)
    except QuotaExhausted:
        return None


SPOTIFY_ID = re.compile(r"[0-9A-Za-z]{22}")


def check_artist_ids(w: World, artist_ids: Sequence[str]) -> None:
    """Artist ids that cannot be right, refused before anything starts or is written: in the
    sandbox world, ids its catalog does not hold; in a real world, ids that are not Spotify ids
    (22 letters and digits) — whether Spotify knows a well-formed id only the sync can tell.

    Raises
    ------
    MissingInput : naming the ids, the form wanted and where to find one.
    """
    if w.catalog is not None:
        known = [str(a["id"]) for a in w.catalog.get("artists", [])]
        wrong = [a for a in artist_ids if a not in known]
        where = f"the sandbox's catalog holds {', '.join(known[:5])}" + (" …" if len(known) > 5 else "")
    else:
        wrong = [a for a in artist_ids if not SPOTIFY_ID.fullmatch(a)]
        where = "a Spotify artist id is the 22 letters and digits after open.spotify.com/artist/"
    if wrong:
        shown = ", ".join(repr(a) for a in wrong[:5])
        raise MissingInput(
            f"unknown artist id {shown}: {where}; give such ids (or set ENCORE_ARTIST_IDS)",
            setting="ENCORE_ARTIST_IDS",
        )


def check_playlist_inputs(w: World) -> None:
    """What curating needs, checked before anything is written: a catalog to curate from (the
    warehouse's; the sandbox world before its first sync: the catalog it serves) and Spotify.

    Raises
    ------
    MissingInput : the warehouse holds no catalog yet, or no Spotify credentials.
    """
    if w.catalog is None:
        require_catalog(w.settings)
    w.require_spotify()
