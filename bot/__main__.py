"""`python -m bot` is the `tend` command."""

from bot.cli import main

main()
