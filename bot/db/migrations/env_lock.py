"""The lock migrations take on PostgreSQL.

Workers started together all run `tend db upgrade` on start: they take turns under this lock
(held to the end of the migration's transaction), so the second finds the schema up to date
instead of creating the same index twice.
"""

MIGRATION_LOCK = 0x7E4D_0DB0
