"""The bare framework the start-up of cep-tui is measured against: a Textual app with a
Header, an Input, a DataTable and a Footer, nothing else (`--rows 50`: the table filled
with 50 rows, as cep-tui's first screen is). With CEP_TUI_EXIT_WHEN_READY set to a file,
it writes there the instant its first screen is drawn (time.monotonic()) and quits, as
cep-tui does."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input

ROW = ("0004217", "LEFÈVRE", "Œdipe", "14/03/2006", "Justifié")


class BareApp(App[None]):
    def __init__(self, rows: int = 0):
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Rechercher")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("N° dossier", "Nom", "Prénom", "Né(e) le", "Statut")
        table.add_rows([ROW] * self.rows)
        if os.environ.get("CEP_TUI_EXIT_WHEN_READY"):
            self.call_after_refresh(self.report_ready_and_exit)

    def report_ready_and_exit(self) -> None:
        instant = repr(time.monotonic())
        report = Path(os.environ["CEP_TUI_EXIT_WHEN_READY"])
        report.write_text(f"interactive {instant}\nresults {instant}\n", encoding="utf-8")
        self.exit()


if __name__ == "__main__":
    BareApp(rows=int(sys.argv[2]) if sys.argv[1:2] == ["--rows"] else 0).run()
