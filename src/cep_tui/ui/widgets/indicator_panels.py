"""What the indicators screen draws from an `Indicators` view: the synthèse, exits by
reason as horizontal bars, and a breakdown as a table with bars. Plain functions returning
rich renderables (labels as Text: never markup; names from the database inert), so that
each is testable on its own."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from cep_tui.indicator_exports import french_number
from cep_tui.services.dates import format_date
from cep_tui.services.indicators import Breakdown, Duration, Figures, Indicators
from cep_tui.ui.inert import inert
from cep_tui.vocabulary import ExitReason

BAR = "█"
PARTS = " ▏▎▍▌▋▊▉"  # eighths of a cell: bars of close values still differ

# The figure the bars of a breakdown show, chosen with a key: (attribute, label).
MEASURES: tuple[tuple[str, str], ...] = (
    ("entries", "Entrées"),
    ("stock", "En cours"),
    ("exits", "Sorties"),
    ("passes_to_phase_3", "Passages en phase 3"),
    ("phase_1_young", "Phase 1 : jeunes"),
)


def bar(value: int, largest: int, width: int) -> Text:
    """A horizontal bar `width` cells long at `largest`, in eighths of a cell."""
    if largest <= 0 or value <= 0:
        return Text("")
    eighths = max(1, round(8 * width * value / largest))
    return Text(BAR * (eighths // 8) + PARTS[eighths % 8].strip(), style="bold cyan")


def _days(duration: Duration) -> tuple[str, str, str]:
    return french_number(duration.mean), french_number(duration.median), str(duration.count)


def synthesis(indicators: Indicators) -> Table:
    f = indicators.total
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold")
    table.add_column()
    table.add_row(
        Text("Phase 1"),
        Text(f"{f.phase_1_young} jeunes · {f.phase_1_proposals} propositions d'offres CEP"),
    )
    table.add_row(
        Text("Entrées"),
        Text(f"{f.entries} : {f.entries_phase_2} en phase 2, {f.entries_phase_3} directement "
             "en phase 3"),
    )  # fmt: skip
    table.add_row(Text("Phase 3"), Text(f"{f.passes_to_phase_3} passages de la phase 2"))
    table.add_row(
        Text("En cours"),
        Text(f"{f.stock} le {format_date(indicators.end)} au soir : {f.stock_phase_2} en "
             f"phase 2, {f.stock_phase_3} en phase 3"),
    )  # fmt: skip
    table.add_row(Text("Sorties"), Text(str(f.exits)))
    return table


def durations(figures: Figures) -> Table:
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column(Text("Durée des CEP sortis"), min_width=22)
    for title in ("moyenne", "médiane", "CEP"):
        table.add_column(Text(title), justify="right")
    for label, duration in (
        ("En tout (jours)", figures.days_all),
        ("Phase 2", figures.days_phase_2),
        ("Phase 3", figures.days_phase_3),
    ):
        table.add_row(Text(label), *(Text(v) for v in _days(duration)))
    return table


def exits_by_reason(figures: Figures, width: int) -> Table:
    largest = max(figures.exits_by_reason.values(), default=0)
    table = Table(box=None, padding=(0, 1), show_header=False, show_edge=False)
    table.add_column(min_width=24)
    table.add_column(justify="right", min_width=4)
    table.add_column()
    for reason in ExitReason:
        count = figures.exits_by_reason[reason]
        table.add_row(Text(reason.label), Text(str(count)), bar(count, largest, width))
    return table


# The cells of a breakdown's row besides its bar: the label (26 at most), the five figures,
# the paddings, the bar's value, the scroll bar.
BREAKDOWN_FIGURES_WIDTH = 72


def breakdown_table(breakdown: Breakdown, measure: str, width: int) -> Table:
    """The groups of a breakdown: their main figures, and a bar of `measure`."""
    label = dict(MEASURES)[measure]
    values = [getattr(g.figures, measure) for g in breakdown.groups]
    largest = max((v or 0 for v in values), default=0)
    table = Table(box=None, padding=(0, 1), show_edge=False, header_style="bold")
    table.add_column(Text(breakdown.label), max_width=26, no_wrap=True, overflow="ellipsis")
    # The figures keep their width (a narrow terminal cuts the label and the bar, never a
    # number): BREAKDOWN_FIGURES_WIDTH cells with the label, the bar has the rest.
    for title, least in (("Entr.", 5), ("Ph.3", 5), ("Cours", 5), ("Sort.", 5), ("Méd.j", 6)):
        table.add_column(Text(title), justify="right", min_width=least, no_wrap=True)
    table.add_column(Text(label), no_wrap=True, overflow="crop")
    for group, value in zip(breakdown.groups, values, strict=True):
        f = group.figures
        table.add_row(
            inert(group.label),  # a reference value's or a counsellor's name
            Text(str(f.entries)),
            Text(str(f.passes_to_phase_3)),
            Text(str(f.stock)),
            Text(str(f.exits)),
            Text(french_number(f.days_all.median) or "–"),
            bar(value or 0, largest, width) + Text(f" {value}" if value is not None else " —"),
        )
    return table
