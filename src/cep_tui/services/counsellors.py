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
    def sign_in(self, login: str, structure: str | None = None) -> Actor:
        """The active counsellor with this login, or a French refusal. Logins are unique
        within a structure only: when the login is in several, `structure` (its code, the
        `--structure` option) says which; without it the start is refused, clearly."""
        login = clean_line(login)
        query = (
            Counsellor.select(Counsellor, Structure)
            .join(Structure)
            .where((Counsellor.login == login) & Counsellor.active)
            .order_by(Structure.code)
        )
        if structure:
            query = query.where(Structure.code == clean_line(structure))
        rows = list(query.limit(2))
        if not rows:
            raise NotFound(
                f"Identifiant inconnu ou désactivé : « {login} ». Demandez à l'administrateur "
                "de votre structure de vous ouvrir un accès."
            )
        if len(rows) > 1:
            raise NotFound(
                f"L'identifiant « {login} » est ouvert dans plusieurs structures : "
                "précisez la vôtre avec l'option --structure CODE."
            )
        (row,) = rows
        return actor_of(row, row.structure)
