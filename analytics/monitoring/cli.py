"""``encore monitor …``: the live monitor and a one-off pass, as a Typer sub-app.

The main command line mounts :data:`app` as ``encore monitor``; ``python -m
analytics.monitoring.cli`` runs it alone.
"""

from __future__ import annotations

import json
import uuid
from typing import Annotated

import typer

from analytics.config import Settings

app = typer.Typer(help="Artist monitoring: real-time alerts and one-off passes.", no_args_is_help=True)


@app.command()
def live(
    metrics_port: Annotated[
        int | None, typer.Option(help="serve Prometheus /metrics on this port (0: any free)")
    ] = None,
    group: Annotated[str, typer.Option(help="consumer group on the play stream")] = "monitoring",
    consumer: Annotated[str | None, typer.Option(help="this process's name in the group")] = None,
) -> None:
    """Consume real-time play events and raise spike alerts until SIGTERM or Ctrl-C."""
    from analytics.monitoring.live import monitor_live

    def ready(stats: object) -> None:
        typer.echo(json.dumps({"ready": True, "metrics_port": getattr(stats, "metrics_port", None)}))

    try:
        stats = monitor_live(
            Settings(), metrics_port=metrics_port, group=group, consumer=consumer, on_ready=ready
        )
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
    typer.echo(
        json.dumps({"events": stats.events, "fired": len(stats.fired), "resolved": len(stats.resolved)})
    )


@app.command()
def once(
    artist_id: Annotated[
        str, typer.Argument(help="Spotify artist id, spotify:artist:<id> or open.spotify.com/artist/<id> URL")
    ],
) -> None:
    """Snapshot, evaluate, decide and deliver for one artist, without Prefect; prints the counts."""
    from analytics.catalog.stored import require_artist_stored
    from analytics.config import InvalidInput, MissingInput
    from analytics.monitoring.service import monitor_once
    from analytics.observability import configure, current_trace_id
    from analytics.spotify.ids import artist_id_given
    from analytics.warehouse import Warehouse

    settings = Settings()
    try:
        artist_id = artist_id_given(artist_id)
        require_artist_stored(settings, artist_id)  # before the warehouse is created or changed
    except (MissingInput, InvalidInput) as error:
        typer.echo(f"encore: {error}", err=True)
        raise typer.Exit(code=2) from None
    configure(settings)
    warehouse = Warehouse.from_settings(settings)
    warehouse.migrate()
    try:
        result = monitor_once(
            warehouse, artist_id, settings=settings, run_id=uuid.uuid4().hex, trace_id=current_trace_id()
        )
    finally:
        warehouse.dispose()
    typer.echo(json.dumps(result, default=str))


@app.command()
def deliver() -> None:
    """Send every pending alert in the outbox now (also those waiting for a retry)."""
    from analytics.monitoring.channels import channels_from_settings
    from analytics.monitoring.deliver import deliver_pending
    from analytics.warehouse import Warehouse

    settings = Settings()
    warehouse = Warehouse.from_settings(settings)
    try:
        report = deliver_pending(warehouse, channels_from_settings(settings), ignore_backoff=True)
    finally:
        warehouse.dispose()
    typer.echo(json.dumps(report.as_dict()))


if __name__ == "__main__":
    app()
