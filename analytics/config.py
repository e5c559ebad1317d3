"""encore's settings: one place, read from the environment (``ENCORE_`` prefix) and ``.env``.

Importing this module has no side effects; a :class:`Settings` is built where it is needed.
Every secret is a :class:`pydantic.SecretStr`, so its value never shows in a repr, a log line
or an audit record; code that needs the value calls ``get_secret_value()`` at the edge.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class QuotaMode(enum.StrEnum):
    """What a Spotify app may call: Feb-2026 development rules, or the older extended surface."""

    development = "development"
    extended = "extended"


class Settings(BaseSettings):
    """Configuration for every flow, notebook and command.

    Defaults run everything locally: loopback sandboxes, a SQLite warehouse under ``data/``
    and reports under ``reports/``.
    """

    model_config = SettingsConfigDict(
        env_prefix="ENCORE_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        env_nested_delimiter="__",
    )

    # -- where things live ------------------------------------------------------------------
    data_dir: Path = Field(default=PROJECT_ROOT / "data", description="warehouse, caches, run evidence")
    reports_dir: Path = Field(default=PROJECT_ROOT / "reports", description="rendered HTML reports")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the warehouse; default: SQLite file data_dir/encore.sqlite",
    )

    # -- Spotify ----------------------------------------------------------------------------
    quota_mode: QuotaMode = Field(default=QuotaMode.development, description="development | extended")
    spotify_sandbox: bool = Field(default=True, description="talk to the loopback sandbox, not Spotify")
    spotify_api_url: str = "https://api.spotify.com/v1"
    spotify_accounts_url: str = "https://accounts.spotify.com"
    spotify_client_id: str | None = None
    spotify_client_secret: SecretStr | None = None
    spotify_refresh_token: SecretStr | None = None
    spotify_redirect_uri: str = "http://127.0.0.1:8888/callback"
    spotify_max_retry_wait_s: float = Field(default=30.0, description="longest Retry-After honoured")
    spotify_rate_limit: str | None = Field(
        default=None,
        description="a Prefect global rate limit every request to Spotify takes a slot of (deployments: spotify-api)",
    )
    spotify_token_cache: Path = Field(
        default=Path.home() / ".cache" / "encore" / "spotify-token.json",
        description="token cache, outside the repository, written with 0600 permissions",
    )
    artist_ids: list[str] = Field(default_factory=list, description="artists to sync; empty: demo")
    catalog_file: Path | None = Field(
        default=None, description="an encore-catalog/1 JSON file to load instead of the demo catalog"
    )
    streaming_exports_dir: Path | None = Field(
        default=None, description="Spotify for Artists CSVs and streaming-history JSON to ingest"
    )
    demo_streaming_days: int = Field(default=90, ge=7, le=730, description="days of seeded demo streams")

    # -- observability and alerting ---------------------------------------------------------
    log_level: str = "INFO"
    log_format: str = Field(default="json", description="json | console")
    otel_exporter: str = Field(default="off", description="off | console | otlp")
    otel_endpoint: str | None = Field(default=None, description="OTLP/HTTP endpoint, e.g. …:4318")
    pushgateway_url: str | None = None
    sentry_dsn: SecretStr | None = None
    pagerduty_routing_key: SecretStr | None = None
    pagerduty_url: str = "https://events.pagerduty.com/v2/enqueue"
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
    llm_base_url: str | None = None
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None

    # -- social -----------------------------------------------------------------------------
    youtube_api_key: SecretStr | None = None
    instagram_access_token: SecretStr | None = None
    x_bearer_token: SecretStr | None = None
    tiktok_access_token: SecretStr | None = None
    social_sandbox: bool = Field(default=True, description="talk to the loopback social emulators")
    youtube_api_url: str = "https://www.googleapis.com/youtube/v3"
    youtube_daily_quota: int = Field(default=10_000, description="YouTube Data API units per day")
    instagram_api_url: str = "https://graph.instagram.com"
    instagram_api_version: str = "v23.0"
    instagram_user_id: str = Field(default="me", description="Instagram professional account id")
    instagram_token_expires_at: str | None = Field(default=None, description="ISO time the token expires")
    instagram_app_id: str | None = None
    instagram_app_secret: SecretStr | None = None
    x_api_url: str = "https://api.x.com"
    tiktok_api_url: str = "https://open.tiktokapis.com"
    tiktok_client_key: str | None = None
    tiktok_client_secret: SecretStr | None = None
    tiktok_refresh_token: SecretStr | None = None
    musicbrainz_url: str = "https://musicbrainz.org/ws/2"
    musicbrainz_min_interval_s: float = Field(default=1.0, description="MusicBrainz allows 1 request/s")
    social_max_retry_wait_s: float = Field(default=30.0, description="longest rate-limit wait honoured")
    social_overrides: Path | None = Field(default=None, description="YAML of identity link overrides")
    social_token_cache: Path = Field(
        default=Path.home() / ".cache" / "encore" / "social-tokens.json",
        description="refreshed social tokens, outside the repository, written with 0600 permissions",
    )

    # -- audio ------------------------------------------------------------------------------
    audio_dir: Path | None = Field(default=None, description="the artist's audio files; default: demo")
    audio_workers: int = Field(default=0, description="process pool size; 0 = number of cores")
    dask_scheduler_address: str | None = None

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
