"""The dossier's sections about the young person, each one text read from one view:
SYNTHÈSE (which brings the screen its title line: `DossierRead`), Identité (with the
profile the indicators count), Coordonnées and Compléments. Every value is inert."""

from __future__ import annotations

from rich.text import Text

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.services.views import DossierSynthesis, DossierView
from cep_tui.ui.inert import inert
from cep_tui.ui.widgets.dispositif_card import field
from cep_tui.ui.widgets.dossier_sections import DossierRead, TextSection, heading, lines, person
from cep_tui.vocabulary import EducationLevel, Residence


class SynthesisSection(TextSection):
    HEADING = "SYNTHÈSE"

    def read(self) -> DossierSynthesis:
        return self.services.dossiers.synthesis(self.actor, self.dossier_id)

    async def show_data(self, data: DossierSynthesis) -> None:
        self.show(synthesis_text(data))
        self.post_message(DossierRead(data.dossier))

    def read_failed(self, error: DomainError) -> None:
        super().read_failed(error)
        self.post_message(DossierRead(None, error))


def synthesis_text(synthesis: DossierSynthesis) -> Text:
    dossier, cep, event = synthesis.dossier, synthesis.cep, synthesis.event_in_progress
    parts: list[Text | str] = [
        heading("Jeune"),
        person(dossier),
        field("Statut du dossier", dossier.status_label),
        field("Conseiller référent", dossier.referent_name),
        "",
        heading("CEP en cours"),
    ]
    if cep is None:
        parts.append(Text("Aucun CEP en cours.", style="dim"))
    else:
        parts += [
            inert(cep.title),
            field("Phase", f"{cep.phase_today}, entrée le {format_date(cep.current_phase_start)}"),
        ]
        if cep.phase_3_planned_on is not None:
            parts.append(field("Passage en phase 3 prévu le", format_date(cep.phase_3_planned_on)))
    parts += ["", heading("Évènement en cours")]
    if event is None:
        parts.append(Text("Aucun évènement en cours.", style="dim"))
    else:
        parts.append(Text(format_date(event.event_date)))
        parts.append(field("Contextes", ", ".join(c.label for c in event.contexts)))
    services = synthesis.proposals_count
    events = synthesis.events_count
    parts += [
        "",
        heading("Suivi"),
        Text(
            f"{services} service{'s' if services > 1 else ''} proposé{'s' if services > 1 else ''}"
            f" · {events} évènement{'s' if events > 1 else ''}"
        ),
    ]
    return lines(*parts)


class IdentitySection(TextSection):
    HEADING = "IDENTITÉ"

    def text_for(self, dossier: DossierView) -> Text:
        return lines(
            field("Nom", dossier.last_name.upper()),
            field("Prénom", dossier.first_name),
            field("Date de naissance", format_date(dossier.birth_date)),
            field("Âge", f"{dossier.age} ans"),
            field("Sexe", {"F": "Femme", "M": "Homme"}.get(dossier.sex, dossier.sex)),
            field("N° de dossier", dossier.number),
            field("Statut du dossier", dossier.status_label),
            field("Conseiller référent", dossier.referent_name),
            "",
            heading("Profil"),
            field("Niveau de formation", EducationLevel(dossier.education_level).label),
            field("Résidant QPV", Residence(dossier.qpv).label),
            field("Résidant ZRR", Residence(dossier.zrr).label),
        )


class ContactSection(TextSection):
    HEADING = "COORDONNÉES"

    def text_for(self, dossier: DossierView) -> Text:
        return lines(
            field("Adresse", dossier.address),
            field("Code postal", dossier.postal_code),
            field("Commune", dossier.city),
            field("Téléphone", dossier.phone),
            field("E-mail", dossier.email),
        )


class ComplementsSection(TextSection):
    HEADING = "COMPLÉMENTS"

    def text_for(self, dossier: DossierView) -> Text:
        return lines(
            heading("Informations complémentaires"),
            inert(dossier.complementary_info or "—", multiline=True),
            "",
            heading("Situation"),
            inert(dossier.situation or "—", multiline=True),
        )
