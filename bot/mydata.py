"""What /mydata shows: every row Tend keeps about a parent, in words they can read, and a summary.

Pure functions over the rows `repository.export_parent` reads; the handler sends the result.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

from bot.texts import keys, text
from bot.texts.formats import spoken_date, spoken_time, zone_name

Rows = dict[str, list[dict[str, Any]]]

# The mechanics of sending and confirming (leases, attempts, one-time tokens, keyboards), the
# links between rows already shown by their nesting, and staff members' own ids and names.
MECHANICS = frozenset(
    {
        "parent_id",
        "chat_id",
        "invite_id",
        "awaiting",
        "priority",
        "slot",
        "buttons",
        "lease_until",
        "retry_at",
        "attempts",
        "unconfirmed_attempts",
        "telegram_message_id",
        "update_id",
        "confirming",
        "confirm_expires_at",
        "acknowledged_by",
        "acknowledged_name",
        "granted_by",
        "last_child_id",
    }
)
# Columns that hold JSON: shown as the data they hold, not as a string of it.
JSON_COLUMNS = frozenset({"candidates", "context"})
# One row each: shown as one object, without its row number.
SINGLE = ("parents",)
# Rows shown without their row number (a parent's children: the number means nothing to them).
UNNUMBERED = (*SINGLE, "children")
ALWAYS_SHOWN = ("deliveries", "replies", "safety_flags")
FIRST = (*SINGLE, "children", *ALWAYS_SHOWN)
LANGUAGE_NAMES = {"en": "English", "es": "Español"}
# Columns whose values are codes, and the text keys that say them in words.
_VALUE_KEYS = {
    "status": "mydata_status_{}",
    "cadence": "btn_{}",
    "kind": "mydata_kind_{}",
    "pending_need": "mydata_kind_{}",
    "choice": "btn_{}",
    "category": "category_{}",
    "checkin_answer": "safety_checkin_{}",
    "question": "mydata_question_{}",
    "outcome": "mydata_outcome_{}",
    "role": "role_{}",
    "ended": "mydata_ended_{}",
}


def readable(rows: Rows, language: str, timezone: str) -> dict[str, Any]:
    """The rows with keys and values in the parent's language, the parent's own first; empty
    fields and empty tables left out (but messages, replies and safety alerts always shown)."""
    zone = _zone(timezone)
    shown: dict[str, Any] = {}
    order = {name: place for place, name in enumerate(FIRST)}
    for table in sorted(rows, key=lambda name: order.get(name, len(FIRST))):
        items = [_record(table, record, language, zone) for record in rows[table]]
        if not items and table not in ALWAYS_SHOWN:
            continue
        shown[label(language, table)] = (items[0] if items else {}) if table in SINGLE else items
    return shown


def summary(rows: Rows, language: str) -> str:
    """A few lines saying what the file holds, for the message it comes with."""
    parent = rows["parents"][0]
    settings = ", ".join(
        (
            spoken_time(language, parent["send_time"]),
            _lower_first(text(language, f"btn_{parent['cadence']}")),
            zone_name(language, parent["timezone"]),
            LANGUAGE_NAMES.get(parent["language"], str(parent["language"])),
        )
    )
    children = rows.get("children") or [{}]
    about_child = "; ".join(_about_child(child, language) for child in children)
    return text(
        language,
        "mydata_summary",
        settings=settings,
        child=about_child,
        messages=len(rows.get("deliveries", [])),
        replies=len(rows.get("replies", [])),
        flags=len(rows.get("safety_flags", [])),
    )


def _about_child(child: dict[str, Any], language: str) -> str:
    name = child.get("name") or text(language, "mydata_no_name")
    if child.get("birth_date"):
        return text(
            language,
            "mydata_child_born",
            name=name,
            date=spoken_date(language, child["birth_date"]),
        )
    if child.get("due_date"):
        return text(
            language, "mydata_child_due", name=name, date=spoken_date(language, child["due_date"])
        )
    return str(name)


def label(language: str, name: str, table: str | None = None) -> str:
    """A table's or column's name in words: its own text key, else the name made readable."""
    known = keys(language)
    for key in (f"mydata_{table}_{name}" if table else None, f"mydata_{name}"):
        if key is not None and key in known:
            return text(language, key)
    return name.replace("_", " ").capitalize()


def _record(table: str, record: dict[str, Any], language: str, zone: ZoneInfo) -> dict[str, Any]:
    return {
        label(language, column, table): _value(column, value, language, zone)
        for column, value in record.items()
        if column not in MECHANICS
        and value is not None
        and value != ""
        and not (column == "id" and table in UNNUMBERED)
    }


def _value(column: str, value: Any, language: str, zone: ZoneInfo) -> Any:
    if isinstance(value, dt.datetime):
        local = value.astimezone(zone)
        return f"{spoken_date(language, local.date())}, {spoken_time(language, local.time())}"
    if isinstance(value, dt.date):
        return spoken_date(language, value)
    if isinstance(value, dt.time):
        return spoken_time(language, value)
    if column == "language" and isinstance(value, str):
        return LANGUAGE_NAMES.get(value, value)
    if column == "timezone" and isinstance(value, str):
        return zone_name(language, value)
    if column in JSON_COLUMNS and isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    pattern = _VALUE_KEYS.get(column)
    if pattern is not None and isinstance(value, str):
        key = pattern.format(value)
        return text(language, key) if key in keys(language) else value
    if isinstance(value, int | float | str | bool):
        return value
    return str(value)


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return ZoneInfo("UTC")
