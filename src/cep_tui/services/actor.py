"""The counsellor at the keyboard, as the sign-in hands them to the app (and
`cep_tui.services.views` re-exports). A module of its own: the start-up needs it, not the
other views."""

from __future__ import annotations

from dataclasses import dataclass

from cep_tui.vocabulary import Right


@dataclass(frozen=True)
class Actor:
    """The counsellor at the keyboard."""

    id: int
    login: str
    first_name: str
    last_name: str
    structure_id: int
    structure_name: str
    rights: frozenset[Right]
    # The structure holds invented data (`cep-tui demo`): `--as` is harmless there.
    demonstration: bool = False

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}"

    def can(self, right: Right) -> bool:
        return right in self.rights
