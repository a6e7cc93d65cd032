"""/stats and /export for program staff: the numbers with a chart, and a pseudonymised CSV.
Both go straight to the staff member's own chat (a photo and a file are one-offs to staff)."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError

from bot import exports, reports
from bot.handlers.access import permitted
from bot.handlers.common import Answer, Context, guess_language
from bot.roles import Action
from bot.services import services
from bot.texts import text
from bot.views import Say

log = logging.getLogger(__name__)


async def show_stats(update: Update, context: Context) -> None:
    """/stats: the table, then the 30-day chart as a PNG."""
    if await permitted(update, context, Action.REPORTS) is None:
        return
    chat = update.effective_chat
    assert chat is not None
    svc = services(context)
    async with svc.sessions() as session:
        report = await reports.build(session, svc.clock.now())
    try:
        # Sent in order, straight to the staff member's own chat: the table, then its chart.
        await context.bot.send_message(chat.id, reports.table(report))
        await context.bot.send_photo(
            chat.id,
            reports.chart_png(report),
            caption=text(guess_language(update), "stats_chart"),
            filename="tend-30-days.png",
        )
    except TelegramError:
        log.warning("could not send the stats chart")


async def send_export(update: Update, context: Context) -> None:
    """/export: deliveries and replies as CSV, families pseudonymised."""
    if await permitted(update, context, Action.REPORTS) is None:
        return
    chat = update.effective_chat
    assert chat is not None
    svc = services(context)
    language = guess_language(update)
    try:
        async with svc.sessions() as session:
            body = await exports.export_csv(session, svc.settings.export_secret.get_secret_value())
    except exports.NoSecret:
        answer = Answer()
        answer.say(Say(text(language, "export_no_secret")))
        await answer.send(update, context)
        return
    try:
        await context.bot.send_document(
            chat.id,
            body.encode(),
            filename=f"tend-export-{svc.clock.now():%Y-%m-%d}.csv",
            caption=text(language, "export_caption"),
        )
    except TelegramError:
        log.warning("could not send the export")
