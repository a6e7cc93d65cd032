"""A home visitor's caseload through Telegram: their own families only, paged, with status,
quiet and flagged families, and one family's last two weeks."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from bot.db.models import Parent
from bot.db.session import make_engine, make_session_factory
from tests.integration.conftest import Tend
from tests.integration.program import OTHER_VISITOR, STAFF, family_of, staff_member, visitor


async def set_status(tend: Tend, user_id: int, status: str) -> None:
    """As /stop or a block leaves it (those flows are tested with the parent's controls)."""
    engine = make_engine(tend.database_url)
    async with make_session_factory(engine).begin() as session:
        await session.execute(
            update(Parent).where(Parent.telegram_user_id == user_id).values(status=status)
        )
    await engine.dispose()


async def test_a_visitor_sees_only_their_own_families(tend: Tend) -> None:
    ana = await visitor(tend)
    ben = await visitor(tend, OTHER_VISITOR, "Ben")
    await family_of(tend, ana, 901, "Garcia family")
    await family_of(tend, ben, 902, "Nguyen family")
    mine = await ana.send("/families")
    assert "Garcia family" in (mine.text or "") and "Nguyen" not in (mine.text or "")
    assert "6 mo" in (mine.text or "") and "active" in (mine.text or "")
    theirs = await ben.send("/families")
    assert "Nguyen family" in (theirs.text or "") and "Garcia" not in (theirs.text or "")
    lee = await staff_member(tend, STAFF)
    everyone = await lee.send("/families")
    assert "Garcia" in (everyone.text or "") and "Nguyen" in (everyone.text or "")


async def test_a_forged_button_cannot_open_another_visitors_family(tend: Tend) -> None:
    ana = await visitor(tend)
    ben = await visitor(tend, OTHER_VISITOR, "Ben")
    await family_of(tend, ana, 903, "Garcia family")
    parent = await tend.parent(903)
    assert parent is not None
    listing = await ben.send("/families")
    query = await ben.press(listing, f"fm:f:{parent.id}", forge=True)
    assert "older message" in (ben.toast(query) or "")
    reply = await ben.send("/family Garcia")
    assert "no family of yours" in (reply.text or "")


async def test_the_caseload_pages_and_opens_a_family(tend: Tend) -> None:
    ana = await visitor(tend)
    for number in range(10):
        await family_of(tend, ana, 910 + number, f"Family {number:02d}")
    first = await ana.send("/families")
    assert "Family 00" in (first.text or "") and "Family 09" not in (first.text or "")
    assert "page 1 of 2" in (first.text or "")
    await ana.press(first, "More ›")
    second = await ana.next()
    assert "Family 09" in (second.text or "") and "page 2 of 2" in (second.text or "")
    await ana.press(second, "Family 09")
    detail = await ana.next()
    assert (detail.text or "").startswith("Family 09:")


async def test_quiet_flagged_and_stopped_families_show_as_such(tend: Tend) -> None:
    ana = await visitor(tend)
    flagged = await family_of(tend, ana, 920, "Garcia")
    stopped = await family_of(tend, ana, 921, "Lopez")
    await family_of(tend, ana, 922, "Nguyen")
    await flagged.send("sometimes i think about hurting myself")
    alert = await ana.next()  # the family's own visitor hears of the flag first
    assert "Garcia" in (alert.text or "")
    await set_status(tend, stopped.user_id, "stopped")
    tend.clock.set(tend.clock.now() + dt.timedelta(days=8))
    listing = (await ana.send("/families")).text or ""
    lines = {line.split(":")[0].strip("• "): line for line in listing.splitlines()[1:]}
    assert "flagged" in lines["Garcia"]
    assert "stopped" in lines["Lopez"]
    assert "quiet" in lines["Nguyen"]


async def test_family_shows_the_last_two_weeks(tend: Tend) -> None:
    ana = await visitor(tend)
    family = await family_of(tend, ana, 930, "Garcia family")
    await tend.warp_to(dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC))
    nudge = await family.next()
    await family.press_and_read(nudge, nudge.buttons[0][0].text)
    await family.send("thanks, that was lovely")
    detail = (await ana.send("/family garcia family")).text or ""
    assert detail.startswith("Garcia family:")
    assert "Tend sent" in detail and "They answered" in detail
    assert "(their own words)" in detail and "lovely" not in detail
