"""Tend's own HTTP server: the Telegram webhook, `/healthz` and Prometheus `/metrics`.

In webhook mode Telegram POSTs each update here. The secret token is checked on every request
(a wrong or missing one gets 403 and changes nothing); the update is stored in the inbox and
committed before the 200 goes back, so an update Telegram believes delivered is never lost.
While the database is down the answer is 503 and Telegram delivers the update again later.
Several workers can sit behind one load balancer: the inbox is keyed by `update_id`, so an
update delivered twice is handled once.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text
from telegram import Update
from telegram.ext import Application

from bot.db.session import SessionFactory
from bot.inbox import ALLOWED_UPDATES, store
from scheduler import metrics, outbox
from scheduler.clock import Clock

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class HttpServer:
    """Serves /healthz and /metrics, and the webhook when a secret is given."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        sessions: SessionFactory,
        clock: Clock,
        *,
        host: str,
        port: int,
        webhook_secret: str | None = None,
    ) -> None:
        self._application, self._sessions, self._clock = application, sessions, clock
        self._host, self._port, self._secret = host, port, webhook_secret
        self._runner: web.AppRunner | None = None
        app = web.Application(client_max_size=1 << 20)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        if webhook_secret:
            app.router.add_post(WEBHOOK_PATH, self._webhook)
        self._app = app

    @property
    def port(self) -> int:
        """The port actually bound (useful when 0 asked the system for a free one)."""
        assert self._runner is not None
        for site in self._runner.sites:
            server = getattr(site, "_server", None)
            sockets = getattr(server, "sockets", None) or []
            for sock in sockets:
                return int(sock.getsockname()[1])
        return self._port

    async def start(self) -> None:
        self._runner = web.AppRunner(self._app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, self._host, self._port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def register_webhook(self, url: str) -> None:
        """Tell Telegram where to deliver updates, with our secret."""
        await self._application.bot.set_webhook(
            url.rstrip("/") + WEBHOOK_PATH,
            secret_token=self._secret,
            allowed_updates=list(ALLOWED_UPDATES),
        )

    async def _webhook(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        assert self._secret is not None
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            return web.Response(status=403)
        try:
            payload = json.loads(await request.read())
            update = Update.de_json(payload, self._application.bot)
        except (ValueError, TypeError):
            return web.Response(status=400)
        if update is None:
            return web.Response(status=400)
        try:
            fresh = await store(self._sessions, self._clock, [update])
        except Exception as error:  # the database is down: Telegram will deliver it again
            log.warning("could not store an update (%s); answering 503", type(error).__name__)
            return web.Response(status=503)
        for item in fresh:
            await self._application.update_queue.put(item)
        return web.Response(status=200)

    async def _healthz(self, _request: web.Request) -> web.Response:
        try:
            async with self._sessions() as session:
                await session.execute(text("SELECT 1"))
        except Exception:
            return web.json_response({"ok": False, "database": "unreachable"}, status=503)
        return web.json_response({"ok": True})

    async def _metrics(self, _request: web.Request) -> web.Response:
        try:
            async with self._sessions() as session:
                depth = await outbox.depth_by_priority(session)
            for priority in outbox.Priority:
                metrics.QUEUE_DEPTH.labels(priority=priority.name.lower()).set(
                    depth.get(priority, 0)
                )
        except Exception:  # metrics must answer even when the database does not
            log.info("queue depth unavailable for /metrics")
        body = generate_latest()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})
