"""The server-side role check every privileged command and button goes through."""

from __future__ import annotations

from telegram import Update

from bot import roles
from bot.handlers.common import Answer, Context, guess_language
from bot.roles import Action, Role
from bot.services import services
from bot.texts import text
from bot.views import Say


async def permitted(update: Update, context: Context, action: Action) -> Role | None:
    """The caller's role when it allows `action`. Otherwise they are told no (a toast under a
    button, a message for a command) and None comes back: the caller does nothing more."""
    user = update.effective_user
    if user is None:
        return None
    svc = services(context)
    async with svc.sessions.begin() as session:
        role = await roles.role_of(session, svc.settings, user.id)
        if role is not Role.PARENT:
            await roles.remember_name(session, user.id, user.first_name, guess_language(update))
    if roles.allows(role, action):
        return role
    answer = Answer()
    refusal = text(guess_language(update), "not_admin")
    if update.callback_query is not None:
        answer.toast = refusal
    else:
        answer.say(Say(refusal))
    await answer.send(update, context)
    return None
