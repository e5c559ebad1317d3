"""The incremental sync: stages over checkpoints, units of work committed one at a time.

Stages, each resumable from its checkpoints: ``artists`` (the artist rows), ``albums`` (each
artist's discography listing, then the albums in units: full album objects with their track
lists, full track records only for tracks that are new or whose listed data changed, then
what disappeared), ``playlists`` (the user's own playlists; items re-read only when the
snapshot_id changed). :class:`QuotaExhausted` stops a stage cleanly: the checkpoints say
``partial`` with the time to resume.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from analytics.config import Settings
from analytics.spotify import QuotaExhausted, SpotifyApi
from analytics.sync import checkpoints, fetch, rows
from analytics.sync.errors import UnknownArtist
from analytics.sync.report import SyncReport, Validator, delta_frames, merge_evidence
from analytics.sync.store import Unit, apply, changed_only, stored_rows
from analytics.sync.tables import PLAYLISTS_OWNER
from analytics.warehouse import UpsertResult, Warehouse

STAGES = ("artists", "albums", "playlists")


ARTIST_RESOURCES = ("artist", "albums", "tracks")


def _chunks(values: Sequence[str], size: int) -> list[list[str]]:
    return [list(values[i : i + size]) for i in range(0, len(values), size)]


class Syncer:
    """Syncs artists' catalogs and the user's playlists into the warehouse, incrementally.

    Parameters
    ----------
    client : the Spotify client (its quota mode decides batching and page sizes).
    warehouse : where rows and checkpoints go (migrated).
    run_id : recorded on every row written and every checkpoint.
    full : re-read everything (album track lists, every track, every playlist's items); only
        differences are written all the same.
    validate : run before each unit is committed, on the rows about to be written.
    unit_albums : albums per unit of work (default: 5 batches in extended mode, 10 albums in
        development mode, where a unit costs about 1 + tracks-per-album requests per album).
    """

    def __init__(
        self,
        client: SpotifyApi,
        warehouse: Warehouse,
        *,
        run_id: str,
        full: bool = False,
        validate: Validator | None = None,
        unit_albums: int | None = None,
    ) -> None:
        self.client = client
        self.warehouse = warehouse
        self.run_id = run_id
        self.full = full
        self.validate = validate
        extended = client.capabilities.can("several_albums")
        self.unit_albums = unit_albums or (5 * client.capabilities.batch_size("albums") if extended else 10)
        self.report = SyncReport(run_id=run_id, quota_mode=client.quota_mode.value, artist_ids=[], full=full)
        self._cycles: dict[str, tuple[str, bool]] = {}
        self._cp: dict[checkpoints.Key, dict[str, Any]] = {}
        self._started = time.perf_counter()

    # -- the run ---------------------------------------------------------------------------------
    def run(self, artist_ids: Sequence[str]) -> SyncReport:
        """Every stage in order; stops early (``partial``) when the quota is exhausted."""
        self.open(artist_ids)
        for stage in STAGES:
            if not self.stage(stage, artist_ids):
                break
        return self.finish()

    def open(self, artist_ids: Sequence[str]) -> None:
        """Continue each owner's unfinished cycle, or start a new one (always new when ``full``)."""
        self.report.artist_ids = list(artist_ids)
        owners = [*artist_ids, PLAYLISTS_OWNER]
        found = checkpoints.load(self.warehouse, owners)
        unit = Unit()
        for owner in owners:
            resources = ("playlists",) if owner == PLAYLISTS_OWNER else ARTIST_RESOURCES
            unfinished = [
                found[(owner, r)]
                for r in resources
                if (owner, r) in found and found[(owner, r)]["status"] != "complete"
            ]
            if unfinished and not self.full:
                self._cycles[owner] = (unfinished[0]["cycle_id"], any(c["full"] for c in unfinished))
                continue
            self._cycles[owner] = (self.run_id, self.full)
            for resource in resources:
                unit.checkpoints[(owner, resource)] = self._cp_state(owner, "in_progress", {})
        self._commit(unit, validate=False)
        self._cp = checkpoints.load(self.warehouse, owners)

    def resolve(self, artist_ids: Sequence[str] | None, *, settings: Settings | None = None) -> list[str]:
        """The artists to sync (see :func:`analytics.sync.fetch.resolve_artist_ids`); [] when the quota stopped the lookup."""
        try:
            return fetch.resolve_artist_ids(self.client, artist_ids=artist_ids, settings=settings)
        except QuotaExhausted as exc:
            self.report.resume_at = exc.resume_at
            self.report.stopped_at = exc.endpoint
            return []

    def stage(self, name: str, artist_ids: Sequence[str]) -> bool:
        """Run one stage; False when the quota stopped it (the checkpoints then say ``partial``)."""
        if self.report.partial:
            return False
        if name not in STAGES:
            raise ValueError(f"unknown sync stage {name!r}; stages are {', '.join(STAGES)}")
        if not self._cycles:
            self.open(artist_ids)
        from analytics.observability import get_logger, timed

        log = get_logger("encore.sync")
        before = self.client.requests_made()
        try:
            with timed(f"sync.{name}"):
                if name == "artists":
                    self.sync_artists(artist_ids)
                elif name == "albums":
                    self.sync_albums(artist_ids)
                else:
                    self.sync_playlists()
        except QuotaExhausted as exc:
            self._stop(exc)
            log.warning(
                "sync.partial", stage=name, endpoint=exc.endpoint, resume_at=exc.resume_at.isoformat()
            )
            return False
        log.info(
            "sync.stage", stage=name, requests=self.client.requests_made() - before, units=self.report.units
        )
        return True

    def finish(self) -> SyncReport:
        """The report, with request counts and checkpoint positions as they are now."""
        self.report.requests = {
            f"{ep} {status}": n for (ep, status), n in sorted(self.client.request_counts().items())
        }
        self.report.checkpoints = checkpoints.summary(self._cp)
        self.report.seconds = time.perf_counter() - self._started
        return self.report

    # -- stages ------------------------------------------------------------------------------------
    def sync_artists(self, artist_ids: Sequence[str]) -> None:
        todo = [a for a in artist_ids if not self._done((a, "artist"))]
        size = self.client.capabilities.batch_size("artists")
        for chunk in _chunks(todo, max(size, 50)):
            found = fetch.artists(self.client, chunk)
            unknown = fetch.missing(chunk, found)
            if unknown:
                raise UnknownArtist(unknown)
            unit = Unit()
            unit.add_rows("artists", [rows.artist_row(found[a]) for a in chunk])
            for a in chunk:
                unit.checkpoints[(a, "artist")] = self._cp_state(a, "complete", {})
            self.report.rows_fetched += len(chunk)
            self._commit(unit)

    def sync_albums(self, artist_ids: Sequence[str]) -> None:
        wanted = set(artist_ids)
        listings: dict[str, list[str]] = {}
        for a in artist_ids:
            position = self._cp[(a, "albums")]["position"]
            if "listing" in position:
                listings[a] = list(position["listing"])
                continue
            listed = fetch.discography(self.client, a)
            listings[a] = list(dict.fromkeys(album.id for album in listed))
            unit = Unit()
            unit.checkpoints[(a, "albums")] = self._cp_state(a, "in_progress", {"listing": listings[a]})
            self._commit(unit, validate=False)
        done: set[str] = set()
        for a in artist_ids:
            done.update(self._cp[(a, "tracks")]["position"].get("done", []))
        owners: dict[str, list[str]] = {}
        for a in artist_ids:
            if self._done((a, "albums")):
                continue
            for album_id in listings[a]:
                owners.setdefault(album_id, []).append(a)
        queue = [album_id for album_id in owners if album_id not in done]
        for chunk in _chunks(queue, self.unit_albums):
            self._album_unit(chunk, wanted=wanted, owners=owners)
        for a in artist_ids:
            if not self._done((a, "albums")):
                self._finish_artist(a, listings[a])

    def _album_unit(self, chunk: list[str], *, wanted: set[str], owners: dict[str, list[str]]) -> None:
        fetched = fetch.albums(self.client, chunk)
        stored_tracks = {
            r["track_id"]: r for r in stored_rows(self.warehouse, "tracks", column="album_id", values=chunk)
        }
        album_rows, listed = [], {}
        for album_id in chunk:
            if album_id not in fetched:
                continue  # gone since the listing: the artist's finish marks it removed
            album, track_list = fetched[album_id]
            album_rows.append(rows.album_row(album, wanted=wanted))
            for t in track_list:
                if rows.is_relevant(t, wanted):
                    listed[str(t.id)] = rows.simple_track_row(t, album_id=album_id)
        to_fetch = [
            tid
            for tid, row in listed.items()
            if self.full or not rows.same_simple_track(stored_tracks.get(tid), row)
        ]
        full = fetch.tracks(self.client, to_fetch)
        unit = Unit()
        unit.add_rows("albums", album_rows)
        unit.add_rows(
            "tracks", [rows.track_row(full[t], album_id=listed[t]["album_id"]) for t in to_fetch if t in full]
        )
        unit.add_removed(
            "tracks",
            [
                (tid,)
                for tid, r in stored_tracks.items()
                if r["removed_run"] is None
                and r["album_id"] in fetched
                and r["artist_id"] in wanted
                and tid not in listed
            ],
        )
        self.report.rows_fetched += len(album_rows) + len(listed) + len(full)
        for a in sorted({a for album_id in chunk for a in owners[album_id]}):
            key = (a, "tracks")
            done = list(self._cp[key]["position"].get("done", []))
            done += [album_id for album_id in chunk if a in owners[album_id]]
            unit.checkpoints[key] = self._cp_state(a, "in_progress", {"done": done})
        self._commit(unit)

    def _finish_artist(self, artist_id: str, listing: list[str]) -> None:
        """Mark removed what the artist's discography no longer lists; close its checkpoints."""
        listed = set(listing)
        gone_albums = [
            r["album_id"]
            for r in stored_rows(self.warehouse, "albums", column="artist_id", values=[artist_id])
            if r["removed_run"] is None and r["album_id"] not in listed
        ]
        gone_tracks = [
            r["track_id"]
            for r in stored_rows(self.warehouse, "tracks", column="artist_id", values=[artist_id])
            if r["removed_run"] is None and r["album_id"] not in listed
        ]
        gone_tracks += [
            r["track_id"]
            for r in stored_rows(self.warehouse, "tracks", column="album_id", values=gone_albums)
            if r["removed_run"] is None
        ]
        unit = Unit()
        unit.add_removed("albums", [(a,) for a in gone_albums])
        unit.add_removed("tracks", [(t,) for t in gone_tracks])
        position = self._cp[(artist_id, "albums")]["position"]
        unit.checkpoints[(artist_id, "albums")] = self._cp_state(artist_id, "complete", position)
        done = self._cp[(artist_id, "tracks")]["position"]
        unit.checkpoints[(artist_id, "tracks")] = self._cp_state(artist_id, "complete", done)
        self._commit(unit, validate=False)

    def sync_playlists(self) -> None:
        from analytics.sync.playlists import sync_playlists

        sync_playlists(self)

    # -- bookkeeping --------------------------------------------------------------------------------
    def _done(self, key: checkpoints.Key) -> bool:
        cp = self._cp.get(key)
        return cp is not None and cp["cycle_id"] == self._cycles[key[0]][0] and cp["status"] == "complete"

    def _cp_state(self, owner: str, status: str, position: dict[str, Any]) -> dict[str, Any]:
        cycle, full = self._cycles[owner]
        return {"cycle_id": cycle, "status": status, "full": full, "position": position}

    def _commit(self, unit: Unit, *, validate: bool = True) -> None:
        """Validate the rows that would change, then write the unit in one transaction."""
        unchanged: dict[str, int] = {}
        for dataset in list(unit.rows):
            before = len(unit.rows[dataset])
            unit.rows[dataset] = changed_only(self.warehouse, dataset, unit.rows[dataset])
            unchanged[dataset] = before - len(unit.rows[dataset])
        if validate and self.validate is not None and unit.row_count:
            merge_evidence(self.report.validation, self.validate(delta_frames(unit.rows)))
        result = apply(self.warehouse, unit, run_id=self.run_id)
        _count_rows(result)
        result.add(UpsertResult(unchanged={k: v for k, v in unchanged.items() if v}))
        self.report.changes.add(result)
        self.report.units += 1
        for key, cp in unit.checkpoints.items():
            self._cp[key] = {
                **cp,
                "artist_id": key[0],
                "resource": key[1],
                "run_id": self.run_id,
                "resume_at": None,
            }

    def _stop(self, exc: QuotaExhausted) -> None:
        """Save every unfinished checkpoint as ``partial`` with the time the run may resume."""
        unit = Unit()
        for key, cp in self._cp.items():
            if cp["status"] != "complete" and key[0] in self._cycles:
                unit.checkpoints[key] = {
                    **self._cp_state(key[0], "partial", cp["position"]),
                    "resume_at": exc.resume_at,
                }
        self._commit(unit, validate=False)
        for key in unit.checkpoints:
            self._cp[key]["resume_at"] = exc.resume_at
        self.report.resume_at = exc.resume_at
        self.report.stopped_at = exc.endpoint


def _count_rows(result: UpsertResult) -> None:
    """``encore_sync_rows_total{table, change}`` on the shared Prometheus registry."""
    from analytics.observability.metrics import counter

    rows = counter(
        "encore_sync_rows_total", "Catalog rows the sync wrote, by table and change", ("table", "change")
    )
    for change, counts in (
        ("inserted", result.inserted),
        ("updated", result.updated),
        ("removed", result.removed),
    ):
        for table, n in counts.items():
            rows.labels(table, change).inc(n)
