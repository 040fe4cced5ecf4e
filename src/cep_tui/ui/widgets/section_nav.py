"""A left navigation of sections under group headings, as the guide draws a dossier's or an
offer's: arrows move between sections (headings are skipped), Enter enters the section.
Sections may carry the digit that reaches them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class NavSection:
    id: str
    label: str
    group: str = ""  # the heading the section sits under ("" for none)


class SectionNav(OptionList):
    def __init__(self, sections: Sequence[NavSection], *, digits: bool = True, **kwargs) -> None:
        options: list[Option] = []
        group = ""
        for digit, section in enumerate(sections, start=1):
            if section.group != group:
                group = section.group
                options.append(Option(Text(group), id=f"group-{group}", disabled=True))
            indent = "  " if section.group else ""
            number = (f"{digit} ", "dim") if digits else ""
            options.append(Option(Text.assemble(indent, number, section.label), id=section.id))
        super().__init__(*options, compact=True, **kwargs)

    def highlight_section(self, section_id: str) -> None:
        index = self.get_option_index(section_id)
        if self.highlighted != index:
            self.highlighted = index
