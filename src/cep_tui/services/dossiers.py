"""Finding a young person's dossier and reading or editing its sections."""

from __future__ import annotations

import re
from dataclasses import dataclass

from peewee import JOIN, fn

from cep_tui.db import search
from cep_tui.db.models import (
    Anonymisation,
    Appointment,
    Counsellor,
    Dossier,
    Event,
    Proposal,
    Request,
)
from cep_tui.db.search import prefix_condition
from cep_tui.services import audit
from cep_tui.services.base import ServiceBase
from cep_tui.services.converters import counsellor_name, dossier_view, read_line, read_text
from cep_tui.services.dates import parse_date
from cep_tui.services.errors import EditConflict, FieldErrors
from cep_tui.services.views import (
    Actor,
    AppointmentView,
    DossierRow,
    DossierSynthesis,
    DossierView,
    Page,
    RequestView,
)
from cep_tui.text import indexed_text
from cep_tui.vocabulary import DossierStatus, EducationLevel, Residence, Right

_DIGITS = re.compile(r"^\d+$")
SEARCH_MAX_TOKENS = 8
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9 +().-]{6,20}$")


@dataclass(frozen=True)
class ContactInput:
    """Coordonnées."""

    address: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True)
class ComplementsInput:
    complementary_info: str = ""
    situation: str = ""


@dataclass(frozen=True)
class ProfileInput:
    """The profile the CEP indicators break down by: codes of EducationLevel and
    Residence (the labels are accepted too)."""

    education_level: str | None = EducationLevel.UNKNOWN.value
    qpv: str | None = Residence.UNKNOWN.value
    zrr: str | None = Residence.UNKNOWN.value


def _choice(errors: FieldErrors, field: str, value, enum, label: str) -> str | None:
    """The code of `value` in the national list `enum` (by code or label), or None with
    its message added to `errors`."""
    for member in enum:
        if value in (member.value, member.label):
            return member.value
    errors.add(field, f"{label} : choisir une valeur dans la liste.")
    return None


def dossier_search_text(dossier: Dossier) -> str:
    return indexed_text(dossier.last_name, dossier.first_name)


class DossierService(ServiceBase):
    def __init__(self, clock, cep, events):
        super().__init__(clock)
        self.cep = cep
        self.events = events

    def search(
        self, actor: Actor, text: str, *, offset: int = 0, limit: int = 20
    ) -> Page[DossierRow]:
        """Name, first name, birth date (jj/mm/aaaa) or dossier number; with nothing typed,
        the counsellor's own dossiers, most recently changed first. Results come in the
        order of the search seam: whole words first, then name order."""
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        query = Dossier.select(
            Dossier.id,
            Dossier.number,
            Dossier.last_name,
            Dossier.first_name,
            Dossier.birth_date,
            Dossier.status,
        )
        words, dates, numbers = [], [], []
        # Capped like the seam's words: each token adds a condition, and a pasted wall of
        # numbers or dates would otherwise nest too deep for the query builder.
        for token in (text or "").split()[:SEARCH_MAX_TOKENS]:
            if (day := parse_date(token)) is not None:
                dates.append(day)
            elif _DIGITS.match(token):
                numbers.append(token)
            else:
                words.append(token)
        if not (words or dates or numbers):
            query = (
                query.where(
                    (Dossier.structure == counsellor.structure_id)
                    & (Dossier.referent == counsellor.id)
                    & ~fn.EXISTS(_anonymisation_of_row())
                )
                .order_by(Dossier.updated_at.desc(), Dossier.id.desc())
                .offset(max(0, offset))
                .limit(limit + 1)
            )
        else:
            conditions = [Dossier.birth_date == day for day in dict.fromkeys(dates)]
            if dates:
                # An anonymised dossier keeps a birth date (generalised): never found by it.
                # (Its name and number are gone: no word nor number finds it either.)
                conditions.append(~fn.EXISTS(_anonymisation_of_row()))
            conditions += [prefix_condition(Dossier.number, n) for n in dict.fromkeys(numbers)]
            # A birth date, or a number prefix few dossiers have, narrows the search more
            # than any word: the words then filter those dossiers.
            selective = bool(dates)
            if numbers and not dates:
                longest = max(numbers, key=len)
                with_number = Dossier.select(Dossier.id).where(
                    prefix_condition(Dossier.number, longest)
                )
                if search.few(with_number):
                    # Read from the number's index (an IN list of ids), whatever else.
                    conditions.append(Dossier.id.in_(with_number))
                    selective = True
            query = search.ranked(
                query,
                search.DOSSIERS,
                counsellor.structure_id,
                " ".join(words),
                conditions=conditions,
                selective=selective,
                offset=offset,
                limit=limit + 1,
            )
        rows = list(query)
        items = tuple(
            DossierRow(
                id=d.id,
                number=d.number,
                last_name=d.last_name,
                first_name=d.first_name,
                birth_date=d.birth_date,
                status_label=DossierStatus(d.status).label,
            )
            for d in rows[:limit]
        )
        return Page(items=items, offset=offset, has_more=len(rows) > limit)

    def get(self, actor: Actor, dossier_id: int) -> DossierView:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self._with_referent(counsellor, dossier_id)
        anonymised = Anonymisation.select().where(Anonymisation.dossier == dossier.id).exists()
        return dossier_view(dossier, self.clock.today(), anonymised=anonymised)

    def synthesis(self, actor: Actor, dossier_id: int) -> DossierSynthesis:
        """SYNTHÈSE: identity, status, age, the CEP in progress, the event in progress."""
        dossier = self.get(actor, dossier_id)
        return DossierSynthesis(
            dossier=dossier,
            cep=self.cep.in_progress(actor, dossier_id),
            event_in_progress=self.events.in_progress(actor, dossier_id),
            proposals_count=Proposal.select().where(Proposal.dossier == dossier_id).count(),
            events_count=Event.select().where(Event.dossier == dossier_id).count(),
        )

    def requests(
        self, actor: Actor, dossier_id: int, *, limit: int = 100
    ) -> tuple[RequestView, ...]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        rows = (
            Request.select(Request, Counsellor)
            .join(Counsellor, on=(Request.counsellor == Counsellor.id), join_type=JOIN.LEFT_OUTER)
            .where(Request.dossier == dossier)
            .order_by(Request.requested_on.desc(), Request.id.desc())
            .limit(limit)
        )
        return tuple(
            RequestView(
                requested_on=r.requested_on,
                subject=r.subject,
                status=r.status,
                counsellor_name=counsellor_name(r.counsellor),
            )
            for r in rows
        )

    def appointments(
        self, actor: Actor, dossier_id: int, *, limit: int = 100
    ) -> tuple[AppointmentView, ...]:
        counsellor = self.authorize(actor, Right.VIEW_DOSSIER)
        dossier = self.dossier_of(counsellor, dossier_id)
        rows = (
            Appointment.select(Appointment, Counsellor)
            .join(
                Counsellor,
                on=(Appointment.counsellor == Counsellor.id),
                join_type=JOIN.LEFT_OUTER,
            )
            .where(Appointment.dossier == dossier)
            .order_by(Appointment.starts_at.desc(), Appointment.id.desc())
            .limit(limit)
        )
        return tuple(
            AppointmentView(
                starts_at=a.starts_at,
                subject=a.subject,
                place=a.place,
                status=a.status,
                counsellor_name=counsellor_name(a.counsellor),
            )
            for a in rows
        )

    # -- editing (the "Modifier les informations d'un dossier" right) -------------------
    def update_contact(
        self, actor: Actor, dossier_id: int, form: ContactInput, expected_version: int | None = None
    ) -> DossierView:
        errors = FieldErrors()
        values = {
            "address": read_line(errors, "address", form.address, "Adresse"),
            "postal_code": read_line(errors, "postal_code", form.postal_code, "Code postal"),
            "city": read_line(errors, "city", form.city, "Commune"),
            "phone": read_line(errors, "phone", form.phone, "Téléphone"),
            "email": read_line(errors, "email", form.email, "E-mail"),
        }
        if values["postal_code"] and not re.fullmatch(r"\d{5}", values["postal_code"]):
            errors.add("postal_code", "Code postal : cinq chiffres attendus.")
        if values["phone"] and not _PHONE.match(values["phone"]):
            errors.add("phone", "Téléphone : numéro invalide.")
        if values["email"] and not _EMAIL.match(values["email"]):
            errors.add("email", "E-mail : adresse invalide.")
        return self._update(
            actor, dossier_id, errors, values, expected_version, "Modification des coordonnées"
        )

    def update_complements(
        self,
        actor: Actor,
        dossier_id: int,
        form: ComplementsInput,
        expected_version: int | None = None,
    ) -> DossierView:
        errors = FieldErrors()
        values = {
            "complementary_info": read_text(
                errors,
                "complementary_info",
                form.complementary_info,
                "Informations complémentaires",
            ),
            "situation": read_text(errors, "situation", form.situation, "Situation"),
        }
        return self._update(
            actor, dossier_id, errors, values, expected_version, "Modification des compléments"
        )

    def update_profile(
        self, actor: Actor, dossier_id: int, form: ProfileInput, expected_version: int | None = None
    ) -> DossierView:
        errors = FieldErrors()
        values = {
            "education_level": _choice(
                errors, "education_level", form.education_level, EducationLevel,
                "Niveau de formation",
            ),
            "qpv": _choice(errors, "qpv", form.qpv, Residence, "Résidant QPV"),
            "zrr": _choice(errors, "zrr", form.zrr, Residence, "Résidant ZRR"),
        }  # fmt: skip
        return self._update(
            actor, dossier_id, errors, values, expected_version, "Modification du profil"
        )

    def _update(
        self,
        actor: Actor,
        dossier_id: int,
        errors: FieldErrors,
        values: dict,
        expected_version: int | None,
        action: str,
    ) -> DossierView:
        with self.writing():
            counsellor = self.authorize(actor, Right.EDIT_DOSSIER, Right.VIEW_DOSSIER)
            dossier = self.dossier_of(counsellor, dossier_id, lock=True)  # before the version
            errors.raise_if_any()
            if expected_version is not None and dossier.version != expected_version:
                raise EditConflict(
                    f"Ce dossier a été modifié par {counsellor_name(dossier.updated_by)} le "
                    f"{dossier.updated_at:%d/%m/%Y à %H:%M} : rouvrez-le pour repartir de sa "
                    "version actuelle."
                )
            before = audit.snapshot(dossier)
            for name, value in values.items():
                setattr(dossier, name, value)
            now = self.clock.now()
            dossier.search_text = dossier_search_text(dossier)
            dossier.updated_at, dossier.updated_by = now, counsellor
            dossier.version += 1
            dossier.save()
            audit.record(
                counsellor, now, action, "dossier", dossier.id, before, audit.snapshot(dossier)
            )
        return self.get(actor, dossier_id)

    def _with_referent(self, counsellor: Counsellor, dossier_id: int) -> Dossier:
        dossier = self.dossier_of(counsellor, dossier_id)
        if dossier.referent_id:
            dossier.referent = Counsellor.get_by_id(dossier.referent_id)
        return dossier


def _anonymisation_of_row():
    return Anonymisation.select(Anonymisation.id).where(Anonymisation.dossier == Dossier.id)
