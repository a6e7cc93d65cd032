"""Numbers staff can trust: who is active, how families answer, by language, age band and home
visitor, and a chart of the last 30 days (nudges sent, replied, tried). Queries and plain data;
the chart is a PNG that carries its own numbers (a `tend:series` text chunk) so they can be
checked against the database."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.caseload import age_band, child_months
from bot.db.models import Delivery, Invite, Parent, Reply

# What the bot says to everyone that is not coaching: left out of the coaching numbers.
NOT_COACHING = ("answer", "alert", "safety", "relay", "broadcast")
DAYS = 30


@dataclass
class Group:
    active: int = 0
    sent: int = 0
    replied: int = 0
    tried: int = 0

    @property
    def reply_rate(self) -> float:
        return self.replied / self.sent if self.sent else 0.0

    @property
    def tried_share(self) -> float:
        return self.tried / self.sent if self.sent else 0.0


@dataclass(frozen=True, slots=True)
class Day:
    day: dt.date
    sent: int
    replied: int
    tried: int


@dataclass
class Report:
    since: dt.date
    active: int = 0
    new_this_week: int = 0
    stopped: int = 0
    blocked: int = 0
    overall: Group = field(default_factory=Group)
    by_language: dict[str, Group] = field(default_factory=dict)
    by_age_band: dict[str, Group] = field(default_factory=dict)
    by_visitor: dict[str, Group] = field(default_factory=dict)
    days: list[Day] = field(default_factory=list)


async def build(session: AsyncSession, now: dt.datetime, *, days: int = DAYS) -> Report:
    since = now - dt.timedelta(days=days)
    report = Report(since=since.date())
    parents = (
        await session.execute(
            select(Parent, Invite.created_by)
            .outerjoin(Invite, Parent.invite_id == Invite.id)
            .options(selectinload(Parent.children))
        )
    ).all()
    groups: dict[int, list[Group]] = {}
    today = now.date()
    for parent, visitor in parents:
        keys = (
            report.by_language.setdefault(parent.language, Group()),
            report.by_age_band.setdefault(age_band(child_months(parent, today)), Group()),
            report.by_visitor.setdefault(str(visitor) if visitor else "none", Group()),
        )
        groups[parent.id] = [report.overall, *keys]
        if parent.status == "active":
            report.active += 1
            for group in groups[parent.id]:
                group.active += 1
        if parent.consented_at is not None and parent.created_at >= now - dt.timedelta(days=7):
            report.new_this_week += 1
        report.stopped += parent.status == "stopped"
        report.blocked += parent.status == "blocked"
    deliveries = (
        await session.execute(
            select(Delivery.id, Delivery.parent_id, Delivery.sent_at).where(
                Delivery.status == "sent",
                Delivery.sent_at >= since,
                Delivery.parent_id.is_not(None),
                Delivery.kind.not_in(NOT_COACHING),
            )
        )
    ).all()
    ids = [row.id for row in deliveries]
    answers: dict[int, set[str]] = {}
    for start in range(0, len(ids), 900):
        for delivery_id, choice in (
            await session.execute(
                select(Reply.delivery_id, Reply.choice).where(
                    Reply.delivery_id.in_(ids[start : start + 900])
                )
            )
        ).all():
            if delivery_id is not None:
                answers.setdefault(delivery_id, set()).add(choice or "")
    sent_by_day: Counter[dt.date] = Counter()
    replied_by_day: Counter[dt.date] = Counter()
    tried_by_day: Counter[dt.date] = Counter()
    for delivery_id, parent_id, sent_at in deliveries:
        if parent_id is None or sent_at is None:
            continue
        replied = delivery_id in answers
        tried = "tried" in answers.get(delivery_id, set())
        for group in groups.get(parent_id, [report.overall]):
            group.sent += 1
            group.replied += replied
            group.tried += tried
        day = sent_at.date()
        sent_by_day[day] += 1
        replied_by_day[day] += replied
        tried_by_day[day] += tried
    report.days = [
        Day(day, sent_by_day[day], replied_by_day[day], tried_by_day[day])
        for day in (since.date() + dt.timedelta(days=n) for n in range(1, days + 1))
    ]
    return report


def series(report: Report) -> dict[str, list[int]]:
    """The chart's numbers, day by day."""
    return {
        "days": [day.day.toordinal() for day in report.days],
        "sent": [day.sent for day in report.days],
        "replied": [day.replied for day in report.days],
        "tried": [day.tried for day in report.days],
    }


def chart_png(report: Report) -> bytes:
    """Nudges sent, replied and tried per day over the last 30 days (matplotlib, no display)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(8, 4), dpi=100)
    try:
        days = [day.day.toordinal() for day in report.days]
        for name, values in (
            ("sent", [d.sent for d in report.days]),
            ("replied", [d.replied for d in report.days]),
            ("tried it", [d.tried for d in report.days]),
        ):
            axes.plot(days, values, label=name, marker="o", markersize=3)
        axes.set_xticks(days[::5], [day.day.strftime("%b %d") for day in report.days][::5])
        axes.set_title("Tend: the last 30 days")
        axes.set_ylabel("nudges")
        axes.legend()
        figure.autofmt_xdate()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"tend:series": json.dumps(series(report))})
    finally:
        pyplot.close(figure)
    return buffer.getvalue()


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def table(report: Report) -> str:
    """The numbers as text, for /stats and `tend report`."""
    overall = report.overall
    lines = [
        f"Active families: {report.active}   new this week: {report.new_this_week}",
        f"Stopped: {report.stopped}   blocked the bot: {report.blocked}",
        f"Last 30 days: {overall.sent} nudges sent, reply rate {_percent(overall.reply_rate)}, "
        f"'we tried it' {_percent(overall.tried_share)}",
    ]
    for title, groups in (
        ("By language", report.by_language),
        ("By age band (months)", report.by_age_band),
        ("By home visitor (Telegram id)", report.by_visitor),
    ):
        lines.append(f"{title}:")
        for key, group in sorted(groups.items()):
            lines.append(
                f"  {key}: {group.active} active, {group.sent} sent, "
                f"replied {_percent(group.reply_rate)}, tried {_percent(group.tried_share)}"
            )
    return "\n".join(lines)
