"""``encore sandbox …``: serve the loopback emulators from the command line."""

from __future__ import annotations

import contextlib
import signal
import threading
from pathlib import Path
from typing import Annotated

import typer

from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec

app = typer.Typer(
    name="sandbox", help="Loopback emulators of the APIs encore talks to.", no_args_is_help=True
)


@app.callback()
def _main() -> None:
    """Loopback emulators of the APIs encore talks to."""


@app.command()
def serve(
    port: Annotated[int, typer.Option(help="TCP port; 0 picks a free one")] = 8765,
    host: Annotated[str, typer.Option(help="address to listen on (keep it on loopback)")] = "127.0.0.1",
    quota_mode: Annotated[str, typer.Option(help="development | extended")] = "development",
    catalog: Annotated[
        Path | None, typer.Option(help="an encore-catalog/1 JSON file (default: the demo)")
    ] = None,
    synthetic_artists: Annotated[
        int | None, typer.Option(help="serve a generated catalog of N artists")
    ] = None,
    seed: Annotated[int, typer.Option(help="seed of the generated catalog and of injected faults")] = 0,
    token_ttl_s: Annotated[float, typer.Option(help="lifetime of access tokens, seconds")] = 3600.0,
    rate_limit_per_30s: Annotated[int | None, typer.Option(help="requests allowed per rolling 30 s")] = None,
) -> None:
    """Serve the Spotify Web API sandbox (and its accounts service) until interrupted."""
    if quota_mode not in ("development", "extended"):
        raise typer.BadParameter("use development or extended", param_hint="--quota-mode")
    if catalog is not None and synthetic_artists is not None:
        raise typer.BadParameter("give --catalog or --synthetic-artists, not both")
    synthetic = None
    if synthetic_artists is not None:
        synthetic = SyntheticCatalogSpec(
            artists=synthetic_artists,
            albums=synthetic_artists * 20,
            tracks=synthetic_artists * 200,
            seed=seed,
        )
    options = SandboxOptions(
        quota_mode=quota_mode,  # type: ignore[arg-type]
        catalog_path=catalog,
        synthetic=synthetic,
        seed=seed,
        host=host,
        port=port,
        token_ttl_s=token_ttl_s,
        rate_limit_per_30s=rate_limit_per_30s,
    )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with SpotifySandbox(options).running() as sb:
        typer.echo(f"Spotify sandbox ({quota_mode}) on {sb.api_url}")
        typer.echo(f"  token endpoint  {sb.token_url}")
        typer.echo(f"  client id       {sb.client_id}")
        typer.echo(f"  client secret   {sb.client_secret}   (public demo value)")
        typer.echo(f"  refresh token   {sb.user_refresh_token}   (demo user encore-demo-user)")
        typer.echo(f"  stats           {sb.accounts_url}/_sandbox/stats")
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
        typer.echo("stopping")
