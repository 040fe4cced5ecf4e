"""Schema versions. Each step brings the database from version N-1 to N; the current
version is recorded in `schema_version`, and `migrate` runs on every start."""

from __future__ import annotations

from collections.abc import Callable

from peewee import Database

from cep_tui.db import models
from cep_tui.db.reference_seed import seed_reference_data


def _v1_initial_schema(db: Database) -> None:
    db.create_tables([m for m in models.ALL_MODELS if m is not models.SchemaVersion])
    seed_reference_data()


# Later steps use playhouse.migrate (schema_migrator(db)), with foreign keys switched off
# around SQLite table rebuilds.
STEPS: tuple[Callable[[Database], None], ...] = (_v1_initial_schema,)
CURRENT_VERSION = len(STEPS)


def schema_version(db: Database) -> int:
    if not db.table_exists(models.SchemaVersion._meta.table_name):
        return 0
    row = models.SchemaVersion.select().order_by(models.SchemaVersion.version.desc()).first()
    return row.version if row else 0


def migrate(db: Database) -> int:
    """Bring the database up to CURRENT_VERSION; return the number of steps applied."""
    with db.atomic():
        db.create_tables([models.SchemaVersion])
        start = schema_version(db)
        for number, step in enumerate(STEPS[start:], start=start + 1):
            step(db)
            models.SchemaVersion.delete().execute()
            models.SchemaVersion.create(version=number)
    return CURRENT_VERSION - start
