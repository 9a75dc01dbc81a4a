"""Alembic environment: the engine comes from the caller (``store.db.migrate``)."""

from alembic import context

from agilab_lab.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # `alembic` on the command line: build one from sqlalchemy.url
    from agilab_lab.store.db import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url"))

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
