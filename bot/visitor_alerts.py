"""Alerts to a family's own home visitor when the family goes quiet, stops or blocks the bot.

Run on every tick. Each change is told once: an open `VisitorAlert` row remembers it, and is
cleared when the family is back (a reply, or messages again), so the next change is told too.
Safety flags reach the visitor at once from the safety net (bot/handlers/safety.py).
"""

from __future__ import annotations

from sqlalchemy import select

from bot.caseload import shown_status, who
from bot.db.models import Invite, Parent, StaffRole, VisitorAlert
from bot.services import Services
from bot.texts import text
from scheduler import outbox
from scheduler.outbox import Outgoing, Priority

WATCHED = ("quiet", "stopped", "blocked")


async def alert_visitors(svc: Services) -> int:
    """Queue an alert for each family newly quiet, stopped or blocked; how many were queued."""
    now = svc.clock.now()
    queued: list[Outgoing] = []
    async with svc.sessions.begin() as session:
        rows = (
            await session.execute(
                select(Parent, Invite.label, Invite.created_by, StaffRole.language)
                .join(Invite, Parent.invite_id == Invite.id)
                .outerjoin(StaffRole, StaffRole.telegram_user_id == Invite.created_by)
                .where(Invite.created_by.is_not(None), Parent.status != "onboarding")
            )
        ).all()
        if not rows:
            return 0
        open_alerts = {
            (alert.parent_id, alert.kind): alert
            for alert in (
                await session.scalars(
                    select(VisitorAlert).where(
                        VisitorAlert.cleared_at.is_(None),
                        VisitorAlert.parent_id.in_([parent.id for parent, *_ in rows]),
                    )
                )
            ).all()
        }
        for parent, label, visitor, language in rows:
            state = shown_status(parent, now, svc.settings.quiet_days)
            for kind in WATCHED:
                alert = open_alerts.get((parent.id, kind))
                if state != kind:
                    if alert is not None:
                        alert.cleared_at = now
                    continue
                if alert is not None:
                    continue
                session.add(VisitorAlert(parent_id=parent.id, kind=kind, created_at=now))
                assert visitor is not None
                lang = language or "en"
                queued.append(
                    Outgoing(
                        chat_id=visitor,
                        parent_id=parent.id,  # erased with the family
                        text=text(
                            lang,
                            f"visitor_alert_{kind}",
                            who=who(parent, label),
                            days=f"{svc.settings.quiet_days:g}",
                        ),
                        kind="alert",
                        message_id=f"visitor:{kind}",
                        priority=Priority.NOW,
                    )
                )
        await outbox.enqueue(session, queued, now)
    return len(queued)
