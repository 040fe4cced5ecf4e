"""« Mes jeunes », on the home screen before any search: the counsellor's young people in
CEP with their phase, days in it, last event and alerts, read in a worker; `t` changes the
order (alerts first by default), Entrée opens the dossier."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from cep_tui.services.caseload import CaseloadOrder, CaseloadRow, sort_rows
from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.ui.inert import inert

ORDERS = tuple(CaseloadOrder)
FIXED = (("Nom", 20), ("Ph.", 3), ("Jours", 5), ("Dern. év.", 10))


class CaseloadTable(DataTable):
    BINDINGS = [Binding("t", "screen.caseload_order", "Trier « Mes jeunes »", show=False)]


class CaseloadPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: tuple[CaseloadRow, ...] = ()
        self.order = CaseloadOrder.ALERTS
        self.loaded = False

    def compose(self) -> ComposeResult:
        yield Static("", id="caseload-caption", classes="caption")
        yield CaseloadTable(id="caseload-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in FIXED:
            table.add_column(Text(label), width=width)
        table.add_column(Text("Alertes"), width=max(20, self.app.size.width - 51))
        self.load()

    @work(thread=True, exclusive=True, group="caseload")
    def load(self) -> None:
        app = self.app
        try:
            rows = app.services.caseload.mine(app.actor, self.order)
        except DomainError as error:
            app.call_from_thread(self.notify, error.message, severity="error", markup=False)
            return
        if not get_current_worker().is_cancelled:
            app.call_from_thread(self.show, rows)

    def show(self, rows: tuple[CaseloadRow, ...]) -> None:
        self.rows, self.loaded = rows, True
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        for row in rows:
            alerts = inert(", ".join(text for _, text in row.alerts), style="bold yellow")
            table.add_row(
                inert(row.full_name, no_wrap=True, overflow="ellipsis"),
                Text(str(row.phase)),
                Text(str(row.days_in_phase), justify="right"),
                Text(format_date(row.last_event) or "—"),
                alerts,
                key=str(row.dossier_id),
            )
        if rows:
            table.move_cursor(row=min(cursor, len(rows) - 1))
        with_alerts = sum(1 for r in rows if r.alerts)
        self.query_one("#caseload-caption", Static).update(
            Text(
                f"Mes jeunes en CEP ({len(rows)}, dont {with_alerts} avec alerte) · tri : "
                f"{self.order.label} (t : changer)"
            )
        )
        self.post_message(self.Loaded())

    class Loaded(Message):
        """The rows are shown (the home screen then decides what it shows)."""

    def next_order(self) -> None:
        self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
        self.show(sort_rows(self.rows, self.order))

    @on(DataTable.RowSelected, "#caseload-table")
    def open_dossier(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_dossier(int(event.row_key.value))
