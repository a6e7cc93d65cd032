"""The functional core: pure decisions over plain data. No Telegram, no database, no clock."""
