"""The administration's « Journal des accès » (issue 13, point 2): who consulted which
dossier of the structure, and which section of it, when — newest first, read-only.

The journal is read off the UI thread (ui/reads.py), each time the panel is shown: the
screen answers keys while the database takes its time. The service decides who may read
it (the right « Administrer la structure »); its refusal, or a database fault (then `r`
reads again), is said in place of the table."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Static

from cep_tui.config import ACCESS_JOURNAL_MONTHS
from cep_tui.services.access_journal import AccessEntry
from cep_tui.services.dates import format_date_time
from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.ui.inert import inert
from cep_tui.ui.reads import Reads
from cep_tui.ui.widgets.admin_panels import NAV_WIDTH, AdminPanel
from cep_tui.ui.widgets.dossier_nav import SECTIONS
from cep_tui.ui.widgets.dossier_sections import RETRY_HINT
from cep_tui.ui.widgets.section_nav import SectionNav

JOURNAL_LIMIT = 200  # the most recent consultations shown
# A dossier's section as the journal stores it (its id) -> as the dossier's navigation
# names it: "synthese" -> "Synthèse", "evenements" -> "Évènements".
SECTION_LABELS = {section.id: section.label.capitalize() for section in SECTIONS}
# Fixed columns: "29/11/2026 10:00", the longest section label; a dossier number of 7
# (wider for a longer number shown, up to 12, taken from the names).
DATE_WIDTH, NUMBER_WIDTHS = 16, (7, 12)
NAME_WIDTHS = (11, 28)  # the counsellor's column, at 80 columns and at most (then room)
SECTION_WIDTH = max(len(label) for label in SECTION_LABELS.values())


def section_label(section_id: str) -> Text:
    """The French label of a section; an id the navigation does not know (an older
    version's, or written by hand), shown as stored — inert."""
    label = SECTION_LABELS.get(section_id)
    return Text(label) if label is not None else fitted(section_id, SECTION_WIDTH)


def fitted(value: str, width: int) -> Text:
    """`value` inert, cut to `width` cells with an ellipsis: the column's gap stays free."""
    text = inert(value, no_wrap=True)
    text.truncate(width, overflow="ellipsis")
    return text


def moment_cell(at: object) -> Text:
    """ "29/11/2026 10:00"; a stored value that is no date and time (written by SQL, in
    a shape the driver does not read) shown as stored — inert."""
    if isinstance(at, dt.datetime):
        return Text(format_date_time(at))
    return fitted(str(at), DATE_WIDTH)


def counsellor_cell(entry: AccessEntry, width: int) -> Text:
    """The whole name where it fits, else its short form ("C. DUPONT"), cut if need be."""
    name = entry.counsellor_name
    if cell_len(name) > width and entry.counsellor_short_name:
        name = entry.counsellor_short_name
    return fitted(name, width)


def journal_note(months: int) -> Text:
    """What the journal is and how long it is kept: the configured period, said as the
    CNIL's recommendation only when it is that one."""
    why = "recommandation de la CNIL" if months == ACCESS_JOURNAL_MONTHS else "réglage du serveur"
    return Text(f"Dossiers consultés, les plus récents d'abord.\nConservé {months} mois ({why}).")


def count_line(count: int, *, filtered: bool = False, limit: int = JOURNAL_LIMIT) -> str:
    if count == 0:
        return (
            "Aucune consultation ne correspond au filtre."
            if filtered
            else "Aucune consultation enregistrée."
        )
    if count >= limit:
        return f"Les {limit} consultations les plus récentes."
    return f"{count} consultation{'s' if count > 1 else ''}."


class AccessJournalPanel(AdminPanel):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.entries: tuple[AccessEntry, ...] = ()
        self.reads: Reads[tuple[AccessEntry, ...]] = Reads(self)
        self.fault: str | None = None  # a database fault, until a read succeeds
        # Column widths as set on mount, and for the numbers shown (each leaves a gap of one).
        self.name_room = self.name_width = NAME_WIDTHS[0]
        self.number_width = NUMBER_WIDTHS[0]
        self.matching = ""  # the filter of the last read started
        self.refusal: str | None = None  # the service's, when it refused the last read

    def compose(self) -> ComposeResult:
        yield Static(Text("JOURNAL DES ACCÈS"), classes="section-title")
        months = self.app.services.access_journal.months_kept
        yield Static(journal_note(months), classes="caption admin-note")
        with Horizontal(id="journal-filter-row"):
            yield Label("Filtrer")
            yield Input(
                placeholder="n° de dossier, nom ou identifiant",
                compact=True,
                max_length=40,
                id="journal-filter",
            )
        # No cell padding: a one-cell gap per column, so that a name fits at 80 columns.
        yield DataTable(cursor_type="row", zebra_stripes=True, cell_padding=0, id="journal")
        yield Static("", id="journal-status", classes="caption")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        fixed = (DATE_WIDTH + 1) + (NUMBER_WIDTHS[0] + 1) + SECTION_WIDTH
        self.name_room = self.app.size.width - NAV_WIDTH - 2 - 1 - fixed - 1
        self.name_width = min(max(NAME_WIDTHS[0], self.name_room), NAME_WIDTHS[1])
        table.add_column("Date et heure", width=DATE_WIDTH + 1)
        table.add_column("Conseiller", width=self.name_width + 1, key="name")
        table.add_column("Dossier", width=NUMBER_WIDTHS[0] + 1, key="number")
        table.add_column("Section", width=SECTION_WIDTH)

    def fit_columns(self, entries: tuple[AccessEntry, ...]) -> None:
        """The number column as wide as the longest number shown (within bounds); the
        names keep what is left."""
        longest = max([NUMBER_WIDTHS[0], *(cell_len(e.dossier_number) for e in entries)])
        self.number_width = min(longest, NUMBER_WIDTHS[1])
        room = self.name_room - (self.number_width - NUMBER_WIDTHS[0])
        self.name_width = min(max(6, room), NAME_WIDTHS[1])
        columns = self.query_one(DataTable).columns
        columns["number"].width = self.number_width + 1
        columns["name"].width = self.name_width + 1

    def focus_content(self) -> bool:
        table = self.query_one(DataTable)
        if not table.display:  # a refusal or a fault is shown
            return False
        table.focus()
        return True

    def focus_filter(self) -> None:
        self.query_one("#journal-filter", Input).focus()

    def load(self) -> None:
        """Read the journal again (in a worker), with the filter as typed now; shown when
        the read ends (a newer read, at the next key, takes its place)."""
        app = self.app
        matching = self.matching = self.query_one("#journal-filter", Input).value
        self.reads.start(
            lambda: app.services.access_journal.of_structure(
                app.actor, limit=JOURNAL_LIMIT, matching=matching
            ),
            self.fill,
            self.read_failed,
        )

    @on(Input.Changed, "#journal-filter")
    def on_filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.load()

    @on(Input.Submitted, "#journal-filter")
    def on_filter_submitted(self, event: Input.Submitted) -> None:
        """Enter: into the consultations found."""
        event.stop()
        self.focus_content()

    def fill(self, entries: tuple[AccessEntry, ...]) -> None:
        self.entries, self.fault, self.refusal = entries, None, None
        self.query_one("#journal-filter-row").display = True
        table = self.query_one(DataTable)
        table.clear()
        table.display = True
        self.fit_columns(entries)
        for entry in entries:
            table.add_row(
                moment_cell(entry.at),
                counsellor_cell(entry, self.name_width),
                fitted(entry.dossier_number, self.number_width),
                section_label(entry.section),
            )
        status = self.query_one("#journal-status", Static)
        status.update(Text(count_line(len(entries), filtered=bool(self.matching.strip()))))
        status.remove_class("-refused", "-fault")
        self.screen.refresh_bindings()

    def read_failed(self, error: DomainError) -> None:
        """In place of the table: the service's refusal, or a fault with the key that reads
        again."""
        retry = isinstance(error, DatabaseUnavailable)
        self.entries = ()
        self.fault, self.refusal = (error.message, None) if retry else (None, error.message)
        self.query_one("#journal-filter-row").display = retry  # no filter without the right
        table = self.query_one(DataTable)
        focused = self.screen.focused
        hidden = focused is table or (not retry and focused in self.query(Input).nodes)
        if hidden:  # the focus was on what is hidden now: back to the navigation
            self.screen.query_one(SectionNav).focus()
        table.clear()
        table.display = False
        message = f"{error.message} {RETRY_HINT}" if retry else error.message
        status = self.query_one("#journal-status", Static)
        status.update(inert(message))
        status.set_class(retry, "-fault")
        status.set_class(not retry, "-refused")
        self.screen.refresh_bindings()
