"""The CEP indicators as files: OpenDocument spreadsheet (.ods, the format the French
interoperability framework recommends; written with odfpy), CSV as a French spreadsheet
opens it as is (UTF-8 with BOM, `;` between fields, decimal comma), and a plain text
table for a terminal.

Aggregates only: the tables hold counts, means and medians, the period and the scope; no
name of a young person, no free text. (Counsellors' names label the breakdown by référent:
they are the structure's staff, not the young people.) Files are private (0600) and new
(cep_tui.exports.write_private), in the export folder (cep_tui.exports.export_dir) unless a
path with folders is given.
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

from cep_tui.exports import write_private
from cep_tui.services.dates import format_date
from cep_tui.services.indicators import Duration, Figures, Indicators
from cep_tui.ui.inert import inert_str
from cep_tui.vocabulary import ExitReason

FORMATS = (".ods", ".csv")
UNKNOWN_FORMAT = "Format d'export inconnu : le fichier doit finir par .ods ou .csv."

Cell = int | float | str | None


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def _duration_cells(duration: Duration) -> tuple[Cell, ...]:
    return (duration.count, duration.mean, duration.median)


# The columns of a group's figures, in order (the synthèse lists the same, one a line).
FIGURE_COLUMNS: tuple[str, ...] = (
    "Phase 1 : jeunes",
    "Phase 1 : propositions",
    "Entrées",
    "Entrées en phase 2",
    "Entrées directes en phase 3",
    "Passages en phase 3",
    "En cours fin de période",
    "En cours en phase 2",
    "En cours en phase 3",
    "Sorties",
    *(f"Sorties : {reason.label}" for reason in ExitReason),
    "CEP sortis (durée)",
    "Durée moyenne (jours)",
    "Durée médiane (jours)",
    "Sortis passés par la phase 2",
    "Phase 2 : durée moyenne (jours)",
    "Phase 2 : durée médiane (jours)",
    "Sortis passés par la phase 3",
    "Phase 3 : durée moyenne (jours)",
    "Phase 3 : durée médiane (jours)",
)


def figure_cells(f: Figures) -> tuple[Cell, ...]:
    return (
        f.phase_1_young,
        f.phase_1_proposals,
        f.entries,
        f.entries_phase_2,
        f.entries_phase_3,
        f.passes_to_phase_3,
        f.stock,
        f.stock_phase_2,
        f.stock_phase_3,
        f.exits,
        *(f.exits_by_reason[reason] for reason in ExitReason),
        *_duration_cells(f.days_all),
        *_duration_cells(f.days_phase_2),
        *_duration_cells(f.days_phase_3),
    )


def tables(indicators: Indicators) -> tuple[Table, ...]:
    """The three tables of an export: the synthèse, the breakdowns, the months."""
    period = f"du {format_date(indicators.start)} au {format_date(indicators.end)}"
    synthesis = Table(
        "Synthèse",
        ("Indicateur", "Valeur"),
        (
            ("Période", period),
            ("Périmètre", indicators.scope_label),
            *zip(FIGURE_COLUMNS, figure_cells(indicators.total), strict=True),
        ),
    )
    rows = [("Ensemble", "Ensemble", *figure_cells(indicators.total))]
    for breakdown in indicators.breakdowns:
        rows += [
            (breakdown.label, group.label, *figure_cells(group.figures))
            for group in breakdown.groups
        ]
    by_group = Table("Ventilations", ("Ventilation", "Groupe", *FIGURE_COLUMNS), tuple(rows))
    months = Table(
        "Mois",
        ("Mois", "Entrées", "Sorties"),
        tuple((f"{m.month:%m/%Y}", m.entries, m.exits) for m in indicators.months),
    )
    return synthesis, by_group, months


# -- writers --------------------------------------------------------------------------------
def french_number(value: Cell) -> str:
    """A cell as a French spreadsheet reads it: decimal comma, nothing for "sans objet"."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def csv_text(indicators: Indicators) -> str:
    """The tables one after the other, each under its title, an empty line between."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for index, table in enumerate(tables(indicators)):
        if index:
            writer.writerow([])
        writer.writerow([table.title])
        writer.writerow(table.header)
        writer.writerows([french_number(c) for c in row] for row in table.rows)
    return out.getvalue()


def ods_bytes(indicators: Indicators) -> bytes:
    """A spreadsheet, one sheet per table; numbers as numbers (the spreadsheet formats
    them as its locale says)."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableColumnProperties, TextProperties
    from odf.table import Table as OdsTable
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    bold = Style(name="Entete", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    wide = Style(name="Large", family="table-column")
    wide.addElement(TableColumnProperties(columnwidth="6cm"))
    document.automaticstyles.addElement(bold)
    document.automaticstyles.addElement(wide)

    def cell(value: Cell, style=None) -> TableCell:
        if value is None:
            return TableCell()
        if isinstance(value, int | float):
            element = TableCell(valuetype="float", value=value)
            element.addElement(P(text=french_number(value)))
            return element
        element = TableCell(valuetype="string", **({"stylename": style} if style else {}))
        element.addElement(P(text=str(value)))
        return element

    for table in tables(indicators):
        sheet = OdsTable(name=table.title)
        sheet.addElement(TableColumn(stylename=wide))
        header = TableRow()
        for title in table.header:
            header.addElement(cell(title, bold))
        sheet.addElement(header)
        for row in table.rows:
            line = TableRow()
            for value in row:
                line.addElement(cell(value))
            sheet.addElement(line)
        document.spreadsheet.addElement(sheet)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def text_table(indicators: Indicators) -> str:
    """What `cep-tui indicators` prints without --output: the synthèse, then each
    breakdown with its main figures, then the months. Names from the database (structure,
    counsellors, reference values) are printed inert: nothing in them drives the terminal."""
    lines = [
        f"Indicateurs CEP du {format_date(indicators.start)} au {format_date(indicators.end)}"
        f" — {inert_str(indicators.scope_label)}",
        "",
    ]
    synthesis, _, months = tables(indicators)
    width = max(len(name) for name, _ in synthesis.rows[2:])
    lines += [f"{name:<{width}}  {french_number(value):>8}" for name, value in synthesis.rows[2:]]
    columns = ("Entrées", "Ph. 3", "En cours", "Sorties", "Durée moy.", "Durée méd.")
    for breakdown in indicators.breakdowns:
        labels = [inert_str(g.label) for g in breakdown.groups]
        label_width = max([24, *(len(label) for label in labels)])
        lines += ["", breakdown.label.upper()]
        lines.append(f"{'':<{label_width}}" + "".join(f"{c:>11}" for c in columns))
        for group, label in zip(breakdown.groups, labels, strict=True):
            f = group.figures
            values = (
                f.entries,
                f.passes_to_phase_3,
                f.stock,
                f.exits,
                f.days_all.mean,
                f.days_all.median,
            )
            lines.append(
                f"{label:<{label_width}}" + "".join(f"{french_number(v):>11}" for v in values)
            )
    lines += ["", "PAR MOIS", f"{'Mois':<10}{'Entrées':>9}{'Sorties':>9}"]
    lines += [f"{m:<10}{e:>9}{s:>9}" for m, e, s in months.rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"


# -- files ----------------------------------------------------------------------------------
def export_path(name: str | os.PathLike, folder: Path) -> Path:
    """Where an export named `name` goes: a bare file name into `folder`, a path with
    folders where it says."""
    path = Path(name).expanduser()
    return folder / path if path.parent == Path(".") and not str(name).startswith(".") else path


def export(indicators: Indicators, path: Path) -> Path:
    """Write the indicators as the new file `path` (.ods or .csv): ValueError for another
    suffix, ExportError (cep_tui.exports: private, never over an existing file) if it
    cannot be written."""
    suffix = path.suffix.lower()
    if suffix == ".ods":
        write_private(path, ods_bytes(indicators))
    elif suffix == ".csv":
        write_private(path, ("\ufeff" + csv_text(indicators)).encode("utf-8"))
    else:
        raise ValueError(UNKNOWN_FORMAT)
    return path
