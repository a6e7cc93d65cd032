"""What the bot says to a parent after the safety screen: pure text, no sending.

Every answer is short and caring, fits its category and names the lines the program configured
for that category and language. It says a person from the program was told only when an alert
really went to someone (`staff_told`); otherwise it asks the parent to call one of the numbers.
"""

from __future__ import annotations

from bot.coaching.safety import Category
from bot.program.resources import Resource, Resources
from bot.texts import text


def resource_lines(resources: Resources, category: Category | str, language: str) -> list[str]:
    """One line per help line for the category, first one first: "• name: how"."""
    return [
        _line(language, resource)
        for resource in resources.for_category(Category(category), language)
    ]


def crisis_answer_text(
    resources: Resources,
    screening_category: Category | str,
    language: str,
    *,
    staff_told: bool,
    misread_note: bool = True,
) -> str:
    """The answer to a flagged message (or to "I need help"): the category's caring opening
    (a baby who may be unwell: the emergency number first), its lines, then either "a person
    from your program has been told" (only when `staff_told`) or "please call one of these
    numbers now", and, unless `misread_note` is False, a kind word in case the bot misread."""
    category = Category(screening_category)
    parts = [text(language, f"safety_{category.value}", emergency=resources.emergency_number)]
    parts.extend(resource_lines(resources, category, language))
    parts.append(text(language, "safety_staff_told" if staff_told else "safety_call_now"))
    if misread_note:
        parts.append(text(language, "safety_misread"))
    return "\n".join(parts)


def checkin_call_text(resources: Resources, language: str, *, staff_told: bool) -> str:
    """The answer to "I'd like someone to call me" at the next day's check-in: honest about
    whether anyone was told; if not, the distress lines to call instead."""
    if staff_told:
        return text(language, "safety_checkin_call_reply")
    lines = resource_lines(resources, Category.DISTRESS, language)
    return "\n".join([text(language, "safety_checkin_call_no_staff"), *lines])


def _line(language: str, resource: Resource) -> str:
    return text(language, "safety_resource", name=resource.name, how=resource.how)
