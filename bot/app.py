"""The one place that wires Tend: settings and services in, a ready PTB Application out."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import signal
from pathlib import Path
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
    TypeHandler,
    filters,
)

from bot import visitor_alerts
from bot.aiohttp_request import AiohttpRequest
from bot.coaching.acknowledgements import load_acknowledgements
from bot.coaching.policy_v2 import AdaptivePolicy, Policy
from bot.config import Settings
from bot.db.session import make_engine, make_session_factory
from bot.handlers import (
    account,
    broadcasts,
    conversation,
    daily,
    life,
    onboarding,
    relay,
    reports,
    safety,
    staff,
    visitors,
    why,
)
from bot.handlers.checkins import (
    answer_arrival_question,
    answer_checkin_button,
    answer_pause_question,
)
from bot.http import HttpServer
from bot.inbox import InboxPoller, mark_update_handled
from bot.program.resources import load_resources
from bot.services import SENDER_KEY, SERVICES_KEY, Services
from bot.texts import text
from bot.update_order import PerChatUpdates
from bot.views import command_name
from messages.library import Library, load_library
from messages.vocabulary import LANGUAGES
from scheduler.clock import Clock, SystemClock
from scheduler.leader import SenderLease
from scheduler.rate_limit import Limits, SendLimiter
from scheduler.sender import Sender
from scheduler.ticks import Ticker

log = logging.getLogger(__name__)

# PTB 22 warns unless told that RetryAfter.retry_after (and other durations) are timedeltas.
os.environ.setdefault("PTB_TIMEDELTA", "true")

TICKER_KEY = "tend.ticker"
INBOX_KEY = "tend.inbox"
MENU = (
    "settings",
    "repair",
    "pause",
    "resume",
    "stop",
    "children",
    "mydata",
    "delete",
    "help",
)
MENU_TEXT = {
    "en": {
        "settings": "Change time, language, child or how often",
        "repair": "A tip after a hard moment",
        "pause": "Take a break (e.g. /pause 7)",
        "resume": "Start messages again",
        "stop": "Stop messages",
        "children": "Your children: add or remove one",
        "mydata": "Get a copy of your data",
        "delete": "Erase everything about you",
        "help": "What I can do",
    },
    "es": {
        "settings": "Cambiar hora, idioma, peque o frecuencia",
        "repair": "Una idea después de un momento difícil",
        "pause": "Tomar un descanso (ej. /pausa 7)",
        "resume": "Volver a recibir mensajes",
        "stop": "Dejar de recibir mensajes",
        "children": "Tus peques: agregar o quitar",
        "mydata": "Recibir una copia de tus datos",
        "delete": "Borrar todo sobre ti",
        "help": "Lo que puedo hacer",
    },
}


def menu(language: str) -> list[BotCommand]:
    """The parent's command menu in one language (Spanish names for Spanish)."""
    return [BotCommand(command_name(language, name), MENU_TEXT[language][name]) for name in MENU]


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    library: Library | None = None,
    run_ticks: bool = True,
    policy: Policy | None = None,
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
        .updater(None)  # the inbox polls: an update is confirmed only once it is stored
        # Different chats at once, each chat in order (bot.update_order).
        .concurrent_updates(PerChatUpdates(settings.updates_at_once))
        # aiohttp instead of httpx under PTB: a fifth of the CPU a call (bot/aiohttp_request.py).
        .request(AiohttpRequest(pool_size=256))
        .get_updates_request(AiohttpRequest(pool_size=2))
        .post_init(_open_services)
        .post_stop(_stop_sender)
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
        policy=policy or AdaptivePolicy(),
        resources=load_resources(Path(settings.program_file) if settings.program_file else None),
    )
    application.bot_data["tend.run_ticks"] = run_ticks
    # Read now, not by the first parent who writes: the bot's sentences and its thank-yous.
    for language in LANGUAGES:
        text(language, "got_it")
    load_acknowledgements()
    services = application.bot_data[SERVICES_KEY]
    application.bot_data[INBOX_KEY] = InboxPoller(application, services.sessions, services.clock)
    _register_handlers(application)
    return application


def inbox(application: Application[Any, Any, Any, Any, Any, Any]) -> InboxPoller:
    found = application.bot_data[INBOX_KEY]
    assert isinstance(found, InboxPoller)
    return found


async def serve(
    application: Application[Any, Any, Any, Any, Any, Any], *, webhook: bool = False
) -> int:
    """Run until SIGINT or SIGTERM (what `tend run` does): start, take updates, stop cleanly.

    Updates come by long polling (the inbox poller) or, with `webhook`, from Telegram posting
    to our HTTP server; /healthz and /metrics are served whenever a port is set. Returns
    non-zero when polling ended on its own (Telegram refused the token)."""
    services: Services = application.bot_data[SERVICES_KEY]
    settings = services.settings
    if webhook and not (settings.webhook_url and settings.webhook_secret.get_secret_value()):
        raise ValueError("webhook mode needs TEND_WEBHOOK_URL and TEND_WEBHOOK_SECRET")
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await application.initialize()
    await _open_services(application)
    await application.start()
    http: HttpServer | None = None
    if webhook or settings.http_port is not None:
        http = HttpServer(
            application,
            services.sessions,
            services.clock,
            host=settings.http_host,
            port=settings.http_port if settings.http_port is not None else 8080,
            webhook_secret=settings.webhook_secret.get_secret_value() if webhook else None,
        )
        await http.start()
    poller = inbox(application)
    try:
        if webhook:
            assert http is not None and settings.webhook_url is not None
            await http.register_webhook(settings.webhook_url)
            await stop.wait()
        else:
            await poller.start()
            while not stop.is_set() and poller.running:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 1.0)
    finally:
        await poller.stop()
        if http is not None:
            await http.stop()
        await _stop_sender(application)
        await application.stop()
        await application.shutdown()
        await _close_services(application)
    return 1 if poller.failed is not None else 0


def ticker(application: Application[Any, Any, Any, Any, Any, Any]) -> Ticker:
    found = application.bot_data[TICKER_KEY]
    assert isinstance(found, Ticker)
    return found


def _register_handlers(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    # Order matters: groups and channels, membership changes, then commands, then buttons by
    # prefix, then free text. Tend talks with parents in private chats only: anything from a
    # group stops at the first handler (it says once to write privately, and stores nothing).
    application.add_handler(conversation.OutsidePrivateChats(conversation.outside_private_chat))
    application.add_handler(
        ChatMemberHandler(conversation.chat_member_changed, ChatMemberHandler.MY_CHAT_MEMBER)
    )
    # Edits are only screened for danger; they must not reach the handlers for new messages.
    application.add_handler(
        MessageHandler(filters.UpdateType.EDITED_MESSAGE, conversation.route_edit)
    )
    # A team link (/teamlink) opens with /start role-<code>: before a family's /start.
    application.add_handler(
        CommandHandler("start", staff.open_role_link, filters.Regex(r"^/start role-"))
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
        ("children", life.show_children),
        ("addchild", life.add_child),
        # Home visitors and staff: each checks the caller's role on the server.
        ("invite", visitors.create_invite),
        ("invites", visitors.list_invites),
        ("families", visitors.show_families),
        ("family", visitors.show_family),
        ("team", staff.show_team),
        ("grant", staff.ask_grant),
        ("revoke", staff.revoke_role),
        ("teamlink", staff.make_role_link),
        ("visitor", relay.ask_for_visitor),
        ("broadcast", broadcasts.compose),
        ("broadcasts", broadcasts.list_broadcasts),
        ("schedule", broadcasts.schedule),
        ("stats", reports.show_stats),
        ("export", reports.send_export),
    ):
        application.add_handler(CommandHandler(name, callback))
    # Spanish names for the parent's commands (the Spanish menu shows these).
    for name, callback in (
        ("ayuda", account.show_help),
        ("ajustes", account.show_settings),
        ("pausa", account.pause),
        ("seguir", account.resume),
        ("reanudar", account.resume),
        ("parar", account.ask_stop),
        ("misdatos", account.export_data),
        ("borrar", account.ask_delete),
        ("reparar", daily.send_repair_now),
        ("peques", life.show_children),
        ("agregarpeque", life.add_child),
    ):
        application.add_handler(CommandHandler(name, callback))
    application.add_handler(CallbackQueryHandler(onboarding.answer_button, pattern=r"^ob:"))
    application.add_handler(CallbackQueryHandler(account.choose_setting, pattern=r"^set:"))
    application.add_handler(CallbackQueryHandler(account.confirm, pattern=r"^(stop|delete):"))
    application.add_handler(CallbackQueryHandler(daily.answer_reply_button, pattern=r"^r:"))
    application.add_handler(CallbackQueryHandler(answer_checkin_button, pattern=r"^ck:"))
    application.add_handler(CallbackQueryHandler(answer_pause_question, pattern=r"^cd:"))
    application.add_handler(CallbackQueryHandler(answer_arrival_question, pattern=r"^ar:"))
    application.add_handler(CallbackQueryHandler(life.answer_loss, pattern=r"^ls:"))
    application.add_handler(CallbackQueryHandler(life.answer_graduation, pattern=r"^gr:"))
    application.add_handler(CallbackQueryHandler(life.answer_comeback, pattern=r"^lf:"))
    application.add_handler(CallbackQueryHandler(life.answer_children_button, pattern=r"^ch:"))
    application.add_handler(CallbackQueryHandler(why.answer_why_button, pattern=r"^w:"))
    application.add_handler(CallbackQueryHandler(safety.answer_safety_question, pattern=r"^sq:"))
    application.add_handler(CallbackQueryHandler(safety.answer_safety_checkin, pattern=r"^sc:"))
    application.add_handler(CallbackQueryHandler(safety.answer_alert_button, pattern=r"^sa:"))
    application.add_handler(CallbackQueryHandler(visitors.answer_invite_button, pattern=r"^iv:"))
    application.add_handler(CallbackQueryHandler(visitors.answer_caseload_button, pattern=r"^fm:"))
    application.add_handler(CallbackQueryHandler(staff.answer_grant_button, pattern=r"^rg:"))
    application.add_handler(CallbackQueryHandler(staff.answer_role_link, pattern=r"^rj:"))
    application.add_handler(CallbackQueryHandler(relay.ask_for_visitor, pattern=r"^rl:ask$"))
    application.add_handler(CallbackQueryHandler(broadcasts.answer_button, pattern=r"^bc:"))
    application.add_handler(CallbackQueryHandler(conversation.unknown_button))
    application.add_handler(MessageHandler(filters.COMMAND, conversation.unknown_command))
    # A reply to a relayed message goes to the family or their visitor; any other reply is text.
    application.add_handler(
        MessageHandler(filters.TEXT & filters.REPLY & ~filters.COMMAND, relay.route_reply)
    )
    application.add_handler(MessageHandler(filters.TEXT, conversation.route_text))
    application.add_handler(
        MessageHandler(filters.PHOTO & filters.CaptionRegex(r"^/broadcast"), broadcasts.compose)
    )
    application.add_handler(
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, conversation.route_media)
    )
    application.add_error_handler(conversation.report_error)
    # After every other group, whatever happened there: the update is done.
    application.add_handler(TypeHandler(Update, mark_update_handled), group=1)
    # After /help, a parent with a home visitor is offered "Talk to my home visitor".
    for name in ("help", "ayuda"):
        application.add_handler(CommandHandler(name, relay.offer_after_help), group=2)


async def _open_services(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    settings = services.settings
    # On PostgreSQL several workers may run: one sender at a time holds the token's budget.
    lease: SenderLease | None = None
    if services.engine.dialect.name == "postgresql":
        lease = SenderLease(services.engine, on_notify=lambda: _wake(application))
    sender = Sender(
        application.bot,
        services.sessions,
        services.clock,
        SendLimiter(
            Limits(
                per_second=settings.effective_rate_per_second,
                per_chat_per_second=settings.rate_per_chat_per_second,
                per_group_per_minute=settings.rate_per_group_per_minute,
            )
        ),
        concurrency=settings.send_concurrency,
        lease=dt.timedelta(seconds=settings.send_lease_seconds),
        paid_broadcast=settings.paid_broadcast,
        retry_base_seconds=settings.retry_base_seconds,
        leader=lease,
    )
    application.bot_data[SENDER_KEY] = sender
    sender.start()

    async def _escalate() -> int:
        return await safety.escalate_unacknowledged(services)

    async def _alert_visitors() -> int:
        return await visitor_alerts.alert_visitors(services)

    async def _broadcasts() -> int:
        return await broadcasts.tick(application)

    ticker_ = Ticker(
        services.sessions,
        services.library,
        services.clock,
        sender,
        checks=(_escalate, _alert_visitors, _broadcasts),
        policy=services.policy,
    )
    application.bot_data[TICKER_KEY] = ticker_
    if not safety.staff_ids(services):
        log.warning(
            "no staff are configured (TEND_ADMIN_IDS): safety alerts reach nobody, and parents "
            "in danger are told to call the numbers"
        )
    for language in ("en", "es"):
        commands = menu(language)
        await application.bot.set_my_commands(
            commands,
            scope=BotCommandScopeDefault(),
            language_code=None if language == "en" else language,
        )
    # Staff and home visitors get their own menu in their own chat, on top of the parent's.
    await staff.set_role_menus(
        application,
        {lang: menu(lang) for lang in ("en", "es")},
    )
    if application.bot_data.get("tend.run_ticks") and application.job_queue is not None:

        async def _tick(_: CallbackContext[Any, Any, Any, Any]) -> None:
            await ticker_.tick(wait_for_sends=False)

        application.job_queue.run_repeating(
            _tick, interval=services.settings.tick_seconds, first=1.0, name="tend-tick"
        )


def _wake(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    sender = application.bot_data.get(SENDER_KEY)
    if isinstance(sender, Sender):
        sender.wake()


async def _stop_sender(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Before the bot's HTTP client closes: finish the sends in flight, claim nothing more."""
    sender = application.bot_data.get(SENDER_KEY)
    if isinstance(sender, Sender):
        await sender.stop()


async def _close_services(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    services: Services = application.bot_data[SERVICES_KEY]
    await _stop_sender(application)
    await services.engine.dispose()
