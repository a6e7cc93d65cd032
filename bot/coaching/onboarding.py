"""The order of onboarding questions, and where an answer leads in each mode.

`awaiting` is stored on the parent as "<mode>:<field>": `ob` while joining (on to the next
question), `fix` when correcting the summary (back to the summary), `set` from /settings,
`add` while adding another child (/addchild: a name, then a date).
"""

from __future__ import annotations

import datetime as dt

QUESTIONS = ("language", "consent", "child_name", "child_date", "send_time", "timezone", "summary")
FIELDS = frozenset({"language", "child_name", "child_date", "send_time", "timezone", "cadence"})


def awaiting(mode: str, field: str) -> str:
    return f"{mode}:{field}"


def split_awaiting(value: str | None) -> tuple[str, str] | None:
    if not value or ":" not in value:
        return None
    mode, field = value.split(":", 1)
    return mode, field


def after_answer(mode: str, field: str) -> str | None:
    """What the bot waits for once `field` is answered in `mode`; None means done."""
    if mode == "ob":
        return awaiting("ob", QUESTIONS[QUESTIONS.index(field) + 1])
    if mode == "fix":
        return "ob:summary"
    if mode in ("set", "add") and field == "child_name":
        return f"{mode}:child_date"
    return None


def date_button_value(value: str) -> dt.date | None:
    """The date on a "which date did you mean?" button (ob:child_date:2026-03-05), or None when
    the value is not exactly what the bot writes there (an old or forged button)."""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return None
    return day if day.isoformat() == value else None
