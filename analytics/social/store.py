"""Writing social data to the warehouse: accounts, identity links and one snapshot per day.

Idempotent: the snapshot key is (platform, platform_id, day); a rerun on the same day updates
the row when a number changed and writes nothing when none did.

Retraction: an account linked by name search alone is provisional. When MusicBrainz or an
override later decides that platform for the artist differently, :func:`retract_provisional`
marks the account row and its snapshots removed by the run that noticed it (``removed_run``,
``removed_at``; ``entity_versions`` records the removal). Nothing is deleted, and readers of
audience figures skip removed snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from analytics.social.base import SocialConnector
from analytics.social.identity import IdentityLink, is_provisional_source
from analytics.social.models import SocialAccount, SocialSnapshot
from analytics.social.tables import SocialAccountRow, SocialIdentityLinkRow, SocialSnapshotRow
from analytics.warehouse import Base, Warehouse, row_hash, upsert_rows
from analytics.warehouse.upsert import mark_removed

SNAPSHOT_KEY = ("platform", "platform_id", "day")


@dataclass(frozen=True)
class SnapshotResult:
    """What one :func:`sync_account` did: ``written`` is inserted, updated or unchanged."""

    platform: str
    platform_id: str
    handle: str
    day: date
    written: str
    snapshot: SocialSnapshot


def account_row(
    account: SocialAccount, *, link: IdentityLink | None, artist_id: str | None
) -> dict[str, Any]:
    return {
        "platform": account.platform,
        "platform_id": account.platform_id,
        "handle": account.handle,
        "display_name": account.display_name,
        "artist_id": link.spotify_artist_id if link else artist_id,
        "verified": account.verified,
        "link_source": link.source if link else "manual",
        "confidence": link.confidence if link else 1.0,
        "link_explanation": link.explanation if link else "synced directly, without identity mapping",
    }


def snapshot_row(snapshot: SocialSnapshot, *, artist_id: str | None) -> dict[str, Any]:
    return {
        "platform": snapshot.platform,
        "platform_id": snapshot.platform_id,
        "day": snapshot.day,
        "artist_id": artist_id,
        "followers": snapshot.followers,
        "posts": snapshot.posts,
        "views": snapshot.views,
        "likes": snapshot.likes,
        "comments": snapshot.comments,
        "sample_posts": snapshot.sample_posts,
        "engagement_rate": snapshot.engagement_rate,
    }


def upsert_snapshots(session: Session, rows: Iterable[Mapping[str, Any]], *, run_id: str) -> dict[str, int]:
    """Insert or update daily snapshot rows by (platform, platform_id, day); counts by outcome.

    A snapshot that was retracted and is written again is revived (counted as updated).
    """
    table = Base.metadata.tables[SocialSnapshotRow.__tablename__]
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    for row in rows:
        data = dict(row)
        digest = row_hash(data)
        where = and_(*(table.c[k] == data[k] for k in SNAPSHOT_KEY))
        old = session.execute(select(table.c.content_hash, table.c.removed_run).where(where)).first()
        if old is None:
            session.execute(
                table.insert().values(
                    **data, content_hash=digest, first_seen_run=run_id, last_changed_run=run_id
                )
            )
            counts["inserted"] += 1
        elif old.content_hash != digest or old.removed_run is not None:
            session.execute(
                update(table)
                .where(where)
                .values(
                    **data, content_hash=digest, last_changed_run=run_id, removed_run=None, removed_at=None
                )
            )
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def _existing_link(session: Session, account: SocialAccount) -> dict[str, Any] | None:
    table = Base.metadata.tables[SocialAccountRow.__tablename__]
    found = session.execute(
        select(table.c.artist_id, table.c.link_source, table.c.confidence, table.c.link_explanation).where(
            table.c.platform == account.platform, table.c.platform_id == account.platform_id
        )
    ).first()
    return dict(found._mapping) if found else None


def sync_account(
    warehouse: Warehouse,
    connector: SocialConnector,
    account: SocialAccount,
    *,
    day: date,
    run_id: str,
    link: IdentityLink | None = None,
    artist_id: str | None = None,
) -> SnapshotResult:
    """Fetch ``account``'s numbers for ``day`` and store account and snapshot in one transaction.

    The platform is asked before anything is written, so a failure (rate limit, malformed
    payload, platform down) leaves the warehouse as it was. Without ``link`` an existing
    account row keeps its identity-link columns.
    """
    snapshot = connector.snapshot(account, day=day)
    with warehouse.session() as session:
        row = account_row(account, link=link, artist_id=artist_id)
        if link is None:
            kept = _existing_link(session, account)
            if kept:
                kept["artist_id"] = kept["artist_id"] or artist_id
                row.update(kept)
        upsert_rows(session, "social_accounts", [row], key=("platform", "platform_id"), run_id=run_id)
        counts = upsert_snapshots(
            session, [snapshot_row(snapshot, artist_id=row["artist_id"])], run_id=run_id
        )
    written = next(k for k, v in counts.items() if v)
    return SnapshotResult(account.platform, account.platform_id, account.handle, day, written, snapshot)


def retract_provisional(
    warehouse: Warehouse, links: Sequence[IdentityLink], *, run_id: str, now: datetime | None = None
) -> list[tuple[str, str]]:
    """Retract provisional accounts that an authoritative decision now contradicts.

    For each link that MusicBrainz or an override took part in (linked, override, conflict,
    excluded, unconfirmed alike), every current account row of that artist and platform that was
    linked by name search alone and is not the account the link chose is marked removed by
    ``run_id``, with its snapshots for that artist, so that audience figures stop counting it.

    Returns
    -------
    The (platform, platform_id) of the accounts retracted by this call.
    """
    accounts = Base.metadata.tables[SocialAccountRow.__tablename__]
    snapshots = Base.metadata.tables[SocialSnapshotRow.__tablename__]
    now = now or datetime.now(UTC)
    retracted: list[tuple[str, str]] = []
    with warehouse.session() as session:
        for link in links:
            if not link.authoritative:
                continue
            chosen = link.account.platform_id if link.usable and link.account else None
            current = session.execute(
                select(accounts.c.platform_id, accounts.c.link_source).where(
                    accounts.c.artist_id == link.spotify_artist_id,
                    accounts.c.platform == link.platform,
                    accounts.c.removed_run.is_(None),
                )
            ).all()
            wrong = [r.platform_id for r in current if is_provisional_source(r.link_source)]
            for platform_id in (p for p in wrong if p != chosen):
                days = session.execute(
                    select(snapshots.c.day).where(
                        snapshots.c.platform == link.platform,
                        snapshots.c.platform_id == platform_id,
                        snapshots.c.artist_id == link.spotify_artist_id,
                        snapshots.c.removed_run.is_(None),
                    )
                ).scalars()
                mark_removed(
                    session,
                    SocialSnapshotRow.__tablename__,
                    [(link.platform, platform_id, day) for day in days],
                    key=SNAPSHOT_KEY,
                    run_id=run_id,
                    now=now,
                )
                mark_removed(
                    session,
                    SocialAccountRow.__tablename__,
                    [(link.platform, platform_id)],
                    key=("platform", "platform_id"),
                    run_id=run_id,
                    now=now,
                )
                retracted.append((link.platform, platform_id))
    return retracted


def store_links(
    warehouse: Warehouse, links: Sequence[IdentityLink], *, run_id: str, now: datetime | None = None
) -> int:
    """Record the identity decisions (every status, with candidates); returns rows changed."""
    table = Base.metadata.tables[SocialIdentityLinkRow.__tablename__]
    now = now or datetime.now(UTC)
    changed = 0
    with warehouse.session() as session:
        for link in links:
            data = {
                "status": link.status,
                "handle": link.handle,
                "platform_id": link.account.platform_id if link.account else None,
                "source": link.source,
                "confidence": link.confidence,
                "explanation": link.explanation,
                "candidates": [c.as_dict() for c in link.candidates],
                "overridden": [c.as_dict() for c in link.overridden],
            }
            where = and_(table.c.artist_id == link.spotify_artist_id, table.c.platform == link.platform)
            old = session.execute(select(table).where(where)).first()
            if old is None:
                session.execute(
                    table.insert().values(
                        artist_id=link.spotify_artist_id,
                        platform=link.platform,
                        run_id=run_id,
                        updated_at=now,
                        **data,
                    )
                )
                changed += 1
            elif any(old._mapping[k] != v for k, v in data.items()):
                session.execute(update(table).where(where).values(**data, run_id=run_id, updated_at=now))
                changed += 1
    return changed


def stored_links(warehouse: Warehouse, artist_id: str) -> dict[str, IdentityLink]:
    """The identity decisions recorded for ``artist_id`` by earlier runs, by platform."""
    table = Base.metadata.tables[SocialIdentityLinkRow.__tablename__]
    with warehouse.session() as session:
        rows = session.execute(select(table).where(table.c.artist_id == artist_id)).all()
    return {
        r.platform: IdentityLink(
            spotify_artist_id=r.artist_id,
            platform=r.platform,
            status=r.status,
            handle=r.handle,
            source=r.source,
            confidence=float(r.confidence),
            explanation=r.explanation,
        )
        for r in rows
    }
