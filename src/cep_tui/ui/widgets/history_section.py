"""DOSSIER > Historique: who changed what in the dossier, when, with the values before and
after (services/dossier_history.py), newest first, scrolled with the arrows. Reached by
the key 0 or the navigation; read off the UI thread like every section, for a counsellor
who may consult the dossier (the service says so otherwise).

The values come from the database: each is shown inert (ui/inert.py)."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from cep_tui.services.dates import format_date_time
from cep_tui.services.dossier_history import History, HistoryEntry
from cep_tui.ui.inert import inert
from cep_tui.ui.widgets.dossier_sections import TextSection, newest_first, plural

# The most recent changes shown (a dossier followed for years has thousands).
SHOWN = 200
# The labels' column, the same in every entry (a longer label wraps beside its value).
LABEL_WIDTH = 22
ERASED = "Valeurs effacées : la durée de conservation des données est dépassée."


def entry_view(entry: HistoryEntry) -> Group:
    """« 29/11/2026 10:00 — Claire DUPONT », the action, then a line for each field changed:
    its label, and « avant → après » wrapped beside it (a long value keeps its column)."""
    title = Text(format_date_time(entry.at), style="bold")
    title.append(inert(f" — {entry.counsellor_name}"))
    title.append("\n")
    title.append(inert(entry.action, style="bold"))
    if entry.erased:
        return Group(title, Padding(Text(ERASED, style="italic"), (0, 0, 0, 2)))
    changes = Table.grid(padding=(0, 1))
    changes.add_column(style="dim", width=LABEL_WIDTH)
    changes.add_column(ratio=1)
    for change in entry.changes:
        values = inert(change.before_text)
        values.append(" → ", style="dim")
        values.append(inert(change.after_text))
        changes.add_row(inert(change.label), values)
    return Group(title, Padding(changes, (0, 0, 0, 2)))


def caption(history: History) -> Text:
    if not history.total:
        return Text("Aucune modification enregistrée sur ce dossier.")
    shown = len(history.entries)
    if history.total > shown:
        return Text(f"Les {shown} modifications les plus récentes sur {history.total}.")
    return Text(f"{plural(history.total, 'modification')}{newest_first(history.total, True)}")


class HistorySection(TextSection):
    """The entries as one scrolled text, under a caption that says how many."""

    HEADING = "HISTORIQUE"

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(dossier_id, id=id)
        self.caption_view = Static("", classes="section-caption")

    def compose_body(self) -> ComposeResult:
        yield self.caption_view
        yield from super().compose_body()

    def read(self) -> History:
        return self.services.dossier_history.history(self.actor, self.dossier_id, limit=SHOWN)

    async def show_data(self, data: History) -> None:
        self.caption_view.update(caption(data))
        views = [part for e in data.entries for part in (entry_view(e), Text(""))]
        self.show(Group(*views[:-1]))

    def forget(self, dossier_id: int) -> None:
        super().forget(dossier_id)
        self.caption_view.update("")
