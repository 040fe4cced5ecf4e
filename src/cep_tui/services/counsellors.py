"""Who is at the keyboard: the counsellor behind a login."""

from __future__ import annotations

from cep_tui.db.models import Counsellor, Structure
from cep_tui.services.actor import Actor
from cep_tui.services.base import ServiceBase, rights_of
from cep_tui.services.errors import NotFound
from cep_tui.text import clean_line


def actor_of(counsellor: Counsellor, structure: Structure) -> Actor:
    return Actor(
        id=counsellor.id,
        login=counsellor.login,
        first_name=counsellor.first_name,
        last_name=counsellor.last_name,
        structure_id=structure.id,
        structure_name=structure.name,
        rights=rights_of(counsellor),
        demonstration=structure.demonstration,
    )


class CounsellorService(ServiceBase):
    def sign_in(self, login: str) -> Actor:
        """The active counsellor with this login, or a French refusal."""
        login = clean_line(login)
        row = (
            Counsellor.select(Counsellor, Structure)
            .join(Structure)
            .where(Counsellor.login == login)
            .first()
        )
        if row is None or not row.active:
            raise NotFound(
                f"Identifiant inconnu ou désactivé : « {login} ». Demandez à l'administrateur "
                "de votre structure de vous ouvrir un accès."
            )
        return actor_of(row, row.structure)
