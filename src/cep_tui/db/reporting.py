"""The SQL of the CEP indicators: two statements, the CEPs' figures (phases 2 and 3, with
the months of the sparkline) and phase 1's, each an aggregate the database computes (no
row reaches Python), written once for both engines; the few expressions that differ (a
person's age on a day, days between two dates, the month of a date, a median) come from
`Dialect`.

Each statement reads its rows once and returns one row per (breakdown, key): `dim`
names the breakdown ('total' for all), `key` the group within it, as text ('' for none).
At a large Mission Locale's size the cost is in the groupings, so that the rows are
grouped as few times and as narrowly as the figures allow: by the cells of the profile
(a few hundred), from which the profile's breakdowns are summed, and by a small state
number rather than a dozen flags; the medians by an aggregate (`cep_figures`). Figures
and method: benchmarks/RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database

from cep_tui.db.connection import is_sqlite

# The breakdowns that phase 1 has too (the dossier's; a proposal has no CEP's fields).
DOSSIER_DIMENSIONS = ("sex", "age", "education_level", "qpv", "zrr", "referent")
# What a row of the CEP statement holds after (dimension, key): counts, then for each of
# the three durations (all, phase 2, phase 3) its count, sum, median.
CEP_COUNTS = (
    "entries",
    "entries_phase_2",
    "entries_phase_3",
    "passes_to_phase_3",
    "stock",
    "stock_phase_2",
    "stock_phase_3",
    "exits",
    "exit_deces",
    "exit_demenagement",
    "exit_interruption_constatee",
    "exit_interruption_formalisee",
    "exit_plan_action_realise",
)
DURATIONS = ("days_all", "days_phase_2", "days_phase_3")


@dataclass(frozen=True)
class Dialect:
    sqlite: bool

    def age(self, birth: str, day: str) -> str:
        """Whole years from `birth` to `day` (a birthday on 29 February comes on 1 March
        in other years, as `cep_tui.services.dates.age_on` counts)."""
        if self.sqlite:  # dates are 'YYYY-MM-DD' texts: their parts, without parsing
            return (
                f"(CAST(substr({day}, 1, 4) AS INTEGER) - CAST(substr({birth}, 1, 4) AS INTEGER)"
                f" - (substr({day}, 6) < substr({birth}, 6)))"
            )
        return (
            f"(EXTRACT(YEAR FROM {day})::int - EXTRACT(YEAR FROM {birth})::int - "
            f"CASE WHEN to_char({day}, 'MM-DD') < to_char({birth}, 'MM-DD') THEN 1 ELSE 0 END)"
        )

    def days(self, later: str, earlier: str) -> str:
        """Days from `earlier` to `later` (0 for the same day)."""
        if self.sqlite:
            return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
        return f"({later} - {earlier})"

    def month(self, day: str) -> str:
        """The month of a date as 'YYYY-MM'."""
        if self.sqlite:  # a 'YYYY-MM-DD' text
            return f"substr({day}, 1, 7)"
        return f"to_char({day}, 'YYYY-MM')"

    def median(self, value: str) -> str:
        if self.sqlite:  # the aggregate is Python (cep_tui.db.median): no call for a NULL
            return f"median({value}) FILTER (WHERE {value} IS NOT NULL)"
        return f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {value})"

    def text(self, value: str) -> str:
        return f"CAST({value} AS TEXT)"


def dialect(db: Database) -> Dialect:
    return Dialect(sqlite=is_sqlite(db))


def day(value: dt.date) -> str:
    """A date as an SQL literal (from a date object only: nothing typed reaches the SQL);
    both engines compare it with their date columns."""
    if not isinstance(value, dt.date):
        raise TypeError(value)
    return f"'{value.isoformat()}'"


@dataclass(frozen=True)
class Scope:
    """Which young people: those of a structure, or of one référent in it."""

    structure_id: int
    referent_id: int | None = None

    def condition(self, dossier: str = "d") -> str:
        sql = f'{dossier}."structure_id" = {int(self.structure_id)}'
        if self.referent_id is not None:
            sql += f' AND {dossier}."referent_id" = {int(self.referent_id)}'
        return sql


EXIT_REASONS = (
    "deces",
    "demenagement",
    "interruption_constatee",
    "interruption_formalisee",
    "plan_action_realise",
)
# The breakdowns of the profile: few values each (at most 2 x 12 ages x 6 x 3 x 3 cells),
# so that the rows are counted once per cell and the breakdowns summed from the cells.
PROFILE = ("sex", "age", "education_level", "qpv", "zrr")
# The CEP's own fields (tens of values each, a few thousand cells with the state).
FIELDS = ("referrer", "reason", "project")
# The columns of a CEP row that hold its key in each breakdown ("k_<dimension>"; the age
# at entry in whole years, banded where the groups are made).
_KEY_COLUMNS = {
    "sex": 'd."sex"',
    "education_level": 'd."education_level"',
    "qpv": 'd."qpv"',
    "zrr": 'd."zrr"',
    "referent": 'd."referent_id"',
    "referrer": 'e."referrer_id"',
    "reason": 'e."solicitation_reason_id"',
    "project": 'e."project_type_id"',
}


def _state(first: str, last: str) -> str:
    """The state of a CEP in the period, as one small number (`STATE_TESTS` decode it):
    how it entered (0 before the period, 1 in phase 2, 2 directly in phase 3), + 3 if it
    passed to phase 3 in the period, + 6 x where it is at the end of the last day (0
    gone, 1 phase 2, 2 phase 3), + 18 x how it exited in the period (0 not, else 1 + the
    reason's index in EXIT_REASONS). Rows are counted by state, not by thirteen flags.
    For the CEPs that meet the period (entered by its last day, not ended before its
    first): one that entered on or after the first day entered in it, one that ended by
    the last day exited in it, any other is in progress at the end."""
    entry, end, p3 = 'e."entry_date"', 'e."end_date"', 'p3."start_date"'
    reasons = " ".join(f"WHEN '{r}' THEN {18 * (i + 1)}" for i, r in enumerate(EXIT_REASONS))
    return f"""(CASE WHEN {entry} >= {first}
    THEN CASE WHEN {p3} IS NULL OR {p3} > {entry} THEN 1 ELSE 2 END ELSE 0 END
  + CASE WHEN {p3} > {entry} AND {p3} BETWEEN {first} AND {last} THEN 3 ELSE 0 END
  + CASE WHEN {end} <= {last} THEN CASE e."exit_reason" {reasons} ELSE 0 END
    WHEN {p3} <= {last} THEN 12 ELSE 6 END)"""


def _digit(unit: int, base: int) -> str:
    """The digit of the state at `unit` in base `base` (integer division on both engines;
    no `%`, which the PostgreSQL driver reads as a parameter)."""
    return f'("state" / {unit} - "state" / {unit * base} * {base})'


# Which states each count of CEP_COUNTS sums (see `_state`).
_ENTRY, _PASSED, _STOCK = _digit(1, 3), _digit(3, 2), _digit(6, 3)
STATE_TESTS = {
    "entries": f"{_ENTRY} > 0",
    "entries_phase_2": f"{_ENTRY} = 1",
    "entries_phase_3": f"{_ENTRY} = 2",
    "passes_to_phase_3": f"{_PASSED} = 1",
    "stock": f"{_STOCK} > 0",
    "stock_phase_2": f"{_STOCK} = 1",
    "stock_phase_3": f"{_STOCK} = 2",
    "exits": '"state" >= 18',
    **{f"exit_{r}": f'"state" / 18 = {i + 1}' for i, r in enumerate(EXIT_REASONS)},
}


def _durations(sql: Dialect, last: str) -> dict[str, str]:
    """The days of a CEP that exited in the period (NULL for the others), first and last
    included: a CEP closed on its entry day lasted one day, and its days in phase 2 and
    in phase 3 add up to its days in all."""
    entry, p3, end = 'e."entry_date"', 'p3."start_date"', 'e."end_date"'
    days_all = f"{sql.days(end, entry)} + 1"
    return {
        "days_all": f"CASE WHEN {end} <= {last} THEN {days_all} END",
        "days_phase_2": f"CASE WHEN {end} <= {last} THEN CASE WHEN {p3} IS NULL "
        f"THEN {days_all} WHEN {p3} > {entry} THEN {sql.days(p3, entry)} END END",
        "days_phase_3": f"CASE WHEN {end} <= {last} AND {p3} IS NOT NULL "
        f"THEN {sql.days(end, p3)} + 1 END",
    }


def _text_key(sql: Dialect, column: str) -> str:
    return f"coalesce({sql.text(column)}, '')"


def _group_key(sql: Dialect, dim: str, column: str) -> str:
    """The key of a group as the service reads it: text, '' for none, the age banded."""
    return _band(column) if dim == "age" else _text_key(sql, column)


def _arms(sql: Dialect, dims, source: str, values: str, also: str = "") -> list[str]:
    """One SELECT a breakdown: ('dim', key, `values`) from `source` grouped by the key
    (and `also`)."""
    arms = []
    for dim in dims:
        key = _group_key(sql, dim, f'"k_{dim}"')
        arms.append(f"SELECT '{dim}', {key}, {values} FROM {source} GROUP BY {key}{also}")
    return arms


def _tallies(sql: Dialect) -> str:
    """Rows (dim, key, state, n) of every breakdown: each profile breakdown summed from
    the cells of the profile, the CEP's fields from their own cells, the référent (tens
    of counsellors) from the rows."""
    arms = ["SELECT 'total' AS \"dim\", '' AS \"key\", \"state\", SUM(\"n\") AS \"n\" "
            'FROM cells GROUP BY "state"']  # fmt: skip
    sums, state = '"state", SUM("n")', ', "state"'
    arms += _arms(sql, PROFILE, "cells", sums, state) + _arms(sql, FIELDS, "fields", sums, state)
    arms += _arms(sql, ("referent",), 'c WHERE "state" > 0', '"state", COUNT(*)', state)
    return " UNION ALL ".join(arms)


def cep_figures(
    db: Database, scope: Scope, cep_type_id: int, start: dt.date, end: dt.date, months: dt.date
) -> tuple[list[tuple], list[tuple]]:
    """The CEP figures of `scope` for the period [start, end] (both days included), and
    its entries and exits by month from the month `months` (the sparkline's first, on or
    before `start`): rows (dimension, key, *CEP_COUNTS, then count, sum and median of
    each of DURATIONS), and rows ('entries' or 'exits', 'YYYY-MM', count).

    The rows are read once (`c`: the CEPs that meet the months, state 0 for those that do
    not meet the period), counted by (cell, state) and the counts of every group summed
    from its states; the durations of the CEPs that exited (`x`) are aggregated by group,
    the median by PostgreSQL's percentile_cont or the `median` aggregate given to SQLite
    (cep_tui.db.median); the months are counted from the same rows."""
    sql = dialect(db)
    first, last, since = day(start), day(end), day(min(months, start))
    keys = ", ".join(f'{column} AS "k_{name}"' for name, column in _KEY_COLUMNS.items())
    durations = ", ".join(f'{value} AS "{name}"' for name, value in _durations(sql, last).items())
    profile, fields = (", ".join(f'"k_{dim}"' for dim in dims) for dims in (PROFILE, FIELDS))
    sums = ", ".join(
        f'SUM(CASE WHEN {test} THEN "n" ELSE 0 END) AS "{name}"'
        for name, test in STATE_TESTS.items()
    )
    columns = [f'"{name}"' for name in DURATIONS]
    stats = ", ".join(f"COUNT({c}), coalesce(SUM({c}), 0), {sql.median(c)}" for c in columns)
    arms = [f"SELECT 'total' AS \"dim\", '' AS \"key\", {stats} FROM x HAVING COUNT(*) > 0"]
    arms += _arms(sql, (*PROFILE, *FIELDS, "referent"), "x", stats)
    padding = ", ".join(["NULL"] * (len(CEP_COUNTS) + 3 * len(DURATIONS) - 1))
    by_month = [
        f"SELECT '{MONTH}{name}', {sql.month(column)}, COUNT(*), {padding} FROM c "
        f"WHERE {column} BETWEEN {since} AND {last} GROUP BY {sql.month(column)}"
        for name, column in (("entries", '"entry_date"'), ("exits", '"end_date"'))
    ]
    query = f"""WITH c AS MATERIALIZED (
  SELECT {keys}, {sql.age('d."birth_date"', 'e."entry_date"')} AS "k_age",
         CASE WHEN e."end_date" < {first} THEN 0 ELSE {_state(first, last)} END AS "state",
         {durations}, e."entry_date", e."end_date"
  FROM "enrolment" AS e
  JOIN "dossier" AS d ON d."id" = e."dossier_id"
  LEFT JOIN "phase_period" AS p3 ON p3."enrolment_id" = e."id" AND p3."phase" = 3
  WHERE {scope.condition()} AND e."dispositif_id" = {int(cep_type_id)}
    AND e."entry_date" <= {last} AND (e."end_date" IS NULL OR e."end_date" >= {since})
), cells AS MATERIALIZED (
  SELECT {profile}, "state", COUNT(*) AS "n" FROM c WHERE "state" > 0
  GROUP BY {profile}, "state"
), fields AS MATERIALIZED (
  SELECT {fields}, "state", COUNT(*) AS "n" FROM c WHERE "state" > 0
  GROUP BY {fields}, "state"
), counts AS MATERIALIZED (
  SELECT "dim", "key", {sums} FROM ({_tallies(sql)}) AS tallies GROUP BY "dim", "key"
), x AS MATERIALIZED (
  SELECT * FROM c WHERE "state" >= 18
), durations AS MATERIALIZED (
  {" UNION ALL ".join(arms)}
)
SELECT * FROM counts LEFT JOIN durations USING ("dim", "key")
UNION ALL {" UNION ALL ".join(by_month)}
"""
    figures, by_month_rows = [], []
    for row in db.execute_sql(query):
        if row[0].startswith(MONTH):
            by_month_rows.append((row[0][len(MONTH) :], row[1], row[2]))
        else:
            figures.append(row)
    return figures, by_month_rows


# The dimension of the rows of `cep_figures` that count a month's entries or exits.
MONTH = "month:"


def _band(age: str) -> str:
    """The age band (the Missions Locales' usual ones) of an age in whole years."""
    return (
        f"CASE WHEN {age} < 18 THEN '<18' WHEN {age} <= 21 THEN '18-21' "
        f"WHEN {age} <= 25 THEN '22-25' ELSE '26+' END"
    )


def phase_1_figures(
    db: Database, scope: Scope, cep_measure_id: int, start: dt.date, end: dt.date
) -> list[tuple]:
    """Rows (dimension, key, young people, proposals): the proposals of offers attached to
    the national measure CEP made in the period, and the young people who had one; a young
    person falls in the age band of their first such proposal in the period. Counted by
    young person, then by cell of the profile, like `cep_figures`."""
    sql = dialect(db)
    fields = {
        "sex": 'd."sex"',
        "education_level": 'd."education_level"',
        "qpv": 'd."qpv"',
        "zrr": 'd."zrr"',
        "referent": 'd."referent_id"',
    }
    columns = ", ".join(f'{column} AS "k_{name}"' for name, column in fields.items())
    cells = ", ".join(f'"k_{dim}"' for dim in PROFILE)
    arms = ["SELECT 'total', '', SUM(\"young\"), SUM(\"proposals\") FROM cells HAVING COUNT(*) > 0"]
    arms += _arms(sql, PROFILE, "cells", 'SUM("young"), SUM("proposals")')
    arms += _arms(sql, ("referent",), "y", 'COUNT(*), SUM("proposals")')
    # The proposals are counted by young person first (from the index of the proposals
    # by offer and day, without reading them), then each young person's dossier is read.
    query = f"""WITH p AS MATERIALIZED (
  SELECT pr."dossier_id", COUNT(*) AS "proposals", MIN(pr."proposed_on") AS "first_on"
  FROM "proposal" AS pr JOIN "offer" AS o ON o."id" = pr."offer_id"
  WHERE o."national_measure_id" = {int(cep_measure_id)}
    AND pr."proposed_on" BETWEEN {day(start)} AND {day(end)}
  GROUP BY pr."dossier_id"
), y AS MATERIALIZED (
  SELECT {columns}, {sql.age('d."birth_date"', 'p."first_on"')} AS "k_age", p."proposals"
  FROM p JOIN "dossier" AS d ON d."id" = p."dossier_id"
  WHERE {scope.condition()}
), cells AS MATERIALIZED (
  SELECT {cells}, COUNT(*) AS "young", SUM("proposals") AS "proposals" FROM y GROUP BY {cells}
)
{" UNION ALL ".join(arms)}"""
    return list(db.execute_sql(query))
