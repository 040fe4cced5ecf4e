"""Nouvelle offre / Modifier l'offre: the guide's two sections, "INFORMATIONS GÉNÉRALES"
then "CONDITIONS MER". A new offer comes pre-filled by the service (origin ML, starting
today, the counsellor as referent, "Permanente"); an existing one with what it holds, a
deactivated value or referent kept. The service judges; its messages land under the fields.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, RadioButton, RadioSet, Static, TextArea

from cep_tui.services.offer_form import OfferInput, offer_input_of
from cep_tui.services.views import OfferView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import (
    CounsellorSelect,
    DateInput,
    FieldRow,
    FormField,
    RefSelect,
)
from cep_tui.vocabulary import OfferOrigin, ReferenceKind

K = ReferenceKind
DATE_HINT = "(jj/mm/aaaa)"


class OfferFormModal(FormModal[OfferView]):
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, offer: OfferView | None = None) -> None:
        super().__init__()
        self.offer = offer
        self.TITLE_TEXT = "MODIFIER L'OFFRE DE SERVICE" if offer else "NOUVELLE OFFRE DE SERVICE"

    def compose_fields(self) -> ComposeResult:
        app = self.app
        if self.offer is None:
            form = app.services.offers.draft(app.actor)  # refused without the right
        else:
            form = offer_input_of(self.offer)
        refs = app.services.references

        def choice(kind: ReferenceKind, value: int | None) -> RefSelect:
            return RefSelect(refs.choices(self.app.actor, kind, keep_id=value), value)

        def line(value: str) -> Input:
            return Input(value, max_length=150)

        yield Static(Text("Champs obligatoires : *"), classes="form-note offer-required-note")
        yield Static(Text("INFORMATIONS GÉNÉRALES"), classes="form-section")
        origin = RadioSet(
            *(
                RadioButton(o.value, value=form.origin == o.value, name=o.value)
                for o in OfferOrigin
            ),
            classes="origin-choice",
            compact=True,
        )
        yield FormField("Origine de l'offre", origin, field_name="origin", required=True)
        yield FormField(
            "Thème", choice(K.THEME, form.theme_id), field_name="theme_id", required=True
        )
        yield FormField(
            "Acte de service",
            choice(K.SERVICE_ACT, form.service_act_id),
            field_name="service_act_id",
            required=True,
        )
        yield FormField(
            "Acte de service régional",
            line(form.regional_service_act),
            field_name="regional_service_act",
        )
        yield FormField("Type", line(form.offer_type), field_name="offer_type")
        yield FormField("Nom de l'offre", line(form.name), field_name="name", required=True)
        yield FieldRow(
            FormField(
                "Date de début",
                DateInput(form.start_date),
                field_name="start_date",
                required=True,
                hint=DATE_HINT,
            ),
            FormField(
                "Date de fin", DateInput(form.end_date), field_name="end_date", hint=DATE_HINT
            ),
        )
        yield FormField(
            "État", choice(K.OFFER_STATE, form.state_id), field_name="state_id", required=True
        )
        yield FormField(
            "Conseiller référent",
            CounsellorSelect(
                refs.counsellors(app.actor, keep_id=form.referent_id), form.referent_id
            ),
            field_name="referent_id",
            required=True,
        )
        yield FormField(
            "Mesure nationale",
            choice(K.NATIONAL_MEASURE, form.national_measure_id),
            field_name="national_measure_id",
            hint="CEP : l'offre compte comme phase 1 du CEP.",
        )
        yield FormField("Partenaire", line(form.partner), field_name="partner")
        yield FormField("Contrat", line(form.contract), field_name="contract")

        yield Static(Text("CONDITIONS MER"), classes="form-section")
        yield FormField("Public", _area(form.public), field_name="public")
        yield FormField("Prérequis", _area(form.prerequisites), field_name="prerequisites")
        places = "" if form.places in (None, "") else str(form.places)
        yield FormField(
            "Places",
            Input(places, restrict=r"[0-9]*", max_length=5, classes="places-input"),
            field_name="places",
        )
        yield FormField("Contact", _area(form.contact), field_name="contact")

    def focus_first_empty_required(self) -> None:
        # The fields to fill first are near the top: show the form from its title.
        super().focus_first_empty_required()
        self.call_after_refresh(self.query_one(".form-body").scroll_home, animate=False)

    def gather(self) -> Callable[[], OfferView]:
        app = self.app
        values = OfferInput(
            origin=self.value_of("origin"),
            theme_id=self.value_of("theme_id"),
            service_act_id=self.value_of("service_act_id"),
            regional_service_act=self.value_of("regional_service_act"),
            offer_type=self.value_of("offer_type"),
            contract=self.value_of("contract"),
            name=self.value_of("name"),
            start_date=self.value_of("start_date"),
            end_date=self.value_of("end_date"),
            state_id=self.value_of("state_id"),
            referent_id=self.value_of("referent_id"),
            national_measure_id=self.value_of("national_measure_id"),
            partner=self.value_of("partner"),
            public=self.value_of("public"),
            prerequisites=self.value_of("prerequisites"),
            places=self.value_of("places"),
            contact=self.value_of("contact"),
        )
        if self.offer is None:
            return lambda: app.services.offers.create(app.actor, values)
        return lambda: app.services.offers.modify(
            app.actor, self.offer.id, values, expected_version=self.offer.version
        )


def _area(text: str) -> TextArea:
    return TextArea(text, soft_wrap=True, tab_behavior="focus", classes="offer-text")
