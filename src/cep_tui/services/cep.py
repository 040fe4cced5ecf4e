"""The CEP dispositif: add (phase 2 or 3), pass to phase 3, modify, close, delete."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import IntegrityError, fn

from cep_tui.db.connection import row_locks
from cep_tui.db.models import (
    Counsellor,
    DispositifType,
    Dossier,
    Enrolment,
    Event,
    PhasePeriod,
    ReferenceValue,
)
from cep_tui.services import audit
from cep_tui.services.base import References, ServiceBase
from cep_tui.services.converters import counsellor_name, enrolment_view, read_line
from cep_tui.services.dates import age_on, format_date, read_date
from cep_tui.services.errors import EditConflict, FieldErrors, NotFound, RuleViolation
from cep_tui.services.events import current_event, record_action
from cep_tui.services.views import ActionOffer, Actor, EnrolmentAction, EnrolmentView
from cep_tui.vocabulary import (
    CEP_CODE,
    MINIMUM_AGE,
    ActionKind,
    DossierStatus,
    EnrolmentStatus,
    ExitReason,
    ReferenceKind,
    Right,
)

NAME_MAX_LENGTH = 100
CEP_ALREADY_IN_PROGRESS = "Ce jeune a déjà un dispositif CEP en cours."
DOSSIER_NOT_JUSTIFIED = (
    "Le dossier du jeune doit être au statut « Justifié » pour recevoir le dispositif CEP."
)
OTHER_DISPOSITIF_READ_ONLY = "Seul le dispositif CEP se gère depuis cet outil."
CLOSED_IS_READ_ONLY = "Ce dispositif est clôturé : il ne peut plus être modifié."


@dataclass(frozen=True)
class CepAddInput:
    referrer_id: int | None = None
    initial_interview_date: dt.date | str | None = None
    entry_date: dt.date | str | None = None
    solicitation_reason_id: int | None = None
    phase: int | str | None = None
    prescriber_name: str = ""
    referent_name: str = ""
    project_type_id: int | None = None


@dataclass(frozen=True)
class CepModifyInput:
    """The five fields the guide lets a counsellor change."""

    referrer_id: int | None = None
    solicitation_reason_id: int | None = None
    prescriber_name: str = ""
    referent_name: str = ""
    project_type_id: int | None = None


NO_EVENT_DELETION_TRACE = (
    "Aucun évènement n'est en cours : cette suppression sera tracée dans l'historique du dossier."
)


class CepService(ServiceBase):
    # -- reading -----------------------------------------------------------------------
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
        return CepAddInput(
            entry_date=self.clock.today(), phase=2, referent_name=actor.display_name
        )

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

    # -- writing -----------------------------------------------------------------------
    def add(self, actor: Actor, dossier_id: int, form: CepAddInput) -> EnrolmentView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            dossier = self.dossier_of(counsellor, dossier_id, lock=True)
            cep_type = self._check_dossier_accepts_cep(dossier)
            values = self._validate_add(dossier, form, cep_type.last_end)
            now = self.clock.now()
            try:
                with self.writing():  # a savepoint, so the race below rolls back cleanly
                    enrolment = Enrolment.create(
                        dossier=dossier,
                        dispositif=cep_type,
                        status=EnrolmentStatus.IN_PROGRESS.value,
                        created_at=now,
                        created_by=counsellor,
                        updated_at=now,
                        updated_by=counsellor,
                        **values,
                    )
            except IntegrityError as exc:
                # Another counsellor added one between our check and our insert.
                raise RuleViolation(CEP_ALREADY_IN_PROGRESS) from exc
            phases = [
                PhasePeriod.create(
                    enrolment=enrolment, phase=enrolment.phase, start_date=enrolment.entry_date
                )
            ]
            record_action(
                dossier,
                ActionKind.DISPOSITIF_ADDED,
                f"CEP, entrée en phase {enrolment.phase} le {format_date(enrolment.entry_date)}",
                counsellor,
                now,
            )
            audit.record(
                counsellor,
                now,
                "Ajout du dispositif CEP",
                "enrolment",
                enrolment.id,
                None,
                self._state(enrolment, phases),
            )
            # Built before the commit (a colleague may delete it the instant after), from
            # what this transaction wrote: nothing else can have changed it meanwhile.
            return self._written_view(enrolment, phases, actor)

    def pass_to_phase_3(
        self,
        actor: Actor,
        enrolment_id: int,
        start_date: dt.date | str | None,
        expected_version: int | None = None,
    ) -> EnrolmentView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            enrolment = self._cep_enrolment(counsellor, enrolment_id, lock=True)
            self._check_version(enrolment, expected_version)
            self._check_in_progress(enrolment)
            if enrolment.phase != 2:
                raise RuleViolation(
                    "Le dispositif est déjà en phase 3 : le retour en phase 2 n'est pas possible."
                )
            phases = _phases(enrolment)
            phase_2 = _period(phases, 2)
            errors = FieldErrors()
            start = read_date(
                errors, "start_date", start_date, "Date de début de la phase 3", required=True
            )
            earliest = phase_2.start_date + dt.timedelta(days=1)
            if start and start < earliest:
                errors.add(
                    "start_date",
                    "Date de début de la phase 3 : au plus tôt le lendemain de l'entrée en "
                    f"phase 2, soit le {format_date(earliest)}.",
                )
            errors.raise_if_any()
            before = self._state(enrolment, phases)
            phase_2.end_date = start - dt.timedelta(days=1)
            phase_2.save()
            phases.append(PhasePeriod.create(enrolment=enrolment, phase=3, start_date=start))
            now = self.clock.now()
            self._save(enrolment, counsellor, now, phase=3)
            record_action(
                enrolment.dossier_id,
                ActionKind.PHASE_3,
                f"CEP, phase 3 à partir du {format_date(start)}",
                counsellor,
                now,
            )
            audit.record(
                counsellor,
                now,
                "Passage en phase 3",
                "enrolment",
                enrolment.id,
                before,
                self._state(enrolment, phases),
            )
            return self._written_view(enrolment, phases, actor)

    def modify(
        self,
        actor: Actor,
        enrolment_id: int,
        form: CepModifyInput,
        expected_version: int | None = None,
    ) -> EnrolmentView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            enrolment = self._cep_enrolment(counsellor, enrolment_id, lock=True)
            self._check_version(enrolment, expected_version)
            self._check_in_progress(enrolment)
            errors = FieldErrors()
            values = self._editable_fields(errors, form, enrolment)
            errors.raise_if_any()
            phases = _phases(enrolment)
            before = self._state(enrolment, phases)
            now = self.clock.now()
            self._save(enrolment, counsellor, now, **values)
            record_action(
                enrolment.dossier_id,
                ActionKind.DISPOSITIF_MODIFIED,
                "CEP, informations modifiées",
                counsellor,
                now,
            )
            audit.record(
                counsellor,
                now,
                "Modification du dispositif CEP",
                "enrolment",
                enrolment.id,
                before,
                self._state(enrolment, phases),
            )
            # Built before the commit (a colleague may delete it the instant after), from
            # what this transaction wrote: nothing else can have changed it meanwhile.
            return self._written_view(enrolment, phases, actor)

    def close(
        self,
        actor: Actor,
        enrolment_id: int,
        end_date: dt.date | str | None,
        exit_reason: ExitReason | str | None,
        expected_version: int | None = None,
    ) -> EnrolmentView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            enrolment = self._cep_enrolment(counsellor, enrolment_id, lock=True)
            self._check_version(enrolment, expected_version)
            self._check_in_progress(enrolment)
            phases = _phases(enrolment)
            current = _period(phases, enrolment.phase)
            today = self.clock.today()
            self._check_closable(enrolment, current, today)
            errors = FieldErrors()
            end = read_date(errors, "end_date", end_date, "Date de fin réelle", required=True)
            if end and end > today:
                errors.add(
                    "end_date",
                    "Date de fin réelle : la clôture ne peut pas être saisie par anticipation.",
                )
            elif end and end < current.start_date:
                errors.add(
                    "end_date",
                    "Date de fin réelle : doit être postérieure ou égale à la date d'entrée en "
                    f"phase {current.phase} ({format_date(current.start_date)}).",
                )
            reason = _exit_reason(errors, exit_reason)
            errors.raise_if_any()
            before = self._state(enrolment, phases)
            current.end_date = end
            current.save()
            now = self.clock.now()
            self._save(
                enrolment,
                counsellor,
                now,
                status=EnrolmentStatus.CLOSED.value,
                end_date=end,
                exit_reason=reason.value,
            )
            record_action(
                enrolment.dossier_id,
                ActionKind.DISPOSITIF_CLOSED,
                f"CEP clôturé le {format_date(end)} : {reason.label}",
                counsellor,
                now,
            )
            audit.record(
                counsellor,
                now,
                "Clôture du dispositif CEP",
                "enrolment",
                enrolment.id,
                before,
                self._state(enrolment, phases),
            )
            return self._written_view(enrolment, phases, actor)

    def delete(self, actor: Actor, enrolment_id: int, expected_version: int | None = None) -> None:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            enrolment = self._cep_enrolment(counsellor, enrolment_id, lock=True)
            self._check_version(enrolment, expected_version)
            if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
                raise RuleViolation(
                    "Seul un dispositif en phase 2 ou 3 peut être supprimé ; celui-ci est clôturé."
                )
            before = self._state(enrolment, _phases(enrolment))
            now = self.clock.now()
            record_action(
                enrolment.dossier_id,
                ActionKind.DISPOSITIF_DELETED,
                f"CEP (phase {enrolment.phase}, entré le "
                f"{format_date(enrolment.entry_date)}) supprimé",
                counsellor,
                now,
            )
            PhasePeriod.delete().where(PhasePeriod.enrolment == enrolment).execute()
            enrolment.delete_instance()
            audit.record(
                counsellor,
                now,
                "Suppression du dispositif CEP",
                "enrolment",
                enrolment_id,
                before,
                None,
            )

    # -- rules -------------------------------------------------------------------------
    def _check_dossier_accepts_cep(self, dossier: Dossier) -> DispositifType:
        """The guide's conditions for a CEP; returns the CEP's dispositif type."""
        if dossier.status != DossierStatus.JUSTIFIED.value:
            raise RuleViolation(DOSSIER_NOT_JUSTIFIED)
        cep_type = _cep_type(dossier)
        if cep_type.in_progress:
            raise RuleViolation(CEP_ALREADY_IN_PROGRESS)
        age = age_on(dossier.birth_date, self.clock.today())
        if age < MINIMUM_AGE:
            raise RuleViolation(
                f"Le CEP s'adresse aux jeunes de {MINIMUM_AGE} ans et plus ; ce jeune a {age} ans."
            )
        return cep_type

    def _validate_add(self, dossier: Dossier, form: CepAddInput, last_end: dt.date | None) -> dict:
        errors = FieldErrors()
        today = self.clock.today()
        entry = read_date(errors, "entry_date", form.entry_date, "Date d'entrée", required=True)
        interview = read_date(
            errors,
            "initial_interview_date",
            form.initial_interview_date,
            "Date d'entretien d'initialisation",
            required=False,
        )
        if entry and entry > today:
            errors.add("entry_date", "Date d'entrée : ne peut pas être dans le futur.")
        elif entry and age_on(dossier.birth_date, entry) < MINIMUM_AGE:
            errors.add(
                "entry_date",
                f"Date d'entrée : le jeune n'a pas encore {MINIMUM_AGE} ans à cette date.",
            )
        elif entry and last_end and entry <= last_end:
            errors.add("entry_date", overlap_message(last_end))
        if interview and entry and interview > entry:
            errors.add(
                "initial_interview_date",
                "Date d'entretien d'initialisation : ne peut pas être postérieure à la "
                "date d'entrée.",
            )
        if interview and interview < dossier.birth_date:
            errors.add(
                "initial_interview_date",
                "Date d'entretien d'initialisation : antérieure à la naissance du jeune.",
            )
        phase = _phase(errors, form.phase)
        values = self._editable_fields(errors, form, None)
        errors.raise_if_any()
        return {"entry_date": entry, "initial_interview_date": interview, "phase": phase, **values}

    def _editable_fields(
        self,
        errors: FieldErrors,
        form: CepAddInput | CepModifyInput,
        enrolment: Enrolment | None,
    ) -> dict:
        def current(name: str) -> int | None:
            return getattr(enrolment, f"{name}_id") if enrolment else None

        choices = References(form.referrer_id, form.solicitation_reason_id, form.project_type_id)
        referrer = choices.choice(
            errors,
            "referrer_id",
            form.referrer_id,
            ReferenceKind.REFERRER,
            "Aiguilleur",
            required=True,
            current_id=current("referrer"),
        )
        reason = choices.choice(
            errors,
            "solicitation_reason_id",
            form.solicitation_reason_id,
            ReferenceKind.SOLICITATION_REASON,
            "Motif de la sollicitation",
            required=True,
            current_id=current("solicitation_reason"),
        )
        project = choices.choice(
            errors,
            "project_type_id",
            form.project_type_id,
            ReferenceKind.PROJECT_TYPE,
            "Type de projet",
            required=False,
            current_id=current("project_type"),
        )
        names = {
            field: read_line(errors, field, getattr(form, field), label, NAME_MAX_LENGTH)
            for field, label in (
                ("prescriber_name", "Nom du prescripteur"),
                ("referent_name", "Nom du référent"),
            )
        }
        return {
            "referrer": referrer,
            "solicitation_reason": reason,
            "project_type": project,
            **names,
        }

    def _check_closable(self, enrolment: Enrolment, current: PhasePeriod, today: dt.date):
        if current.start_date > today:
            raise RuleViolation(
                f"Le passage en phase {current.phase} est prévu le "
                f"{format_date(current.start_date)} : le dispositif ne pourra être clôturé "
                "qu'à partir de cette date."
            )

    @staticmethod
    def _check_in_progress(enrolment: Enrolment) -> None:
        if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
            raise RuleViolation(CLOSED_IS_READ_ONLY)

    @staticmethod
    def _check_version(enrolment: Enrolment, expected: int | None) -> None:
        if expected is not None and enrolment.version != expected:
            raise EditConflict(_conflict_message(enrolment))

    @staticmethod
    def _save(enrolment: Enrolment, counsellor: Counsellor, now: dt.datetime, **changes) -> None:
        """Write with the version as a guard, so that a concurrent save is never lost."""
        changed = (
            Enrolment.update(
                version=Enrolment.version + 1, updated_at=now, updated_by=counsellor, **changes
            )
            .where((Enrolment.id == enrolment.id) & (Enrolment.version == enrolment.version))
            .execute()
        )
        if changed != 1:
            raise EditConflict(_conflict_message(Enrolment.get_by_id(enrolment.id)))
        for name, value in changes.items():
            setattr(enrolment, name, value)
        enrolment.version += 1
        enrolment.updated_at, enrolment.updated_by = now, counsellor

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

    def _cep_enrolment(
        self, counsellor: Counsellor, enrolment_id: int, *, lock: bool = False
    ) -> Enrolment:
        """An enrolment that this tool may change: the CEP only (the other dispositifs of the
        catalogue are shown, not managed, here). `lock`: its dossier is locked first (see
        `dossier_of`), and the enrolment read again, as the previous writer left it (on
        PostgreSQL; on SQLite the write transaction already read it as last committed)."""
        enrolment = self._enrolment(counsellor, enrolment_id)
        if lock and row_locks():  # (an anonymised dossier refuses the write there)
            self.dossier_of(counsellor, enrolment.dossier_id, lock=True)
            enrolment = self._enrolment(counsellor, enrolment_id)
        elif lock:
            self.check_writable(enrolment.dossier_id)
        if enrolment.dispositif.code != CEP_CODE:
            raise RuleViolation(OTHER_DISPOSITIF_READ_ONLY)
        return enrolment

    @staticmethod
    def _state(enrolment: Enrolment, phases: list[PhasePeriod] | None = None) -> dict:
        """The enrolment and all its phases (`phases`, as this transaction holds them, or
        read here)."""
        state = audit.snapshot(enrolment)
        if phases is None:
            phases = _phases(enrolment)
        state["phases"] = [audit.snapshot(p) for p in sorted(phases, key=lambda p: p.phase)]
        return state

    def _written_view(
        self, enrolment: Enrolment, phases: list[PhasePeriod], actor: Actor
    ) -> EnrolmentView:
        """The view of an enrolment this transaction just wrote, from what it holds: its
        dispositif (read with it), its phases, and its reference values (read here unless
        the write chose them; its last writer is the writer)."""
        _attach_related([enrolment])
        today = self.clock.today()
        return enrolment_view(enrolment, phases, self._menu(enrolment, phases, actor, today), today)

    def _views(self, rows: list[Enrolment], actor: Actor) -> list[EnrolmentView]:
        if not rows:
            return []
        phases: dict[int, list[PhasePeriod]] = {}
        for period in PhasePeriod.select().where(PhasePeriod.enrolment.in_([r.id for r in rows])):
            phases.setdefault(period.enrolment_id, []).append(period)
        _attach_related(rows)
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


def _attach_related(rows: list[Enrolment]) -> None:
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


def _conflict_message(enrolment: Enrolment) -> str:
    who = counsellor_name(enrolment.updated_by)
    when = enrolment.updated_at
    return (
        f"Ce dispositif a été modifié par {who} le {when:%d/%m/%Y à %H:%M} : "
        "vos changements n'ont pas été enregistrés. Rouvrez-le pour repartir de sa "
        "version actuelle."
    )


def overlap_message(last_end: dt.date) -> str:
    return (
        f"Date d'entrée : le CEP précédent de ce jeune s'est terminé le {format_date(last_end)} ; "
        "un nouveau CEP commence après sa fin, au plus tôt le "
        f"{format_date(last_end + dt.timedelta(days=1))}."
    )


def _cep_type(dossier: Dossier) -> DispositifType:
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


def _phases(enrolment: Enrolment) -> list[PhasePeriod]:
    """The enrolment's phases, in order."""
    return list(
        PhasePeriod.select()
        .where(PhasePeriod.enrolment == enrolment.id)
        .order_by(PhasePeriod.phase)
    )


def _period(phases: list[PhasePeriod], number: int) -> PhasePeriod:
    for period in phases:
        if period.phase == number:
            return period
    raise PhasePeriod.DoesNotExist(f"Phase {number} introuvable.")


def _phase(errors: FieldErrors, value: int | str | None) -> int | None:
    try:
        phase = int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        phase = None
    if phase not in (2, 3):
        errors.add("phase", "Phase : choisir la phase 2 ou la phase 3.")
        return None
    return phase


def _exit_reason(errors: FieldErrors, value: ExitReason | str | None) -> ExitReason | None:
    try:
        return ExitReason(value)
    except ValueError:
        errors.add("exit_reason", "Motif de sortie : choisir un motif dans la liste.")
        return None
