"""Offres de service: the structure's offers, searched as you type (accents and case
ignored) and filtered by Thème, Mesure nationale, État and period, paged from the database.

Enter opens an offer's synthèse; `n` creates an offer and `u` modifies the highlighted one,
both with the right "Gérer des offres de service" (greyed without it, `?` says why).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static
from textual.worker import get_current_worker

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.services.views import OfferRow, OfferView, Page
from cep_tui.ui.inert import inert
from cep_tui.ui.refusals import refusal_for
from cep_tui.ui.results_gate import ResultsGate
from cep_tui.ui.widgets.footer import KeysFooter
from cep_tui.ui.widgets.offer_filters import OfferFilters
from cep_tui.ui.widgets.offer_sections import value_label
from cep_tui.vocabulary import Right

PAGE_SIZE = 50
SEARCH_PLACEHOLDER = "Nom, type, thème, contrat, mesure, acte de service, partenaire"
# Column: (title, minimum width, share of the width left). Dates are always whole.
COLUMNS = (
    ("Nom", 12, 5),
    ("Thème", 9, 2),
    ("Mesure", 6, 1),
    ("État", 10, 0),
    ("Début", 10, 0),
    ("Fin", 10, 0),
    ("Partenaire", 7, 2),
)


def column_widths(total: int) -> list[int]:
    """Share `total` columns of screen among the columns (each has one cell of padding on
    either side, and the table a scrollbar of one)."""
    room = total - 2 * len(COLUMNS) - 1
    widths = [minimum for _, minimum, _ in COLUMNS]
    spare = max(0, room - sum(widths))
    shares = sum(share for *_, share in COLUMNS)
    for index, (_, _, share) in enumerate(COLUMNS):
        widths[index] += spare * share // shares
    return widths


def clip(text: str) -> Text:
    return inert(text, no_wrap=True, overflow="ellipsis")


class OffersScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "new_offer", "Nouvelle offre"),
        Binding("enter", "synthesis", "Synthèse de l'offre", priority=True),
        Binding("m", "modify", "Modifier"),
        Binding("slash", "focus_search", "Rechercher", key_display="/", show=False),
        Binding("pagedown", "next_page", "Page suivante", key_display="PgSuiv", priority=True),
        Binding("pageup", "previous_page", "Page précédente", key_display="PgPréc", priority=True),
        Binding("escape", "back", "Retour", key_display="Échap", show=False),
        Binding("down", "focus_results", "Liste des offres", show=False),
    ]
    AUTO_FOCUS = "#offer-results"

    def __init__(self) -> None:
        super().__init__()
        self.rows: tuple[OfferRow, ...] = ()
        self.page_offset = 0
        self.has_more = False
        self.focus_after: int | None = None  # the offer to highlight once the list shows
        # Entrée in the search goes to the list of the text typed (ui/results_gate.py).
        self.gate = ResultsGate(self.app, self.current_query)

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static(Text("OFFRES DE SERVICE"), classes="screen-title")
        yield Input(placeholder=SEARCH_PLACEHOLDER, id="offer-search")
        yield OfferFilters(id="offer-filters")
        yield Static("", id="offers-caption", classes="caption")
        yield DataTable(id="offer-results", cursor_type="row", zebra_stripes=True)
        yield Static("", id="offer-detail")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for (title, *_), width in zip(COLUMNS, column_widths(self.app.size.width), strict=True):
            table.add_column(title, width=width)
        self.search()

    # -- searching ---------------------------------------------------------------------
    @on(Input.Changed, "#offer-search")
    @on(OfferFilters.Changed)
    def on_criteria_changed(self) -> None:
        self.page_offset = 0
        self.search()

    def search(self) -> None:
        """Read the page again; the highlight stays on the same offer if it is still there
        (or goes to the one just saved)."""
        current = self.current
        focus_id = self.focus_after or (current.id if current else None)
        self.run_search(
            self.query_one("#offer-search", Input).value,
            self.query_one(OfferFilters).criteria(),
            self.page_offset,
            focus_id,
        )

    @work(thread=True, exclusive=True, group="offer-search")
    def run_search(self, text: str, criteria: dict, offset: int, focus_id: int | None) -> None:
        app = self.app
        try:
            page = app.services.offers.list(
                app.actor, text, offset=offset, limit=PAGE_SIZE, **criteria
            )
        except DomainError as error:
            if not get_current_worker().is_cancelled:
                app.call_from_thread(self.notify, error.message, severity="error", markup=False)
                app.call_from_thread(self.gate.abandon)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show_results, page, focus_id)
            app.call_from_thread(self.gate.shown, query_key(text, criteria, offset))

    def show_results(self, page: Page[OfferRow], focus_id: int | None = None) -> None:
        if not self.is_attached:
            return
        self.rows, self.page_offset, self.has_more = page.items, page.offset, page.has_more
        table = self.query_one(DataTable)
        table.clear()
        for offer in page.items:
            table.add_row(
                clip(offer.name),
                clip(value_label(offer.theme)),
                clip(value_label(offer.national_measure)),
                clip(value_label(offer.state)),
                Text(format_date(offer.start_date)),
                Text(format_date(offer.end_date)),
                clip(offer.partner),
                key=str(offer.id),
            )
        if focus_id is not None:
            index = next((i for i, o in enumerate(self.rows) if o.id == focus_id), None)
            if index is not None:
                table.move_cursor(row=index)
            if focus_id == self.focus_after:
                self.focus_after = None
        self.query_one("#offers-caption", Static).update(Text(self.caption()))
        self.show_detail()
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#offer-results")
    def show_detail(self) -> None:
        """The highlighted offer in full under the table (its columns are narrow)."""
        offer = self.current
        detail = Text()
        if offer is not None:
            detail.append(inert(offer.name, style="bold"))
            if offer.partner:
                detail.append(inert(f" — {offer.partner}"))
            if offer.is_cep:
                detail.append(" — CEP phase 1", style="italic")
        self.query_one("#offer-detail", Static).update(detail)

    def caption(self) -> str:
        if not self.rows:
            return "Aucune offre ne correspond à cette recherche."
        first, last = self.page_offset + 1, self.page_offset + len(self.rows)
        more = " — PgSuiv : page suivante" if self.has_more else ""
        back = " — PgPréc : page précédente" if self.page_offset else ""
        return f"Offres {first} à {last}{more}{back}"

    @property
    def current(self) -> OfferRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # -- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self.has_more
        if action == "previous_page":
            return self.page_offset > 0
        if action in ("synthesis", "modify") and not self.rows:
            return None
        if action in ("new_offer", "modify") and self.action_refusal(action):
            return None
        return True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (read by the keys help)."""
        if action in ("new_offer", "modify"):
            return refusal_for(self.app.actor, Right.MANAGE_OFFERS)
        if action in ("synthesis",) and not self.rows:
            return "Aucune offre dans la liste."
        return None

    def action_focus_results(self) -> None:
        self.query_one(DataTable).focus()

    def action_focus_search(self) -> None:
        self.query_one("#offer-search", Input).focus()

    def action_back(self) -> None:
        """Escape: from the search or a filter back to the list, else back home."""
        table = self.query_one(DataTable)
        if self.focused is not table:
            table.focus()
            return
        self.app.pop_screen()

    @on(Input.Submitted, "#offer-search")
    def on_search_submitted(self) -> None:
        # To the list of the text typed (Entrée then opens one of them), not of an earlier.
        self.gate.when_current(self._to_results)

    def _to_results(self) -> None:
        if self.rows:
            self.query_one(DataTable).focus()

    def current_query(self) -> tuple:
        """What the list shown must answer: the text, the filters, the page."""
        return query_key(
            self.query_one("#offer-search", Input).value,
            self.query_one(OfferFilters).criteria(),
            self.page_offset,
        )

    def action_synthesis(self) -> None:
        # Enter opens the highlighted offer from the list; elsewhere it does what it does.
        table = self.query_one(DataTable)
        if self.focused is not table:
            raise SkipAction()
        offer = self.current
        if offer is None:
            return
        from cep_tui.ui.screens.offer import OfferScreen

        self.app.push_screen(OfferScreen(offer.id))

    def after_save(self, verb: str):
        def done(result: OfferView | None) -> None:
            if result is not None:
                self.app.notify(f"Offre « {result.name} » {verb}.", markup=False)
                self.focus_after = result.id
                self.search()

        return done

    def action_new_offer(self) -> None:
        from cep_tui.ui.modals.offer_form import OfferFormModal

        self.app.push_screen(OfferFormModal(), self.after_save("créée"))

    def action_modify(self) -> None:
        offer = self.current
        if offer is None:
            return
        from cep_tui.ui.modals.offer_form import OfferFormModal

        try:  # the form starts from the offer as stored now
            offer = self.app.services.offers.get(self.app.actor, offer.id)
        except DomainError as error:
            self.app.notify(error.message, severity="error", markup=False)
            return
        self.app.push_screen(OfferFormModal(offer), self.after_save("enregistrée"))

    def action_next_page(self) -> None:
        table = self.query_one(DataTable)
        if self.focused is table and table.cursor_row < table.row_count - 1:
            table.action_page_down()
        elif self.has_more:
            self.page_offset += PAGE_SIZE
            self.search()

    def action_previous_page(self) -> None:
        table = self.query_one(DataTable)
        if self.focused is table and table.cursor_row > 0:
            table.action_page_up()
        elif self.page_offset:
            self.page_offset = max(0, self.page_offset - PAGE_SIZE)
            self.search()

    def on_screen_resume(self) -> None:
        # Back from an offer: its changes show in the list.
        if self.is_mounted:
            self.search()


def query_key(text: str, criteria: dict, offset: int) -> tuple:
    return text, tuple(sorted(criteria.items())), offset
