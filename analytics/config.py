"""encore's settings: one place, read from the environment (``ENCORE_`` prefix) and ``.env``.

Importing this module has no side effects; a :class:`Settings` is built where it is needed.
Every secret is a :class:`pydantic.SecretStr`, so its value never shows in a repr, a log line
or an audit record; code that needs the value calls ``get_secret_value()`` at the edge.
"""

from __future__ import annotations

import enum
import logging
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class QuotaMode(enum.StrEnum):
    """What a Spotify app may call: Feb-2026 development rules, or the older extended surface."""

    development = "development"
    extended = "extended"


class MissingInput(ValueError):
    """A job cannot run because an input it needs is not configured; nothing was written.

    The message says what is missing, which setting provides it and what to do, e.g.
    ``no audio folder: set ENCORE_AUDIO_DIR``.

    Parameters
    ----------
    message : the whole sentence shown to the user.
    setting : the ``ENCORE_*`` setting (or command) that provides the input.
    """

    def __init__(self, message: str, *, setting: str) -> None:
        super().__init__(message)
        self.setting = setting


class InvalidInput(ValueError):
    """An input given on the command line is not of a form encore reads; nothing was written.

    The message names the value and the forms that are accepted.
    """


# What a missing input says, in one place: flows, the CLI and the library raise these.
NO_ARTISTS = "no artists configured: set ENCORE_ARTIST_IDS, or follow artists with the configured account"
NO_CATALOG = "the warehouse holds no catalog yet: run `encore sync` first"
NO_AUDIO_DIR = "no audio folder: set ENCORE_AUDIO_DIR"
NO_EXPORTS_DIR = "no exports folder: set ENCORE_STREAMING_EXPORTS_DIR"
NO_SOCIAL_PLATFORM = (
    "no social platform configured: set ENCORE_YOUTUBE_API_KEY, ENCORE_INSTAGRAM_ACCESS_TOKEN, "
    "ENCORE_X_BEARER_TOKEN or ENCORE_TIKTOK_ACCESS_TOKEN"
)
NO_SPOTIFY_CREDENTIALS = (
    "no Spotify credentials: set ENCORE_SPOTIFY_CLIENT_ID with ENCORE_SPOTIFY_CLIENT_SECRET "
    "and ENCORE_SPOTIFY_REFRESH_TOKEN (see docs/spotify-client.md)"
)

World = Literal["sandbox", "real"]
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")  # ENCORE_LOG_LEVEL, any case
LOG_FORMATS = ("json", "console")  # ENCORE_LOG_FORMAT

URL_SETTINGS = (
    "spotify_api_url",
    "spotify_accounts_url",
    "youtube_api_url",
    "instagram_api_url",
    "x_api_url",
    "tiktok_api_url",
    "musicbrainz_url",
    "llm_base_url",
    "pagerduty_url",
)


def base_url(value: str, *, setting: str) -> str:
    """``value`` as a base URL: http or https with a host, without a trailing slash.

    Raises
    ------
    ValueError : naming the setting and what a valid value looks like.
    """
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(
            f"ENCORE_{setting.upper()}={value!r} is not a base URL: give http:// or https:// with a host, "
            "e.g. https://api.example.com/v1"
        )
    return text.rstrip("/")


class Settings(BaseSettings):
    """Configuration for every flow, notebook and command.

    Defaults run everything locally: the sandbox world (loopback emulators serving the demo
    catalog), a SQLite warehouse under ``data/`` and reports under ``reports/``. With
    ``world="real"`` every service is reached at its base URL below with the user's credentials.
    """

    model_config = SettingsConfigDict(
        env_prefix="ENCORE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_nested_delimiter="__",
    )

    # -- which world ------------------------------------------------------------------------
    world: World = Field(
        default="sandbox",
        description=(
            "sandbox: loopback emulators with the demo catalog, streams, audio and social accounts; "
            "real: the services at their base URLs with your credentials, artists, exports and audio"
        ),
    )

    # -- where things live ------------------------------------------------------------------
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="warehouse, caches, run evidence")
    reports_dir: Path = Field(default=PROJECT_ROOT / "reports", description="rendered HTML reports")
    report_language: str = Field(
        default="en", description="en | fr | de: the language of the pages the main job renders"
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the warehouse; default: SQLite file data_dir/encore.sqlite",
    )

    # -- Spotify ----------------------------------------------------------------------------
    quota_mode: QuotaMode = Field(default=QuotaMode.development, description="development | extended")
    spotify_api_url: str = Field(
        default="https://api.spotify.com/v1", description="base URL of the Spotify Web API (real world)"
    )
    spotify_accounts_url: str = Field(
        default="https://accounts.spotify.com", description="base URL of Spotify's accounts service (tokens)"
    )
    spotify_client_id: str | None = None
    spotify_client_secret: SecretStr | None = None
    spotify_refresh_token: SecretStr | None = None
    spotify_redirect_uri: str = "http://127.0.0.1:8888/callback"
    spotify_max_retry_wait_s: float = Field(default=30.0, description="longest Retry-After honoured")
    spotify_retry_base_delay_s: float = Field(
        default=0.5,
        description="first backoff delay after a transient failure, doubling per attempt up to 8 s (tests shorten it)",
    )
    spotify_rate_limit: str | None = Field(
        default=None,
        description="a Prefect global rate limit every request to Spotify takes a slot of (deployments: spotify-api)",
    )
    spotify_token_cache: Path = Field(
        default=Path.home() / ".cache" / "encore" / "spotify-token.json",
        description="token cache, outside the repository, written with 0600 permissions",
    )
    artist_ids: list[str] = Field(
        default_factory=list,
        description="artists to sync; empty: the followed ones (real world) or the demo's (sandbox)",
    )
    catalog_file: Path | None = Field(
        default=None, description="sandbox world: an encore-catalog/1 JSON file to serve instead of the demo"
    )
    streaming_exports_dir: Path | None = Field(
        default=None,
        description="Spotify for Artists CSVs and streaming-history JSON to ingest (sandbox: seeded demo streams)",
    )
    demo_streaming_days: int = Field(default=90, ge=7, le=730, description="days of seeded demo streams")

    # -- observability and alerting ---------------------------------------------------------
    log_level: str = Field(default="INFO", description="DEBUG | INFO | WARNING | ERROR | CRITICAL")
    log_format: str = Field(default="json", description="json | console")
    otel_exporter: str = Field(default="off", description="off | console | otlp")
    otel_endpoint: str | None = Field(default=None, description="OTLP/HTTP endpoint, e.g. …:4318")
    pushgateway_url: str | None = None
    sentry_dsn: SecretStr | None = None
    pagerduty_routing_key: SecretStr | None = None
    pagerduty_url: str = Field(
        default="https://events.pagerduty.com/v2/enqueue", description="PagerDuty Events API v2 endpoint"
    )
    alert_webhook_url: SecretStr | None = None
    audit_key: SecretStr | None = Field(
        default=None,
        description="key sealing the audit records (HMAC); default: data_dir/audit.key, created once",
    )
    alert_rules_file: Path | None = Field(
        default=None, description="alert rules YAML; default: config/alert_rules.yaml"
    )

    # -- real-time --------------------------------------------------------------------------
    redis_url: str = "redis://127.0.0.1:6379/0"

    # -- content ----------------------------------------------------------------------------
    llm_base_url: str | None = Field(
        default=None, description="base URL of an OpenAI-compatible endpoint; unset: the built-in writer"
    )
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None

    # -- social -----------------------------------------------------------------------------
    youtube_api_key: SecretStr | None = None
    instagram_access_token: SecretStr | None = None
    x_bearer_token: SecretStr | None = None
    tiktok_access_token: SecretStr | None = None
    youtube_api_url: str = Field(
        default="https://www.googleapis.com/youtube/v3", description="base URL of the YouTube Data API"
    )
    youtube_daily_quota: int = Field(default=10_000, description="YouTube Data API units per day")
    instagram_api_url: str = Field(
        default="https://graph.instagram.com", description="base URL of the Instagram Graph API"
    )
    instagram_api_version: str = "v23.0"
    instagram_user_id: str = Field(default="me", description="Instagram professional account id")
    instagram_token_expires_at: str | None = Field(default=None, description="ISO time the token expires")
    x_api_url: str = Field(default="https://api.x.com", description="base URL of the X API")
    tiktok_api_url: str = Field(
        default="https://open.tiktokapis.com", description="base URL of the TikTok API"
    )
    tiktok_client_key: str | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_refresh_token: SecretStr | None = None
    musicbrainz_url: str = Field(
        default="https://musicbrainz.org/ws/2", description="base URL of the MusicBrainz web service"
    )
    musicbrainz_min_interval_s: float = Field(default=1.0, description="MusicBrainz allows 1 request/s")
    social_max_retry_wait_s: float = Field(default=30.0, description="longest rate-limit wait honoured")
    social_retry_base_delay_s: float = Field(
        default=0.4,
        description="first backoff delay after a 5xx or network error, doubling up to 2 s (tests shorten it)",
    )
    social_overrides: Path | None = Field(default=None, description="YAML of identity link overrides")
    social_token_cache: Path = Field(
        default=Path.home() / ".cache" / "encore" / "social-tokens.json",
        description="refreshed social tokens, outside the repository, written with 0600 permissions",
    )

    # -- audio ------------------------------------------------------------------------------
    audio_dir: Path | None = Field(
        default=None, description="the artist's audio files (sandbox world: the demo excerpts)"
    )
    audio_workers: int = Field(default=0, description="process pool size; 0 = number of cores")
    dask_scheduler_address: str | None = None

    @field_validator(*URL_SETTINGS, mode="after")
    @classmethod
    def _base_url(cls, value: str | None, info: Any) -> str | None:
        if value is None or (info.field_name == "llm_base_url" and not value.strip()):
            return None  # the LLM endpoint is optional; an empty value means unset
        return base_url(value, setting=info.field_name)

    @field_validator("log_level", mode="after")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in logging.getLevelNamesMapping() or level == "NOTSET":
            raise ValueError(
                f"ENCORE_LOG_LEVEL={value!r} is not a log level: use one of {', '.join(LOG_LEVELS)}"
            )
        return level

    @field_validator("report_language", mode="after")
    @classmethod
    def _report_language(cls, value: str) -> str:
        from analytics.locale import LANGUAGES  # the catalog's languages; read only when set

        language = value.strip().lower()
        if language not in LANGUAGES:
            raise ValueError(
                f"ENCORE_REPORT_LANGUAGE={value!r}: the reports speak {', '.join(LANGUAGES)}; give one of them"
            )
        return language

    @field_validator("log_format", mode="after")
    @classmethod
    def _log_format(cls, value: str) -> str:
        fmt = value.strip().lower()
        if fmt not in LOG_FORMATS:
            raise ValueError(
                f"ENCORE_LOG_FORMAT={value!r} is not a log format: use one of {', '.join(LOG_FORMATS)}"
            )
        return fmt

    @field_validator("data_dir", "reports_dir", mode="after")
    @classmethod
    def _absolute(cls, value: Path) -> Path:
        return value.expanduser().resolve()

    @property
    def warehouse_url(self) -> str:
        """The database URL actually used: the configured one or the SQLite file in ``data_dir``."""
        if self.database_url:
            return self.database_url
        from sqlalchemy.engine import URL

        # built, not formatted: a data folder named "a?b" or "50%" is a path, not a query string
        return URL.create("sqlite", database=str(self.data_dir / "encore.sqlite")).render_as_string()

    def secret_values(self) -> list[str]:
        """Every secret value set, for redaction. Empty and very short values are skipped."""
        values: list[str] = []
        for name in type(self).model_fields:
            value: Any = getattr(self, name)
            if isinstance(value, SecretStr):
                raw = value.get_secret_value()
                if len(raw) >= 4:
                    values.append(raw)
        return values

    def public_dict(self) -> dict[str, Any]:
        """Settings safe to print or store: secrets masked, paths as strings."""
        out: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if isinstance(value, SecretStr):
                out[name] = "**********" if value.get_secret_value() else None
            elif isinstance(value, Path):
                out[name] = str(value)
            elif isinstance(value, enum.Enum):
                out[name] = value.value
            else:
                out[name] = value
        if self.database_url:
            out["database_url"] = _mask_url_password(self.database_url)
        return out


def _mask_url_password(url: str) -> str:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable url>"
