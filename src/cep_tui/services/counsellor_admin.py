"""Administration of the structure's counsellors: created, deactivated or reactivated (never
oneself), and granted or withdrawn each right of the guide. Every write needs the right
"Administrer la structure", runs in one transaction and writes one audit record. The
administration service (services/administration.py) adds the reference lists."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from cep_tui.db.connection import for_update
from cep_tui.db.models import Counsellor
from cep_tui.services import audit
from cep_tui.services.base import RIGHT_COLUMNS, ServiceBase, rights_of
from cep_tui.services.errors import FieldErrors, NotFound, RuleViolation, ValidationError
from cep_tui.services.views import Actor
from cep_tui.text import clean_line
from cep_tui.vocabulary import Right

NAME_MAX_LENGTH = 60
LOGIN_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")
COUNSELLOR_NOT_FOUND = "Conseiller introuvable dans votre structure."
LOGIN_FORMAT = (
    "Identifiant : de 2 à 40 caractères parmi a-z, 0-9, le point, le tiret et le tiret bas "
    "(sans majuscule, espace ni accent)."
)
NOT_ONESELF_DEACTIVATE = (
    "Vous ne pouvez pas désactiver votre propre compte : demandez-le à un autre administrateur."
)
NOT_ONESELF_ADMINISTER = (
    f"Vous ne pouvez pas retirer votre propre droit « {Right.ADMINISTER.label} » : "
    "demandez-le à un autre administrateur."
)

# What a new counsellor is offered to start with: the day-to-day follow-up of dossiers.
FOLLOW_UP_RIGHTS = frozenset(
    {Right.VIEW_DOSSIER, Right.EDIT_DOSSIER, Right.EVENTS, Right.PROPOSE_CEP}
)


@dataclass(frozen=True)
class CounsellorEntry:
    """A counsellor of the structure, with the rights held."""

    id: int
    login: str
    first_name: str
    last_name: str
    active: bool
    rights: frozenset[Right]

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"


@dataclass(frozen=True)
class CounsellorInput:
    """The form of a new counsellor."""

    login: str = ""
    first_name: str = ""
    last_name: str = ""
    rights: frozenset[Right] = field(default_factory=frozenset)


def _counsellor_entry(counsellor: Counsellor) -> CounsellorEntry:
    return CounsellorEntry(
        id=counsellor.id,
        login=counsellor.login,
        first_name=counsellor.first_name,
        last_name=counsellor.last_name,
        active=counsellor.active,
        rights=rights_of(counsellor),
    )


def _rights(errors: FieldErrors, rights: Iterable[Right | str]) -> frozenset[Right]:
    chosen = set()
    for right in rights or ():
        try:
            chosen.add(Right(right))
        except ValueError:
            errors.add("rights", "Droits : droit inconnu.")
    return frozenset(chosen)


class CounsellorAdministration(ServiceBase):
    # -- counsellors ----------------------------------------------------------------------
    def counsellors(self, actor: Actor) -> tuple[CounsellorEntry, ...]:
        """The structure's counsellors, active or not, by name."""
        counsellor = self.authorize(actor)
        rows = (
            Counsellor.select()
            .where(Counsellor.structure == counsellor.structure_id)
            .order_by(Counsellor.last_name, Counsellor.first_name, Counsellor.login)
        )
        return tuple(_counsellor_entry(c) for c in rows)

    def create_counsellor(self, actor: Actor, form: CounsellorInput) -> CounsellorEntry:
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            errors = FieldErrors()
            login = clean_line(form.login if isinstance(form.login, str) else "")
            if not login:
                errors.add("login", "Identifiant : ce champ est obligatoire.")
            elif not LOGIN_PATTERN.match(login):
                errors.add("login", LOGIN_FORMAT)
            elif (
                Counsellor.select()
                .where((Counsellor.login == login) & (Counsellor.structure == admin.structure_id))
                .exists()
            ):  # other structures' logins are theirs: neither refused nor revealed here
                errors.add("login", f"Identifiant : « {login} » est déjà utilisé.")
            first_name = _name(errors, "first_name", form.first_name, "Prénom")
            last_name = _name(errors, "last_name", form.last_name, "Nom")
            rights = _rights(errors, form.rights)
            errors.raise_if_any()
            counsellor = Counsellor.create(
                login=login,
                first_name=first_name,
                last_name=last_name,
                structure=admin.structure_id,
                active=True,
                **{column: right in rights for right, column in RIGHT_COLUMNS.items()},
            )
            audit.record(
                admin,
                self.clock.now(),
                "Création de conseiller",
                "counsellor",
                counsellor.id,
                None,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    def set_counsellor_active(
        self, actor: Actor, counsellor_id: int, active: bool
    ) -> CounsellorEntry:
        """Deactivate (no more sign-in, no more offered in forms) or reactivate."""
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            counsellor = self._counsellor(admin, counsellor_id)
            if counsellor.id == admin.id:
                raise RuleViolation(NOT_ONESELF_DEACTIVATE)
            if counsellor.active == bool(active):
                state = "actif" if counsellor.active else "désactivé"
                raise RuleViolation(f"Le compte « {counsellor.login} » est déjà {state}.")
            before = audit.snapshot(counsellor)
            counsellor.active = bool(active)
            counsellor.save()
            audit.record(
                admin,
                self.clock.now(),
                "Réactivation de conseiller" if active else "Désactivation de conseiller",
                "counsellor",
                counsellor.id,
                before,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    def set_rights(
        self, actor: Actor, counsellor_id: int, rights: Iterable[Right | str]
    ) -> CounsellorEntry:
        """Grant exactly `rights` (each right of the guide granted or withdrawn)."""
        with self.writing():
            admin = self.authorize(actor, Right.ADMINISTER)
            counsellor = self._counsellor(admin, counsellor_id)
            errors = FieldErrors()
            chosen = _rights(errors, rights)
            errors.raise_if_any()
            if counsellor.id == admin.id and Right.ADMINISTER not in chosen:
                raise ValidationError({"rights": NOT_ONESELF_ADMINISTER})
            before = audit.snapshot(counsellor)
            for right, column in RIGHT_COLUMNS.items():
                setattr(counsellor, column, right in chosen)
            counsellor.save()
            audit.record(
                admin,
                self.clock.now(),
                "Modification des droits",
                "counsellor",
                counsellor.id,
                before,
                audit.snapshot(counsellor),
            )
        return _counsellor_entry(counsellor)

    @staticmethod
    def _counsellor(admin: Counsellor, counsellor_id: int) -> Counsellor:
        """The counsellor, locked until the write ends (PostgreSQL; see `_lock_list`)."""
        query = Counsellor.select().where(
            (Counsellor.id == counsellor_id) & (Counsellor.structure == admin.structure_id)
        )
        counsellor = for_update(query).first()
        if counsellor is None:
            raise NotFound(COUNSELLOR_NOT_FOUND)
        return counsellor


def _name(errors: FieldErrors, field_name: str, value, label: str) -> str:
    text = clean_line(value if isinstance(value, str) else "")
    if not text:
        errors.add(field_name, f"{label} : ce champ est obligatoire.")
    elif len(text) > NAME_MAX_LENGTH:
        errors.add(field_name, f"{label} : {NAME_MAX_LENGTH} caractères au maximum.")
    return text
