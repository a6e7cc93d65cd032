"""Each person's command menu: the parent's for everyone, plus their role's commands, in their
language, set per chat (BotCommandScopeChat) so a family never sees staff commands."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import TelegramError

from bot.roles import RANK, Role

log = logging.getLogger(__name__)

LANGUAGES = ("en", "es")
# The commands each role adds (a role also has the commands of the roles below it).
ROLE_COMMANDS: dict[Role, tuple[str, ...]] = {
    Role.HOME_VISITOR: ("invite", "invites", "families", "family"),
    Role.STAFF: ("broadcast", "broadcasts", "schedule", "stats", "export"),
    Role.ADMIN: ("team", "teamlink", "grant", "revoke"),
}
COMMAND_TEXT = {
    "en": {
        "invite": "New invite link and QR code (/invite label)",
        "invites": "Open invites; revoke one",
        "families": "Your families",
        "family": "One family's last two weeks (/family label)",
        "broadcast": "Message many families (/broadcast text)",
        "broadcasts": "Scheduled and running broadcasts",
        "schedule": "Send a draft later (/schedule id date time)",
        "stats": "Numbers and a chart",
        "export": "CSV of deliveries and replies",
        "team": "Who has which role",
        "teamlink": "A link that gives a role (/teamlink staff)",
        "grant": "Give a role (/grant id staff)",
        "revoke": "Take a role back (/revoke id)",
    },
    "es": {
        "invite": "Nuevo enlace y código QR (/invite etiqueta)",
        "invites": "Invitaciones abiertas; anular una",
        "families": "Tus familias",
        "family": "Las dos últimas semanas de una familia",
        "broadcast": "Mensaje a muchas familias (/broadcast texto)",
        "broadcasts": "Envíos programados y en curso",
        "schedule": "Enviar un borrador más tarde",
        "stats": "Cifras y un gráfico",
        "export": "CSV de envíos y respuestas",
        "team": "Quién tiene qué rol",
        "teamlink": "Un enlace que da un rol",
        "grant": "Dar un rol (/grant id staff)",
        "revoke": "Quitar un rol (/revoke id)",
    },
}


def commands_for(role: Role, language: str, base: Sequence[BotCommand]) -> list[BotCommand]:
    extra = [
        name for held, names in ROLE_COMMANDS.items() if RANK[role] >= RANK[held] for name in names
    ]
    return [*base, *(BotCommand(name, COMMAND_TEXT[language][name]) for name in extra)]


async def set_menu(
    bot: Bot, chat_id: int, role: Role, base: Mapping[str, Sequence[BotCommand]]
) -> None:
    """The menu for one person's private chat; a parent falls back to the default menu."""
    scope = BotCommandScopeChat(chat_id)
    try:
        for language in LANGUAGES:
            code = None if language == "en" else language
            if role is Role.PARENT:
                await bot.delete_my_commands(scope=scope, language_code=code)
            else:
                commands = commands_for(role, language, base[language])
                await bot.set_my_commands(commands, scope=scope, language_code=code)
    except TelegramError:  # someone who never opened the bot has no chat yet
        log.info("could not set the command menu of a role holder")
