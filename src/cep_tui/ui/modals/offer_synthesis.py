"""Synthèse de l'offre: every field of an offer of service (Informations générales, then
Conditions MER), read-only; and the synthèse of a dispositif of the catalogue."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.services.views import DispositifView, OfferView
from cep_tui.ui.inert import inert


def _rows(pairs: list[tuple[str, str]]) -> Grid:
    """Label / value rows, the labels in one column; values are database text."""
    cells = []
    for label, value in pairs:
        cells.append(Static(Text(label), classes="synthesis-label"))
        cells.append(Static(inert(value or "—", multiline=True), classes="synthesis-value"))
    return Grid(*cells, classes="synthesis-grid")


def general_information(offer: OfferView) -> list[tuple[str, str]]:
    return [
        ("Origine de l'offre", offer.origin),
        ("Thème", offer.theme.label),
        ("Acte de service", offer.service_act.label),
        ("Acte de service régional", offer.regional_service_act),
        ("Type", offer.offer_type),
        ("Contrat", offer.contract),
        ("Nom de l'offre", offer.name),
        ("Date de début", format_date(offer.start_date)),
        ("Date de fin", format_date(offer.end_date)),
        ("État", offer.state.label),
        ("Conseiller référent", offer.referent.display_name),
        ("Mesure nationale", offer.national_measure.label if offer.national_measure else ""),
        ("Partenaire", offer.partner),
    ]


def mer_conditions(offer: OfferView) -> list[tuple[str, str]]:
    return [
        ("Public", offer.public),
        ("Prérequis", offer.prerequisites),
        ("Places", "" if offer.places is None else str(offer.places)),
        ("Contact", offer.contact),
    ]


class _SynthesisModal(ModalScreen[None]):
    BINDINGS = [Binding("escape,q", "close", "Fermer")]
    DEFAULT_CLASSES = "synthesis-modal"
    TITLE_TEXT = ""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="synthesis-body") as body:
            body.border_title = self.TITLE_TEXT
            body.border_subtitle = "Échap pour fermer"
            try:
                yield from self.compose_content()
            except DomainError as error:
                yield Static(inert(error.message), classes="form-error -shown")

    def compose_content(self) -> ComposeResult:
        raise NotImplementedError
        yield

    def on_mount(self) -> None:
        self.query_one(".synthesis-body").focus()

    def action_close(self) -> None:
        self.dismiss(None)


class OfferSynthesisModal(_SynthesisModal):
    TITLE_TEXT = "SYNTHÈSE DE L'OFFRE"

    def __init__(self, offer_id: int) -> None:
        super().__init__()
        self.offer_id = offer_id

    def compose_content(self) -> ComposeResult:
        app = self.app
        offer = app.services.offers.get(app.actor, self.offer_id)
        marker = " — mesure nationale CEP (phase 1)" if offer.is_cep else ""
        yield Static(Text.assemble((offer.name, "bold"), marker), classes="synthesis-name")
        yield Static(Text("Informations générales"), classes="form-section")
        yield _rows(general_information(offer))
        yield Static(Text("Conditions MER"), classes="form-section")
        yield _rows(mer_conditions(offer))
        yield Static(Text(f"Propositions : {offer.proposals_count}"), classes="synthesis-footer")


class DispositifSynthesisModal(_SynthesisModal):
    TITLE_TEXT = "SYNTHÈSE DU DISPOSITIF"

    def __init__(self, dispositif_id: int) -> None:
        super().__init__()
        self.dispositif_id = dispositif_id

    def compose_content(self) -> ComposeResult:
        app = self.app
        dispositif: DispositifView = app.services.offers.dispositif(app.actor, self.dispositif_id)
        yield Static(inert(dispositif.name, style="bold"), classes="synthesis-name")
        yield _rows([("Code", dispositif.code), ("Type d'offre", "Dispositifs")])
        yield Static(Text("Description"), classes="form-section")
        yield Static(inert(dispositif.description or "—", multiline=True), classes="synthesis-text")
