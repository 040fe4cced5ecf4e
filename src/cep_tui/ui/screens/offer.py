"""Synthèse de l'offre: the guide's navigation of an offer on the left (SYNTHÈSE; SUIVI —
Propositions; FICHE OFFRE — Informations générales, Conditions MER), the section on the
right. Digits 1-4 reach the sections; `u` modifies the offer (with the right "Gérer des
offres de service"); Enter on a proposition opens that young person's dossier.

Every read runs off the UI thread (ui/reads.py), as on the dossier screen: the offer here
(its title line and fiche sections), each page of Propositions in its section. A fault is
said in French where the data would be; `r` reads again."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import ContentSwitcher, DataTable, Header, OptionList, Static

from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.services.views import OfferView
from cep_tui.ui.inert import inert
from cep_tui.ui.reads import Reads
from cep_tui.ui.refusals import refusal_for
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from cep_tui.ui.widgets.footer import KeysFooter
from cep_tui.ui.widgets.offer_sections import (
    OFFER_SECTION_IDS,
    OFFER_SECTIONS,
    SECTION_WIDGETS,
    OfferSection,
    PropositionsSection,
    value_label,
)
from cep_tui.ui.widgets.section_nav import SectionNav
from cep_tui.vocabulary import Right


def offer_title(offer: OfferView) -> Text:
    """ "OFFRE CEP — CEP (phase 1) — Permanente"."""
    line = inert(offer.name, style="bold")
    if offer.national_measure is not None:
        line.append(inert(f" — {value_label(offer.national_measure)}"))
        if offer.is_cep:
            line.append(" (phase 1)")
    line.append(inert(f" — {value_label(offer.state)}"))
    return line


class OfferScreen(Screen[None]):
    BINDINGS = [
        Binding("m", "modify", "Modifier"),
        Binding("r", "retry", "Réessayer"),
        Binding("1", "section(1)", "Sections", key_display="1-4"),
        *(
            Binding(str(digit), f"section({digit})", section.label.capitalize(), show=False)
            for digit, section in enumerate(OFFER_SECTIONS, start=1)
            if digit > 1
        ),
        Binding("pagedown", "next_page", "Jeunes suivants", key_display="PgSuiv", priority=True),
        Binding(
            "pageup", "previous_page", "Jeunes précédents", key_display="PgPréc", priority=True
        ),
        Binding("escape", "back", "Retour", key_display="Échap"),
    ]
    AUTO_FOCUS = "#offer-nav"

    def __init__(self, offer_id: int, *, section: str = "synthese") -> None:
        super().__init__()
        self.offer_id = offer_id
        self.offer: OfferView | None = None
        self.current = section
        self.reads: Reads[OfferView] = Reads(self)
        self.fault: str | None = None  # why the offer could not be read

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static("", id="offer-title")
        with Horizontal(id="offer-body"):
            yield SectionNav(OFFER_SECTIONS, id="offer-nav")
            with ContentSwitcher(initial=self.current, id="offer-sections"):
                for section_id, widget in SECTION_WIDGETS.items():
                    if widget is PropositionsSection:
                        yield widget(self.offer_id, id=section_id)
                    else:
                        yield widget(id=section_id)
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one(SectionNav).highlight_section(self.current)
        self.reload()

    @property
    def propositions(self) -> PropositionsSection:
        return self.query_one(PropositionsSection)

    def reload(self) -> None:
        """Read the offer again (in a worker), and the page of Propositions."""
        app = self.app
        self.reads.start(
            lambda: app.services.offers.get(app.actor, self.offer_id),
            self.show_offer,
            self.offer_failed,
        )
        self.propositions.load_page(self.propositions.page_offset)

    def show_offer(self, offer: OfferView) -> None:
        self.offer, self.fault = offer, None
        self.query_one("#offer-title", Static).update(offer_title(offer))
        for section in self.query(OfferSection):
            section.show(offer)
        self.refresh_bindings()

    def offer_failed(self, error: DomainError) -> None:
        """A fault: said in the title line, the screen stays (`r` reads again). A refusal
        (the offer is gone, or the right to see it): said, and back."""
        if isinstance(error, DatabaseUnavailable):
            self.fault = error.message
            title = inert(f"{error.message} {RETRY_HINT}", style="bold")
            self.query_one("#offer-title", Static).update(title)
            self.refresh_bindings()
            return
        self.app.notify(error.message, severity="error", markup=False)
        if self.is_current:
            self.app.pop_screen()

    def action_retry(self) -> None:
        """`r`, after a read failed: the offer, or the page of Propositions."""
        if self.fault is not None:
            self.reload()
        elif self.propositions.fault is not None:
            self.propositions.load_page(self.propositions.page_offset)

    # -- navigation ----------------------------------------------------------------------
    def show_section(self, section_id: str, *, focus: bool) -> None:
        self.current = section_id
        self.query_one(SectionNav).highlight_section(section_id)
        self.query_one(ContentSwitcher).current = section_id
        self.refresh_bindings()
        if focus and not self.query_one(f"#{section_id}", OfferSection).focus_content():
            self.query_one(SectionNav).focus()

    def action_section(self, digit: int) -> None:
        self.show_section(OFFER_SECTION_IDS[digit - 1], focus=True)

    @on(OptionList.OptionHighlighted, "#offer-nav")
    def on_nav_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id in OFFER_SECTION_IDS and event.option_id != self.current:
            self.show_section(event.option_id, focus=False)

    @on(OptionList.OptionSelected, "#offer-nav")
    def on_nav_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id in OFFER_SECTION_IDS:
            self.show_section(event.option_id, focus=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    # -- keys ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":  # offered only after a read failed
            return self.fault is not None or self.propositions.fault is not None
        if action in ("next_page", "previous_page"):
            if self.current != "propositions":
                return False
            section = self.propositions
            return section.has_more if action == "next_page" else section.page_offset > 0
        if action == "modify":
            return None if self.action_refusal(action) else True
        return True

    def action_refusal(self, action: str) -> str | None:
        """Why a greyed key cannot be used (read by the keys help)."""
        if action == "modify":
            return refusal_for(self.app.actor, Right.MANAGE_OFFERS)
        return None

    def action_modify(self) -> None:
        if self.offer is None:
            return
        from cep_tui.ui.modals.offer_form import OfferFormModal

        def done(result: OfferView | None) -> None:
            if result is not None:
                self.reload()
                self.app.notify(f"Offre « {result.name} » enregistrée.", markup=False)

        self.app.push_screen(OfferFormModal(self.offer), done)

    def action_next_page(self) -> None:
        self.propositions.next_page()
        self.refresh_bindings()

    def action_previous_page(self) -> None:
        self.propositions.previous_page()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#propositions DataTable")
    def on_proposition_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.propositions.current
        if row is None:
            return
        self.app.open_dossier(row.dossier_id)

    def on_screen_resume(self) -> None:
        # Back from a dossier or a form: what changed shows.
        if self.is_mounted and self.offer is not None:
            self.reload()
