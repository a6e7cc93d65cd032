"""Where an onboarding or settings answer leads, in each mode."""

from __future__ import annotations

import pytest

from bot.coaching.onboarding import (
    FIELDS,
    QUESTIONS,
    after_answer,
    awaiting,
    split_awaiting,
)


@pytest.mark.parametrize(
    ("field", "next_question"),
    [
        ("language", "ob:consent"),
        ("consent", "ob:child_name"),
        ("child_name", "ob:child_date"),
        ("child_date", "ob:send_time"),
        ("send_time", "ob:timezone"),
        ("timezone", "ob:summary"),
    ],
)
def test_while_joining_each_answer_leads_to_the_next_question(
    field: str, next_question: str
) -> None:
    assert after_answer("ob", field) == next_question


def test_joining_walks_every_question_in_order_and_ends_at_the_summary() -> None:
    walked = ["ob:language"]
    while walked[-1] != "ob:summary":
        found = split_awaiting(walked[-1])
        assert found is not None
        following = after_answer(*found)
        assert following is not None
        walked.append(following)
    assert walked == [f"ob:{question}" for question in QUESTIONS]


@pytest.mark.parametrize("field", sorted(FIELDS))
def test_a_correction_from_the_summary_goes_back_to_the_summary(field: str) -> None:
    assert after_answer("fix", field) == "ob:summary"


def test_changing_the_name_in_settings_goes_on_to_the_date() -> None:
    assert after_answer("set", "child_name") == "set:child_date"


@pytest.mark.parametrize("field", sorted(FIELDS - {"child_name"}))
def test_any_other_settings_answer_is_the_last(field: str) -> None:
    assert after_answer("set", field) is None


@pytest.mark.parametrize(
    ("stored", "expected"),
    [
        ("ob:timezone", ("ob", "timezone")),
        ("fix:child_date", ("fix", "child_date")),
        ("set:send_time", ("set", "send_time")),
    ],
)
def test_a_stored_awaiting_value_splits_into_mode_and_field(
    stored: str, expected: tuple[str, str]
) -> None:
    assert split_awaiting(stored) == expected


@pytest.mark.parametrize("stored", [None, "", "summary"])
def test_nothing_awaited_or_a_malformed_value_splits_to_none(stored: str | None) -> None:
    assert split_awaiting(stored) is None


@pytest.mark.parametrize("mode", ["ob", "fix", "set"])
@pytest.mark.parametrize("field", sorted(FIELDS))
def test_awaiting_and_split_awaiting_round_trip(mode: str, field: str) -> None:
    assert split_awaiting(awaiting(mode, field)) == (mode, field)
