"""Reading the CEP dispositifs of a dossier: the cards' views with their action menus, and
the checks a form makes before it opens. services/cep.py writes them."""

from __future__ import annotations

import datetime as dt

from peewee import fn

from cep_tui.db.models import (
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    PhasePeriod,
    ReferenceValue,
)
from cep_tui.services.base import ServiceBase
from cep_tui.services.cep_rules import (
    CEP_ALREADY_IN_PROGRESS,
    DOSSIER_NOT_JUSTIFIED,
    NO_EVENT_DELETION_TRACE,
    CepAddInput,
)
from cep_tui.services.converters import enrolment_view
from cep_tui.services.dates import age_on, format_date
from cep_tui.services.errors import NotFound, RuleViolation
from cep_tui.services.events import current_event
from cep_tui.services.views import ActionOffer, Actor, EnrolmentAction, EnrolmentView
from cep_tui.vocabulary import CEP_CODE, MINIMUM_AGE, DossierStatus, EnrolmentStatus, Right


class CepReads(ServiceBase):
    def list(self, actor: Actor, dossier_id: int) -> tuple[EnrolmentView, ...]:
        """Every dispositif of the dossier, those in progress first, newest first."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        rows = list(
            Enrolment.select(Enrolment, DispositifType)
            .join(DispositifType)
            .where(Enrolment.dossier == dossier)
            .order_by(
                (Enrolment.status == EnrolmentStatus.IN_PROGRESS.value).desc(),
                Enrolment.entry_date.desc(),
                Enrolment.id.desc(),
            )
        )
        return tuple(self._views(rows, actor))

    def in_progress(self, actor: Actor, dossier_id: int) -> EnrolmentView | None:
        return next(
            (
                e
                for e in self.list(actor, dossier_id)
                if e.in_progress and e.dispositif_code == CEP_CODE
            ),
            None,
        )

    def get(self, actor: Actor, enrolment_id: int) -> EnrolmentView:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        return self._views([self._enrolment(counsellor, enrolment_id)], actor)[0]

    def check_can_add(self, actor: Actor, dossier_id: int) -> None:
        """The guide's conditions for the add form to open at all."""
        counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        self.check_writable(dossier.id)
        self._check_dossier_accepts_cep(dossier)

    def add_draft(self, actor: Actor) -> CepAddInput:
        """The add form, pre-filled: entry today in phase 2, the counsellor as référent."""
        return CepAddInput(entry_date=self.clock.today(), phase=2, referent_name=actor.display_name)

    def deletion_trace(self, actor: Actor, dossier_id: int) -> str:
        """Where deleting the dossier's CEP will be traced, as the confirmation says it:
        in the event in progress (`delete` records it there), else only in the audit
        records, which the dossier's history lists."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        event = current_event(dossier, Event.id, Event.event_date)
        if event is not None:
            return (
                "Cette suppression sera tracée dans l'évènement en cours "
                f"(du {format_date(event.event_date)})."
            )
        return NO_EVENT_DELETION_TRACE

    def _check_dossier_accepts_cep(self, dossier: Dossier) -> DispositifType:
        """The guide's conditions for a CEP; returns the CEP's dispositif type."""
        if dossier.status != DossierStatus.JUSTIFIED.value:
            raise RuleViolation(DOSSIER_NOT_JUSTIFIED)
        cep_type = cep_type_of(dossier)
        if cep_type.in_progress:
            raise RuleViolation(CEP_ALREADY_IN_PROGRESS)
        age = age_on(dossier.birth_date, self.clock.today())
        if age < MINIMUM_AGE:
            raise RuleViolation(
                f"Le CEP s'adresse aux jeunes de {MINIMUM_AGE} ans et plus ; ce jeune a {age} ans."
            )
        return cep_type

    def _enrolment(self, counsellor: Counsellor, enrolment_id: int) -> Enrolment:
        """The enrolment and its dispositif, within the counsellor's structure (its dossier
        joined for that alone: `enrolment.dossier_id` names it)."""
        enrolment = (
            Enrolment.select(Enrolment, DispositifType)
            .join(DispositifType)
            .switch(Enrolment)
            .join(Dossier)
            .where((Enrolment.id == enrolment_id) & (Dossier.structure == counsellor.structure_id))
            .first()
        )
        if enrolment is None:
            raise NotFound("Dispositif introuvable : il a peut-être été supprimé.")
        return enrolment

    def _written_view(
        self, enrolment: Enrolment, phases: list[PhasePeriod], actor: Actor
    ) -> EnrolmentView:
        """The view of an enrolment this transaction just wrote, from what it holds: its
        dispositif (read with it), its phases, and its reference values (read here unless
        the write chose them; its last writer is the writer)."""
        attach_related([enrolment])
        today = self.clock.today()
        return enrolment_view(enrolment, phases, self._menu(enrolment, phases, actor, today), today)

    def _views(self, rows: list[Enrolment], actor: Actor) -> list[EnrolmentView]:
        if not rows:
            return []
        phases: dict[int, list[PhasePeriod]] = {}
        for period in PhasePeriod.select().where(PhasePeriod.enrolment.in_([r.id for r in rows])):
            phases.setdefault(period.enrolment_id, []).append(period)
        attach_related(rows)
        today = self.clock.today()
        return [
            enrolment_view(
                r, phases.get(r.id, ()), self._menu(r, phases.get(r.id, ()), actor, today), today
            )
            for r in rows
        ]

    @staticmethod
    def _menu(enrolment: Enrolment, phases, actor: Actor, today: dt.date) -> list[ActionOffer]:
        """The action menu: what the state offers, each refused with its reason if need be."""
        if (
            enrolment.status != EnrolmentStatus.IN_PROGRESS.value
            or enrolment.dispositif.code != CEP_CODE
        ):
            return []
        missing = (
            None
            if actor.can(Right.PROPOSE_CEP)
            else (f"Il vous manque le droit « {Right.PROPOSE_CEP.label} ».")
        )
        current = next((p for p in phases if p.phase == enrolment.phase), None)
        close_refusal = missing
        if close_refusal is None and current is not None and current.start_date > today:
            close_refusal = (
                f"Clôture possible à partir du {format_date(current.start_date)}, "
                "début de la phase 3."
            )
        menu = [
            ActionOffer(EnrolmentAction.MODIFY, missing),
            ActionOffer(EnrolmentAction.CLOSE, close_refusal),
        ]
        if enrolment.phase == 2:
            menu.append(ActionOffer(EnrolmentAction.PHASE_3, missing))
        menu.append(ActionOffer(EnrolmentAction.DELETE, missing))
        return menu


def attach_related(rows: list[Enrolment]) -> None:
    """Load the reference values and counsellors of several enrolments in two queries,
    so that a dossier's card list costs the same whatever its history; those a row holds
    already (read with it, or chosen by a write) are not read again."""
    related = (Enrolment.referrer, Enrolment.solicitation_reason, Enrolment.project_type)
    missing = {
        ident
        for r in rows
        for field in related
        if field.name not in r.__rel__ and (ident := getattr(r, field.column_name))
    }
    refs = (
        {v.id: v for v in ReferenceValue.select().where(ReferenceValue.id.in_(missing))}
        if missing
        else {}
    )
    writers = {r.updated_by_id for r in rows if "updated_by" not in r.__rel__}
    people = (
        {c.id: c for c in Counsellor.select().where(Counsellor.id.in_(writers))} if writers else {}
    )
    for r in rows:
        for field in related:
            if field.name not in r.__rel__:
                setattr(r, field.name, refs.get(getattr(r, field.column_name)))
        if "updated_by" not in r.__rel__:
            r.updated_by = people[r.updated_by_id]


def cep_type_of(dossier: Dossier) -> DispositifType:
    """The CEP's dispositif type, its `in_progress` telling whether the dossier has a CEP in
    progress, and its `last_end` the end of the dossier's latest closed CEP, after which a
    new one may enter (CEPs never overlap; one query)."""
    of_dossier = (Enrolment.dossier == dossier.id) & (Enrolment.dispositif == DispositifType.id)
    in_progress = Enrolment.select(Enrolment.id).where(
        of_dossier & (Enrolment.status == EnrolmentStatus.IN_PROGRESS.value)
    )
    last_end = Enrolment.select(fn.MAX(Enrolment.end_date)).where(of_dossier)
    cep_type = (
        DispositifType.select(
            DispositifType,
            fn.EXISTS(in_progress).alias("in_progress"),
            last_end.alias("last_end"),
        )
        .where(DispositifType.code == CEP_CODE)
        .get()
    )
    cep_type.in_progress = bool(cep_type.in_progress)
    if isinstance(cep_type.last_end, str):  # SQLite hands the aggregate back as text
        cep_type.last_end = dt.date.fromisoformat(cep_type.last_end)
    return cep_type


def phases_of(enrolment: Enrolment) -> list[PhasePeriod]:
    """The enrolment's phases, in order."""
    return list(
        PhasePeriod.select()
        .where(PhasePeriod.enrolment == enrolment.id)
        .order_by(PhasePeriod.phase)
    )
