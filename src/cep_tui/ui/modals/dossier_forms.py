"""Modifier les Coordonnées, the Compléments and the profile of a dossier (optimistic: the
version read is the version expected)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, TextArea

from cep_tui.services.dossiers import ComplementsInput, ContactInput, ProfileInput
from cep_tui.services.views import DossierView
from cep_tui.ui.modals.form import FormModal
from cep_tui.ui.widgets.fields import FormField, FrenchSelect
from cep_tui.vocabulary import EducationLevel, Residence


class ContactFormModal(FormModal[DossierView | None]):
    TITLE_TEXT = "COORDONNÉES"
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, dossier: DossierView) -> None:
        super().__init__()
        self.dossier = dossier

    def compose_fields(self) -> ComposeResult:
        d = self.dossier
        yield FormField("Adresse", Input(d.address), field_name="address")
        yield FormField(
            "Code postal", Input(d.postal_code, classes="postal-code"), field_name="postal_code"
        )
        yield FormField("Commune", Input(d.city), field_name="city")
        yield FormField("Téléphone", Input(d.phone, classes="phone"), field_name="phone")
        yield FormField("E-mail", Input(d.email), field_name="email")

    def gather(self) -> Callable[[], DossierView]:
        app = self.app
        form = ContactInput(
            address=self.value_of("address"),
            postal_code=self.value_of("postal_code"),
            city=self.value_of("city"),
            phone=self.value_of("phone"),
            email=self.value_of("email"),
        )
        return lambda: app.services.dossiers.update_contact(
            app.actor, self.dossier.id, form, expected_version=self.dossier.version
        )


class ComplementsFormModal(FormModal[DossierView | None]):
    TITLE_TEXT = "COMPLÉMENTS"
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, dossier: DossierView) -> None:
        super().__init__()
        self.dossier = dossier

    def compose_fields(self) -> ComposeResult:
        d = self.dossier
        yield FormField(
            "Informations complémentaires",
            TextArea(d.complementary_info, tab_behavior="focus", classes="long-text"),
            field_name="complementary_info",
        )
        yield FormField(
            "Situation",
            TextArea(d.situation, tab_behavior="focus", classes="long-text"),
            field_name="situation",
        )

    def gather(self) -> Callable[[], DossierView]:
        app = self.app
        form = ComplementsInput(
            complementary_info=self.value_of("complementary_info"),
            situation=self.value_of("situation"),
        )
        return lambda: app.services.dossiers.update_complements(
            app.actor, self.dossier.id, form, expected_version=self.dossier.version
        )


class ProfileFormModal(FormModal[DossierView | None]):
    """The profile of the Identité section: niveau de formation, résidant QPV, résidant ZRR
    (national lists; « Non renseigné » / « Inconnu » until the counsellor knows)."""

    TITLE_TEXT = "PROFIL DU JEUNE"
    SUBMIT_LABEL = "Enregistrer"

    def __init__(self, dossier: DossierView) -> None:
        super().__init__()
        self.dossier = dossier

    def compose_fields(self) -> ComposeResult:
        d = self.dossier
        yield FormField(
            "Niveau de formation",
            FrenchSelect(
                [(Text(level.label), level.value) for level in EducationLevel],
                value=d.education_level,
                allow_blank=False,
            ),
            field_name="education_level",
        )
        for name, label in (("qpv", "Résidant QPV"), ("zrr", "Résidant ZRR")):
            yield FormField(
                label,
                FrenchSelect(
                    [(Text(choice.label), choice.value) for choice in Residence],
                    value=getattr(d, name),
                    allow_blank=False,
                ),
                field_name=name,
            )

    def gather(self) -> Callable[[], DossierView]:
        app = self.app
        form = ProfileInput(
            education_level=self.value_of("education_level"),
            qpv=self.value_of("qpv"),
            zrr=self.value_of("zrr"),
        )
        return lambda: app.services.dossiers.update_profile(
            app.actor, self.dossier.id, form, expected_version=self.dossier.version
        )
