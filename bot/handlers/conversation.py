"""Everything a parent sends that is not a command or a button: answers, replies, media."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.coaching.replies import is_stop_word
from bot.coaching.safety import NOTHING, screen
from bot.db import repository
from bot.handlers import account, daily, onboarding, safety
from bot.handlers.common import Answer, Context, guess_language
from bot.services import services
from bot.texts import text
from bot.views import Say

log = logging.getLogger(__name__)


async def route_text(update: Update, context: Context) -> None:
    """Typed text: screened first (danger is answered before anything else), then the open
    question, STOP words, or a reply to the latest message."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and message.text is not None and user is not None
    svc = services(context)
    screening = screen(message.text)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        enrolled = parent is not None and parent.status != "blocked"
        language = parent.language if parent is not None else guess_language(update)
        if screening.category is not None:
            reply = None
            if enrolled and parent is not None:
                reply = await daily.store_reply(session, svc, parent, update, text=message.text)
            await safety.answer_screening(
                session,
                svc,
                update,
                screening,
                parent=parent if enrolled else None,
                reply=reply,
                language=language,
                answer=answer,
            )
        elif parent is None or not enrolled:
            answer.say(Say(text(language, "not_enrolled")))
        elif is_stop_word(message.text):
            answer.say(account.stop_question(parent.language))
        elif parent.awaiting:
            onboarding.answer_text(parent, message.text, svc.clock.now(), answer)
        elif parent.status == "onboarding":
            answer.say(Say(text(parent.language, "not_enrolled")))
        else:
            await daily.record_text_reply(session, svc, parent, update, answer)
    await answer.send(update, context)


async def route_edit(update: Update, context: Context) -> None:
    """A parent edited a message: the new words are screened (and kept if they raise a flag);
    nothing else is answered twice."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    words = message.text or message.caption
    if not words:
        return
    screening = screen(words)
    if screening.category is None:
        return
    svc = services(context)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        enrolled = parent is not None and parent.status != "blocked"
        language = parent.language if parent is not None else guess_language(update)
        reply = None
        if enrolled and parent is not None:
            reply = await daily.store_reply(session, svc, parent, update, text=words)
        await safety.answer_screening(
            session,
            svc,
            update,
            screening,
            parent=parent if enrolled else None,
            reply=reply,
            language=language,
            answer=answer,
        )
    await answer.send(update, context)


async def route_media(update: Update, context: Context) -> None:
    """Photos, videos, documents, voice notes, stickers: kept as replies (Telegram's file id,
    never the file), any caption screened like typed words, answered kindly."""
    message, user = update.effective_message, update.effective_user
    if message is None or user is None:
        return
    svc = services(context)
    caption = message.caption
    screening = screen(caption) if caption else NOTHING
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        enrolled = parent is not None and parent.status != "blocked"
        language = parent.language if parent else guess_language(update)
        reply = None
        if enrolled and parent is not None and parent.status != "onboarding":
            reply = await daily.store_reply(
                session, svc, parent, update, text=caption, file_id=_file_id(message)
            )
        if screening.category is not None:
            if enrolled and parent is not None and reply is None:
                reply = await daily.store_reply(session, svc, parent, update, text=caption)
            await safety.answer_screening(
                session,
                svc,
                update,
                screening,
                parent=parent if enrolled else None,
                reply=reply,
                language=language,
                answer=answer,
            )
        elif parent is None:
            answer.say(Say(text(language, "not_enrolled")))
        else:
            answer.say(Say(text(language, "not_text")))
    await answer.send(update, context)


def _file_id(message: Message) -> str | None:
    """The id Telegram gives a file, so staff could fetch it later; never the file itself."""
    if message.photo:
        return message.photo[-1].file_id
    for attachment in (
        message.video,
        message.document,
        message.voice,
        message.audio,
        message.video_note,
        message.sticker,
        message.animation,
    ):
        if attachment is not None:
            return attachment.file_id
    return None


async def unknown_command(update: Update, context: Context) -> None:
    """Any command we do not know points to /help."""
    user = update.effective_user
    assert user is not None
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, user.id)
    answer = Answer()
    answer.say(Say(text(parent.language if parent else guess_language(update), "unknown_command")))
    await answer.send(update, context)


async def chat_member_changed(update: Update, context: Context) -> None:
    """A parent blocked (or unblocked) the bot: stop sending at once, or welcome them back."""
    change = update.my_chat_member
    if change is None:
        return
    async with services(context).sessions.begin() as session:
        parent = await repository.find_parent(session, change.from_user.id)
        if parent is None:
            return
        if change.new_chat_member.status in ("kicked", "left"):
            parent.status, parent.next_send_at = "blocked", None
            log.info("parent %s blocked the bot", parent.id)
        elif parent.status == "blocked":
            parent.status = "stopped"


async def report_error(update: object, context: Context) -> None:
    """Log a failed update by its type only (parents' words never reach the logs), and tell
    the parent kindly that it did not go through, so they can try again."""
    log.error("update failed: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(
            update.effective_chat.id, text(guess_language(update), "fault")
        )
    except Exception:  # the apology is best effort; the failure is already logged
        log.warning("could not tell chat about a failed update")
