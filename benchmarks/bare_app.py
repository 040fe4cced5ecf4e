"""The bare framework the start-up of cep-tui is measured against: a Textual app with a
Header, an Input, a DataTable and a Footer, nothing else. With CEP_TUI_EXIT_WHEN_READY set
to a file, it writes there the instant its first screen is drawn (time.monotonic()) and
quits, as cep-tui does once its first results are shown."""

from __future__ import annotations

import os
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Rechercher")
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("N° dossier", "Nom", "Prénom", "Né(e) le")
        if os.environ.get("CEP_TUI_EXIT_WHEN_READY"):
            self.call_after_refresh(self.report_ready_and_exit)

    def report_ready_and_exit(self) -> None:
        ready_file = Path(os.environ["CEP_TUI_EXIT_WHEN_READY"])
        ready_file.write_text(repr(time.monotonic()), encoding="utf-8")
        self.exit()


if __name__ == "__main__":
    BareApp().run()
