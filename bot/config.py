"""Settings from the environment and `.env`, in one frozen object (pydantic-settings)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

TELEGRAM_API = "https://api.telegram.org/bot"


class Settings(BaseSettings):
    """Everything an operator can configure. Names match `.env.example`."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        # `cp .env.example .env` leaves optional settings empty (TEND_HTTP_PORT=): unset.
        env_ignore_empty=True,
        extra="ignore",
        frozen=True,
        populate_by_name=True,
    )

    telegram_bot_token: SecretStr = Field(
        default=SecretStr(""), validation_alias="TELEGRAM_BOT_TOKEN"
    )
    telegram_api_base_url: str = Field(
        default=TELEGRAM_API, validation_alias="TELEGRAM_API_BASE_URL"
    )
    database_url: str = Field(
        default="sqlite+aiosqlite:///tend.sqlite3", validation_alias="DATABASE_URL"
    )
    default_timezone: str = Field(
        default="America/New_York", validation_alias="TEND_DEFAULT_TIMEZONE"
    )
    admin_ids: Annotated[tuple[int, ...], NoDecode] = Field(
        default=(), validation_alias="TEND_ADMIN_IDS"
    )
    self_signup: bool = Field(default=True, validation_alias="TEND_SELF_SIGNUP")
    log_level: str = Field(default="INFO", validation_alias="TEND_LOG_LEVEL")
    tick_seconds: float = Field(default=60.0, gt=0, validation_alias="TEND_TICK_SECONDS")
    # Delivery: one budget for everything the token sends (Telegram's documented limits).
    rate_per_second: float = Field(default=30.0, gt=0, validation_alias="TEND_RATE_PER_SECOND")
    rate_per_chat_per_second: float = Field(
        default=1.0, gt=0, validation_alias="TEND_RATE_PER_CHAT_PER_SECOND"
    )
    rate_per_group_per_minute: float = Field(
        default=20.0, gt=0, validation_alias="TEND_RATE_PER_GROUP_PER_MINUTE"
    )
    # Paid broadcasts (allow_paid_broadcast): up to 1,000 messages a second, billed in Stars.
    paid_broadcast: bool = Field(default=False, validation_alias="TEND_PAID_BROADCAST")
    # First wait before a failed daily message or broadcast is tried again (doubling after).
    retry_base_seconds: float = Field(
        default=30.0, gt=0, validation_alias="TEND_RETRY_BASE_SECONDS"
    )
    # Webhook mode (`tend run --webhook`): the public URL Telegram posts to (our path
    # /telegram is added), the secret it must send, and where our HTTP server listens. The
    # server also answers /healthz and /metrics (in polling mode too, when a port is set).
    webhook_url: str | None = Field(default=None, validation_alias="TEND_WEBHOOK_URL")
    webhook_secret: SecretStr = Field(default=SecretStr(""), validation_alias="TEND_WEBHOOK_SECRET")
    http_host: str = Field(default="127.0.0.1", validation_alias="TEND_HTTP_HOST")
    http_port: int | None = Field(default=None, ge=0, le=65535, validation_alias="TEND_HTTP_PORT")
    # A claimed row not marked within this long is taken to be orphaned by a dead sender.
    send_lease_seconds: float = Field(
        default=30.0, ge=10, validation_alias="TEND_SEND_LEASE_SECONDS"
    )
    send_concurrency: int = Field(default=16, ge=1, le=64, validation_alias="TEND_SEND_CONCURRENCY")
    # Updates of different chats handled at once (one chat's always in order; see
    # bot.update_order); 1 handles every update after the one before. Unset: 32 on
    # PostgreSQL, 1 on SQLite, whose one writer at a time makes concurrent handlers wait in
    # its sleeping busy handler (p99 alone 238 ms at 32 against 46 ms one at a time).
    update_concurrency: int | None = Field(
        default=None, ge=1, le=256, validation_alias="TEND_UPDATE_CONCURRENCY"
    )

    @property
    def updates_at_once(self) -> int:
        """How many updates of different chats are handled at once."""
        if self.update_concurrency is not None:
            return self.update_concurrency
        return 1 if self.database_url.startswith("sqlite") else 32

    # Safety: where the per-category resources come from, and how alerts behave.
    program_file: str | None = Field(default=None, validation_alias="TEND_PROGRAM_FILE")
    alert_includes_words: bool = Field(default=False, validation_alias="TEND_ALERT_INCLUDES_WORDS")
    alert_escalate_minutes: float = Field(
        default=15.0, gt=0, validation_alias="TEND_ALERT_ESCALATE_MINUTES"
    )
    # Home visitors: how long an invite code opens and how many families may use it; after how
    # many days without a reply a family counts as quiet (and their visitor hears of it).
    invite_days: float = Field(default=14.0, gt=0, validation_alias="TEND_INVITE_DAYS")
    invite_max_uses: int = Field(default=1, ge=1, validation_alias="TEND_INVITE_MAX_USES")
    quiet_days: float = Field(default=7.0, gt=0, validation_alias="TEND_QUIET_DAYS")
    # The key of the pseudonyms in /export and `tend export`: keep it secret and never change
    # it, or the same family gets a new pseudonym. Empty: exports are refused.
    export_secret: SecretStr = Field(default=SecretStr(""), validation_alias="TEND_EXPORT_SECRET")

    @property
    def effective_rate_per_second(self) -> float:
        return max(self.rate_per_second, 1000.0) if self.paid_broadcast else self.rate_per_second

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
            if not all(part.lstrip("-").isascii() and part.lstrip("-").isdigit() for part in parts):
                raise ValueError(
                    "use the staff's numeric Telegram user ids, separated by commas "
                    "(like 12345678,87654321)"
                )
            return tuple(int(part) for part in parts)
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("default_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(
                f"unknown timezone {value!r}; use an IANA name like Europe/Madrid"
            ) from exc
        return value

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        """Accept the plain URLs operators copy from their hosting panel."""
        for plain, driver in (
            ("postgres://", "postgresql+asyncpg://"),
            ("postgresql://", "postgresql+asyncpg://"),
            ("sqlite://", "sqlite+aiosqlite://"),
        ):
            if value.startswith(plain):
                return driver + value[len(plain) :]
        return value
