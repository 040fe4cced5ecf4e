"""Suivi > Évènements: the guide's filters ("Date entre le" / "Et le", Nature, Sens, Actions,
"Tous les événements" / "Évènements en cours uniquement") above the list of events, each
with its contexts, its fields, its comment and the actions recorded in it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label, RadioButton, RadioSet, Select, Static

from cep_tui.services.dates import format_date
from cep_tui.services.errors import DomainError
from cep_tui.services.events import EventFilter
from cep_tui.services.views import EventView, Page
from cep_tui.ui.inert import inert
from cep_tui.ui.widgets.dispositif_card import field
from cep_tui.ui.widgets.dossier_sections import (
    DossierSection,
    SectionScroll,
    lines,
    newest_first,
)
from cep_tui.ui.widgets.fields import DateInput, FrenchSelect
from cep_tui.vocabulary import ActionKind, ReferenceKind

PAGE_SIZE = 50
# The filters whose values are a reference list: the Select's id -> the list.
FILTER_LISTS = {
    "#filter-nature": ReferenceKind.NATURE,
    "#filter-direction": ReferenceKind.DIRECTION,
}
CONTEXT_LABELS = ("Contexte primaire", "Contexte secondaire", "Contexte tertiaire")


def event_text(event: EventView) -> Text:
    title = Text(format_date(event.event_date), style="bold")
    if event.in_progress:
        title.append(" - (EN COURS)", style="bold")
    parts: list[Text | str] = [title]
    parts += [
        field(label, c.label) for label, c in zip(CONTEXT_LABELS, event.contexts, strict=False)
    ]
    parts += [
        field("Sens", event.direction.label),
        field("Nature", event.nature.label),
        field("Lieu d'accueil", event.reception_place.label),
        field("Fonction", event.function.label),
        field("Intervenant", event.intervenant_name),
    ]
    if event.walk_in:
        parts.append(Text("Venu sans rendez-vous"))
    if event.comment:
        parts.append(field("Commentaire", event.comment))
    if event.actions:
        parts.append(Text("Actions :", style="dim"))
        for action in event.actions:
            line = Text("• ")
            line.append(action.kind_label, style="bold")
            if action.description:
                line.append(inert(f" : {action.description}"))
            line.append(
                inert(f" ({action.at:%d/%m/%Y %H:%M}, {action.counsellor_name})", style="dim")
            )
            parts.append(line)
    return lines(*parts)


class EventList(SectionScroll):
    """The events, scrolled with the arrows; PgSuiv at the end asks for the next ones."""

    class MoreWanted(Message):
        pass

    has_more = False

    def action_page_down(self) -> None:
        if self.has_more and self.scroll_y >= self.max_scroll_y:
            self.post_message(self.MoreWanted())
        else:
            super().action_page_down()


class EventsSection(DossierSection):
    HEADING = "ÉVÈNEMENTS"

    def __init__(self, dossier_id: int, *, id: str) -> None:
        super().__init__(dossier_id, id=id)
        self.count = 0
        self.has_choices = False  # the filters' lists were read

    def compose_body(self) -> ComposeResult:
        # The lists of the filters are read with the first events (`read_events`).
        with Horizontal(classes="filter-row"):
            yield Label("Date entre le", classes="filter-label")
            yield DateInput(id="filter-from", compact=True)
            yield Label("Et le", classes="filter-label")
            yield DateInput(id="filter-to", compact=True)
        with Horizontal(classes="filter-row"):
            yield Label("Nature", classes="filter-label")
            yield FrenchSelect(
                [],
                prompt="Toutes",
                id="filter-nature",
                compact=True,
            )
            yield Label("Sens", classes="filter-label")
            yield FrenchSelect(
                [],
                prompt="Tous",
                id="filter-direction",
                compact=True,
            )
        with Horizontal(classes="filter-row"):
            yield Label("Actions", classes="filter-label")
            yield FrenchSelect(
                [(kind.label, kind) for kind in ActionKind],
                prompt="Toutes",
                id="filter-action",
                compact=True,
            )
        with RadioSet(id="filter-scope", compact=True):
            yield RadioButton("Tous les événements", value=True, id="scope-all")
            yield RadioButton("Évènements en cours uniquement", id="scope-current")
        yield Static("", classes="caption section-caption")
        yield EventList(id="event-list", classes="section-body")

    def filters(self) -> EventFilter:
        def chosen(ident: str):
            select = self.query_one(ident, Select)
            return None if select.is_blank() else select.value

        return EventFilter(
            date_from=self.query_one("#filter-from", Input).value,
            date_to=self.query_one("#filter-to", Input).value,
            nature_id=chosen("#filter-nature"),
            direction_id=chosen("#filter-direction"),
            action_kind=chosen("#filter-action"),
            in_progress_only=self.query_one("#scope-current", RadioButton).value,
        )

    def load(self) -> None:
        self.stale = False
        filters = self.filters()  # read from the widgets here, on the UI thread
        with_choices = not self.has_choices
        self.reads.start(
            lambda: self.read_events(filters, with_choices), self.shown, self.read_failed
        )

    def read_events(self, filters: EventFilter, with_choices: bool) -> tuple:
        """The first events, and the first time the values the filters offer."""
        choices = None
        if with_choices:
            refs = self.services.references
            choices = tuple(refs.choices(kind) for kind in FILTER_LISTS.values())
        return choices, self.fetch(filters, 0)

    async def show_data(self, data: tuple) -> None:
        choices, page = data
        if choices is not None and not self.has_choices:
            for select_id, values in zip(FILTER_LISTS, choices, strict=True):
                self.query_one(select_id, Select).set_options(
                    (inert(v.label), v.id) for v in values
                )
            self.has_choices = True
        events = self.query_one(EventList)
        await events.remove_children()
        self.count = 0
        await self.add(page)

    def fetch(self, filters: EventFilter, offset: int) -> Page[EventView]:
        return self.services.events.list(
            self.actor, self.dossier_id, filters, offset=offset, limit=PAGE_SIZE
        )

    async def add(self, page: Page[EventView]) -> None:
        events = self.query_one(EventList)
        events.has_more = page.has_more
        await events.mount_all(
            Static(event_text(e), classes="event-card" + (" -current" if e.in_progress else ""))
            for e in page.items
        )
        self.count += len(page.items)
        if not self.count and not any(vars(self.filters()).values()):
            caption = Text("Aucun évènement sur ce dossier.")
        elif not self.count:
            caption = Text("Aucun évènement ne correspond à cette recherche.")
        else:
            plural = "s" if self.count > 1 else ""
            caption = Text(f"{self.count} évènement{plural}{newest_first(self.count)}")
        if page.has_more:
            caption.append(" — PgSuiv en fin de liste : suite")
        self.show_caption(caption)

    def refused(self, error: DomainError) -> None:
        """A filter the service refuses (a date that is none): said in place of the count."""
        self.stale = False  # the list follows the next change of the filters
        self.show_caption(inert(error.message, style="bold red"))

    def show_caption(self, text: Text) -> None:
        self.query_one(".section-caption", Static).update(text)

    def focus_content(self) -> bool:
        self.query_one(EventList).focus()
        return True

    @on(EventList.MoreWanted)
    def on_more_wanted(self, event: EventList.MoreWanted) -> None:
        event.stop()
        if self.reads.reading:  # the events that follow come once the list is read
            return
        filters, offset = self.filters(), self.count
        self.reads.start(lambda: self.fetch(filters, offset), self.add_more, self.read_failed)

    async def add_more(self, page: Page[EventView]) -> None:
        self.show_fault(None)
        await self.add(page)

    # -- filters: the list follows them as they change ----------------------------------
    @on(Input.Changed, "#filter-from, #filter-to")
    def on_date_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if self.follows_filters() and (not value or len(value) == 10):
            self.load()

    @on(Select.Changed)
    @on(RadioSet.Changed)
    def on_filter_changed(self) -> None:
        if self.follows_filters():
            self.load()

    def follows_filters(self) -> bool:
        """Once shown (read, or its read failed), the list follows the filters."""
        return not self.stale or self.fault is not None
