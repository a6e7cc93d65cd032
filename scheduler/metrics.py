"""Prometheus metrics for delivery and updates (served on /metrics in webhook mode)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

SENT = Counter("tend_messages_sent", "Messages delivered to Telegram", ["priority"])
FAILED = Counter("tend_messages_failed", "Messages that failed for good", ["reason"])
RETRIED = Counter("tend_messages_retried", "Failed attempts that will be tried again")
RATE_LIMITED = Counter("tend_rate_limited", "429 answers received from the Bot API")
SEND_LATENCY = Histogram(
    "tend_send_seconds",
    "Time for one send request",
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
QUEUE_DEPTH = Gauge("tend_queue_depth", "Pending outbox rows", ["priority"])
UPDATES_HANDLED = Counter("tend_updates_handled", "Telegram updates handled")
SAFETY_FLAGS = Counter("tend_safety_flags", "Safety flags raised", ["category"])
