"""The CEP dispositif: add (phase 2 or 3), pass to phase 3, modify, close, delete. Its
reads are services/cep_reads.py, the rules of its forms services/cep_rules.py."""

from __future__ import annotations

import datetime as dt

from peewee import IntegrityError

from cep_tui.db.connection import row_locks
from cep_tui.db.models import Counsellor, Enrolment, PhasePeriod
from cep_tui.services import audit
from cep_tui.services.cep_reads import CepReads, phases_of
from cep_tui.services.cep_rules import (
    CEP_ALREADY_IN_PROGRESS,
    OTHER_DISPOSITIF_READ_ONLY,
    CepAddInput,
    CepModifyInput,
    check_closable,
    check_in_progress,
    check_version,
    conflict_message,
    editable_fields,
    period_of,
    read_exit_reason,
    validate_add,
)
from cep_tui.services.dates import format_date, read_date
from cep_tui.services.errors import EditConflict, FieldErrors, RuleViolation
from cep_tui.services.events import record_action
from cep_tui.services.views import Actor, EnrolmentView
from cep_tui.vocabulary import CEP_CODE, ActionKind, EnrolmentStatus, ExitReason, Right

__all__ = ["CEP_ALREADY_IN_PROGRESS", "CepAddInput", "CepModifyInput", "CepService"]


class CepService(CepReads):
    # -- writing -----------------------------------------------------------------------
    def add(self, actor: Actor, dossier_id: int, form: CepAddInput) -> EnrolmentView:
        with self.writing():
            counsellor = self.authorize(actor, Right.PROPOSE_CEP, Right.VIEW_DOSSIER)
            dossier = self.dossier_of(counsellor, dossier_id, lock=True)
            cep_type = self._check_dossier_accepts_cep(dossier)
            values = validate_add(dossier, form, cep_type.last_end, self.clock.today())
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
            check_version(enrolment, expected_version)
            check_in_progress(enrolment)
            if enrolment.phase != 2:
                raise RuleViolation(
                    "Le dispositif est déjà en phase 3 : le retour en phase 2 n'est pas possible."
                )
            phases = phases_of(enrolment)
            phase_2 = period_of(phases, 2)
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
            check_version(enrolment, expected_version)
            check_in_progress(enrolment)
            errors = FieldErrors()
            values = editable_fields(errors, form, enrolment, counsellor.structure_id)
            errors.raise_if_any()
            phases = phases_of(enrolment)
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
            check_version(enrolment, expected_version)
            check_in_progress(enrolment)
            phases = phases_of(enrolment)
            current = period_of(phases, enrolment.phase)
            today = self.clock.today()
            check_closable(current, today)
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
            reason = read_exit_reason(errors, exit_reason)
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
            check_version(enrolment, expected_version)
            if enrolment.status != EnrolmentStatus.IN_PROGRESS.value:
                raise RuleViolation(
                    "Seul un dispositif en phase 2 ou 3 peut être supprimé ; celui-ci est clôturé."
                )
            before = self._state(enrolment, phases_of(enrolment))
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
            raise EditConflict(conflict_message(Enrolment.get_by_id(enrolment.id)))
        for name, value in changes.items():
            setattr(enrolment, name, value)
        enrolment.version += 1
        enrolment.updated_at, enrolment.updated_by = now, counsellor

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
            phases = phases_of(enrolment)
        state["phases"] = [audit.snapshot(p) for p in sorted(phases, key=lambda p: p.phase)]
        return state
