"""The `tend` command: run the bot, try the demo, upgrade the database, check the content."""

from __future__ import annotations

import asyncio
import logging
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer

from bot.config import Settings

app = typer.Typer(
    help="Tend: a minute a day of connection, for parents of young children.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
content_app = typer.Typer(help="The content library.", no_args_is_help=True)
invite_app = typer.Typer(help="Invite codes for families.", no_args_is_help=True)
safety_app = typer.Typer(help="The safety net.", no_args_is_help=True)
coaching_app = typer.Typer(help="How the bot reads parents and adapts.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(safety_app, name="safety")
app.add_typer(coaching_app, name="coaching")
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
    from bot.app import build_application, serve
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
    raise typer.Exit(asyncio.run(serve(application)))


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


@safety_app.command("report")
def safety_report(
    corpus: Annotated[
        Path, typer.Option(help="A folder of labelled messages, one YAML file per language.")
    ] = Path("tests/safety/corpus"),
) -> None:
    """Recall and false-alarm rate of the screen, per language and category; non-zero when a
    language misses the goal (recall at least 0.95, false alarms at most 0.05)."""
    from bot.coaching.safety_eval import evaluate, format_report, load_corpus, meets_goal

    if not corpus.is_dir():
        typer.echo(f"No corpus folder at {corpus} (run from the repository, or pass --corpus).")
        raise typer.Exit(2)
    report = evaluate(load_corpus(corpus))
    typer.echo(format_report(report))
    raise typer.Exit(0 if meets_goal(report) else 1)


@coaching_app.command("report")
def coaching_report(
    corpus: Annotated[
        Path, typer.Option(help="A folder of labelled replies, one YAML file per language.")
    ] = Path("tests/coaching_corpus"),
    misses: Annotated[bool, typer.Option(help="List every reply read wrongly.")] = False,
) -> None:
    """Accuracy of reading parents' words, per signal and language (and on the holdout folder
    inside the corpus, when there is one); non-zero when the corpus misses the goal."""
    from bot.coaching.signals_eval import evaluate, format_report, load_corpus, meets_goal

    if not corpus.is_dir():
        typer.echo(f"No corpus folder at {corpus} (run from the repository, or pass --corpus).")
        raise typer.Exit(2)
    report = evaluate(load_corpus(corpus))
    typer.echo(f"Corpus {corpus}\n{format_report(report, show_misses=misses)}")
    holdout = corpus / "holdout"
    if holdout.is_dir():
        held = format_report(evaluate(load_corpus(holdout)), show_misses=misses)
        typer.echo(f"\nHoldout {holdout} (never tuned on)\n{held}")
    raise typer.Exit(0 if meets_goal(report) else 1)


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
