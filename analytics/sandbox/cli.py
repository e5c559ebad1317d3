"""``encore sandbox …``: serve the loopback emulators from the command line.

``encore sandbox serve`` runs the Spotify sandbox (and, with ``--social``, the social platforms and
MusicBrainz) as a process of its own, so that a test or a user can run encore in real mode against
it through base-URL settings only. ``--ready-file`` tells a waiting process where everything listens.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from analytics.sandbox.spotify.options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_USER_ID,
    SandboxOptions,
    SyntheticCatalogSpec,
)

if TYPE_CHECKING:  # the servers (FastAPI, uvicorn) load when `serve` runs, not with the command line
    from analytics.sandbox.social.server import SocialSandbox
    from analytics.sandbox.spotify.server import SpotifySandbox

app = typer.Typer(
    name="sandbox", help="Loopback emulators of the APIs encore talks to.", no_args_is_help=True
)


@app.callback()
def _main() -> None:
    """Loopback emulators of the APIs encore talks to."""


def write_ready_file(path: Path, info: dict[str, Any]) -> None:
    """Write ``info`` as JSON to ``path`` atomically: a private temp file beside it, then a rename.

    A process polling for ``path`` therefore never reads a half-written file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(info, out, indent=2, sort_keys=True)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


def ready_info(sb: SpotifySandbox, social: SocialSandbox | None) -> dict[str, Any]:
    """What the ready file holds: where each emulator listens (and the social sandbox's credentials).

    The Spotify credentials are left out: the caller chose them (or uses the documented demo values).
    The social sandbox issues its own tokens at start, so they are included as ``ENCORE_*``
    variables (``social_env``) for a process that talks to it.
    """
    info: dict[str, Any] = {
        "pid": os.getpid(),
        "port": sb.port,
        "api_url": sb.api_url,
        "accounts_url": sb.accounts_url,
        "token_url": sb.token_url,
        "quota_mode": sb.runtime.quota_mode,
    }
    if social is not None:
        urls = social.base_urls
        info["social"] = {name: url for name, url in urls.items() if name != "musicbrainz"}
        info["musicbrainz_url"] = urls["musicbrainz"]
        info["social_env"] = social.env()
    return info


def _shown(value: str, demo: str, note: str) -> str:
    return f"{value}   ({note})" if value == demo else "(as configured; not printed)"


def _print_addresses(sb: SpotifySandbox, social: SocialSandbox | None) -> None:
    typer.echo(f"Spotify sandbox ({sb.runtime.quota_mode}) on {sb.api_url}")
    typer.echo(f"  token endpoint  {sb.token_url}")
    typer.echo(f"  client id       {sb.client_id}")
    typer.echo(f"  client secret   {_shown(sb.client_secret, DEMO_CLIENT_SECRET, 'public demo value')}")
    refresh_note = f"demo user {DEMO_USER_ID}"
    typer.echo(f"  refresh token   {_shown(sb.user_refresh_token, DEMO_REFRESH_TOKEN, refresh_note)}")
    typer.echo(f"  stats           {sb.accounts_url}/_sandbox/stats")
    if social is not None:
        for name, url in social.base_urls.items():
            typer.echo(f"  {name:<15} {url}")


def _options(
    *,
    quota_mode: str,
    catalog: Path | None,
    synthetic_artists: int | None,
    seed: int,
    host: str,
    port: int,
    token_ttl_s: float,
    rate_limit_per_30s: int | None,
    credentials: tuple[str, str, str],
) -> SandboxOptions:
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
    client_id, client_secret, refresh_token = credentials
    try:
        return SandboxOptions(
            quota_mode=quota_mode,  # type: ignore[arg-type]
            catalog_path=catalog,
            synthetic=synthetic,
            seed=seed,
            host=host,
            port=port,
            token_ttl_s=token_ttl_s,
            rate_limit_per_30s=rate_limit_per_30s,
            client_id=client_id,
            client_secret=client_secret,
            refresh_token=refresh_token,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


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
    client_id: Annotated[
        str,
        typer.Option(envvar="ENCORE_SPOTIFY_CLIENT_ID", help="the client id the accounts service accepts"),
    ] = DEMO_CLIENT_ID,
    client_secret: Annotated[
        str,
        typer.Option(
            envvar="ENCORE_SPOTIFY_CLIENT_SECRET",
            help="the client secret it accepts",
            show_default=False,
        ),
    ] = DEMO_CLIENT_SECRET,
    refresh_token: Annotated[
        str,
        typer.Option(
            envvar="ENCORE_SPOTIFY_REFRESH_TOKEN",
            help=f"a refresh token of the demo user {DEMO_USER_ID} with every scope",
            show_default=False,
        ),
    ] = DEMO_REFRESH_TOKEN,
    ready_file: Annotated[
        Path | None,
        typer.Option(help="once listening, write the URLs and port here as JSON (removed at stop)"),
    ] = None,
    social: Annotated[
        bool, typer.Option("--social", help="also serve the social platforms and MusicBrainz")
    ] = False,
    social_accounts: Annotated[
        Path | None,
        typer.Option(help="with --social: serve the accounts of this encore-social/1 file, not the demo's"),
    ] = None,
) -> None:
    """Serve the Spotify Web API sandbox (and its accounts service) until interrupted or SIGTERM."""
    options = _options(
        quota_mode=quota_mode,
        catalog=catalog,
        synthetic_artists=synthetic_artists,
        seed=seed,
        host=host,
        port=port,
        token_ttl_s=token_ttl_s,
        rate_limit_per_30s=rate_limit_per_30s,
        credentials=(client_id, client_secret, refresh_token),
    )
    if social_accounts is not None and not social:
        raise typer.BadParameter("--social-accounts needs --social", param_hint="--social-accounts")
    from analytics.sandbox.social.accounts import AccountsFormatError
    from analytics.sandbox.social.server import SocialSandbox
    from analytics.sandbox.spotify.catalog import CatalogFormatError
    from analytics.sandbox.spotify.server import SpotifySandbox

    try:
        sandbox = SpotifySandbox(options)
    except CatalogFormatError as exc:
        typer.echo(f"cannot serve the catalog: {exc}", err=True)
        raise typer.Exit(2) from exc
    try:
        social_sandbox = SocialSandbox(seed=seed, accounts_file=social_accounts) if social else None
    except AccountsFormatError as exc:
        typer.echo(f"cannot serve the social accounts: {exc}", err=True)
        raise typer.Exit(2) from exc
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    with contextlib.ExitStack() as running:
        sb = running.enter_context(sandbox.running())
        social_sb = running.enter_context(social_sandbox.running()) if social_sandbox else None
        _print_addresses(sb, social_sb)
        if ready_file is not None:
            write_ready_file(ready_file, ready_info(sb, social_sb))
            running.callback(lambda: ready_file.unlink(missing_ok=True))
        stop.wait()
        typer.echo("stopping")
