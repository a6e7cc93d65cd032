"""A program's own configuration: who a family is pointed to when they need help."""

from __future__ import annotations

from bot.program.resources import (
    Resource,
    Resources,
    ResourcesError,
    load_resources,
)

__all__ = ["Resource", "Resources", "ResourcesError", "load_resources"]
