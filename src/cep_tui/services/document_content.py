"""What the two documents for a young person say, as an outline (cep_tui.odt): built from
the views the services read (`DossierFile`), in the guide's words.

- « Synthèse de l'accompagnement CEP », handed to the young person: who they are, their
  counsellor, each CEP with its phases and dates, the offers proposed, the exit reason, the
  plan of action. No free-text comment (those are the counsellors' notes).
- « Copie des données » (right of access, RGPD art. 15): everything the base holds about
  them, comments included, and who changed their dossier, when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cep_tui.odt import Block, Fields, Heading, Paragraph, Table
from cep_tui.services.dates import format_date
from cep_tui.services.views import (
    ActionPlanItemView,
    AppointmentView,
    DossierView,
    EnrolmentView,
    EventView,
    ProposalView,
    RequestView,
)
from cep_tui.vocabulary import CEP_CODE

SYNTHESIS_TITLE = "Synthèse de l'accompagnement CEP"
COPY_TITLE = "Copie des données"
SEX_LABELS = {"F": "Femme", "M": "Homme"}


@dataclass(frozen=True)
class HistoryLine:
    at: dt.datetime
    counsellor_name: str
    action: str


@dataclass(frozen=True)
class DossierFile:
    """Everything a document may say of one young person."""

    structure_name: str
    produced_by: str
    produced_at: dt.datetime
    dossier: DossierView
    enrolments: tuple[EnrolmentView, ...]
    plans: dict[int, tuple[ActionPlanItemView, ...]]
    proposals: tuple[ProposalView, ...]
    events: tuple[EventView, ...] = ()
    requests: tuple[RequestView, ...] = ()
    appointments: tuple[AppointmentView, ...] = ()
    history: tuple[HistoryLine, ...] = ()

    @property
    def ceps(self) -> tuple[EnrolmentView, ...]:
        """The CEPs, oldest first (the order of the young person's path)."""
        ceps = (e for e in self.enrolments if e.dispositif_code == CEP_CODE)
        return tuple(sorted(ceps, key=lambda e: (e.entry_date, e.id)))


def _moment(at: dt.datetime) -> str:
    return f"{at:%d/%m/%Y à %H:%M}"


def _produced(file: DossierFile) -> Paragraph:
    return Paragraph(
        f"{file.structure_name} — document établi le {_moment(file.produced_at)} "
        f"par {file.produced_by}.",
        emphasis=True,
    )


def _young_person(dossier: DossierView) -> Fields:
    born = "Née le" if dossier.sex == "F" else "Né le"
    return Fields(
        (
            ("Nom", dossier.last_name.upper()),
            ("Prénom", dossier.first_name),
            (born, format_date(dossier.birth_date)),
            ("N° de dossier", dossier.number),
        )
    )


def _phases(cep: EnrolmentView) -> list[tuple[str, str]]:
    rows = []
    for phase in cep.phases:
        end = f" au {format_date(phase.end_date)}" if phase.end_date else " (en cours)"
        rows.append((f"Phase {phase.phase}", f"du {format_date(phase.start_date)}{end}"))
    return rows


def _cep_fields(cep: EnrolmentView, *, full: bool) -> Fields:
    rows = [("Date d'entrée", format_date(cep.entry_date)), *_phases(cep)]
    if cep.initial_interview_date:
        rows.append(("Date d'entretien d'initialisation", format_date(cep.initial_interview_date)))
    rows += [
        ("Aiguilleur", cep.referrer.label if cep.referrer else ""),
        ("Motif de la sollicitation", cep.solicitation_reason.label),
        ("Type de projet", cep.project_type.label if cep.project_type else "—"),
        ("Nom du prescripteur", cep.prescriber_name or "—"),
        ("Nom du référent", cep.referent_name or "—"),
    ]
    if not cep.in_progress:
        rows += [
            ("Date de fin", format_date(cep.end_date)),
            ("Motif de sortie", cep.exit_reason_label or ""),
        ]
    if full:
        rows.append(("Dernière modification", f"{_moment(cep.updated_at)}, {cep.updated_by_name}"))
    return Fields(tuple(rows))


def _plan(items: tuple[ActionPlanItemView, ...]) -> Table:
    return Table(
        ("Échéance", "Action", "État"),
        tuple((format_date(i.target_date), i.text, i.state_label) for i in items),
        empty="Aucune action n'a encore été inscrite au plan d'action.",
    )


def _proposals(proposals: tuple[ProposalView, ...], *, full: bool) -> Table:
    if full:
        return Table(
            ("Date", "Offre", "Partenaire", "CEP", "Conseiller", "Commentaire"),
            tuple(
                (
                    format_date(p.proposed_on),
                    p.offer_name,
                    p.partner,
                    "oui" if p.is_cep else "non",
                    p.counsellor_name,
                    p.comment,
                )
                for p in proposals
            ),
        )
    return Table(
        ("Date", "Offre", "Partenaire"),
        tuple((format_date(p.proposed_on), p.offer_name, p.partner) for p in proposals),
        empty="Aucune offre n'a été proposée.",
    )


def synthesis_blocks(file: DossierFile) -> list[Block]:
    dossier = file.dossier
    blocks: list[Block] = [
        _produced(file),
        Heading("Le jeune"),
        _young_person(dossier),
        Heading("Votre conseiller"),
        Fields((("Conseiller référent", dossier.referent_name or "—"),)),
    ]
    ceps = file.ceps
    if not ceps:
        blocks += [Heading("Accompagnement CEP"), Paragraph("Aucun CEP à ce jour.", True)]
    for number, cep in enumerate(ceps, start=1):
        label = f"CEP n° {number}" if len(ceps) > 1 else "Accompagnement CEP"
        blocks += [
            Heading(f"{label} — {cep.title}"),
            _cep_fields(cep, full=False),
            Heading("Plan d'action", 2),
            _plan(file.plans.get(cep.id, ())),
        ]
    cep_offers = tuple(p for p in file.proposals if p.is_cep)
    blocks += [Heading("Offres proposées"), _proposals(cep_offers or file.proposals, full=False)]
    return blocks


def copy_blocks(file: DossierFile) -> list[Block]:
    d = file.dossier
    blocks: list[Block] = [
        _produced(file),
        Paragraph(
            "Ce document reprend l'ensemble des données que la Mission Locale conserve à votre "
            "sujet dans l'outil de suivi du CEP (droit d'accès, article 15 du RGPD).",
        ),
        Heading("Identité"),
        Fields(
            (
                ("Nom", d.last_name.upper()),
                ("Prénom", d.first_name),
                ("Date de naissance", format_date(d.birth_date)),
                ("Sexe", SEX_LABELS.get(d.sex, d.sex)),
                ("N° de dossier", d.number),
                ("Statut du dossier", d.status_label),
                ("Conseiller référent", d.referent_name or "—"),
            )
        ),
        Heading("Coordonnées"),
        Fields(
            (
                ("Adresse", d.address),
                ("Code postal", d.postal_code),
                ("Commune", d.city),
                ("Téléphone", d.phone),
                ("E-mail", d.email),
            )
        ),
        Heading("Compléments"),
        Fields(
            (
                ("Informations complémentaires", d.complementary_info),
                ("Situation", d.situation),
            )
        ),
        Heading("Dispositifs"),
    ]
    if not file.enrolments:
        blocks.append(Paragraph("Aucun dispositif.", True))
    for enrolment in file.enrolments:
        blocks += [Heading(enrolment.title, 2), _cep_fields(enrolment, full=True)]
        if enrolment.dispositif_code == CEP_CODE:
            blocks += [Paragraph("Plan d'action :"), _plan(file.plans.get(enrolment.id, ()))]
    blocks += [
        Heading("Services proposés"),
        _proposals(file.proposals, full=True),
        Heading("Évènements"),
        Table(
            (
                "Date",
                "Contextes",
                "Sens",
                "Nature",
                "Lieu",
                "Intervenant",
                "Commentaire",
                "Actions",
            ),
            tuple(
                (
                    format_date(e.event_date) + (" (en cours)" if e.in_progress else ""),
                    ", ".join(c.label for c in e.contexts),
                    e.direction.label,
                    e.nature.label + (", sans rendez-vous" if e.walk_in else ""),
                    e.reception_place.label,
                    f"{e.intervenant_name} ({e.function.label})",
                    e.comment,
                    "\n".join(
                        f"{a.kind_label} : {a.description} ({_moment(a.at)}, {a.counsellor_name})"
                        for a in e.actions
                    ),
                )
                for e in file.events
            ),
        ),
        Heading("Demandes"),
        Table(
            ("Date", "Objet", "État", "Conseiller"),
            tuple(
                (format_date(r.requested_on), r.subject, r.status, r.counsellor_name)
                for r in file.requests
            ),
        ),
        Heading("Rendez-vous"),
        Table(
            ("Date", "Objet", "Lieu", "État", "Conseiller"),
            tuple(
                (_moment(a.starts_at), a.subject, a.place, a.status, a.counsellor_name)
                for a in file.appointments
            ),
        ),
        Heading("Conseillers ayant modifié le dossier"),
        Paragraph(", ".join(sorted({h.counsellor_name for h in file.history})) or "Aucun."),
        Table(
            ("Date", "Conseiller", "Action"),
            tuple((_moment(h.at), h.counsellor_name, h.action) for h in file.history),
            empty="Aucune modification enregistrée.",
        ),
    ]
    return blocks
