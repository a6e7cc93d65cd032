"""Timeouts for one call of the aiohttp transport: PTB's default marker means ours."""

from __future__ import annotations

from telegram.request import BaseRequest

from bot.aiohttp_request import _given


def test_the_default_marker_takes_the_transports_own_timeout() -> None:
    assert _given(BaseRequest.DEFAULT_NONE, 5.0) == 5.0


def test_a_timeout_given_for_the_call_wins() -> None:
    assert _given(0.25, 5.0) == 0.25
    assert _given(30, 5.0) == 30


def test_none_for_the_call_means_no_limit() -> None:
    assert _given(None, 5.0) is None
