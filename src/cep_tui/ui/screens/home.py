"""Home: find a young person's dossier, searching as you type."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.ui.inert import inert
from cep_tui.ui.results_gate import ResultsGate
from cep_tui.ui.widgets.caseload import CaseloadPanel
from cep_tui.ui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from cep_tui.services.views import DossierRow, Page

PAGE_SIZE = 50
COLUMNS = (("N° dossier", 10), ("Nom", 20), ("Prénom", 15), ("Né(e) le", 10), ("Statut", 12))


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "focus_search", "Rechercher", key_display="/"),
        Binding("enter", "open_dossier", "Ouvrir le dossier", show=True),
        Binding("pagedown", "next_page", "Page suivante", show=False),
        Binding("pageup", "previous_page", "Page précédente", show=False),
        Binding("f2", "offers", "Offres", key_display="F2"),
        Binding("f3", "administration", "Administration", key_display="F3"),
        Binding("f4", "app.indicators", "Indicateurs", key_display="F4"),
    ]
    AUTO_FOCUS = "#dossier-search"

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[DossierRow, ...] = ()
        self.page_offset = 0
        self.has_more = False
        self.ready = False  # the first results are shown
        # Entrée opens only from the results of the text in the box (or waits for them).
        self.gate = ResultsGate(self.app, lambda: self.query_one("#dossier-search", Input).value)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(Text("RECHERCHER UN DOSSIER"), classes="screen-title")
        yield Input(
            placeholder="Nom, prénom, date de naissance (jj/mm/aaaa) ou n° de dossier",
            id="dossier-search",
        )
        # « Mes jeunes » (issue 15) stands for the results while nothing is typed.
        yield CaseloadPanel(id="caseload")
        yield Static("", id="results-caption", classes="caption")
        table = DataTable(id="dossier-results", cursor_type="row", zebra_stripes=True)
        # Fixed widths: they fit 80 columns and do not jump as results change. Labels as
        # Text: a str would be read as markup, which loads rich's table of emoji names.
        for label, width in COLUMNS:
            table.add_column(Text(label), width=width)
        yield table
        yield KeysFooter()

    def on_mount(self) -> None:
        self.app.first_screen_ready("interactive")
        self.call_after_refresh(self.search, "")

    @on(Input.Changed, "#dossier-search")
    def on_search_changed(self, event: Input.Changed) -> None:
        self.show_caseload()
        self.page_offset = 0
        self.search(event.value)

    @on(Input.Submitted, "#dossier-search")
    def on_search_submitted(self) -> None:
        self.gate.when_current(self._submit_search)

    def _submit_search(self) -> None:
        if self.query_one(CaseloadPanel).display:
            self.query_one("#caseload-table").focus()
            return
        if self.rows:
            self.query_one(DataTable).focus()
            if len(self.rows) == 1:
                self.action_open_dossier()

    @work(thread=True, exclusive=True, group="dossier-search")
    def search(self, text: str) -> None:
        app = self.app
        try:
            page = app.services.dossiers.search(
                app.actor, text, offset=self.page_offset, limit=PAGE_SIZE
            )
        except DomainError as error:
            app.call_from_thread(self.notify, error.message, severity="error")
            app.call_from_thread(self.gate.abandon)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show_results, text, page)

    def show_results(self, text: str, page: Page[DossierRow]) -> None:
        self.rows, self.has_more = page.items, page.has_more
        table = self.query_one(DataTable)
        table.clear()
        for row in page.items:
            table.add_row(
                inert(row.number),
                inert(row.last_name.upper()),
                inert(row.first_name),
                Text(format_date(row.birth_date)),
                Text(row.status_label),
                key=str(row.id),
            )
        self.query_one("#results-caption", Static).update(self._caption(text, page))
        if not self.ready:
            self.ready = True
            self.app.first_screen_ready("results")
        if self.page_offset == page.offset:
            self.gate.shown(text)

    @staticmethod
    def _caption(text: str, page: Page[DossierRow]) -> Text:
        first = page.offset + 1
        last = page.offset + len(page.items)
        if not text.strip():
            label = "Mes dossiers récents"
        elif not page.items:
            return Text("Aucun dossier ne correspond à cette recherche.")
        else:
            label = "Résultats"
        more = " · PgSuiv : suite" if page.has_more else ""
        back = " · PgPréc : retour" if page.offset else ""
        return Text(f"{label} ({first}–{last}){more}{back}" if page.items else label)

    def action_focus_search(self) -> None:
        self.query_one("#dossier-search", Input).focus()

    def action_open_dossier(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows:
            return
        row = self.rows[min(table.cursor_row, len(self.rows) - 1)]
        self.app.open_dossier(row.id)

    @on(DataTable.RowSelected, "#dossier-results")
    def on_row_selected(self) -> None:
        self.action_open_dossier()

    def action_next_page(self) -> None:
        if self.has_more:
            self.page_offset += PAGE_SIZE
            self.search(self.query_one("#dossier-search", Input).value)

    def action_previous_page(self) -> None:
        if self.page_offset:
            self.page_offset = max(0, self.page_offset - PAGE_SIZE)
            self.search(self.query_one("#dossier-search", Input).value)

    def action_offers(self) -> None:
        from cep_tui.ui.screens.offers import OffersScreen

        self.app.push_screen(OffersScreen())

    def action_administration(self) -> None:
        from cep_tui.ui.screens.admin import AdminScreen

        self.app.push_screen(AdminScreen())

    # -- « Mes jeunes » ------------------------------------------------------------------
    def show_caseload(self) -> None:
        """« Mes jeunes » while the search box is empty and the counsellor has some; the
        search results (« Mes dossiers récents » with nothing typed) otherwise."""
        panel = self.query_one(CaseloadPanel)
        shown = bool(panel.rows) and not self.query_one("#dossier-search", Input).value.strip()
        panel.display = shown
        self.query_one("#results-caption").display = not shown
        self.query_one("#dossier-results").display = not shown

    @on(CaseloadPanel.Loaded)
    def on_caseload_loaded(self) -> None:
        self.show_caseload()

    def action_caseload_order(self) -> None:
        self.query_one(CaseloadPanel).next_order()

    def on_screen_resume(self) -> None:
        # Back from a dossier: its changes may move it in "my recent dossiers". (Not at
        # the first show, which on_mount's search serves: a second one would cancel it.)
        if self.is_mounted and self.ready:
            self.search(self.query_one("#dossier-search", Input).value)
            self.query_one(CaseloadPanel).load()
