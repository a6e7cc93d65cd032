"""The shared services a handler or job needs, created once and kept on the Application."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram.ext import CallbackContext

from bot.coaching.policy_v2 import AdaptivePolicy, Policy
from bot.config import Settings
from bot.db.session import SessionFactory
from bot.program.resources import Resources
from messages.library import Library
from scheduler.clock import Clock

SERVICES_KEY = "tend.services"
SENDER_KEY = "tend.sender"


@dataclass(slots=True)
class Services:
    settings: Settings
    engine: AsyncEngine
    sessions: SessionFactory
    library: Library
    clock: Clock
    resources: Resources
    # Which scheduled message each parent gets; injected like the clock (tests, benchmarks).
    policy: Policy = field(default_factory=AdaptivePolicy)


def services(context: CallbackContext[Any, Any, Any, Any]) -> Services:
    found = context.bot_data[SERVICES_KEY]
    assert isinstance(found, Services)
    return found
