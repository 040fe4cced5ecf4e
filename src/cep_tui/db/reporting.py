"""The SQL of the CEP indicators: one statement per family of figures, each an aggregate
the database computes (no row reaches Python), written once for both engines; the few
expressions that differ (a person's age on a day, days between two dates, the month of a
date, a median) come from `Dialect`.

Every statement unpivots its rows against the list of breakdowns (a cross join with a
VALUES list: `dims.column1` names the breakdown, `key` the group within it) and groups by
(breakdown, key): the total and every breakdown in one pass over the rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import Database

from cep_tui.db.connection import is_sqlite

# Age bands at entry (the Missions Locales' usual ones), as keys.
AGE_BANDS = ("<18", "18-21", "22-25", "26+")
# Breakdowns of the CEP dispositif (phases 2 and 3), and those that phase 1 has (the
# enrolment's own fields do not exist for a proposal).
DOSSIER_DIMENSIONS = ("sex", "age", "education_level", "qpv", "zrr", "referent")
CEP_DIMENSIONS = ("total", *DOSSIER_DIMENSIONS, "referrer", "reason", "project")
PHASE_1_DIMENSIONS = ("total", *DOSSIER_DIMENSIONS)
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
        if self.sqlite:
            return (
                f"(CAST(strftime('%Y', {day}) AS INTEGER) - CAST(strftime('%Y', {birth}) "
                f"AS INTEGER) - (strftime('%m-%d', {day}) < strftime('%m-%d', {birth})))"
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
        if self.sqlite:
            return f"strftime('%Y-%m', {day})"
        return f"to_char({day}, 'YYYY-MM')"

    def text(self, value: str) -> str:
        return f"CAST({value} AS TEXT)"


def dialect(db: Database) -> Dialect:
    return Dialect(sqlite=is_sqlite(db))


def _values(names: tuple[str, ...]) -> str:
    return "(VALUES " + ", ".join(f"('{name}')" for name in names) + ") AS dims"


def _age_band(sql: Dialect, birth: str, day: str) -> str:
    age = sql.age(birth, day)
    return (
        f"CASE WHEN {age} < 18 THEN '<18' WHEN {age} <= 21 THEN '18-21' "
        f"WHEN {age} <= 25 THEN '22-25' ELSE '26+' END"
    )


def _key(sql: Dialect, columns: dict[str, str]) -> str:
    """The group of a row within the breakdown `dims.column1` ('' for none)."""
    cases = " ".join(
        f"WHEN '{name}' THEN coalesce({sql.text(column)}, '')" for name, column in columns.items()
    )
    return f"CASE dims.column1 {cases} ELSE '' END"


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


def cep_figures(
    db: Database, scope: Scope, cep_type_id: int, start: dt.date, end: dt.date
) -> list[tuple]:
    """Rows (dimension, key, *CEP_COUNTS, then count, sum, median of each of DURATIONS)
    for the CEPs of `scope` that meet the period [start, end] (both days included)."""
    sql = dialect(db)
    first, last = day(start), day(end)
    had_phase_2 = '(c."p3_start" IS NULL OR c."p3_start" > c."entry_date")'
    entered = f'c."entry_date" BETWEEN {first} AND {last}'
    exited = f'c."end_date" BETWEEN {first} AND {last}'
    # In progress at the end of the last day (the base holds entries up to that day): the
    # stock that entries and exits balance; in phase 3 once phase 3 has begun.
    in_stock = f'(c."end_date" IS NULL OR c."end_date" > {last})'
    in_phase_3 = f'c."p3_start" <= {last}'
    flags = {
        "entries": entered,
        "entries_phase_2": f"{entered} AND {had_phase_2}",
        "entries_phase_3": f"{entered} AND NOT {had_phase_2}",
        "passes_to_phase_3": f'{had_phase_2} AND c."p3_start" BETWEEN {first} AND {last}',
        "stock": in_stock,
        "stock_phase_2": f'{in_stock} AND (c."p3_start" IS NULL OR c."p3_start" > {last})',
        "stock_phase_3": f"{in_stock} AND {in_phase_3}",
        "exits": exited,
        **{f"exit_{r}": f"{exited} AND c.\"exit_reason\" = '{r}'" for r in EXIT_REASONS},
    }
    # Days are counted first and last included: a CEP closed on its entry day lasted one
    # day, and its days in phase 2 and in phase 3 add up to its days in all.
    entry, p3, end_date = 'c."entry_date"', 'c."p3_start"', 'c."end_date"'
    days_all = f"({sql.days(end_date, entry)} + 1)"
    durations = {
        "days_all": f"CASE WHEN {exited} THEN {days_all} END",
        "days_phase_2": f"CASE WHEN {exited} AND {had_phase_2} THEN CASE WHEN {p3} IS NULL "
        f"THEN {days_all} ELSE {sql.days(p3, entry)} END END",
        "days_phase_3": f"CASE WHEN {exited} AND {p3} IS NOT NULL "
        f"THEN {sql.days(end_date, p3)} + 1 END",
    }
    columns = [f'CASE WHEN {flags[n]} THEN 1 ELSE 0 END AS "{n}"' for n in CEP_COUNTS]
    columns += [f'{durations[n]} AS "{n}"' for n in DURATIONS]
    base = f"""WITH c AS MATERIALIZED (
  SELECT e."entry_date", e."end_date", e."exit_reason", e."referrer_id",
         e."solicitation_reason_id", e."project_type_id",
         d."sex", d."education_level", d."qpv", d."zrr", d."referent_id",
         {sql.age('d."birth_date"', 'e."entry_date"')} AS "age",
         p3."start_date" AS "p3_start"
  FROM "enrolment" AS e
  JOIN "dossier" AS d ON d."id" = e."dossier_id"
  LEFT JOIN "phase_period" AS p3 ON p3."enrolment_id" = e."id" AND p3."phase" = 3
  WHERE {scope.condition()} AND e."dispositif_id" = {int(cep_type_id)}
    AND e."entry_date" <= {last} AND (e."end_date" IS NULL OR e."end_date" >= {first})
), m AS MATERIALIZED (
  SELECT {_key_columns(sql, CEP_KEYS)}, {", ".join(columns)}
  FROM c
)"""
    counts = ", ".join(f'SUM(m."{n}") AS "{n}"' for n in CEP_COUNTS)
    stats = ", ".join(
        f'COUNT(m."{n}") AS "n_{n}", coalesce(SUM(m."{n}"), 0) AS "s_{n}"' for n in DURATIONS
    )
    if sql.sqlite:
        medians = ", ".join(f'NULL AS "med_{n}"' for n in DURATIONS)
    else:
        medians = ", ".join(
            f'percentile_cont(0.5) WITHIN GROUP (ORDER BY m."{n}") AS "med_{n}"' for n in DURATIONS
        )
    arms = [
        f'SELECT \'{dim}\' AS "dim", {_group_key(dim)} AS "key", {counts}, {stats}, '
        f"{medians} FROM m" + ("" if dim == "total" else f' GROUP BY m."k_{dim}"')
        for dim in CEP_DIMENSIONS
    ]
    if not sql.sqlite:
        return list(db.execute_sql(f"{base}\n" + "\nUNION ALL\n".join(arms)))
    # SQLite has no percentile function: the medians come from window functions over the
    # CEPs that exited (a few thousand rows at most), keyed like the counts.
    plain = [f'g."{n}"' for n in CEP_COUNTS]
    plain += [f'g."{p}_{n}"' for n in DURATIONS for p in ("n", "s")]
    found = [f'med."{n}"' for n in DURATIONS]
    # The profile's breakdowns (at most 2 × 4 × 6 × 3 × 3 cells) are summed from one
    # grouping of the rows by all of them, rather than each grouping every row.
    fixed = ("sex", "age", "education_level", "qpv", "zrr")
    keys = ", ".join(f'm."k_{dim}"' for dim in fixed)
    summed = ", ".join(
        [f'SUM(m."{n}") AS "{n}"' for n in CEP_COUNTS]
        + [f'SUM(m."{p}_{n}") AS "{p}_{n}"' for n in DURATIONS for p in ("n", "s")]
    )
    arms = [
        f'SELECT \'{dim}\' AS "dim", {_group_key(dim)} AS "key", {summed}, {medians} '
        f"FROM cells AS m" + ("" if dim == "total" else f' GROUP BY m."k_{dim}"')
        for dim in ("total", *fixed)
    ] + [arm for dim, arm in zip(CEP_DIMENSIONS, arms, strict=True) if dim not in fixed
         and dim != "total"]  # fmt: skip
    query = f"""{base}, cells AS MATERIALIZED (
  SELECT {keys}, {counts}, {stats} FROM m GROUP BY {keys}
), g AS MATERIALIZED (
{" UNION ALL ".join(arms)}
), x AS MATERIALIZED (
  SELECT * FROM m WHERE m."days_all" IS NOT NULL
), {_sqlite_medians("x", CEP_DIMENSIONS, DURATIONS)}
SELECT g."dim", g."key", {", ".join(plain + found)}
FROM g LEFT JOIN med ON med."dim" = g."dim" AND med."key" = g."key"
"""
    return list(db.execute_sql(query))


# The columns of the breakdowns, as stored in the CTE `m` ("k_<dimension>", as text).
CEP_KEYS = {
    "sex": 'c."sex"',
    "age": 'c."age"',
    "education_level": 'c."education_level"',
    "qpv": 'c."qpv"',
    "zrr": 'c."zrr"',
    "referent": 'c."referent_id"',
    "referrer": 'c."referrer_id"',
    "reason": 'c."solicitation_reason_id"',
    "project": 'c."project_type_id"',
}


EMPTY = "''"


def _key_columns(sql: Dialect, keys: dict[str, str]) -> str:
    return ", ".join(
        f"{_band(column) if name == 'age' else f'coalesce({sql.text(column)}, {EMPTY})'} "
        f'AS "k_{name}"'
        for name, column in keys.items()
    )


def _band(age: str) -> str:
    return (
        f"CASE WHEN {age} < 18 THEN '<18' WHEN {age} <= 21 THEN '18-21' "
        f"WHEN {age} <= 25 THEN '22-25' ELSE '26+' END"
    )


def _group_key(dim: str) -> str:
    return "''" if dim == "total" else f'm."k_{dim}"'


def phase_1_figures(
    db: Database, scope: Scope, cep_measure_id: int, start: dt.date, end: dt.date
) -> list[tuple]:
    """Rows (dimension, key, young people, proposals): the proposals of offers attached to
    the national measure CEP made in the period, and the young people who had one; a young
    person falls in the age band of their first such proposal in the period."""
    sql = dialect(db)
    key = _key(
        sql,
        {
            "sex": 'y."sex"',
            "age": 'y."age_band"',
            "education_level": 'y."education_level"',
            "qpv": 'y."qpv"',
            "zrr": 'y."zrr"',
            "referent": 'y."referent_id"',
        },
    )
    query = f"""WITH p AS MATERIALIZED (
  SELECT pr."dossier_id", COUNT(*) AS "proposals", MIN(pr."proposed_on") AS "first_on"
  FROM "proposal" AS pr
  JOIN "offer" AS o ON o."id" = pr."offer_id"
  JOIN "dossier" AS d ON d."id" = pr."dossier_id"
  WHERE o."national_measure_id" = {int(cep_measure_id)} AND {scope.condition()}
    AND pr."proposed_on" BETWEEN {day(start)} AND {day(end)}
  GROUP BY pr."dossier_id"
), y AS (
  SELECT p."proposals", d."sex", d."education_level", d."qpv", d."zrr", d."referent_id",
         {_age_band(sql, 'd."birth_date"', 'p."first_on"')} AS "age_band"
  FROM p JOIN "dossier" AS d ON d."id" = p."dossier_id"
)
SELECT dims.column1, {key}, COUNT(*), SUM(y."proposals")
FROM y CROSS JOIN {_values(PHASE_1_DIMENSIONS)}
GROUP BY dims.column1, {key}"""
    return list(db.execute_sql(query))


def monthly_figures(
    db: Database, scope: Scope, cep_type_id: int, start: dt.date, end: dt.date
) -> list[tuple]:
    """Rows ('entries' or 'exits', 'YYYY-MM', count) of the CEPs of `scope`, by month of
    the period [start, end]."""
    sql = dialect(db)
    rows = []
    for name, column in (("entries", "entry_date"), ("exits", "end_date")):
        rows.append(
            f"""SELECT '{name}', {sql.month(f'e."{column}"')} AS "month", COUNT(*)
FROM "enrolment" AS e JOIN "dossier" AS d ON d."id" = e."dossier_id"
WHERE {scope.condition()} AND e."dispositif_id" = {int(cep_type_id)}
  AND e."{column}" BETWEEN {day(start)} AND {day(end)}
GROUP BY {sql.month(f'e."{column}"')}"""
        )
    return list(db.execute_sql("\nUNION ALL\n".join(rows)))


def _sqlite_medians(source: str, dims: tuple[str, ...], measures: tuple[str, ...]) -> str:
    """CTE `med`: the median of each measure per (dim, key), by window functions (the
    middle value, or the mean of the two middle ones) over the rows of `source` that have
    the measure; one small window per breakdown and measure."""
    arms = []
    for dim in dims:
        for name in measures:
            key = "''" if dim == "total" else f'm."k_{dim}"'
            partition = "" if dim == "total" else f"PARTITION BY {key} "
            arms.append(
                f'SELECT \'{dim}\' AS "dim", "key", \'{name}\' AS "measure", '
                f'AVG("value") AS "value" FROM ('
                f'SELECT {key} AS "key", m."{name}" AS "value", '
                f'ROW_NUMBER() OVER ({partition}ORDER BY m."{name}") AS "rank", '
                f'COUNT(*) OVER ({partition.strip()}) AS "n" '
                f'FROM {source} AS m WHERE m."{name}" IS NOT NULL) '
                f'WHERE "rank" IN (("n" + 1) / 2, ("n" + 2) / 2) GROUP BY "key"'
            )
    pivot = ", ".join(
        f'MAX(CASE WHEN "measure" = \'{name}\' THEN "value" END) AS "{name}"' for name in measures
    )
    return f"""long AS MATERIALIZED (
{" UNION ALL ".join(arms)}
), med AS MATERIALIZED (
  SELECT "dim", "key", {pivot} FROM long GROUP BY "dim", "key"
)"""
