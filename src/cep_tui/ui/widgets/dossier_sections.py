"""What every section of a dossier (shown right of its navigation) is built on: the
section, its text and table kinds, their messages. Each loads its own data from the
services when it is shown, and says `DossierChanged` when an action changed the dossier
(the screen then reloads what is visible and confirms in a notification). The sections
themselves: person_sections.py (SYNTHÈSE, Identité, Coordonnées, Compléments),
follow_up_sections.py (Services, Demandes, Rendez-vous), dispositifs_section.py,
events_section.py and history_section.py.

A section reads off the UI thread (ui/reads.py): `read()` runs in a worker thread and
returns the section's data, `show_data()` shows it on the UI thread; the keys are answered
meanwhile. A read that fails — a database fault, or a refusal — leaves the section open
with the service's French message and how to try again (`r`, on the dossier screen).

Every text that comes from the database is wrapped in rich.text.Text: never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import RenderableType
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Static

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.services.views import DossierView, Page
from cep_tui.ui.inert import inert
from cep_tui.ui.reads import Reads
from cep_tui.ui.widgets.dossier_nav import DossierNav

RETRY_HINT = "Touche r : réessayer."


# The scrolling keys, said in French (the keys help lists them); no sideways scrolling.
SCROLL_BINDINGS = [
    Binding("up", "scroll_up", "Défiler vers le haut", show=False),
    Binding("down", "scroll_down", "Défiler vers le bas", show=False),
    Binding("pageup", "page_up", "Page précédente", show=False),
    Binding("pagedown", "page_down", "Page suivante", show=False),
    Binding("home", "scroll_home", "Aller au début", show=False),
    Binding("end", "scroll_end", "Aller à la fin", show=False),
]


class SectionScroll(VerticalScroll, inherit_bindings=False):
    """The scrolled body of a section."""

    BINDINGS = SCROLL_BINDINGS


class DossierChanged(Message):
    """An action changed the dossier; `confirmation` is said to the counsellor."""

    def __init__(self, confirmation: str) -> None:
        super().__init__()
        self.confirmation = confirmation


def lines(*parts: Text | str) -> Text:
    return Text("\n").join(inert(p, multiline=True) if isinstance(p, str) else p for p in parts)


def heading(label: str) -> Text:
    return Text(label, style="bold")


def person(dossier: DossierView) -> Text:
    born = "née" if dossier.sex == "F" else "né"
    return inert(
        f"{dossier.full_name}, {born} le {format_date(dossier.birth_date)} ({dossier.age} ans)"
    )


class DossierSection(Vertical):
    """A heading, then the section's content; `load()` (re)reads it from the services,
    off the UI thread."""

    DEFAULT_CLASSES = "dossier-section"
    HEADING = ""

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(id=id)
        self.dossier_id = dossier_id
        self.stale = True
        self.reads: Reads = Reads(self)
        self.fault: str | None = None  # why the last read failed, until one succeeds
        # The counsellor asked for the section's content (its digit) before it was read:
        # the focus goes there once it is, unless they have moved on meanwhile.
        self.focus_when_read = False
        # Held rather than queried, like the widgets a section fills: the screen may blank
        # or fill a section before Textual has mounted them (a dossier opened by a burst
        # of keys on a loaded machine: the query found nothing and the app stopped).
        self.fault_notice = Static("", classes="section-fault")

    @property
    def services(self):
        return self.app.services

    @property
    def actor(self):
        return self.app.actor

    def compose(self) -> ComposeResult:
        yield Static(Text(self.HEADING), classes="section-title")
        yield self.fault_notice
        yield from self.compose_body()

    def compose_body(self) -> ComposeResult:
        raise NotImplementedError
        yield

    # -- reading, off the UI thread ------------------------------------------------------
    def load(self) -> None:
        """Read the section again (in a worker); it shows what the read found when it
        ends, or why it could not."""
        self.stale = False
        self.reads.start(self.read, self.shown, self.read_failed)

    def read(self):
        """The section's data, from the services (runs in a worker thread: no widget)."""
        raise NotImplementedError

    async def show_data(self, data) -> None:
        """Show what `read` returned (on the UI thread)."""
        raise NotImplementedError

    async def shown(self, data) -> None:
        self.show_fault(None)
        await self.show_data(data)
        if self.focus_when_read:
            self.focus_when_read = False
            switcher = self.parent
            still_here = getattr(switcher, "current", None) == self.id
            if still_here and isinstance(self.screen.focused, DossierNav):
                self.focus_content()

    def read_failed(self, error: DomainError) -> None:
        """A database fault: said above the section, with the key that reads again. A
        refusal (`refused`): what the service said."""
        self.stale = True  # read again on its next show, or with `r`
        if isinstance(error, DatabaseUnavailable):
            self.show_fault(error.message)
        else:
            self.refused(error)

    def refused(self, error: DomainError) -> None:
        self.show_fault(error.message, retry=False)

    def show_fault(self, message: str | None, *, retry: bool = True) -> None:
        self.fault = message
        notice = self.fault_notice
        notice.update(inert(f"{message} {RETRY_HINT}" if retry else message) if message else "")
        notice.set_class(message is not None, "-shown")

    def forget(self, dossier_id: int) -> None:
        """Show nothing until loaded for `dossier_id` (the dossier screen is reused)."""
        self.dossier_id = dossier_id
        self.stale = True
        self.reads.drop()  # a read of the other dossier, still on its way
        self.show_fault(None)

    def focus_content(self) -> bool:
        """Put the focus where the section's keys act; False if there is nothing to focus."""
        target = next((w for w in self.query("*") if w.focusable), None)
        if target is None:
            return False
        target.focus()
        return True


class TextSection(DossierSection):
    """A section made of labelled values, scrolled with the arrows."""

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(dossier_id, id=id)
        self.body = SectionScroll(classes="section-body")
        self.text_view = Static("", classes="section-text")

    def compose_body(self) -> ComposeResult:
        with self.body:
            yield self.text_view

    def show(self, content: RenderableType) -> None:
        self.text_view.update(content)

    def forget(self, dossier_id: int) -> None:
        super().forget(dossier_id)
        self.show(Text(""))
        if self.body.is_mounted:  # else it is still at its top
            self.body.scroll_home(animate=False)

    def text_for(self, dossier: DossierView) -> Text:
        raise NotImplementedError

    def read(self) -> DossierView:
        return self.services.dossiers.get(self.actor, self.dossier_id)

    async def show_data(self, data: DossierView) -> None:
        self.show(self.text_for(data))


class DossierRead(Message):
    """SYNTHÈSE read the dossier too (`dossier`), or could not (`error`): the screen's title
    line follows it, with no read of its own (one read, one thread, at each opening)."""

    def __init__(self, dossier: DossierView | None, error: DomainError | None = None) -> None:
        super().__init__()
        self.dossier, self.error = dossier, error


class PagedTable(DataTable, inherit_bindings=False):
    """A table whose PgSuiv, on its last row, asks for the rows that follow."""

    BINDINGS = [
        Binding("up", "cursor_up", "Ligne précédente", show=False),
        Binding("down", "cursor_down", "Ligne suivante", show=False),
        Binding("pageup", "page_up", "Page précédente", show=False),
        Binding("pagedown", "page_down", "Page suivante", show=False),
        Binding("home", "scroll_top", "Première ligne", show=False),
        Binding("end", "scroll_bottom", "Dernière ligne", show=False),
    ]

    class MoreWanted(Message):
        pass

    has_more = False

    def action_page_down(self) -> None:
        if self.has_more and self.cursor_row >= self.row_count - 1:
            self.post_message(self.MoreWanted())
        else:
            super().action_page_down()


class TableSection(DossierSection):
    """A read-only table fitted to its width: fixed columns keep their width, the one
    flexible column (width None) takes the rest and its text wraps, so that nothing is cut
    at 80 columns. PgSuiv at the end of the table loads the next page when there is one."""

    COLUMNS: tuple[tuple[str, int | None], ...] = ()
    EMPTY = ""

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(dossier_id, id=id)
        self.items: list = []
        self.fitted_width = 0

    def compose_body(self) -> ComposeResult:
        yield Static("", classes="caption section-caption")
        table = PagedTable(cursor_type="row", zebra_stripes=True, classes="section-table")
        table.display = False  # shown with its first rows (`add`), never empty
        yield table

    def fetch(self, offset: int) -> Page | Sequence:
        raise NotImplementedError

    def row(self, item) -> tuple[Text, ...]:
        raise NotImplementedError

    def read(self) -> Page | Sequence:
        return self.fetch(0)

    async def show_data(self, data: Page | Sequence) -> None:
        self.items = []
        self.add(data)

    def add(self, result: Page | Sequence) -> None:
        items = result.items if isinstance(result, Page) else tuple(result)
        table = self.query_one(PagedTable)
        table.has_more = isinstance(result, Page) and result.has_more
        first_new = len(self.items)
        self.items += items
        self.fill(table, keep_cursor=True)
        if first_new and items:  # the next page: the cursor goes to its first row
            table.move_cursor(row=first_new)
        caption = self.caption() if self.items else Text(self.EMPTY)
        if table.has_more:
            caption.append(" — PgSuiv en fin de liste : suite")
        self.query_one(".section-caption", Static).update(caption)
        table.display = bool(self.items)

    def fill(self, table: PagedTable, *, keep_cursor: bool) -> None:
        """(Re)build the columns for the current width, then the rows."""
        width = self.content_size.width
        self.fitted_width = width
        cursor = table.cursor_row if keep_cursor else 0
        table.clear(columns=True)
        padding = 2 * table.cell_padding * len(self.COLUMNS) + 2  # + the scrollbar
        fixed = sum(w for _, w in self.COLUMNS if w)
        for label, column_width in self.COLUMNS:
            table.add_column(label, width=column_width or max(12, width - fixed - padding))
        for item in self.items:
            table.add_row(*self.row(item), height=None)
        if self.items:
            table.move_cursor(row=min(cursor, len(self.items) - 1))

    def on_resize(self) -> None:
        if self.items and self.content_size.width != self.fitted_width:
            self.fill(self.query_one(PagedTable), keep_cursor=True)

    def caption(self) -> Text:
        return Text(str(len(self.items)))

    def on_paged_table_more_wanted(self, event: PagedTable.MoreWanted) -> None:
        event.stop()
        if self.reads.reading:  # the rows that follow come once the list is read
            return
        offset = len(self.items)
        self.reads.start(lambda: self.fetch(offset), self.add_more, self.read_failed)

    async def add_more(self, result: Page | Sequence) -> None:
        self.show_fault(None)
        self.add(result)


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count > 1 else ''}"


def newest_first(count: int, feminine: bool = False) -> str:
    """The order of a list, said only when there is an order to speak of."""
    return f", les plus récent{'e' if feminine else ''}s d'abord" if count > 1 else ""
