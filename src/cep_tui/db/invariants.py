"""Invariants the database holds beyond columns and indexes, installed on each engine in
its own way (`install`).

A young person's dispositifs of one kind never overlap in time: a CEP enters after the
previous one's end (periods are whole days, both ends included; one in progress runs to
no end). The services check it first, with the counsellor's message; this is the second
line of defence, for any writer that bypasses them.
- PostgreSQL: an exclusion constraint over the enrolment's daterange (it needs btree_gist
  for the equality of the dossier and dispositif columns inside a GiST index; a trusted
  extension since PostgreSQL 13, which the owner of the database may create).
- SQLite: triggers before INSERT and UPDATE, which abort the statement.
"""

from __future__ import annotations

from peewee import Database

from cep_tui.db.connection import is_sqlite

OVERLAP_CONSTRAINT = "enrolment_periods_do_not_overlap"
OVERLAP_MESSAGE = "enrolment_periods_overlap"
# A day after every real one: the end of a period still in progress.
_OPEN_END = "'9999-12-31'"

_SQLITE_OVERLAP = """CREATE TRIGGER "enrolment_no_overlap_{event}" BEFORE {what} ON "enrolment"
WHEN EXISTS (SELECT 1 FROM "enrolment" AS other
  WHERE other."dossier_id" = NEW."dossier_id" AND other."dispositif_id" = NEW."dispositif_id"
  {not_itself}AND other."entry_date" <= coalesce(NEW."end_date", {open_end})
  AND NEW."entry_date" <= coalesce(other."end_date", {open_end}))
BEGIN SELECT RAISE(ABORT, '{message}'); END"""


def overlapping_dossiers(db: Database) -> list[str]:
    """The numbers of the dossiers whose dispositifs of one kind overlap (data written
    before the rule): the invariant cannot be installed over them."""
    rows = db.execute_sql(
        'SELECT DISTINCT d."number" FROM "enrolment" AS a '
        'JOIN "enrolment" AS b ON b."dossier_id" = a."dossier_id" '
        'AND b."dispositif_id" = a."dispositif_id" AND b."id" > a."id" '
        f'AND a."entry_date" <= coalesce(b."end_date", {_OPEN_END}) '
        f'AND b."entry_date" <= coalesce(a."end_date", {_OPEN_END}) '
        'JOIN "dossier" AS d ON d."id" = a."dossier_id" ORDER BY 1'
    )
    return [number for (number,) in rows]


def install(db: Database) -> None:
    overlapping = overlapping_dossiers(db)
    if overlapping:
        raise RuntimeError(
            "Mise à jour du schéma impossible : des dispositifs d'un même jeune se "
            f"chevauchent dans le temps (dossiers n° {', '.join(overlapping[:20])}). "
            "Corrigez leurs dates, puis relancez cep-tui."
        )
    if is_sqlite(db):
        for event, what, not_itself in (
            ("insert", "INSERT", ""),
            (
                "update",
                'UPDATE OF "dossier_id", "dispositif_id", "entry_date", "end_date"',
                'AND other."id" <> NEW."id" ',
            ),
        ):
            db.execute_sql(
                _SQLITE_OVERLAP.format(
                    event=event,
                    what=what,
                    not_itself=not_itself,
                    open_end=_OPEN_END,
                    message=OVERLAP_MESSAGE,
                )
            )
        return
    db.execute_sql("CREATE EXTENSION IF NOT EXISTS btree_gist")
    db.execute_sql(
        f'ALTER TABLE "enrolment" ADD CONSTRAINT "{OVERLAP_CONSTRAINT}" EXCLUDE USING gist '
        '("dossier_id" WITH =, "dispositif_id" WITH =, '
        'daterange("entry_date", "end_date", \'[]\') WITH &&)'
    )
