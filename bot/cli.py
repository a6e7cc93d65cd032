"""The `tend` command: run the bot, try the demo, upgrade the database, check the content."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sys
import tempfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from bot.config import Settings
from bot.logging_setup import setup_logging

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from pydantic import ValidationError
    from telegram.ext import Application

# Plain help: Typer's rich help shows "<bool>" after flags, as if they took a value. No locals in
# tracebacks: they would print the token and the database password.
app = typer.Typer(
    help="Tend: a minute a day of connection, for parents of young children.",
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
content_app = typer.Typer(help="The content library.", no_args_is_help=True)
invite_app = typer.Typer(help="Invite codes for families.", no_args_is_help=True)
safety_app = typer.Typer(help="The safety net.", no_args_is_help=True)
coaching_app = typer.Typer(help="How the bot reads parents and adapts.", no_args_is_help=True)
export_app = typer.Typer(help="Data exports for research.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(safety_app, name="safety")
app.add_typer(coaching_app, name="coaching")
app.add_typer(export_app, name="export")
app.add_typer(content_app, name="content")
app.add_typer(invite_app, name="invite")

LANGUAGES = ("en", "es")
RUN_HELP = """Run the bot (long polling), upgrading the database first.

Set in the environment or in .env (see .env.example):

\b
  TELEGRAM_BOT_TOKEN     required: the token @BotFather gave you
  DATABASE_URL           default sqlite+aiosqlite:///tend.sqlite3
                         (or postgresql+asyncpg://user:password@host/db)
  TEND_DEFAULT_TIMEZONE  default America/New_York (an IANA name)
  TEND_ADMIN_IDS         Telegram ids of program staff, comma-separated:
                         they get safety alerts and may /invite
  TEND_PROGRAM_FILE      the program's safety resources (YAML); default: US numbers
  TEND_SELF_SIGNUP       default true; false: families need an invite
  TEND_LOG_LEVEL         default INFO (DEBUG, INFO, WARNING, ERROR)
  TELEGRAM_API_BASE_URL  default https://api.telegram.org/bot
"""


def tend_version() -> str:
    try:
        return version("tend")
    except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"tend {tend_version()}")
        raise typer.Exit()


@app.callback()
def main_options(
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_show_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Tend: a minute a day of connection, for parents of young children."""


def fail(line: str, code: int = 2) -> NoReturn:
    """One line on stderr saying what to fix, and a non-zero exit; never a traceback."""
    typer.echo("tend: " + " ".join(line.split()), err=True)
    raise typer.Exit(code)


def load_settings() -> Settings:
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as error:
        fail(_settings_problem(error))


def _settings_problem(error: ValidationError) -> str:
    """The first invalid setting, by its variable name, with the validator's own sentence."""
    first = error.errors(include_url=False, include_input=False)[0]
    name = str(first["loc"][0]) if first["loc"] else "settings"
    message = str(first["msg"]).removeprefix("Value error, ")
    return f"{name}: {message}"


def _database_hint(url: str) -> str:
    """The URL as the operator wrote it, with any password hidden."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "(not a database URL)"


def _database_problem(url: str, error: BaseException) -> str:
    from sqlalchemy.exc import DBAPIError

    cause: BaseException = error.orig if isinstance(error, DBAPIError) and error.orig else error
    detail = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
    return (
        f"DATABASE_URL: cannot open the database {_database_hint(url)} ({detail}); "
        "check that the database server is running and the URL, user and password are right"
    )


@app.command(help=RUN_HELP)
def run(
    webhook: Annotated[
        bool,
        typer.Option(
            "--webhook",
            help="Take updates on a webhook (TEND_WEBHOOK_URL, TEND_WEBHOOK_SECRET, "
            "TEND_HTTP_PORT) instead of long polling; run as many workers as you like.",
        ),
    ] = False,
) -> None:
    settings = load_settings()
    token = settings.telegram_bot_token.get_secret_value()
    try:
        setup_logging(settings.log_level, secrets=(token,))
    except ValueError as error:
        fail(f"TEND_LOG_LEVEL: {error}")
    if not token:
        fail(
            "TELEGRAM_BOT_TOKEN is not set. Put it in .env (see .env.example), or try `tend demo`."
        )
    if webhook and not (settings.webhook_url and settings.webhook_secret.get_secret_value()):
        fail("--webhook needs TEND_WEBHOOK_URL and TEND_WEBHOOK_SECRET (see .env.example).")
    raise typer.Exit(asyncio.run(_run(settings, webhook=webhook)))


async def _run(settings: Settings, *, webhook: bool = False) -> int:
    """Check the configuration in the order that touches least: files, the token, the database.

    The token is checked (getMe) before the database is opened, so a typo in it creates no
    database file."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    from bot.app import build_application, serve
    from bot.db.migrate import upgrade
    from bot.program.resources import ResourcesError

    try:
        application = build_application(settings)
    except ResourcesError as error:
        fail(f"TEND_PROGRAM_FILE: {error}")
    except (ArgumentError, NoSuchModuleError, ImportError):
        fail(
            f"DATABASE_URL: {_database_hint(settings.database_url)} is not a database Tend can "
            "use; use sqlite+aiosqlite:///tend.sqlite3 or "
            "postgresql+asyncpg://user:password@host/dbname"
        )
    try:
        await application.bot.initialize()  # getMe
        _check_sqlite_folder(settings.database_url)
        await asyncio.to_thread(upgrade, settings.database_url)
    except Exception as error:
        await _close_bot(application)
        _explain(settings, error)
        raise
    log.info("starting as @%s; the database is up to date", application.bot.username)
    try:
        return await serve(application, webhook=webhook)
    except Exception as error:
        _explain(settings, error)
        raise


def _explain(settings: Settings, error: BaseException) -> None:
    """Exit with one line for the failures an operator can fix; return for anything else."""
    from sqlalchemy.exc import SQLAlchemyError
    from telegram.error import InvalidToken, NetworkError, TelegramError

    if isinstance(error, InvalidToken):  # its message holds the token: never print it
        fail(
            "Telegram rejected TELEGRAM_BOT_TOKEN: copy it again from @BotFather "
            "(/mybots, your bot, API Token)"
        )
    if isinstance(error, NetworkError):
        fail(_unreachable(settings, error), code=1)
    if isinstance(error, TelegramError):
        fail(f"the Telegram Bot API refused a request while starting ({type(error).__name__})", 1)
    if isinstance(error, SQLAlchemyError | OSError):
        fail(_database_problem(settings.database_url, error), code=1)


def _check_sqlite_folder(url: str) -> None:
    """SQLite creates its file but not the folder; say so before the driver fails obscurely."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        folder = Path(parsed.database or "").expanduser().resolve().parent
        if not folder.is_dir():
            raise OSError(f"there is no folder {folder}")


def _unreachable(settings: Settings, error: BaseException) -> str:
    base = settings.telegram_api_base_url.rstrip("/").removesuffix("/bot")
    return (
        f"cannot reach the Telegram Bot API at {base} ({type(error).__name__}); "
        "check the network connection (and TELEGRAM_API_BASE_URL, if you set it)"
    )


async def _close_bot(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Close the bot's HTTP connections after a failed start (nothing else was opened)."""
    from telegram.error import TelegramError

    with contextlib.suppress(TelegramError):
        await application.bot.shutdown()


def _demo_language(value: str) -> str:
    if value not in LANGUAGES:
        raise typer.BadParameter(f"the demo speaks en or es, not {value!r}")
    return value


@app.command()
def demo(
    autoplay: Annotated[
        bool, typer.Option(help="Play a scripted parent through a week and exit.")
    ] = False,
    language: Annotated[
        str,
        typer.Option(
            metavar="en|es",
            help="The demo parent's Telegram language.",
            callback=_demo_language,
        ),
    ] = "en",
) -> None:
    """Try Tend with no token: our Bot API emulator, a throwaway database, a terminal chat."""
    from bot.demo import DEMO_TOKEN, run_demo

    # The log goes to a file: in the terminal it would land in the middle of the chat.
    log_path = Path(tempfile.gettempdir()) / "tend-demo.log"
    with log_path.open("w", encoding="utf-8") as log_file:
        setup_logging("WARNING", secrets=(DEMO_TOKEN,), stream=log_file)
        code = asyncio.run(run_demo(autoplay=autoplay, language=language, log_path=log_path))
    sys.exit(code)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database schema up to date."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.db.migrate import upgrade

    settings = load_settings()
    try:
        _check_sqlite_folder(settings.database_url)
        upgrade(settings.database_url)
    except (SQLAlchemyError, OSError, ImportError) as error:
        fail(_database_problem(settings.database_url, error), code=1)
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

    if "COLUMNS" not in os.environ and not sys.stdout.isatty():
        # Piped or redirected, rich assumes 80 columns and cuts the table's headers.
        os.environ["COLUMNS"] = "200"
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


@export_app.command("decisions")
def export_decisions_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="A CSV file (default: standard output).")
    ] = None,
) -> None:
    """Every coaching decision as CSV (pseudonymous; the README explains each column)."""
    import datetime as dt

    from bot.db.migrate import upgrade
    from bot.decision_export import export_decisions

    settings = Settings()
    upgrade(settings.database_url)
    now = dt.datetime.now(dt.UTC)
    if output is None:
        count = asyncio.run(export_decisions(settings.database_url, sys.stdout, now=now))
    else:
        with output.open("w", newline="", encoding="utf-8") as out:
            count = asyncio.run(export_decisions(settings.database_url, out, now=now))
        typer.echo(f"{count} decisions written to {output}", err=True)


def _program_commands() -> None:
    """Invites, roles, broadcasts, reports and exports live in their own module."""
    from bot.cli_staff import register

    register(app, invite_app)


_program_commands()


def main() -> None:
    app()
