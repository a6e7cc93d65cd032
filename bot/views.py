"""How the bot's answers look in Telegram: texts with their inline keyboards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.texts import text
from bot.texts.formats import spoken_date, spoken_day, spoken_month_day, spoken_time, zone_name
from messages.library import Message
from scheduler.outbox import Buttons

TIME_CHOICES = ("07:00", "08:00", "09:00", "12:30", "19:00", "20:30")
TIMEZONE_CHOICES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Mexico_City",
    "Europe/Madrid",
)


# Spanish names of the parent's commands, shown in the Spanish menu and texts; every name
# works in every language.
SPANISH_COMMANDS = {
    "settings": "ajustes",
    "repair": "reparar",
    "pause": "pausa",
    "resume": "seguir",
    "stop": "parar",
    "mydata": "misdatos",
    "delete": "borrar",
    "help": "ayuda",
    "children": "peques",
    "addchild": "agregarpeque",
}


def command_name(language: str, command: str) -> str:
    """A command as the parent's language names it ("parar" for Spanish "stop")."""
    return SPANISH_COMMANDS.get(command, command) if language == "es" else command


@dataclass(frozen=True, slots=True)
class Say:
    """One message the bot sends: its text and, maybe, a keyboard of (label, callback data)."""

    text: str
    buttons: Buttons = ()


def language_buttons() -> Buttons:
    return ((("English", "ob:language:en"), ("Español", "ob:language:es")),)


def consent_buttons(language: str) -> Buttons:
    return (
        ((text(language, "consent_yes"), "ob:consent:yes"),),
        ((text(language, "consent_no"), "ob:consent:no"),),
    )


def skip_buttons(language: str) -> Buttons:
    return (((text(language, "skip"), "ob:child_name:skip"),),)


def time_buttons(language: str) -> Buttons:
    row = tuple(
        (spoken_time(language, dt.time.fromisoformat(t)), f"ob:send_time:{t}") for t in TIME_CHOICES
    )
    return (row[:3], row[3:])


def timezone_buttons(language: str) -> Buttons:
    pairs = tuple((zone_name(language, zone), f"ob:timezone:{zone}") for zone in TIMEZONE_CHOICES)
    return (
        pairs[0:2],
        pairs[2:4],
        pairs[4:6],
        ((text(language, "other_city"), "ob:timezone:other"),),
    )


def date_choice(language: str, readings: tuple[dt.date, dt.date]) -> Say:
    """'Did you mean March 5 or May 3?', a button for each, tapped as ob:child_date:<iso date>."""
    first, second = readings
    question = text(
        language,
        "date_which",
        first=spoken_month_day(language, first),
        second=spoken_month_day(language, second),
    )
    return Say(
        question,
        tuple(
            ((spoken_date(language, day), f"ob:child_date:{day.isoformat()}"),) for day in readings
        ),
    )


def place_guess(language: str, place: str, zone: str) -> Say:
    """A place we do not know, close to one we do: 'Did you mean Los Angeles?' as a button."""
    return Say(
        text(language, "timezone_guess"),
        (((text(language, "did_you_mean", place=place), f"ob:timezone:{zone}"),),),
    )


def cadence_buttons(language: str) -> Buttons:
    return (
        (
            (text(language, "btn_daily"), "ob:cadence:daily"),
            (text(language, "btn_three_a_week"), "ob:cadence:three_a_week"),
        ),
    )


def summary_buttons(language: str) -> Buttons:
    return (
        ((text(language, "looks_right"), "ob:summary:ok"),),
        (
            (text(language, "fix_name"), "ob:fix:child_name"),
            (text(language, "fix_date"), "ob:fix:child_date"),
        ),
        (
            (text(language, "fix_time"), "ob:fix:send_time"),
            (text(language, "fix_timezone"), "ob:fix:timezone"),
        ),
        ((text(language, "fix_language"), "ob:fix:language"),),
    )


def settings_buttons(
    language: str, *, send_time: dt.time, timezone: str, cadence: str, children: int = 1
) -> Buttons:
    """The /settings menu; with several children, "Children" lists them (ch:list) instead of
    editing the one child."""
    child_row = (
        ((text(language, "settings_children"), "ch:list"),)
        if children > 1
        else ((text(language, "settings_child"), "set:child_name"),)
    )
    return (
        (
            (
                text(language, "settings_time", value=spoken_time(language, send_time)),
                "set:send_time",
            ),
        ),
        (
            (
                text(language, "settings_timezone", value=zone_name(language, timezone)),
                "set:timezone",
            ),
        ),
        ((text(language, "settings_language"), "set:language"),),
        child_row,
        (
            (
                text(language, "settings_cadence", value=text(language, f"cadence_{cadence}")),
                "set:cadence",
            ),
        ),
    )


def confirm_buttons(language: str, action: str, token: str) -> Buttons:
    """Yes / no for /stop or /delete, bound to one request: <action>:<token>:yes|no."""
    return (
        ((text(language, f"{action}_yes"), f"{action}:{token}:yes"),),
        ((text(language, f"{action}_no"), f"{action}:{token}:no"),),
    )


def loss_buttons(language: str, token: str) -> Buttons:
    """Under the gentle question whether the parent told of a loss (ls:<token>:yes|no)."""
    return (
        ((text(language, "loss_yes"), f"ls:{token}:yes"),),
        ((text(language, "loss_no"), f"ls:{token}:no"),),
    )


def graduation_buttons(language: str, delivery_id: int | str) -> Buttons:
    """Under a graduation with a younger sibling enrolled (gr:<row>:keep|stop)."""
    return (
        ((text(language, "btn_grad_keep"), f"gr:{delivery_id}:keep"),),
        ((text(language, "btn_grad_stop"), f"gr:{delivery_id}:stop"),),
    )


def comeback_buttons(language: str, *, children: bool) -> Buttons:
    """After /start once messages ended: start again (lf:start) or not now, when a child is
    still enrolled; otherwise add a child (lf:add)."""
    if children:
        return (
            ((text(language, "btn_start_again"), "lf:start"),),
            ((text(language, "btn_not_now"), "lf:notnow"),),
        )
    return (((text(language, "btn_add_child"), "lf:add"),),)


def children_buttons(
    language: str, children: Sequence[tuple[int, str]], *, joined: bool, editable: bool
) -> Buttons:
    """Under /children: change or remove each child (ch:edit|rm:<id>; after a loss, remove
    only), add one (ch:add), and for a parent getting messages, tell of a loss (ch:loss)."""
    rows: list[tuple[tuple[str, str], ...]] = []
    if editable:
        for child_id, name in children:
            change = ((text(language, "btn_edit_child", child=name), f"ch:edit:{child_id}"),)
            remove = (text(language, "btn_remove_child", child=name), f"ch:rm:{child_id}")
            rows.append((*(change if joined else ()), remove))
    rows.append(((text(language, "btn_add_child"), "ch:add"),))
    if joined:
        rows.append(((text(language, "btn_loss_tell"), "ch:loss"),))
    return tuple(rows)


def remove_child_buttons(language: str, child_id: int) -> Buttons:
    return (
        ((text(language, "btn_remove_yes"), f"ch:rmyes:{child_id}"),),
        ((text(language, "btn_remove_no"), f"ch:rmno:{child_id}"),),
    )


def answered_buttons(keyboard: Sequence[Sequence[tuple[str, str]]], chosen: str) -> Buttons:
    """A message's keyboard once a quick reply was tapped: the reply row becomes the answer
    chosen ("✓ We tried it", tapping it again changes nothing); other rows stay."""
    rows: list[tuple[tuple[str, str], ...]] = []
    for row in keyboard:
        picked = [(label, data) for label, data in row if data == chosen]
        if picked:
            label, data = picked[0]
            rows.append(((f"✓ {label}", data),))
        elif not any(data.startswith("r:") for _, data in row):
            rows.append(tuple(row))
    return tuple(rows)


# Ids in callback data are row ids: digits only, short enough for a 32-bit column.
_MAX_ID_DIGITS = 9


def callback_id(part: str) -> int | None:
    """A row id from callback data, or None for anything else ('²', '-1', a huge number)."""
    if not (part.isascii() and part.isdigit()) or len(part) > _MAX_ID_DIGITS:
        return None
    return int(part)


def reply_buttons(
    language: str, delivery_id: int | str, message: Message | None, kind: str
) -> Buttons:
    """Quick replies under a delivered message; a tap comes back as r:<delivery>:<key>.

    A message with a why (every nudge) gets a "Why it helps" button on its own row below them;
    a tap comes back as w:<delivery>."""
    why: Buttons = ()
    if message is not None and message.why:
        why = (((text(language, "btn_why"), f"w:{delivery_id}"),),)
    if kind == "checkin" and message is not None:
        row = tuple((c.label, f"r:{delivery_id}:{c.key}") for c in message.choices)
        return ((row[:2], row[2:]) if len(row) > 2 else (row,)) + why
    if kind == "celebration":
        return why
    keys = ("helped", "hard") if kind == "calm" else ("tried", "not_today", "hard")
    replies = tuple((text(language, f"btn_{key}"), f"r:{delivery_id}:{key}") for key in keys)
    return (replies, *why)


def safety_ask_buttons(language: str, reply_id: int) -> Buttons:
    """Under "Are you safe right now?" when a message might mean danger (sq:<reply>:<answer>)."""
    return (
        ((text(language, "safety_ask_safe"), f"sq:{reply_id}:safe"),),
        ((text(language, "safety_ask_help"), f"sq:{reply_id}:help"),),
    )


def safety_checkin_buttons(language: str, flag_id: int) -> Buttons:
    """The day after a safety flag (sc:<flag>:<answer>)."""
    return (
        ((text(language, "safety_checkin_ok"), f"sc:{flag_id}:ok"),),
        ((text(language, "safety_checkin_call"), f"sc:{flag_id}:call"),),
    )


def alert_buttons(flag_id: int, language: str) -> Buttons:
    """Under a staff alert (sa:<flag>:<action>), in the staff member's language."""
    return (
        (
            (text(language, "alert_ack"), f"sa:{flag_id}:ack"),
            (text(language, "alert_recent"), f"sa:{flag_id}:recent"),
        ),
    )


def header(language: str, kind: str, age_months: int) -> str:
    if kind == "nudge" and age_months < 0:
        return text(language, "header_prenatal")
    return text(language, f"header_{kind}")


def compose(language: str, kind: str, age_months: int, body: str, title: str | None = None) -> str:
    """A delivered message: its first line names its kind, so a parent knows it at a glance;
    the message's title (every nudge has one), if any, is the line under it."""
    top = header(language, kind, age_months)
    return f"{top}\n{title}\n\n{body}" if title else f"{top}\n\n{body}"


def when_phrase(language: str, moment: dt.datetime | None, timezone: str, now: dt.datetime) -> str:
    """'today at 8:00 AM', 'tomorrow at ...' or 'on Tuesday, December 1 at ...', in their zone.

    One o'clock has its own sentences: Spanish says "a la 1:15" but "a las 8:00"."""
    if moment is None:
        return "—"
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    today = now.astimezone(zone).date()
    clock = spoken_time(language, local.time())
    one = "_one" if local.hour % 12 == 1 else ""
    if local.date() == today:
        return text(language, f"when_today{one}", time=clock)
    if local.date() == today + dt.timedelta(days=1):
        return text(language, f"when_tomorrow{one}", time=clock)
    return text(language, f"when_on{one}", date=spoken_day(language, local.date()), time=clock)
