"""/mydata: everything Tend keeps about a parent, in words they read, with a summary beside it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from bot.db.models import Base
from bot.mydata import MECHANICS, UNNUMBERED
from bot.texts import keys
from tests.integration.conftest import Family, Tend

UTC = dt.UTC
NEXT_MORNING = dt.datetime(2026, 11, 26, 13, 0, tzinfo=UTC)  # 08:00 in New York
# The tables a parent's rows live in; each column of each gets a label in every language.
THEIR_TABLES = [
    table.name
    for table in Base.metadata.sorted_tables
    if {"parent_id", "telegram_user_id"} & set(table.c.keys())
]
RAW_KEYS = ("telegram_user_id", "parent_id", "birth_date", "messages_sent", "your_replies")


async def export_of(family: Family) -> tuple[str, dict[str, Any]]:
    await family.tend.emulator.user_sends_text(family.user_id, "/mydata")
    while True:
        message = await family.next()
        if message.document is not None:
            assert message.document.file_name == "tend-my-data.json"
            return message.text, json.loads(message.document.content)


async def test_mydata_in_english_holds_everything_with_readable_keys_and_a_summary(
    tend: Tend,
) -> None:
    family = Family(tend, 301)
    await family.onboard()
    await tend.warp_to(NEXT_MORNING)
    nudge = await family.next()
    await family.press_and_read(nudge, "We tried it")
    await family.send("We sang together")
    await family.send("sometimes i think about hurting myself")
    await tend.barrier()
    await tend.emulator.user_sends_photo(301, caption="Her first painting")
    await tend.barrier()

    summary, data = await export_of(family)

    assert summary.startswith("Here is everything I keep about you")
    assert "Your child: Maya, born May 10, 2026" in summary
    assert "Your settings: 8:00\u202fAM, every day, US Eastern, English" in summary
    assert "Safety alerts: 1" in summary and "Your replies: 4" in summary
    you = data["About you"]
    assert you["Your Telegram id"] == 301 and you["Timezone"] == "US Eastern"
    assert you["Status"] == "getting messages" and you["How often"] == "Every day"
    assert data["Your children"] == [{"Name": "Maya", "Birth date": "May 10, 2026"}]
    sent = data["Messages I sent you"]
    assert [m["Kind"] for m in sent if m["Kind"] == "connection moment"] == ["connection moment"]
    assert all(m["Sent"].startswith("November 2") for m in sent if "Sent" in m)
    replies = data["Your replies"]
    assert replies[0]["Button you tapped"] == "We tried it"
    assert [r.get("Your words") for r in replies][1:] == [
        "We sang together",
        "sometimes i think about hurting myself",
        "Her first painting",
    ]
    assert "Photo, voice note or video (Telegram's file id, not the file)" in replies[3]
    (flag,) = data["Safety alerts"]
    assert flag["What it may be about"] == "thoughts of suicide or self-harm"
    assert flag["About your reply number"] == replies[2]["Number"]
    shown = json.dumps(data)
    assert not [raw for raw in RAW_KEYS if raw in shown]


async def test_mydata_in_spanish_says_keys_values_and_summary_in_spanish(tend: Tend) -> None:
    family = Family(tend, 302, language_code="es", first_name="Rosa")
    await family.onboard(
        language="Español", name="Leo", time="8:00\u202fa.m.", timezone="Este de EE. UU."
    )
    await family.send("/pause 3")

    summary, data = await export_of(family)

    assert summary.startswith("Aquí tienes todo lo que guardo sobre ti")
    assert "Tu peque: Leo, nació el 10 de mayo de 2026" in summary
    assert "Alertas de seguridad: 0" in summary
    tu = data["Sobre ti"]
    assert tu["Idioma"] == "Español" and tu["Zona horaria"] == "Este de EE. UU."
    assert tu["Estado"] == "en pausa" and tu["Cada cuánto"] == "Todos los días"
    assert "En pausa hasta" in tu and "2026" in tu["En pausa hasta"]
    assert data["Tus peques"] == [{"Nombre": "Leo", "Fecha de nacimiento": "10 de mayo de 2026"}]
    assert data["Alertas de seguridad"] == [] and data["Tus respuestas"] == []
    assert list(data)[:5] == [
        "Sobre ti",
        "Tus peques",
        "Mensajes que te mandé",
        "Tus respuestas",
        "Alertas de seguridad",
    ]
    assert "Códigos de invitación que no funcionaron" not in data


def test_every_column_a_parent_owns_has_a_label_in_every_language() -> None:
    for language in ("en", "es"):
        known = keys(language)
        for table in THEIR_TABLES:
            assert f"mydata_{table}" in known, f"add mydata_{table} to {language}.yaml"
            for column in Base.metadata.tables[table].columns:
                if column.name in MECHANICS or (column.name == "id" and table in UNNUMBERED):
                    continue
                assert {f"mydata_{table}_{column.name}", f"mydata_{column.name}"} & known, (
                    f"add mydata_{column.name} to bot/texts/{language}.yaml ({table})"
                )
