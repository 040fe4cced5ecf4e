"""Indicateurs CEP: the figures of a period (month, quarter, year, or two dates) for the
counsellor's young people or the whole structure, read from the service in a worker;
the synthèse and the durations as tables, exits by reason and each breakdown as bars, the
entries and exits of each month as sparklines. F4 from anywhere (the App's key).

Keys: ←/→ the period before/after, `p` its kind, `d` two dates, `s` the scope, `v`/`V`
the breakdown, `m` the figure its bars show, `e` export (.ods or .csv), Échap back.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Sparkline, Static
from textual.worker import get_current_worker

from cep_tui.periods import Period, PeriodKind
from cep_tui.services.errors import DomainError
from cep_tui.services.indicators import Dimension, Indicators, Scope
from cep_tui.ui.widgets import indicator_panels as panels
from cep_tui.ui.widgets.dossier_sections import SCROLL_BINDINGS
from cep_tui.ui.widgets.footer import KeysFooter

KINDS = tuple(PeriodKind)


class IndicatorsBody(VerticalScroll, inherit_bindings=False):
    BINDINGS = SCROLL_BINDINGS


class IndicatorsScreen(Screen[None]):
    BINDINGS = [
        Binding("left", "shift(-1)", "Période précédente", key_display="←"),
        Binding("right", "shift(1)", "Période suivante", key_display="→"),
        Binding("p", "next_kind", "Mois/trim./année"),
        Binding("d", "two_dates", "Dates"),
        Binding("s", "scope", "Périmètre"),
        Binding("v", "breakdown(1)", "Ventilation"),
        Binding("V", "breakdown(-1)", "Ventilation précédente", show=False),
        Binding("m", "measure", "Barres"),
        Binding("e", "export", "Exporter"),
        Binding("escape", "back", "Retour", key_display="Échap"),
    ]
    AUTO_FOCUS = "#indicators-body"

    def __init__(self) -> None:
        super().__init__()
        self.period = Period.around(PeriodKind.YEAR, dt.date.today())
        self.scope = Scope.MINE
        self.dimension_index = 0
        self.measure_index = 0
        self.indicators: Indicators | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(Text("INDICATEURS CEP"), classes="screen-title")
        yield Static("", id="indicators-period")
        with IndicatorsBody(id="indicators-body"):
            yield Static("", id="indicators-synthesis")
            yield Static("", id="indicators-durations")
            yield Static(Text("SORTIES PAR MOTIF", style="bold"), classes="indicators-heading")
            yield Static("", id="indicators-exits")
            yield Static("", id="indicators-months-title", classes="indicators-heading")
            for name, label in (("entries", "Entrées"), ("exits", "Sorties")):
                with Horizontal(classes="indicators-spark-row"):
                    yield Static(Text(label), classes="indicators-spark-label")
                    yield Sparkline([], id=f"spark-{name}", classes="indicators-spark")
                    yield Static("", id=f"spark-{name}-total", classes="indicators-spark-total")
            yield Static("", id="indicators-breakdown-title", classes="indicators-heading")
            yield Static("", id="indicators-breakdown")
        yield KeysFooter()

    def on_mount(self) -> None:
        app = self.app
        self.period = Period.around(PeriodKind.YEAR, app.services.clock.today())
        if Scope.STRUCTURE in app.services.indicators.scopes(app.actor):
            self.scope = Scope.STRUCTURE
        self.load()

    # -- data ----------------------------------------------------------------------------
    def load(self) -> None:
        self.query_one("#indicators-period", Static).update(self._period_line(computing=True))
        self.compute(self.period, self.scope)

    @work(thread=True, exclusive=True, group="indicators")
    def compute(self, period: Period, scope: Scope) -> None:
        app = self.app
        try:
            result = app.services.indicators.compute(app.actor, period.start, period.end, scope)
        except DomainError as error:
            app.call_from_thread(self._refused, error)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show, result)

    def _refused(self, error: DomainError) -> None:
        self.notify(error.message, severity="error", markup=False)
        self.query_one("#indicators-period", Static).update(self._period_line())

    def _period_line(self, *, computing: bool = False) -> Text:
        scope = self.scope.label
        line = Text.assemble(
            (self.period.label, "bold"), f" ({self.period.dates}) · ", (scope, "bold")
        )
        if computing:
            line.append(" · calcul…", style="italic")
        return line

    def show(self, indicators: Indicators) -> None:
        self.indicators = indicators
        self.query_one("#indicators-period", Static).update(self._period_line())
        width = max(10, self.size.width - 42)
        self.query_one("#indicators-synthesis", Static).update(panels.synthesis(indicators))
        self.query_one("#indicators-durations", Static).update(panels.durations(indicators.total))
        self.query_one("#indicators-exits", Static).update(
            panels.exits_by_reason(indicators.total, width)
        )
        months = indicators.months
        self.query_one("#indicators-months-title", Static).update(
            Text(
                f"ENTRÉES ET SORTIES PAR MOIS ({months[0].month:%m/%Y} – {months[-1].month:%m/%Y})",
                style="bold",
            )
        )
        for name in ("entries", "exits"):
            values = [getattr(m, name) for m in months]
            self.query_one(f"#spark-{name}", Sparkline).data = values
            self.query_one(f"#spark-{name}-total", Static).update(
                Text(f"{sum(values)} (max {max(values, default=0)}/mois)")
            )
        self.show_breakdown()

    def show_breakdown(self) -> None:
        if self.indicators is None:
            return
        dimension = list(Dimension)[self.dimension_index]
        measure = panels.MEASURES[self.measure_index][0]
        breakdown = self.indicators.breakdown(dimension)
        self.query_one("#indicators-breakdown-title", Static).update(
            Text.assemble(
                (f"VENTILATION : {dimension.label.upper()}", "bold"),
                f"  ({self.dimension_index + 1}/{len(Dimension)}, v : suivante)",
            )
        )
        width = max(6, self.size.width - panels.BREAKDOWN_FIGURES_WIDTH)
        self.query_one("#indicators-breakdown", Static).update(
            panels.breakdown_table(breakdown, measure, width)
        )

    # -- keys ----------------------------------------------------------------------------
    def action_shift(self, steps: int) -> None:
        self.period = self.period.shifted(steps)
        self.load()

    def action_next_kind(self) -> None:
        kinds = [k for k in KINDS if k is not PeriodKind.DATES]
        current = kinds.index(self.period.kind) if self.period.kind in kinds else -1
        self.period = self.period.as_kind(kinds[(current + 1) % len(kinds)])
        self.load()

    def action_two_dates(self) -> None:
        from cep_tui.ui.modals.indicator_forms import PeriodFormModal

        def chosen(period: Period | None) -> None:
            if period is not None:
                self.period = period
                self.load()

        self.app.push_screen(PeriodFormModal(self.period), chosen)

    def action_scope(self) -> None:
        scopes = self.app.services.indicators.scopes(self.app.actor)
        if len(scopes) == 1:
            self.notify(
                "Toute la structure : il vous manque le droit « Consulter les indicateurs de "
                "la structure ».",
                severity="warning",
                markup=False,
            )
            return
        self.scope = scopes[(scopes.index(self.scope) + 1) % len(scopes)]
        self.load()

    def action_breakdown(self, step: int) -> None:
        self.dimension_index = (self.dimension_index + step) % len(Dimension)
        self.show_breakdown()

    def action_measure(self) -> None:
        self.measure_index = (self.measure_index + 1) % len(panels.MEASURES)
        self.show_breakdown()

    def action_export(self) -> None:
        if self.indicators is None:
            return
        from cep_tui.ui.modals.indicator_forms import ExportFormModal

        def written(path: str | None) -> None:
            if path:
                self.notify(f"Indicateurs enregistrés dans {path}", markup=False)

        self.app.push_screen(ExportFormModal(self.indicators), written)

    def action_back(self) -> None:
        self.app.pop_screen()
