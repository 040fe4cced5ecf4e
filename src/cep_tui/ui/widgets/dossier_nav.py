"""The left navigation of a dossier, as in the guide: SYNTHÈSE; SUIVI — Dispositifs,
Services, Demandes, Évènements, Rendez-vous; DOSSIER — Identité, Coordonnées, Compléments,
and the dossier's Historique (who changed what: issue 13).

Each section carries the digit that reaches it (1 to 9, then 0 for the tenth); the group
headings cannot be highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Section:
    id: str
    label: str
    group: str  # the heading the section sits under ("" for SYNTHÈSE)


SECTIONS: tuple[Section, ...] = (
    Section("synthese", "SYNTHÈSE", ""),
    Section("dispositifs", "Dispositifs", "SUIVI"),
    Section("services", "Services", "SUIVI"),
    Section("demandes", "Demandes", "SUIVI"),
    Section("evenements", "Évènements", "SUIVI"),
    Section("rendez-vous", "Rendez-vous", "SUIVI"),
    Section("identite", "Identité", "DOSSIER"),
    Section("coordonnees", "Coordonnées", "DOSSIER"),
    Section("complements", "Compléments", "DOSSIER"),
    Section("historique", "Historique", "DOSSIER"),
)
SECTION_IDS = tuple(s.id for s in SECTIONS)


def section_key(number: int) -> str:
    """The key of the `number`-th section (from 1): its digit, 0 for the tenth."""
    return str(number % 10)


class DossierNav(OptionList):
    """Arrows move between sections (headings are skipped); Enter enters the section."""

    def __init__(self, **kwargs) -> None:
        options: list[Option] = []
        group = ""
        for digit, section in enumerate(SECTIONS, start=1):
            if section.group != group:
                group = section.group
                options.append(Option(Text(group), id=f"group-{group}", disabled=True))
            indent = "  " if section.group else ""
            prompt = Text.assemble(indent, (f"{section_key(digit)} ", "dim"), section.label)
            options.append(Option(prompt, id=section.id))
        super().__init__(*options, compact=True, **kwargs)

    def highlight_section(self, section_id: str) -> None:
        index = self.get_option_index(section_id)
        if self.highlighted != index:
            self.highlighted = index
