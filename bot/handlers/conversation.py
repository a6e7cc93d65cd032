"""Everything a parent sends that is not a command or a button: answers, replies, media."""

from __future__ import annotations

import logging

from telegram import Chat, Message, Update
from telegram.ext import BaseHandler

from bot import lifecycle
from bot.coaching.loss import read_loss
from bot.coaching.onboarding import split_awaiting
from bot.coaching.replies import is_stop_word
from bot.coaching.safety import NOTHING, screen
from bot.db import repository
from bot.enrollment import question
from bot.handlers import account, daily, life, onboarding, safety
from bot.handlers.common import Answer, Context, guess_language, readable
from bot.lifecycle import ParentStatus
from bot.services import services
from bot.texts import text
from bot.views import Say
from scheduler.outbox import Outgoing, Priority

log = logging.getLogger(__name__)


async def route_text(update: Update, context: Context) -> None:
    """Typed text: screened first (danger is answered before anything else), then the open
    question, STOP words, or a reply to the latest message."""
    message, user = update.effective_message, update.effective_user
    if message is None or message.text is None or user is None:
        return
    svc = services(context)
    words = readable(message.text)
    screening = screen(words)
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        enrolled = parent is not None and parent.status != ParentStatus.BLOCKED
        language = parent.language if parent is not None else guess_language(update)
        if screening.category is not None:
            await safety.keep_and_answer(
                session, svc, update, screening, parent=parent, words=words, answer=answer
            )
            if parent is not None and lifecycle.has_joined(parent):
                # Grief and danger together: the crisis answer first, then the gentle question.
                told = read_loss(words)
                if told.told:
                    now = svc.clock.now()
                    answer.say(life.ask_about_loss(parent, now, pregnancy=told.pregnancy))
        elif parent is None or not enrolled:
            answer.say(Say(text(language, "not_enrolled")))
        elif lifecycle.has_ended(parent) and not (parent.awaiting or "").startswith("add:"):
            # After a loss or a graduation: kept, answered gently, never with a thank-you ack.
            await daily.store_reply(session, svc, parent, update, text=words)
            answer.say(life.ended_reply(parent, svc))
        elif lifecycle.has_joined(parent) and (told := read_loss(words)).told:
            # A loss is asked about before anything changes, and never answered by an ack.
            await daily.store_reply(session, svc, parent, update, text=words)
            answer.say(life.ask_about_loss(parent, svc.clock.now(), pregnancy=told.pregnancy))
        elif is_stop_word(words) and lifecycle.has_joined(parent):
            answer.say(account.stop_question(parent, svc.clock.now()))
        elif is_stop_word(words):  # still joining: nothing to stop, but they can leave
            answer.say(Say(text(parent.language, "help_onboarding")))
        elif parent.awaiting and onboarding.answer_text(parent, words, svc.clock.now(), answer):
            pass
        elif lifecycle.status_of(parent) is ParentStatus.ONBOARDING:
            answer.say(Say(text(parent.language, "not_enrolled")))
        else:
            # A reply, even with a settings question open: kept, and the question asked again.
            await daily.record_text_reply(session, svc, parent, update, answer)
            open_question = split_awaiting(parent.awaiting)
            if open_question is not None:
                answer.say(
                    question(parent, open_question[1], svc.clock.now().date(), open_question[0])
                )
        await answer.queue_in(
            session, update, context, parent_id=parent.id if parent is not None else None
        )
    await answer.send(update, context)


async def route_edit(update: Update, context: Context) -> None:
    """A parent edited a message: the new words are screened (and kept if they raise a flag)
    and read for a loss (asked about, unless that question is already open); nothing else is
    answered twice."""
    message, user = update.edited_message, update.effective_user
    if message is None or user is None:
        return
    words = message.text or message.caption
    if not words:
        return
    screening, told = screen(words), read_loss(words)
    if screening.category is None and not told.told:
        return
    svc = services(context)
    now = svc.clock.now()
    answer = Answer()
    async with svc.sessions.begin() as session:
        parent = await repository.find_parent(session, user.id)
        if screening.category is not None:
            await safety.keep_and_answer(
                session, svc, update, screening, parent=parent, words=words, answer=answer
            )
        if (
            told.told
            and parent is not None
            and lifecycle.has_joined(parent)
            and not life.loss_question_open(parent, now)
        ):
            answer.say(life.ask_about_loss(parent, now, pregnancy=told.pregnancy))
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
            await safety.keep_and_answer(
                session,
                svc,
                update,
                screening,
                parent=parent,
                words=caption,
                answer=answer,
                reply=reply,
            )
        elif parent is None:
            answer.say(Say(text(language, "not_enrolled")))
        elif reply is not None and lifecycle.has_ended(parent):
            answer.say(life.ended_reply(parent, svc))
        elif (
            reply is not None
            and caption
            and lifecycle.has_joined(parent)
            and (told := read_loss(caption)).told
        ):
            answer.say(life.ask_about_loss(parent, svc.clock.now(), pregnancy=told.pregnancy))
        elif reply is not None:
            answer.say(Say(text(language, "thanks_media")))
        else:
            answer.say(Say(text(language, "not_text")))
        await answer.queue_in(
            session, update, context, parent_id=parent.id if parent is not None else None
        )
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
    if user is None:
        return
    async with services(context).sessions() as session:
        parent = await repository.find_parent(session, user.id)
    answer = Answer()
    answer.say(Say(text(parent.language if parent else guess_language(update), "unknown_command")))
    await answer.send(update, context)


async def unknown_button(update: Update, context: Context) -> None:
    """A button whose data we do not recognise (forged, or from a retired version): a toast
    in the parent's own language."""
    user = update.effective_user
    language = guess_language(update)
    if user is not None:
        async with services(context).sessions() as session:
            parent = await repository.find_parent(session, user.id)
        language = parent.language if parent else language
    answer = Answer()
    answer.toast = text(language, "button_expired")
    await answer.send(update, context)


class OutsidePrivateChats(BaseHandler[Update, Context, None]):
    """Every update from a group, supergroup or channel: messages, edits, taps, the bot being
    added. Tend talks with parents one to one, so none of these reach the other handlers."""

    def check_update(self, update: object) -> bool:
        chat = update.effective_chat if isinstance(update, Update) else None
        return chat is not None and chat.type != Chat.PRIVATE


# A group is told to write privately once in this long, however many commands it sends.
TOLD_PRIVATE_KEY = "tend.told_private_at"
TELL_PRIVATE_EVERY_SECONDS = 3600.0


async def outside_private_chat(update: Update, context: Context) -> None:
    """In a group: say once, kindly, to write privately (with the link), and store nothing.

    Only a command, or the bot being added, asks for an answer; other messages are left
    alone. Nothing about the people there is kept (the one answer is a transient outbox row,
    gone once sent; when it was said lives in memory only)."""
    chat = update.effective_chat
    assert chat is not None
    language = guess_language(update)
    link = f"https://t.me/{context.bot.username}"
    if update.callback_query is not None:
        answer = Answer()
        answer.toast = text(language, "private_only_toast")
        await answer.send(update, context)
        return
    member = update.my_chat_member
    added = member is not None and member.new_chat_member.status in ("member", "administrator")
    words = update.message.text if update.message is not None else None
    command = words is not None and words.startswith("/")
    if not (added or command) or chat.type == Chat.CHANNEL:
        return
    now = services(context).clock.now().timestamp()
    chat_data = context.chat_data if context.chat_data is not None else {}
    told = chat_data.get(TOLD_PRIVATE_KEY)
    if isinstance(told, float) and now - told < TELL_PRIVATE_EVERY_SECONDS:
        return
    chat_data[TOLD_PRIVATE_KEY] = now
    answer = Answer()
    answer.deliver(
        Outgoing(
            chat_id=chat.id,
            text=text(language, "private_only", link=link),
            kind="answer",
            priority=Priority.NOW,
        )
    )
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
            await lifecycle.mark_unreachable(session, parent.id)
            log.info("parent %s blocked the bot", parent.id)
        else:
            lifecycle.reachable_again(parent)


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
