"""Storage: SQLAlchemy models, Alembic migrations, repositories and the bot's state storage.

Implements the ports of `traef.ports` and botbuilder's `Storage`, on SQLite (aiosqlite) and
PostgreSQL (asyncpg). Nothing here is built at import time; the composition root creates the
engine with `storage.database.create_engine` and migrates with `storage.migrate.upgrade_database`.
"""
