"""Alembic environment: the app's metadata, on the database of app/settings.py."""

from alembic import context

from app.db import get_engine
from app.models import Base

# Rasa owns its tracker-store table in the same database.
RASA_TABLES = {"events"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    return not (type_ == "table" and name in RASA_TABLES)


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection") or get_engine()
    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
