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

    def compose_body(self) -> ComposeResult:
        refs = self.app.services.references
        with Horizontal(classes="filter-row"):
            yield Label("Date entre le", classes="filter-label")
            yield DateInput(id="filter-from", compact=True)
            yield Label("Et le", classes="filter-label")
            yield DateInput(id="filter-to", compact=True)
        with Horizontal(classes="filter-row"):
            yield Label("Nature", classes="filter-label")
            yield FrenchSelect(
                [(inert(v.label), v.id) for v in refs.choices(ReferenceKind.NATURE)],
                prompt="Toutes",
                id="filter-nature",
                compact=True,
            )
            yield Label("Sens", classes="filter-label")
            yield FrenchSelect(
                [(inert(v.label), v.id) for v in refs.choices(ReferenceKind.DIRECTION)],
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

    async def load(self) -> None:
        await super().load()
        try:
            page = self.fetch(0)
        except DomainError as error:
            self.show_caption(inert(error.message, style="bold red"))
            return
        events = self.query_one(EventList)
        await events.remove_children()
        self.count = 0
        await self.add(page)

    def fetch(self, offset: int) -> Page[EventView]:
        return self.services.events.list(
            self.actor, self.dossier_id, self.filters(), offset=offset, limit=PAGE_SIZE
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

    def show_caption(self, text: Text) -> None:
        self.query_one(".section-caption", Static).update(text)

    def focus_content(self) -> bool:
        self.query_one(EventList).focus()
        return True

    @on(EventList.MoreWanted)
    async def on_more_wanted(self, event: EventList.MoreWanted) -> None:
        event.stop()
        try:
            await self.add(self.fetch(self.count))
        except DomainError as error:
            self.show_caption(inert(error.message, style="bold red"))

    # -- filters: the list follows them as they change ----------------------------------
    @on(Input.Changed, "#filter-from, #filter-to")
    async def on_date_changed(self, event: Input.Changed) -> None:
        value = event.value.strip()
        if not self.stale and (not value or len(value) == 10):
            await self.load()

    @on(Select.Changed)
    @on(RadioSet.Changed)
    async def on_filter_changed(self) -> None:
        if not self.stale:
            await self.load()
