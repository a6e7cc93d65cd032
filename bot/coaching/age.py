"""A child's age in whole months, from a birth date or counting down to a due date."""

from __future__ import annotations

import datetime as dt


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from start to end (negative when end is earlier)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end >= start and end.day < start.day:
        months -= 1
    elif end < start and end.day > start.day:
        months += 1
    return months


def age_in_months(today: dt.date, *, birth_date: dt.date | None, due_date: dt.date | None) -> int:
    """Age in months; before the due date it is negative (-1 in the last month of pregnancy)."""
    if birth_date is not None:
        return max(0, months_between(birth_date, today))
    if due_date is not None:
        if today >= due_date:
            return months_between(due_date, today)
        return -months_between(today, due_date) - 1
    return 0
