"""The sections of an offer's synthèse, right of its navigation: SYNTHÈSE; SUIVI —
Propositions; FICHE OFFRE — Informations générales, Conditions MER.

The fiche sections show the OfferView the screen read; Propositions reads its own pages of
young people (ProposalService.list_for_offer), off the UI thread (ui/reads.py): a fault
is said in its caption, with `r` to read again. Database text is always wrapped in Text.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.widgets import DataTable, Static

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.services.proposals import OfferProposalRow
from cep_tui.services.views import OfferView, Page
from cep_tui.ui.inert import inert
from cep_tui.ui.key_order import KeysInOrder
from cep_tui.ui.modals.offer_synthesis import general_information, mer_conditions
from cep_tui.ui.reads import Reads
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from cep_tui.ui.widgets.section_nav import NavSection

OFFER_SECTIONS: tuple[NavSection, ...] = (
    NavSection("synthese", "SYNTHÈSE"),
    NavSection("propositions", "Propositions", "SUIVI"),
    NavSection("informations", "Informations générales", "FICHE OFFRE"),
    NavSection("conditions", "Conditions MER", "FICHE OFFRE"),
)
OFFER_SECTION_IDS = tuple(s.id for s in OFFER_SECTIONS)
PROPOSALS_PAGE = 50
# What a page key holds the keys for (see `PropositionsSection.turn_to`).
PAGE_TURN = "propositions-page"


def period(offer: OfferView) -> str:
    if offer.end_date is None:
        return f"depuis le {format_date(offer.start_date)}"
    return f"du {format_date(offer.start_date)} au {format_date(offer.end_date)}"


def value_label(value) -> str:
    """A reference value as shown on a record: deactivated ones say so."""
    if value is None:
        return ""
    return value.label if value.active else f"{value.label} (désactivé)"


def offer_summary(offer: OfferView) -> list[tuple[str, str]]:
    measure = value_label(offer.national_measure)
    if offer.is_cep:
        measure += " (phase 1)"
    count = offer.proposals_count
    return [
        ("Nom de l'offre", offer.name),
        ("Thème", value_label(offer.theme)),
        ("Mesure nationale", measure),
        ("État", value_label(offer.state)),
        ("Période", period(offer)),
        ("Conseiller référent", offer.referent.display_name),
        ("Partenaire", offer.partner),
        ("Places", "" if offer.places is None else str(offer.places)),
        ("Propositions", f"{count} jeune{'s' if count > 1 else ''}"),
    ]


def fiche_general(offer: OfferView) -> list[tuple[str, str]]:
    """The guide's Informations générales, deactivated values marked."""
    marked = {
        "Thème": value_label(offer.theme),
        "Acte de service": value_label(offer.service_act),
        "État": value_label(offer.state),
        "Mesure nationale": value_label(offer.national_measure),
    }
    return [(label, marked.get(label, value)) for label, value in general_information(offer)]


class OfferSection(Vertical):
    DEFAULT_CLASSES = "offer-section"
    HEADING = ""

    def compose(self) -> ComposeResult:
        yield Static(Text(self.HEADING), classes="section-title")
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
        yield

    def show(self, offer: OfferView) -> None:
        """Display the offer as read by the screen."""

    def focus_content(self) -> bool:
        target = next((w for w in self.query("*") if w.focusable), None)
        if target is None:
            return False
        target.focus()
        return True


class PairsSection(OfferSection):
    """Label / value rows, scrolled with the arrows."""

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="section-body offer-pairs"):
            yield Grid(classes="synthesis-grid")

    def pairs(self, offer: OfferView) -> list[tuple[str, str]]:
        raise NotImplementedError

    def show(self, offer: OfferView) -> None:
        grid = self.query_one(Grid)
        grid.remove_children()
        cells = []
        for label, value in self.pairs(offer):
            cells.append(Static(Text(label), classes="synthesis-label"))
            cells.append(Static(inert(value or "—", multiline=True), classes="synthesis-value"))
        grid.mount_all(cells)


class SummarySection(PairsSection):
    HEADING = "SYNTHÈSE"

    def pairs(self, offer: OfferView) -> list[tuple[str, str]]:
        return offer_summary(offer)


class GeneralSection(PairsSection):
    HEADING = "INFORMATIONS GÉNÉRALES"

    def pairs(self, offer: OfferView) -> list[tuple[str, str]]:
        return fiche_general(offer)


class ConditionsSection(PairsSection):
    HEADING = "CONDITIONS MER"

    def pairs(self, offer: OfferView) -> list[tuple[str, str]]:
        return mer_conditions(offer)


class PropositionsSection(OfferSection):
    """The young people the offer was proposed to, most recent first, paged."""

    HEADING = "PROPOSITIONS"

    def __init__(self, offer_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.offer_id = offer_id
        self.rows: tuple[OfferProposalRow, ...] = ()
        self.page_offset = 0
        self.has_more = False
        self.reads: Reads[Page[OfferProposalRow]] = Reads(self)
        self.fault: str | None = None  # why the last read failed, until one succeeds

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="caption section-caption")
        yield DataTable(cursor_type="row", zebra_stripes=True, classes="section-table")

    def on_mount(self) -> None:
        # Beside the navigation (28 columns): the names share what the fixed columns leave.
        spare = max(24, self.app.size.width - 28 - 2 - 8 - 1 - 7 - 10)
        table = self.query_one(DataTable)
        table.add_column("N°", width=7)
        table.add_column("Jeune", width=spare - spare * 2 // 5)
        table.add_column("Le", width=10)
        table.add_column("Par", width=spare * 2 // 5)

    def load_page(self, offset: int) -> None:
        """Read the page at `offset` (in a worker); shown when the read ends."""
        app = self.app
        self.reads.start(
            lambda: app.services.proposals.list_for_offer(
                app.actor, self.offer_id, offset=max(0, offset), limit=PROPOSALS_PAGE
            ),
            self.fill,
            self.read_failed,
        )

    def read_failed(self, error: DomainError) -> None:
        """A database fault, with the key that reads again; a refusal, as said."""
        self.release_keys()
        retry = isinstance(error, DatabaseUnavailable)
        self.fault = error.message if retry else None
        self.rows, self.has_more = (), False
        self.query_one(DataTable).clear()
        message = f"{error.message} {RETRY_HINT}" if retry else error.message
        self.query_one(".section-caption", Static).update(inert(message))
        self.screen.refresh_bindings()

    def fill(self, page: Page[OfferProposalRow]) -> None:
        self.fault = None
        self.rows, self.page_offset, self.has_more = page.items, page.offset, page.has_more
        table = self.query_one(DataTable)
        table.clear()
        for row in page.items:
            table.add_row(
                inert(row.dossier_number),
                inert(row.young_person, no_wrap=True, overflow="ellipsis"),
                Text(format_date(row.proposed_on)),
                inert(row.counsellor_name, no_wrap=True, overflow="ellipsis"),
                key=f"{row.dossier_id}-{page.offset}-{len(table.rows)}",
            )
        self.query_one(".section-caption", Static).update(Text(self.caption()))
        self.screen.refresh_bindings()
        self.release_keys()

    def caption(self) -> str:
        if not self.rows:
            return "Cette offre n'a encore été proposée à aucun jeune."
        first, last = self.page_offset + 1, self.page_offset + len(self.rows)
        more = " — PgSuiv : suivants" if self.has_more else ""
        back = " — PgPréc : précédents" if self.page_offset else ""
        return f"Jeunes {first} à {last} — Entrée : ouvrir le dossier{more}{back}"

    @property
    def current(self) -> OfferProposalRow | None:
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # A page key holds the keys typed after it until its page is shown (or its read
    # failed): Entrée, an arrow or another page key then act on the page asked for, never
    # on the one leaving the screen (keys in bursts, ui/key_order.py). The read is bounded
    # (db/connection.py WaitLimits), so the keys wait that long at most.
    def next_page(self) -> None:
        if self.has_more and not self.reads.reading:
            self.turn_to(self.page_offset + PROPOSALS_PAGE)

    def previous_page(self) -> None:
        if self.page_offset and not self.reads.reading:
            self.turn_to(self.page_offset - PROPOSALS_PAGE)

    def turn_to(self, offset: int) -> None:
        if isinstance(self.app, KeysInOrder):
            self.app.hold_keys(PAGE_TURN)
        self.load_page(offset)

    def release_keys(self) -> None:
        if isinstance(self.app, KeysInOrder):
            self.app.release_keys(PAGE_TURN)

    def on_unmount(self) -> None:
        self.release_keys()  # its read's outcome will not come


SECTION_WIDGETS: dict[str, type[OfferSection]] = {
    "synthese": SummarySection,
    "propositions": PropositionsSection,
    "informations": GeneralSection,
    "conditions": ConditionsSection,
}
