"""The sender: a long-running loop that delivers outbox rows through the Bot API.

Woken the moment a row is enqueued (so an answer leaves within milliseconds), it keeps a few
sends in flight at once, one chat at a time per chat so a parent reads messages in order, all
inside one `SendLimiter` budget. Outcomes: sent; 429 (every send pauses for `retry_after`, then
the row goes again); blocked or chat gone (the parent is marked unreachable, never retried);
5xx, timeouts and network errors (retried with backoff and jitter, then failed with a reason).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot import lifecycle
from bot.db.session import SessionFactory
from bot.markup import markup_dict, markup_of
from scheduler import metrics, outbox
from scheduler.clock import Clock
from scheduler.leader import SenderLease
from scheduler.outbox import Claimed, Priority
from scheduler.rate_limit import SendLimiter
from scheduler.telegram_post import BotApiPost, encode

log = logging.getLogger(__name__)

WallClock = Callable[[], dt.datetime]
MARK_BATCH = 32
# After a failed claim (a busy database), the next try; not a whole poll interval.
CLAIM_RETRY_SECONDS = 0.05
# A backstop: confirmed sends are normally recorded with the next claim, well before this.
MARK_DELAY = 0.1
# Claimed rows wait their turn in the budget; an answer claimed now waits behind them.
LOOKAHEAD_SECONDS = 0.2
# 429s answered for one row before it goes back to the queue instead of waiting in place.
MAX_RATE_LIMITED_IN_PLACE = 5
# An HTTP error answer: the server replied, so the message was not sent.
_SERVER_ERROR = re.compile(r"\([45]\d\d\)$|Bad Gateway|Internal Server Error|Service Unavailable")


def wall_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Outcome(Enum):
    SENT = "sent"
    RATE_LIMITED = "rate_limited"
    UNREACHABLE = "unreachable"
    REJECTED = "rejected"
    RETRY = "retry"
    RETRY_UNCONFIRMED = "retry_unconfirmed"


@dataclass(frozen=True, slots=True)
class Verdict:
    outcome: Outcome
    reason: str = ""
    retry_after: float = 0.0


def judge(error: TelegramError) -> Verdict:
    """What a failed send means for its row (pure: the decision behind every retry)."""
    if isinstance(error, RetryAfter):
        wait = error.retry_after
        seconds = wait.total_seconds() if isinstance(wait, dt.timedelta) else float(wait)
        return Verdict(Outcome.RATE_LIMITED, "rate limited", seconds)
    if isinstance(error, Forbidden):
        return Verdict(Outcome.UNREACHABLE, "blocked or deactivated")
    if isinstance(error, BadRequest):
        if "chat not found" in error.message.lower():
            return Verdict(Outcome.UNREACHABLE, "chat not found")
        return Verdict(Outcome.REJECTED, f"rejected: {type(error).__name__}")
    if isinstance(error, TimedOut):
        return Verdict(Outcome.RETRY_UNCONFIRMED, "timed out")
    if isinstance(error, NetworkError):
        if _SERVER_ERROR.search(error.message):
            return Verdict(Outcome.RETRY, "server error")
        # A dropped connection: Telegram may have sent it.
        return Verdict(Outcome.RETRY_UNCONFIRMED, "network error")
    return Verdict(Outcome.RETRY, type(error).__name__)


def booking_room(concurrency: int, per_second: float) -> int:
    """How many sends may be claimed and booked in the budget at once: the concurrency, but
    no more than LOOKAHEAD_SECONDS of the rate (at 30/s, 6), so an answer enqueued now waits
    behind at most that much of a broadcast, not behind every send in flight."""
    return min(concurrency, max(2, int(per_second * LOOKAHEAD_SECONDS)))


def refill_at(concurrency: int, per_second: float) -> int:
    """Free booking room worth a claim when no wake asked for one. When the rate bounds the
    room (at 30/s, 6 sends booked ahead), every free place is claimed at once, so the booked
    sends never run dry while a claim waits on the database; when the concurrency bounds it
    (sending as fast as answers come back), a claim waits for half the room, so that each
    carries several rows instead of one transaction per send."""
    room = booking_room(concurrency, per_second)
    return 1 if room < concurrency else max(1, room // 2)


def retry_delay(
    priority: Priority, attempts: int, *, jitter: float | None = None, base: float = 30.0
) -> dt.timedelta:
    """Backoff after a failed attempt. Answers and safety: 1, 2, 4, 8 s, capped at 15 s, so a
    crisis answer gets through within a minute of a fault; other rows: `base` (30 s) doubling
    to 60 times that. Jitter (0.8-1.2) keeps many rows from retrying in lockstep."""
    factor = random.uniform(0.8, 1.2) if jitter is None else jitter
    step = max(0, attempts - 1)
    urgent = priority == Priority.NOW
    seconds = min(15.0, 2.0**step) if urgent else min(60 * base, base * 2**step)
    return dt.timedelta(seconds=seconds * factor)


class Sender:
    """Delivers outbox rows until stopped; `wake()` after enqueueing, `drain()` to wait.

    One loop claims rows and hands each chat's rows to `concurrency` long-lived workers
    through a queue; a worker sends a chat's rows in order. Claims are made when a wake comes
    in or when enough booking room is free again (`refill_at`), and the confirmed
    sends waiting to be recorded are written in the claim's own transaction."""

    def __init__(
        self,
        bot: Bot,
        sessions: SessionFactory,
        clock: Clock,
        limiter: SendLimiter,
        *,
        concurrency: int = 4,
        lease: dt.timedelta = dt.timedelta(seconds=30),
        poll_seconds: float = 1.0,
        wall: WallClock = wall_now,
        paid_broadcast: bool = False,
        retry_base_seconds: float = 30.0,
        leader: SenderLease | None = None,
        poster: BotApiPost | None = None,
    ) -> None:
        self._bot, self._sessions, self._clock, self.limiter = bot, sessions, clock, limiter
        self._concurrency, self._lease, self._poll = concurrency, lease, poll_seconds
        self._wall, self._paid_broadcast = wall, paid_broadcast
        self._retry_base = retry_base_seconds
        # sendMessage goes straight to the Bot API at the bot's own URL (scheduler.telegram_post).
        self._post = poster or BotApiPost(bot.base_url)
        self._next_lease_sweep = dt.datetime.min.replace(tzinfo=dt.UTC)
        # Several workers (PostgreSQL): only the lease holder claims. None: the only sender.
        self._sender_lease = leader
        # Set by a wake or by a worker that freed room: the loop looks for rows again.
        self._signal = asyncio.Event()
        self._woken = False
        self._idle = asyncio.Event()
        self._stopping = False
        self._loop_task: asyncio.Task[None] | None = None
        # Each chat's claimed rows, waiting for a worker; chats claimed and not yet finished.
        self._queue: asyncio.Queue[tuple[int, list[Claimed]] | None] = asyncio.Queue()
        self._busy: set[int] = set()
        self.sent_total = 0
        # Rows claimed since the latest drain began, and how many of those were sent.
        self._drain_epoch = 0
        self._sent_in_epoch: dict[int, int] = {}
        # Confirmed sends not yet recorded: written with the next claim, or together at most
        # MARK_BATCH at a time or after MARK_DELAY. A crash can resend these (and the sends in
        # flight), no more.
        self._unrecorded: list[outbox.Sent] = []
        self._recorder: asyncio.Task[None] | None = None
        self._sent_counter = {
            priority: metrics.SENT.labels(priority=priority.name.lower()) for priority in Priority
        }

    # --- lifecycle ---

    def start(self) -> None:
        if self._loop_task is None:
            self._stopping = False
            self._loop_task = asyncio.create_task(self._run(), name="tend-sender")

    async def stop(self) -> None:
        """Finish the sends in flight (their rows are then marked), claim nothing more."""
        self._stopping = True
        self._signal.set()
        if self._loop_task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._loop_task
            self._loop_task = None

    def wake(self) -> None:
        self._idle.clear()
        self._woken = True
        self._signal.set()

    def open_count(self) -> int:
        """Start counting: rows claimed from now on are counted for the epoch returned."""
        self._drain_epoch += 1
        return self._drain_epoch

    async def drain(self, epoch: int | None = None) -> int:
        """Wake the loop and wait until nothing due can be claimed and nothing is in flight;
        how many rows were sent that were claimed since `epoch` was opened (by default, now).
        (Callers bound the wait with `asyncio.timeout`.)"""
        if epoch is None:
            epoch = self.open_count()
        self.wake()
        await self._idle.wait()
        return self._sent_in_epoch.pop(epoch, 0)

    # --- the loop ---

    async def _run(self) -> None:
        workers = [
            asyncio.create_task(self._work(), name=f"tend-send-{index}")
            for index in range(self._concurrency)
        ]
        try:
            while not self._stopping:
                # Cleared before claiming, so a wake that comes in during the claim is not lost.
                self._signal.clear()
                woken, self._woken = self._woken, False
                try:
                    claimed = await self._claim()
                except Exception as error:  # a database hiccup: try again in a moment
                    log.warning("sender could not claim rows (%s)", type(error).__name__)
                    self._woken = self._woken or woken
                    await self._wait(CLAIM_RETRY_SECONDS)
                    continue
                for chat_id, rows in _by_chat(claimed).items():
                    self._busy.add(chat_id)
                    self._queue.put_nowait((self._drain_epoch, rows))
                if not claimed and not self._busy and not self._woken:
                    await self._flush_marks()
                    self._idle.set()
                    await self._wait(await self._pause_hint())
                    continue
                if not self._woken and not self._stopping:
                    # Room freed during the claim was counted in it: wait for more.
                    self._signal.clear()
                if claimed and self._room() >= self._refill():
                    continue  # more may be due, and there is room for it
                await self._wait(self._poll)
        finally:
            for _ in workers:
                self._queue.put_nowait(None)  # after every chat already queued
            await asyncio.gather(*workers, return_exceptions=True)
            await self._flush_marks()
            self._post.close()
            if self._sender_lease is not None:
                await self._sender_lease.release()
            self._idle.set()

    async def _wait(self, seconds: float) -> None:
        """Until woken, a worker frees room, or `seconds` pass."""
        if self._signal.is_set():
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._signal.wait()

    async def _work(self) -> None:
        """One worker: a chat's rows at a time, in order, until the queue says stop."""
        while (item := await self._queue.get()) is not None:
            epoch, rows = item
            for row in rows:
                try:
                    if await self._send_row(row):
                        self._sent_in_epoch[epoch] = self._sent_in_epoch.get(epoch, 0) + 1
                except Exception:  # never leave a lease to a crash of our own: it is retried
                    log.exception("sender failed on row %s", row.id)
            self._busy.discard(rows[0].chat_id)
            if not self._busy or self._room() >= self._refill():
                self._signal.set()

    async def _pause_hint(self) -> float:
        """How long to sleep when idle: until the next retry comes due, at most the poll."""
        try:
            async with self._sessions() as session:
                seconds = await outbox.next_wakeup(
                    session, now=self._clock.now(), wall_now=self._wall()
                )
        except Exception:
            return self._poll
        return self._poll if seconds is None else min(self._poll, max(0.01, seconds))

    def _booking_room(self) -> int:
        return booking_room(self._concurrency, self.limiter.limits.per_second)

    def _room(self) -> int:
        return self._booking_room() - len(self._busy)

    def _refill(self) -> int:
        return refill_at(self._concurrency, self.limiter.limits.per_second)

    async def _claim(self) -> list[Claimed]:
        room = self._room()
        if room <= 0:
            return []
        if self._sender_lease is not None and not await self._sender_lease.held():
            return []
        wall = self._wall()
        # Confirmed sends are recorded in the same transaction: one commit for both.
        marks, self._unrecorded = self._unrecorded, []
        try:
            async with self._sessions.begin() as session:
                if marks:
                    await outbox.mark_sent_many(session, marks, self._clock.now())
                # Orphaned leases are looked for a few times per lease, not on every claim.
                if wall >= self._next_lease_sweep:
                    await outbox.release_expired_leases(session, wall)
                    self._next_lease_sweep = wall + self._lease / 4
                return await outbox.claim(
                    session,
                    now=self._clock.now(),
                    wall_now=wall,
                    lease_until=wall + self._lease,
                    limit=room,
                    busy_chats=list(self._busy),
                )
        except BaseException:
            self._unrecorded[:0] = marks  # not written: recorded with the next claim or flush
            raise

    async def _send_row(self, row: Claimed) -> bool:
        """Send one claimed row and record the outcome; whether it was delivered."""
        # Paid mode lifts the overall limit for every send, at Telegram's price.
        paid = True if self._paid_broadcast else None
        body = None if row.photo else encode(_message_parameters(row, paid))
        loop = asyncio.get_running_loop()
        rate_limited = 0
        while True:
            await self.limiter.acquire(row.chat_id)
            started = loop.time()
            try:
                if body is None:
                    message = await self._bot.send_photo(
                        row.chat_id,
                        row.photo or "",
                        caption=row.text,
                        reply_markup=markup_of(row.buttons),
                        allow_paid_broadcast=paid,
                    )
                    message_id = message.message_id
                else:
                    message_id = await self._post.send_message(body)
            except TelegramError as error:
                verdict = judge(error)
                if verdict.outcome is Outcome.RATE_LIMITED:
                    metrics.RATE_LIMITED.inc()
                    self.limiter.pause(verdict.retry_after)
                    rate_limited += 1
                    if rate_limited < MAX_RATE_LIMITED_IN_PLACE:
                        continue
                await self._settle_failure(row, verdict)
                return False
            metrics.SEND_LATENCY.observe(loop.time() - started)
            await self._record(outbox.Sent(row.id, message_id, row.kind))
            self.sent_total += 1
            self._sent_counter[row.priority].inc()
            return True

    async def _record(self, sent: outbox.Sent) -> None:
        """Queue a confirmed send to be written; write now when the batch is full."""
        self._unrecorded.append(sent)
        if len(self._unrecorded) >= MARK_BATCH:
            await self._flush_marks()
        elif self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._flush_soon())

    async def _flush_soon(self) -> None:
        await asyncio.sleep(MARK_DELAY)
        await self._flush_marks()

    async def _flush_marks(self) -> None:
        batch, self._unrecorded = self._unrecorded, []
        if not batch:
            return
        try:
            async with self._sessions.begin() as session:
                await outbox.mark_sent_many(session, batch, self._clock.now())
        except Exception:  # the database blinked: the rows stay leased and go out again
            log.exception("could not record %s sent rows", len(batch))

    async def _settle_failure(self, row: Claimed, verdict: Verdict) -> None:
        async with self._sessions.begin() as session:
            if verdict.outcome is Outcome.UNREACHABLE:
                await outbox.mark_failed(session, row.id, verdict.reason)
                if row.parent_id is not None and row.kind not in outbox.STAFF_KINDS:
                    await lifecycle.mark_unreachable(session, row.parent_id)
                metrics.FAILED.labels(reason="unreachable").inc()
                log.info("row %s: chat unreachable (%s)", row.id, verdict.reason)
                return
            if verdict.outcome is Outcome.REJECTED:
                await outbox.mark_failed(session, row.id, verdict.reason)
                metrics.FAILED.labels(reason="rejected").inc()
                log.warning("row %s rejected by the Bot API", row.id)
                return
            wait = (
                dt.timedelta(seconds=verdict.retry_after)
                if verdict.outcome is Outcome.RATE_LIMITED
                else retry_delay(row.priority, row.attempts, base=self._retry_base)
            )
            status = await outbox.mark_retry(
                session,
                row,
                retry_at=self._wall() + wait,
                reason=verdict.reason,
                unconfirmed=verdict.outcome is Outcome.RETRY_UNCONFIRMED,
                counts_as_attempt=verdict.outcome is not Outcome.RATE_LIMITED,
            )
        if status is outbox.Status.FAILED:
            metrics.FAILED.labels(reason="gave_up").inc()
            log.warning("row %s failed for good: %s", row.id, verdict.reason)
        else:
            metrics.RETRIED.inc()


def _message_parameters(row: Claimed, paid: bool | None) -> dict[str, object]:
    """sendMessage's parameters for a row, as the Bot API reads them."""
    parameters: dict[str, object] = {"chat_id": row.chat_id, "text": row.text}
    keyboard = markup_dict(row.buttons)
    if keyboard is not None:
        parameters["reply_markup"] = keyboard
    if paid:
        parameters["allow_paid_broadcast"] = True
    return parameters


def _by_chat(rows: Sequence[Claimed]) -> dict[int, list[Claimed]]:
    grouped: dict[int, list[Claimed]] = {}
    for row in rows:
        grouped.setdefault(row.chat_id, []).append(row)
    return grouped
