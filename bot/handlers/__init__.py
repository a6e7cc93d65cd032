"""Thin Telegram handlers: read the update, ask the domain, send the answer."""
