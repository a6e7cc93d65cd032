"""The `tend` command: run the bot, try the demo, upgrade the database, check the content."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from typing import Annotated

import typer

from bot.config import Settings

app = typer.Typer(
    help="Tend: a minute a day of connection, for parents of young children.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
content_app = typer.Typer(help="The content library.", no_args_is_help=True)
invite_app = typer.Typer(help="Invite codes for families.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(content_app, name="content")
app.add_typer(invite_app, name="invite")


def setup_logging(level: str) -> None:
    """Logging, set up once. httpx logs each request URL, which holds the token: keep it quiet."""
    logging.basicConfig(
        format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level.upper()
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@app.command()
def run() -> None:
    """Run the bot (long polling), upgrading the database first."""
    from bot.app import build_application
    from bot.db.migrate import upgrade

    settings = Settings()
    setup_logging(settings.log_level)
    if not settings.telegram_bot_token.get_secret_value():
        typer.echo(
            "TELEGRAM_BOT_TOKEN is not set. Put it in .env (see .env.example), or try `tend demo`."
        )
        raise typer.Exit(2)
    upgrade(settings.database_url)
    application = build_application(settings)
    application.run_polling(allowed_updates=["message", "callback_query", "my_chat_member"])


@app.command()
def demo(
    autoplay: Annotated[
        bool, typer.Option(help="Play a scripted parent through a week and exit.")
    ] = False,
    language: Annotated[
        str, typer.Option(help="The demo parent's Telegram language (en or es).")
    ] = "en",
) -> None:
    """Try Tend with no token: our Bot API emulator, a throwaway database, a terminal chat."""
    from bot.demo import run_demo

    setup_logging("WARNING")
    sys.exit(asyncio.run(run_demo(autoplay=autoplay, language=language)))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""
    from bot.db.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url)
    typer.echo("Database is up to date.")


@content_app.command("check")
def content_check(
    as_json: Annotated[bool, typer.Option("--json", help="Findings as JSON, for CI.")] = False,
) -> None:
    """Check every message; exits non-zero when anything needs fixing."""
    from messages.report import check_command

    raise typer.Exit(check_command(as_json=as_json))


@content_app.command("stats")
def content_stats() -> None:
    """Coverage by kind, age month and language, with the gaps shown; counts by tag."""
    from messages.report import stats_command

    stats_command()


@content_app.command("preview")
def content_preview(
    message_id: str,
    lang: Annotated[str, typer.Option("--lang", help="en or es")] = "en",
    child: Annotated[str | None, typer.Option("--child", help="The child's name.")] = None,
) -> None:
    """Show a message as a parent would see it."""
    from messages.report import preview_command

    raise typer.Exit(preview_command(message_id, lang, child))


@invite_app.command("create")
def invite_create(
    label: Annotated[str | None, typer.Option(help="Who or what the invite is for.")] = None,
    bot_username: Annotated[
        str, typer.Option(help="The bot's @username, for the link.")
    ] = "YourTendBot",
    max_uses: Annotated[int | None, typer.Option(help="How many families may use it.")] = None,
) -> None:
    """Create an invite code and print its deep link."""
    from bot.db.migrate import upgrade
    from bot.invites import create_invite

    settings = Settings()
    upgrade(settings.database_url)
    code = secrets.token_urlsafe(9)
    asyncio.run(create_invite(settings.database_url, code, label=label, max_uses=max_uses))
    typer.echo(f"Invite code: {code}\nLink: https://t.me/{bot_username}?start={code}")


def main() -> None:
    app()
