"""Run the emulator on its own: `python -m bot.emulator --port 8081`.

For drivers in other processes (the demo's terminal chat, multi-worker benchmarks), which then
use the HTTP control API under /control/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal

from bot.emulator.server import BotApiEmulator


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.emulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:TEST-TOKEN")
    parser.add_argument("--bot-username", default="TendTestBot")
    parser.add_argument(
        "--rate-limit", action="store_true", help="answer 429 like Telegram's flood limits"
    )
    return parser.parse_args()


async def _serve(arguments: argparse.Namespace) -> None:
    emulator = BotApiEmulator(token=arguments.token, bot_username=arguments.bot_username)
    if arguments.rate_limit:
        emulator.faults.rate_limit()
    await emulator.start(host=arguments.host, port=arguments.port)
    print(f"Bot API emulator on {emulator.url}  base_url={emulator.base_url}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signal_number, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def main() -> None:
    """Serve until interrupted."""
    asyncio.run(_serve(_arguments()))


if __name__ == "__main__":
    main()
