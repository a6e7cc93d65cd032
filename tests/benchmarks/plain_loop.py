"""A plain loop over PTB's `bot.send_message`: the baseline the pipeline is compared with.

Also run as a script, so it can be measured in a fresh process with or without `sniffio`
importable: `python -m tests.benchmarks.plain_loop BASE_URL TOKEN FIRST COUNT [--no-sniffio]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from typing import Any

TEXT = (
    "Today: when Maya points at something, name it and wait. Her pointing is a question; "
    "your answer tells her that her questions land. Try it three times today."
)


async def plain_loop(base_url: str, token: str, first: int, count: int) -> dict[str, Any]:
    """`count` sends one after another to chats first..first+count; rate and CPU per send."""
    from telegram import Bot

    bot = Bot(token, base_url=base_url)
    async with bot:
        await bot.send_message(first, TEXT)  # warm: the connection pool, PTB's first call
        started, cpu = time.perf_counter(), time.process_time()
        for i in range(1, count):
            await bot.send_message(first + i, TEXT)
        elapsed, cpu_used = time.perf_counter() - started, time.process_time() - cpu
    sent = count - 1
    return {
        "sent": sent,
        "seconds": round(elapsed, 3),
        "msgs_per_s": round(sent / elapsed, 1),
        "cpu_ms_per_msg": round(cpu_used * 1000 / sent, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("token")
    parser.add_argument("first", type=int)
    parser.add_argument("count", type=int)
    parser.add_argument("--no-sniffio", action="store_true")
    arguments = parser.parse_args()
    if arguments.no_sniffio:
        sys.modules["sniffio"] = None  # type: ignore[assignment]  # import now fails
    figures = asyncio.run(
        plain_loop(arguments.base_url, arguments.token, arguments.first, arguments.count)
    )
    figures["sniffio_importable"] = not arguments.no_sniffio
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
