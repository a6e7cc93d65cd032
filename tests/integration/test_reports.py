"""/stats and /export through Telegram: the chart is a valid PNG whose numbers match the
database; the CSV has a stable header, stable pseudonyms and no names, ids or words."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import struct
import zlib

import pytest

from bot.db.models import Delivery, Reply
from bot.exports import HEADER, pseudonym
from bot.texts import text
from tests.integration.conftest import Tend
from tests.integration.program import family_of, staff_member, visitor

PNG = b"\x89PNG\r\n\x1a\n"
MORNING = dt.datetime(2026, 11, 26, 13, 0, tzinfo=dt.UTC)
SECRET = "program-secret"


def png_text(data: bytes) -> dict[str, str]:
    """The PNG's text chunks (tEXt and iTXt), checking every chunk's CRC on the way."""
    assert data.startswith(PNG)
    found: dict[str, str] = {}
    position = len(PNG)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) == crc
        if kind == b"tEXt":
            key, value = body.split(b"\0", 1)
            found[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, rest = body.split(b"\0", 1)
            compressed, rest = rest[0], rest[2:]
            _, rest = rest.split(b"\0", 1)
            _, value = rest.split(b"\0", 1)
            found[key.decode()] = (zlib.decompress(value) if compressed else value).decode()
        position += 12 + length
        if kind == b"IEND":
            break
    return found


async def families_with_replies(tend: Tend) -> tuple[int, int]:
    ana = await visitor(tend)
    keen = await family_of(tend, ana, 1201, "Garcia family", first_name="Rosa")
    await family_of(tend, ana, 1202, "Lopez family", first_name="Luz")
    await tend.warp_to(MORNING)
    nudge = await keen.next()
    await keen.press_and_read(nudge, text("en", "btn_tried"))
    await keen.send("we sang the song at bath time")
    return 1201, 1202


@pytest.mark.parametrize("settings_overrides", [{"export_secret": SECRET}])
async def test_stats_chart_numbers_match_the_database(tend: Tend) -> None:
    await families_with_replies(tend)
    lee = await staff_member(tend)
    table = await lee.send("/stats")
    assert "Active families: 2" in (table.text or "")
    chart = await lee.next()
    assert chart.has_photo
    stored = tend.emulator._users.chat(lee.user_id).messages[chart.message_id].photo
    assert stored is not None
    series = json.loads(png_text(bytes(stored.content))["tend:series"])
    coaching = [
        d
        for d in await tend.deliveries()
        if d.status == "sent" and d.parent_id and d.kind not in ("alert", "safety", "broadcast")
    ]
    replied = {r.delivery_id for r in await tend.replies() if r.delivery_id}
    tried = {r.delivery_id for r in await tend.replies() if r.choice == "tried"}
    assert sum(series["sent"]) == len(coaching) == 2
    assert sum(series["replied"]) == len([d for d in coaching if d.id in replied]) == 1
    assert sum(series["tried"]) == len([d for d in coaching if d.id in tried]) == 1
    day = dt.date.fromordinal(series["days"][series["sent"].index(2)])
    assert day == MORNING.date()
    assert "reply rate 50%" in (table.text or "") and "'we tried it' 50%" in (table.text or "")


@pytest.mark.parametrize("settings_overrides", [{"export_secret": SECRET}])
async def test_export_is_pseudonymised_with_a_stable_header(tend: Tend) -> None:
    keen, _ = await families_with_replies(tend)
    lee = await staff_member(tend)
    first = await lee.send("/export")
    second = await lee.send("/export")
    assert first.document is not None and second.document is not None
    body = first.document.content.decode()
    assert body == second.document.content.decode()  # stable pseudonyms
    rows = list(csv.reader(io.StringIO(body)))
    assert tuple(rows[0]) == HEADER
    for forbidden in ("Rosa", "Luz", "Maya", "Garcia", "sang", "bath", str(keen), "1202"):
        assert forbidden not in body
    parent = await tend.parent(keen)
    assert parent is not None
    mine = [row for row in rows[1:] if row[0] == pseudonym(SECRET, "family", parent.id)]
    assert {row[11] for row in mine} >= {"tried"}
    assert "text" in {row[10] for row in mine}
    sent = [d for d in await tend.rows(Delivery) if d.kind not in ("answer", "alert", "safety")]
    assert len({(row[0], row[4]) for row in rows[1:]}) == len(sent)
    assert len(await tend.rows(Reply)) >= 2


async def test_export_needs_the_secret(tend: Tend) -> None:
    lee = await staff_member(tend)
    refused = await lee.send("/export")
    assert "TEND_EXPORT_SECRET" in (refused.text or "")
