"""RECHERCHE D'OFFRES DE SERVICES ET DISPOSITIFS, from a young person's dossier.

Search as you type over the internal catalogue (offers, marked O) or the dispositifs
(marked d); "Proposer" opens the pre-filled proposal (an offer) or the add form (the CEP
dispositif), "Synthèse de l'offre" its summary. Dismisses with the confirmation sentence of
what was done, or None.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select, Static
from textual.worker import get_current_worker

from cep_tui.services.errors import DomainError
from cep_tui.services.views import (
    CatalogueItem,
    CatalogueKind,
    EnrolmentView,
    Page,
    ProposalView,
)
from cep_tui.ui.inert import inert
from cep_tui.ui.modals.cep_add import CepAddModal
from cep_tui.ui.modals.offer_synthesis import DispositifSynthesisModal, OfferSynthesisModal
from cep_tui.ui.modals.proposal_form import ProposalFormModal
from cep_tui.ui.results_gate import ResultsGate
from cep_tui.ui.widgets.dispositifs_section import CEP_ADDED
from cep_tui.ui.widgets.fields import FrenchSelect

PAGE_SIZE = 20
SEARCH_PLACEHOLDER = "Nom, type, thème, contrat, mesure, acte de service, partenaire"
ONLY_CEP = (
    "Seul le dispositif CEP peut être proposé ici : « {name} » n'est pas géré par cette "
    "application."
)


class CatalogueSearchModal(ModalScreen[str | None]):
    BINDINGS = [
        Binding("p", "propose", "Proposer"),
        Binding("s", "synthesis", "Synthèse de l'offre"),
        Binding("escape", "close", "Fermer"),
        Binding("pagedown", "next_page", "Page suivante", key_display="PgSuiv", priority=True),
        Binding("pageup", "previous_page", "Page précédente", key_display="PgPréc", priority=True),
        Binding("down", "focus_results", "Résultats", show=False),
    ]
    DEFAULT_CLASSES = "catalogue-modal"
    AUTO_FOCUS = "#catalogue-search"

    def __init__(
        self, dossier_id: int, *, kind: CatalogueKind = CatalogueKind.INTERNAL, text: str = ""
    ) -> None:
        super().__init__()
        self.dossier_id = dossier_id
        self.kind = CatalogueKind(kind)
        self.text = text
        self.items: tuple[CatalogueItem, ...] = ()
        self.page_offset = 0
        self.has_more = False
        # Entrée goes to the results of the text typed (ui/results_gate.py).
        self.gate = ResultsGate(self.app, lambda: (self.text, self.kind))

    def compose(self) -> ComposeResult:
        with Vertical(classes="catalogue-body") as body:
            body.border_title = "RECHERCHE D'OFFRES DE SERVICES ET DISPOSITIFS"
            yield Input(self.text, placeholder=SEARCH_PLACEHOLDER, id="catalogue-search")
            with Vertical(classes="catalogue-kind"):
                yield Label("Type d'offre", classes="field-label")
                yield FrenchSelect(
                    [(kind.label, kind) for kind in CatalogueKind],
                    value=self.kind,
                    allow_blank=False,
                    id="catalogue-kind",
                )
            yield Static("", id="catalogue-message", classes="catalogue-message")
            yield Static("", id="catalogue-caption", classes="caption")
            yield DataTable(id="catalogue-results", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        # The other columns, the cell padding and the scrollbar: no sideways scrolling.
        name_width = max(20, min(90, self.app.size.width) - 30)
        table.add_column("Nom", width=name_width, key="name")
        table.add_column("", width=1, key="kind")
        table.add_column("Proposer", key="propose")
        self.search()

    # -- searching --------------------------------------------------------------------
    @on(Input.Changed, "#catalogue-search")
    def on_text_changed(self, event: Input.Changed) -> None:
        self.text = event.value
        self.page_offset = 0
        self.search()

    @on(Select.Changed, "#catalogue-kind")
    def on_kind_changed(self, event: Select.Changed) -> None:
        if event.value is Select.NULL or event.value == self.kind:
            return
        self.kind = CatalogueKind(event.value)
        self.page_offset = 0
        self.search()

    @on(Input.Submitted, "#catalogue-search")
    def on_text_submitted(self) -> None:
        # To the results of the text typed (p, s then act on them), not of an earlier one.
        self.gate.when_current(self.action_focus_results)

    def search(self) -> None:
        self.show_message("")
        self.run_search(self.text, self.kind, self.page_offset)

    @work(thread=True, exclusive=True, group="catalogue-search")
    def run_search(self, text: str, kind: CatalogueKind, offset: int) -> None:
        app = self.app
        try:
            page = app.services.offers.search_catalogue(
                app.actor, text, kind, offset=offset, limit=PAGE_SIZE
            )
        except DomainError as error:
            if not get_current_worker().is_cancelled:
                app.call_from_thread(self.show_message, error.message)
                app.call_from_thread(self.gate.abandon)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show_results, page, (text, kind))

    def show_results(self, page: Page[CatalogueItem], query=None) -> None:
        if not self.is_attached:  # closed while the search ran
            self.gate.abandon()
            return
        self.items, self.page_offset, self.has_more = page.items, page.offset, page.has_more
        table = self.query_one(DataTable)
        table.clear()
        for item in page.items:
            table.add_row(
                inert(item.name, no_wrap=True, overflow="ellipsis"),
                Text(item.kind.value, style="bold"),
                Text("+", style="bold"),
                key=f"{item.kind.value}-{item.id}",
            )
        self.query_one("#catalogue-caption", Static).update(Text(self._caption()))
        self.refresh_bindings()
        if query is not None:
            self.gate.shown(query)

    def _caption(self) -> str:
        count = len(self.items)
        if not count:
            return "Aucun résultat."
        first, last = self.page_offset + 1, self.page_offset + count
        more = " — PgSuiv : page suivante" if self.has_more else ""
        back = " — PgPréc : page précédente" if self.page_offset else ""
        return f"Résultats {first} à {last}{more}{back}"

    def show_message(self, message: str) -> None:
        widget = self.query_one("#catalogue-message", Static)
        widget.update(inert(message))
        widget.set_class(bool(message), "-shown")

    # -- actions ----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("propose", "synthesis"):
            return True if self.items else None
        # Paging keys only show when there is a page to go to (False hides them).
        if action == "next_page":
            return self.has_more
        if action == "previous_page":
            return self.page_offset > 0
        return True

    @property
    def current_item(self) -> CatalogueItem | None:
        table = self.query_one(DataTable)
        if not self.items or not 0 <= table.cursor_row < len(self.items):
            return None
        return self.items[table.cursor_row]

    def action_focus_results(self) -> None:
        if self.items:
            self.query_one(DataTable).focus()

    def action_next_page(self) -> None:
        if self.has_more:
            self.page_offset += PAGE_SIZE
            self.search()

    def action_previous_page(self) -> None:
        if self.page_offset:
            self.page_offset = max(0, self.page_offset - PAGE_SIZE)
            self.search()

    def action_close(self) -> None:
        self.dismiss(None)

    @on(DataTable.RowSelected, "#catalogue-results")
    def on_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_propose()

    def action_synthesis(self) -> None:
        item = self.current_item
        if item is None:
            return
        if item.kind is CatalogueKind.INTERNAL:
            self.app.push_screen(OfferSynthesisModal(item.id))
        else:
            self.app.push_screen(DispositifSynthesisModal(item.id))

    def action_propose(self) -> None:
        item = self.current_item
        if item is None:
            return
        self.show_message("")
        if item.kind is CatalogueKind.INTERNAL:
            self._propose_offer(item)
        elif item.is_cep:
            self._add_cep()
        else:
            self.show_message(ONLY_CEP.format(name=item.name))

    def _propose_offer(self, item: CatalogueItem) -> None:
        app = self.app
        try:
            draft = app.services.proposals.draft(app.actor, self.dossier_id, item.id)
        except DomainError as error:
            self.show_message(error.message)
            return

        def done(result: ProposalView | None) -> None:
            if result is not None:
                self.dismiss(f"Offre « {result.offer_name} » proposée.")

        app.push_screen(ProposalFormModal(self.dossier_id, item.id, draft=draft), done)

    def _add_cep(self) -> None:
        app = self.app
        try:
            app.services.cep.check_can_add(app.actor, self.dossier_id)
        except DomainError as error:
            self.show_message(error.message)
            return

        def done(result: EnrolmentView | None) -> None:
            if result is not None:
                self.dismiss(CEP_ADDED)

        app.push_screen(CepAddModal(self.dossier_id), done)
