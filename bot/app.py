"""The one place that wires Tend: settings and services in, a ready PTB Application out."""

from __future__ import annotations

import logging
import os
from typing import Any

from telegram import BotCommand, BotCommandScopeDefault, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackContext,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.config import Settings
from bot.db.session import make_engine, make_session_factory
from bot.handlers import account, conversation, daily, onboarding
from bot.services import SERVICES_KEY, Services
from bot.texts import text
from messages.library import Library, load_library
from scheduler.clock import Clock, SystemClock
from scheduler.ticks import Ticker

log = logging.getLogger(__name__)

# PTB 22 warns unless told that RetryAfter.retry_after (and other durations) are timedeltas.
os.environ.setdefault("PTB_TIMEDELTA", "true")

TICKER_KEY = "tend.ticker"
MENU = ("settings", "repair", "pause", "resume", "stop", "mydata", "delete", "help")
MENU_TEXT = {
    "en": {
        "settings": "Change time, language, child or how often",
        "repair": "A tip after a hard moment",
        "pause": "Take a break (e.g. /pause 7)",
        "resume": "Start messages again",
        "stop": "Stop messages",
        "mydata": "Get a copy of your data",
        "delete": "Erase everything about you",
        "help": "What I can do",
    },
    "es": {
        "settings": "Cambiar hora, idioma, peque o frecuencia",
        "repair": "Una idea después de un momento difícil",
        "pause": "Tomar un descanso (ej. /pause 7)",
        "resume": "Volver a recibir mensajes",
        "stop": "Dejar de recibir mensajes",
        "mydata": "Recibir una copia de tus datos",
        "delete": "Borrar todo sobre ti",
        "help": "Lo que puedo hacer",
    },
}


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    library: Library | None = None,
    run_ticks: bool = True,
) -> Application[Any, Any, Any, Any, Any, Any]:
    """The Application `tend run`, `tend demo` and the tests all use."""
    token = settings.telegram_bot_token.get_secret_value()
    if not token:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set (see .env.example)")
    base = settings.telegram_api_base_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base)
        .base_file_url(base.removesuffix("/bot") + "/file/bot")
        .post_init(_open_services)
        .post_shutdown(_close_services)
        .build()
    )
    engine = make_engine(settings.database_url)
    application.bot_data[SERVICES_KEY] = Services(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        library=library or load_library(),
        clock=clock or SystemClock(),
    )
    application.bot_data["tend.run_ticks"] = run_ticks
    _register_handlers(application)
    return application


def ticker(application: Application[Any, Any, Any, Any, Any, Any]) -> Ticker:
    found = application.bot_data[TICKER_KEY]
    assert isinstance(found, Ticker)
    return found


def _register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    # Order matters: membership changes, then commands, then buttons by prefix, then free text.
    application.add_handler(
        ChatMemberHandler(conversation.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    for name, callback in (
        ("start", onboarding.start),
        ("help", account.show_help),
        ("settings", account.show_settings),
        ("pause", account.pause),
        ("resume", account.resume),
        ("stop", account.ask_stop),
        ("delete", account.ask_delete),
        ("mydata", account.export_data),
        ("repair", daily.send_repair_now),
        ("invite", conversation.create_invite),
    ):
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(onboarding.answer_button, pattern=r"^ob:"))
    application.add_handler(CallbackQueryHandler(account.choose_setting, pattern=r"^set:"))
    application.add_handler(CallbackQueryHandler(account.confirm, pattern=r"^(stop|delete):"))
    application.add_handler(CallbackQueryHandler(daily.answer_reply_button, pattern=r"^r:"))
    application.add_handler(CallbackQueryHandler(_stale_button))
    application.add_handler(MessageHandler(filters.COMMAND, conversation.unknown_command))
    application.add_handler(MessageHandler(filters.TEXT, conversation.route_text))
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, conversation.route_media)
    )
    application.add_error_handler(conversation.report_error)


async def _stale_button(update: Update, context: CallbackContext[Any, Any, Any, Any]) -> None:
    """A button whose data we do not recognise (forged, or from a retired version)."""
    if update.callback_query is not None:
        await update.callback_query.answer(text("en", "button_expired"))


async def _open_services(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    ticker_ = Ticker(application.bot, services.sessions, services.library, services.clock)
    application.bot_data[TICKER_KEY] = ticker_
    for language in ("en", "es"):
        commands = [BotCommand(name, MENU_TEXT[language][name]) for name in MENU]
        await application.bot.set_my_commands(
            commands,
            scope=BotCommandScopeDefault(),
            language_code=None if language == "en" else language,
        )
    if application.bot_data.get("tend.run_ticks") and application.job_queue is not None:

        async def _tick(_: CallbackContext[Any, Any, Any, Any]) -> None:
            await ticker_.tick()

        application.job_queue.run_repeating(
            _tick, interval=services.settings.tick_seconds, first=1.0, name="tend-tick"
        )


async def _close_services(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    await services.engine.dispose()
