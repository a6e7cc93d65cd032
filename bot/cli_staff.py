"""`tend` commands for program work: invites, roles, broadcasts, reports and exports.

The twins of what home visitors and staff do in Telegram; each opens the database the
settings name (upgrading it first) and prints what it did."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer

from bot.config import Settings
from bot.db.session import SessionFactory, make_engine, make_session_factory

T = TypeVar("T")

admin_app = typer.Typer(help="Who has a role: admin, staff, home visitor.", no_args_is_help=True)


def _settings() -> Settings:
    from bot.db.migrate import upgrade

    settings = Settings()
    upgrade(settings.database_url)
    return settings


def _with_sessions(settings: Settings, work: Callable[[SessionFactory], Awaitable[T]]) -> T:
    async def run() -> T:
        engine = make_engine(settings.database_url)
        try:
            return await work(make_session_factory(engine))
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


async def _bot_username(settings: Settings) -> str | None:
    """The bot's @username from getMe, when a token is set."""
    from telegram import Bot
    from telegram.error import TelegramError

    token = settings.telegram_bot_token.get_secret_value()
    if not token:
        return None
    bot = Bot(token, base_url=settings.telegram_api_base_url.rstrip("/"))
    try:
        async with bot:
            return bot.username
    except TelegramError:
        return None


def register(app: typer.Typer, invite_app: typer.Typer) -> None:
    """Add the program commands to the `tend` app."""
    app.add_typer(admin_app, name="admin")
    _register_invites(invite_app)
    _register_program(app)


def _register_invites(invite_app: typer.Typer) -> None:
    @invite_app.command("create")
    def invite_create(
        label: Annotated[
            str | None, typer.Option(help="The visitor's name for the family (never shown).")
        ] = None,
        bot_username: Annotated[
            str | None,
            typer.Option(help="The bot's @username, for the link (else read with getMe)."),
        ] = None,
        days: Annotated[float | None, typer.Option(help="Days the code opens.")] = None,
        max_uses: Annotated[int | None, typer.Option(help="Families that may use it.")] = None,
        visitor: Annotated[
            int | None, typer.Option(help="Telegram id of the home visitor it belongs to.")
        ] = None,
        qr: Annotated[Path | None, typer.Option(help="Write the QR code PNG here.")] = None,
    ) -> None:
        """Create an invite code; print its deep link (and write its QR code)."""
        from bot import invites

        settings = _settings()
        username = bot_username or asyncio.run(_bot_username(settings))
        if not username:
            typer.echo(
                "tend: cannot know the bot's username, so the link would be wrong. Pass "
                "--bot-username (the name after t.me/), or set TELEGRAM_BOT_TOKEN so it is "
                "read from Telegram.",
                err=True,
            )
            raise typer.Exit(2)

        async def work(sessions: SessionFactory) -> tuple[str, dt.datetime | None]:
            async with sessions.begin() as session:
                invite = await invites.create(
                    session,
                    created_by=visitor,
                    label=label,
                    now=_now(),
                    days=days or settings.invite_days,
                    max_uses=max_uses or settings.invite_max_uses,
                )
                return invite.code, invite.expires_at

        code, expires = _with_sessions(settings, work)
        link = invites.deep_link(username, code)
        typer.echo(f"Invite code: {code}")
        if expires is not None:
            typer.echo(f"Opens until: {expires:%Y-%m-%d %H:%M} UTC")
        if qr is not None:
            qr.write_bytes(invites.qr_png(link))
            typer.echo(f"QR code: {qr}")
        typer.echo(f"Link: {link}")

    @invite_app.command("list")
    def invite_list(
        visitor: Annotated[int | None, typer.Option(help="Only this visitor's codes.")] = None,
    ) -> None:
        """Codes that still open."""
        from bot import invites

        settings = _settings()

        async def work(sessions: SessionFactory) -> list[str]:
            async with sessions() as session:
                found = await invites.open_invites(session, _now(), created_by=visitor)
            return [
                f"{invite.id}\t{invite.label or '-'}\t{invite.uses}/"
                f"{invite.max_uses if invite.max_uses is not None else '∞'}\t"
                f"{invite.expires_at:%Y-%m-%d}"
                if invite.expires_at
                else f"{invite.id}\t{invite.label or '-'}\t{invite.uses}\tnever expires"
                for invite in found
            ]

        lines = _with_sessions(settings, work)
        typer.echo("id\tlabel\tused\topens until")
        for line in lines:
            typer.echo(line)

    @invite_app.command("revoke")
    def invite_revoke(invite_id: int) -> None:
        """Close a code: its link no longer opens."""
        from bot import invites

        settings = _settings()

        async def work(sessions: SessionFactory) -> bool:
            async with sessions.begin() as session:
                return await invites.revoke(session, invite_id, _now()) is not None

        if not _with_sessions(settings, work):
            typer.echo(f"tend: no invite {invite_id}", err=True)
            raise typer.Exit(1)
        typer.echo(f"Invite {invite_id} revoked.")


@admin_app.command("grant")
def admin_grant(telegram_id: int, role: str) -> None:
    """Give someone a role (admin, staff, home_visitor). Their menu updates on the next start."""
    from bot import roles

    try:
        parsed = roles.parse_role(role)
    except ValueError as error:
        typer.echo(f"tend: {error}", err=True)
        raise typer.Exit(2) from None
    settings = _settings()

    async def work(sessions: SessionFactory) -> None:
        async with sessions.begin() as session:
            await roles.grant(session, telegram_id, parsed, now=_now())

    _with_sessions(settings, work)
    typer.echo(f"{telegram_id} is now {parsed.value}.")


@admin_app.command("revoke")
def admin_revoke(telegram_id: int) -> None:
    """Take someone's role back (they are a parent again)."""
    from bot import roles

    settings = _settings()
    if telegram_id in settings.admin_ids:
        typer.echo(f"tend: {telegram_id} is an admin in TEND_ADMIN_IDS; change it there.", err=True)
        raise typer.Exit(1)

    async def work(sessions: SessionFactory) -> bool:
        async with sessions.begin() as session:
            return await roles.revoke(session, telegram_id)

    if not _with_sessions(settings, work):
        typer.echo(f"{telegram_id} had no role.")
        return
    typer.echo(f"{telegram_id} has no role now.")


@admin_app.command("list")
def admin_list() -> None:
    """Everyone with a role."""
    from bot import roles

    settings = _settings()

    async def work(sessions: SessionFactory) -> list[roles.Member]:
        async with sessions() as session:
            return await roles.members(session, settings)

    typer.echo("telegram id\trole\tname")
    for member in _with_sessions(settings, work):
        source = " (TEND_ADMIN_IDS)" if member.from_settings else ""
        typer.echo(f"{member.telegram_user_id}\t{member.role.value}{source}\t{member.name or '-'}")


def _register_program(app: typer.Typer) -> None:
    @app.command("broadcast")
    def broadcast(
        words: Annotated[
            list[str],
            typer.Argument(
                help="Filters first (lang:es age:12-23 visitor:ID status:quiet "
                "after:2026-11-01 before:2026-12-01), then the message."
            ),
        ],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help="Only count the audience; send nothing.")
        ] = False,
        at: Annotated[
            str | None, typer.Option(help="When, as 'YYYY-MM-DD HH:MM' (UTC unless --local).")
        ] = None,
        local: Annotated[
            bool, typer.Option("--local", help="--at is each family's own local time.")
        ] = False,
    ) -> None:
        """Send a message to all families or a segment (the running bot sends it)."""
        from bot.audience import AudienceError, describe, parse_filters
        from bot.db.models import Broadcast
        from scheduler import broadcasts

        try:
            audience, rest = parse_filters(" ".join(words).split(" "))
        except AudienceError as error:
            typer.echo(f"tend: {error}", err=True)
            raise typer.Exit(2) from None
        message = " ".join(rest).strip()
        if not message:
            typer.echo("tend: no message to send", err=True)
            raise typer.Exit(2)
        moment = None
        if at is not None:
            try:
                moment = dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC)
            except ValueError:
                typer.echo("tend: --at takes 'YYYY-MM-DD HH:MM'", err=True)
                raise typer.Exit(2) from None
        settings = _settings()

        async def work(sessions: SessionFactory) -> tuple[int, int | None]:
            now = _now()
            async with sessions.begin() as session:
                count = await broadcasts.audience_size(
                    session, audience, now, quiet_days=settings.quiet_days
                )
                if dry_run:
                    return count, None
                row = Broadcast(
                    created_at=now,
                    text=message,
                    audience=audience.to_json(),
                    status="scheduled",
                    mode="local" if local and moment else "at",
                    send_at=now if moment is None or local else moment,
                    local_date=moment.date() if local and moment else None,
                    local_time=moment.time() if local and moment else None,
                    total=0,
                )
                session.add(row)
                await session.flush()
                return count, row.id

        count, broadcast_id = _with_sessions(settings, work)
        typer.echo(f"Audience ({describe(audience)}): {count} families.")
        typer.echo("Preview, exactly as a family reads it:\n" + message)
        if broadcast_id is None:
            typer.echo("Dry run: nothing was sent.")
        else:
            typer.echo(
                f"Broadcast #{broadcast_id} scheduled; the running bot sends it on its next "
                "tick (/broadcasts in Telegram lists and cancels it)."
            )

    @app.command("report")
    def report(
        chart: Annotated[
            Path | None, typer.Option(help="Write the 30-day chart (PNG) here.")
        ] = None,
    ) -> None:
        """The program's numbers: a table here, and the chart to a file."""
        from bot import reports

        settings = _settings()

        async def work(sessions: SessionFactory) -> reports.Report:
            async with sessions() as session:
                return await reports.build(session, _now())

        built = _with_sessions(settings, work)
        typer.echo(reports.table(built))
        if chart is not None:
            chart.write_bytes(reports.chart_png(built))
            typer.echo(f"Chart: {chart}")

    # `tend export` may be a group of exports already (decisions): ours joins it as `deliveries`.
    groups = [g.typer_instance for g in app.registered_groups if g.name == "export"]
    target, name = (groups[0], "deliveries") if groups and groups[0] else (app, "export")

    @target.command(name)
    def export(
        out: Annotated[
            Path | None, typer.Option(help="Write the CSV here (else print it).")
        ] = None,
    ) -> None:
        """Deliveries and replies as CSV, families pseudonymised (needs TEND_EXPORT_SECRET)."""
        from bot import exports

        settings = _settings()

        async def work(sessions: SessionFactory) -> str:
            async with sessions() as session:
                return await exports.export_csv(session, settings.export_secret.get_secret_value())

        try:
            body = _with_sessions(settings, work)
        except exports.NoSecret:
            typer.echo("tend: set TEND_EXPORT_SECRET (it keys the pseudonyms)", err=True)
            raise typer.Exit(2) from None
        if out is None:
            typer.echo(body, nl=False)
        else:
            out.write_text(body, encoding="utf-8")
            typer.echo(f"Export: {out}")
