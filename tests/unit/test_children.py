"""Several children, pure: whose turn a message is, when two share one, who graduates."""

from __future__ import annotations

import datetime as dt

from bot.coaching.children import (
    ChildFacts,
    Graduation,
    Turn,
    can_share,
    has_graduated,
    next_turn,
    plan_day,
    turns,
    unborn,
)

TODAY = dt.date(2026, 12, 1)


def born(child_id: int, months: int, name: str | None = None) -> ChildFacts:
    year, month = divmod(TODAY.year * 12 + TODAY.month - 1 - months, 12)
    return ChildFacts(child_id, name, birth_date=dt.date(year, month + 1, 1))


def due(child_id: int, day: dt.date) -> ChildFacts:
    return ChildFacts(child_id, None, due_date=day)


def test_one_child_always_has_the_turn() -> None:
    maya = born(1, 6)
    for last in (None, 1, 99):
        turn = next_turn([maya], TODAY, last)
        assert turn is not None and turn.children == (maya,) and turn.age_months == 6


def test_two_children_apart_in_age_alternate_starting_after_the_last_one() -> None:
    maya, leo = born(1, 6), born(2, 22)
    assert next_turn([maya, leo], TODAY, None).children == (maya,)  # type: ignore[union-attr]
    assert next_turn([maya, leo], TODAY, 1).children == (leo,)  # type: ignore[union-attr]
    assert next_turn([maya, leo], TODAY, 2).children == (maya,)  # type: ignore[union-attr]
    # A removed child's id is not found: the turns start again from the first.
    assert next_turn([maya, leo], TODAY, 77).children == (maya,)  # type: ignore[union-attr]
    assert next_turn([maya, leo], TODAY, 2).age_months == 6  # type: ignore[union-attr]


def test_three_children_cycle_in_the_order_they_were_enrolled() -> None:
    children = [born(3, 40), born(1, 2), born(2, 20)]
    seen = []
    last = None
    for _ in range(6):
        turn = next_turn(children, TODAY, last)
        assert turn is not None
        seen.append(turn.children[0].id)
        last = turn.children[0].id
    assert seen == [1, 2, 3, 1, 2, 3]


def test_twins_and_close_siblings_share_a_nudge_chosen_for_the_younger() -> None:
    twin_a, twin_b = born(1, 8), born(2, 8)
    assert can_share(twin_a, twin_b, TODAY)
    (turn,) = turns([twin_a, twin_b], TODAY)
    assert turn.shared and turn.child_ids == "1+2" and turn.age_months == 8
    older, younger = born(1, 30), born(2, 26)
    (turn,) = turns([older, younger], TODAY)
    assert turn.children[0] == younger and turn.age_months == 26


def test_no_shared_nudge_across_bands_far_apart_or_before_birth() -> None:
    assert not can_share(born(1, 5), born(2, 6), TODAY)  # 0-5 and 6-11 months
    assert not can_share(born(1, 12), born(2, 23), TODAY)  # one band, 11 months apart
    assert not can_share(born(1, 1), due(2, TODAY + dt.timedelta(days=30)), TODAY)
    assert len(turns([born(1, 12), born(2, 23)], TODAY)) == 2


def test_a_third_child_joins_a_shared_turn_only_if_it_fits_everyone_in_it() -> None:
    a, b, c = born(1, 24), born(2, 29), born(3, 34)
    groups = turns([a, b, c], TODAY)
    # c is within 6 months of b but 10 of a: it gets its own turn.
    assert [t.child_ids for t in groups] == ["1+2", "3"]


def test_past_59_months_a_child_graduates_and_siblings_stay() -> None:
    assert not has_graduated(born(1, 59), TODAY)
    assert has_graduated(born(1, 60), TODAY)
    assert not has_graduated(ChildFacts(1), TODAY)  # no date: never graduates by mistake
    assert has_graduated(due(1, dt.date(2021, 11, 1)), TODAY)  # due over five years ago
    sofia, leo = born(1, 60, "Sofia"), born(2, 20, "Leo")
    found = plan_day([sofia, leo], TODAY, 2)
    assert found == Graduation((sofia,), (leo,))
    assert found.child_ids == "1"
    alone = plan_day([sofia], TODAY, None)
    assert alone == Graduation((sofia,), ())
    assert isinstance(plan_day([leo], TODAY, None), Turn)
    assert plan_day([], TODAY, None) is None


def test_twins_graduate_in_one_message() -> None:
    twins = [born(1, 60), born(2, 60)]
    found = plan_day(twins, TODAY, None)
    assert isinstance(found, Graduation) and found.child_ids == "1+2" and found.staying == ()


def test_the_child_expected_soonest_is_first_among_the_unborn() -> None:
    later, sooner = due(1, dt.date(2027, 3, 1)), due(2, dt.date(2026, 12, 20))
    assert unborn([born(3, 10), later, sooner]) == (sooner, later)
    turn = next_turn([sooner], TODAY, None)
    assert turn is not None and turn.age_months < 0
