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
    emergency_number: str = Field(default="911", validation_alias="TEND_EMERGENCY_NUMBER")
    hotlines: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(
            "988 Suicide & Crisis Lifeline: call or text 988",
            "National Maternal Mental Health Hotline: 1-833-852-6262",
            "Childhelp National Child Abuse Hotline: 1-800-422-4453",
            "National Domestic Violence Hotline: 1-800-799-7233",
        ),
        validation_alias="TEND_HOTLINES",
    )

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(int(part) for part in value.replace(";", ",").split(",") if part.strip())
        if isinstance(value, int):
            return (value,)
        return value

    @field_validator("hotlines", mode="before")
    @classmethod
    def _split_hotlines(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(";") if part.strip())
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
