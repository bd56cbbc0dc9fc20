"""Alembic environment for Flask-Migrate, on PostgreSQL and SQLite alike.

On SQLite the `private` schema does not exist: the tables live in the main file, so
autogenerate compares against a copy of the metadata with that schema removed.
"""
import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import MetaData

config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")


def target_metadata_for(dialect_name: str) -> MetaData:
    metadata = current_app.extensions["migrate"].db.metadata
    if dialect_name != "sqlite":
        return metadata
    flat = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(flat, schema=None)
    return flat


# PostgreSQL-only indexes made by hand in a migration (not in the models).
PG_ONLY_INDEXES = {"ix_customers_search"}  # 0012b: trigram search of the customers page


def include_name(name, type_, parent_names):
    # Alembic's own table and PostgreSQL-only objects stay out of comparisons.
    if type_ == "schema":
        return name in (None, "public", "private")
    if type_ == "index":
        return name not in PG_ONLY_INDEXES
    return True


def run_migrations_offline():
    url = str(current_app.extensions["migrate"].db.engine.url).replace("%", "%%")
    context.configure(url=url, target_metadata=target_metadata_for(url.split(":")[0].split("+")[0]), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context_, revision, directives):
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    engine = current_app.extensions["migrate"].db.engine
    with engine.connect() as connection:
        is_pg = connection.dialect.name == "postgresql"
        context.configure(
            connection=connection,
            target_metadata=target_metadata_for(connection.dialect.name),
            process_revision_directives=process_revision_directives,
            include_schemas=is_pg,
            include_name=include_name,
            render_as_batch=not is_pg,
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
