"""A young person's dossier: the guide's navigation on the left, the section on the right.

Digits 1-9 and 0 reach the sections; the keys of the dossier (add the CEP, events, search an
offer, edit the coordinates, the documents) are DossierKeys' (dossier_keys.py), the keys of
a dispositif on its card. Every rule is the services'; this screen only shows their views
and their refusals.

Only the section shown is built and read: the screen opens with SYNTHÈSE alone, and each
other section is built on its first show (issue 5: composing all nine up front was most of
the opening, whatever the history). A write marks the built ones stale; the others are
read fresh when they are built.

One screen serves every dossier (issue 11: building the header, the navigation, the
footer and SYNTHÈSE anew was most of what an opening cost). The app keeps it
(`CepApp.open_dossier`) and points it at each dossier in turn (`retarget`); when the
counsellor leaves it, it forgets the young person at once: the sections other than
SYNTHÈSE are removed, the title and SYNTHÈSE blanked (`forget`), so that nothing of one
dossier can show in another's. What must happen at every opening goes in `open`, never in
`on_mount` (which runs once).

Every read runs off the UI thread (ui/reads.py): the dossier's title line here, each
section's content in the section. A read the database could not do (a colleague's lock
past the bound, the server gone) leaves the screen open with the French message where the
data would be; `r` reads again.
"""

from __future__ import annotations

import gc

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Header, Input, OptionList, Static

from cep_tui.services.document_content import SYNTHESIS_TITLE
from cep_tui.services.errors import DatabaseUnavailable, DomainError
from cep_tui.services.retention import ANONYMISED_LABEL
from cep_tui.services.views import DossierView
from cep_tui.ui.inert import inert
from cep_tui.ui.reads import Reads
from cep_tui.ui.screens.dossier_keys import DossierKeys
from cep_tui.ui.widgets.dispositifs_section import CEP_ADDED, DispositifsSection
from cep_tui.ui.widgets.dossier_nav import SECTION_IDS, SECTIONS, DossierNav, section_key
from cep_tui.ui.widgets.dossier_sections import (
    RETRY_HINT,
    DossierChanged,
    DossierRead,
    DossierSection,
)
from cep_tui.ui.widgets.events_section import EventsSection
from cep_tui.ui.widgets.follow_up_sections import (
    AppointmentsSection,
    RequestsSection,
    ServicesSection,
)
from cep_tui.ui.widgets.footer import KeysFooter
from cep_tui.ui.widgets.history_section import HistorySection
from cep_tui.ui.widgets.person_sections import (
    ComplementsSection,
    ContactSection,
    IdentitySection,
    SynthesisSection,
)

SECTION_WIDGETS: dict[str, type[DossierSection]] = {
    "synthese": SynthesisSection,
    "dispositifs": DispositifsSection,
    "services": ServicesSection,
    "demandes": RequestsSection,
    "evenements": EventsSection,
    "rendez-vous": AppointmentsSection,
    "identite": IdentitySection,
    "coordonnees": ContactSection,
    "complements": ComplementsSection,
    "historique": HistorySection,
}


def title_line(dossier: DossierView) -> Text:
    """ "NOM Prénom — n° 0001234 — 20 ans — Justifié"; « Dossier anonymisé » once the
    retention has erased who it was."""
    if dossier.anonymised:
        return Text.assemble((ANONYMISED_LABEL, "bold italic"), inert(f" — n° {dossier.number}"))
    line = inert(dossier.full_name, style="bold")
    line.append(inert(f" — n° {dossier.number} — {dossier.age} ans — "))
    line.append(dossier.status_label, style="bold" if dossier.justified else "bold italic")
    return line


class DossierScreen(DossierKeys, Screen[None]):
    # In the footer's order: the section's keys first, then those of the whole dossier.
    BINDINGS = [
        Binding("a", "add_cep", "Ajouter le CEP"),
        Binding("n", "new_event", "Nouvel évènement"),
        Binding("f", "close_event", "Clôturer l'évènement"),
        Binding("m", "edit", "Modifier"),
        Binding("o", "search_offer", "Rechercher une offre"),
        Binding("s", "document_synthesis", "Synthèse CEP", tooltip=SYNTHESIS_TITLE),
        Binding("d", "document_copy", "Copie des données"),
        Binding("r", "retry", "Réessayer"),
        Binding("1", "section(1)", "Sections", key_display="0-9"),
        *(
            Binding(section_key(digit), f"section({digit})", section.label.capitalize(), show=False)
            for digit, section in enumerate(SECTIONS, start=1)
            if digit > 1
        ),
        Binding("escape", "back", "Retour", key_display="Échap"),
    ]
    AUTO_FOCUS = "#dossier-nav"

    def __init__(self, dossier_id: int) -> None:
        super().__init__()
        self.dossier_id = dossier_id
        self.dossier: DossierView | None = None
        self.current = "synthese"
        # The dossier was (re)targeted and not yet read: done once mounted and shown.
        self.opening = True
        self.reads: Reads[DossierView] = Reads(self)
        self.fault: str | None = None  # why the title line could not be read

    def compose(self) -> ComposeResult:
        yield Header(icon="≡")
        yield Static("", id="dossier-title")
        with Horizontal(id="dossier-body"):
            yield DossierNav(id="dossier-nav")
            # The section shown only; the others on their first show (build_section).
            with ContentSwitcher(initial=self.current, id="dossier-sections"):
                yield self.new_section(self.current)
        yield KeysFooter(compact=True)

    async def on_mount(self) -> None:
        await self.open()

    async def on_screen_resume(self) -> None:
        # Pushed again for another dossier (or uncovered by a modal: nothing to do).
        await self.open()

    async def on_screen_suspend(self) -> None:
        if self not in self.app.screen_stack:  # left (popped), not covered by a modal
            await self.forget()
            # The garbage of this visit (its sections, their styles and lines) collected
            # now, once the screen underneath is drawn, rather than by a full collection
            # that would fall inside a later opening (its slowest 5 %).
            self.app.call_after_refresh(gc.collect)

    # -- one screen for every dossier ----------------------------------------------------
    def retarget(self, dossier_id: int) -> None:
        """Point the screen at another dossier, before it is pushed again: read when it
        shows (`open`)."""
        self.dossier_id = dossier_id
        self.dossier = None
        self.opening = True

    async def open(self) -> None:
        """Show the dossier the screen points at, once it is mounted and current: its
        title and SYNTHÈSE, the navigation on SYNTHÈSE."""
        if not (self.opening and self.is_mounted and self.is_current):
            return
        self.opening = False
        await self.forget()  # what another dossier left, if the screen was not popped
        self.reload()
        self.journal_access(self.dossier_id, self.current)
        nav = self.query_one(DossierNav)
        nav.highlight_section(self.current)
        nav.focus()
        self.refresh_bindings()

    async def forget(self) -> None:
        """Drop what the screen shows of its young person: every section but SYNTHÈSE
        (removed), the title and SYNTHÈSE (blanked, stale); back to SYNTHÈSE."""
        self.current = "synthese"
        self.reads.drop()  # a read of the other dossier, still on its way
        self.fault = None
        switcher = self.query_one(ContentSwitcher)
        others = [child for child in switcher.children if child.id != self.current]
        if others:
            await switcher.remove_children(others)
            # Textual's cached lists of displayed children would hold them until the next
            # layout of the switcher: computed again now, without them.
            switcher.displayed_and_visible_children  # noqa: B018
        synthesis = self.built_section(self.current)
        if synthesis is not None:
            synthesis.forget(self.dossier_id)
        switcher.current = self.current
        self.query_one("#dossier-title", Static).update("")

    # -- data ----------------------------------------------------------------------------
    @property
    def services(self):
        return self.app.services

    @property
    def actor(self):
        return self.app.actor

    def reload(self) -> None:
        """Read the dossier again (its title line), and the visible section; the others
        (built or not yet) on their next show. SYNTHÈSE reads the dossier with its own
        data: shown, it brings the title line (`DossierRead`), with no read of its own."""
        if self.current != "synthese":
            self.reads.start(
                lambda: self.services.dossiers.get(self.actor, self.dossier_id),
                self.show_dossier,
                self.dossier_refused,
            )
        for section in self.query(DossierSection):
            section.stale = True
        self.load_section(self.current)

    @on(DossierRead)
    def on_dossier_read(self, message: DossierRead) -> None:
        message.stop()
        if message.dossier is not None:
            self.show_dossier(message.dossier)
        elif message.error is not None and not isinstance(message.error, DatabaseUnavailable):
            self.dossier_refused(message.error)  # gone, or no longer consultable: home

    def show_dossier(self, dossier: DossierView) -> None:
        self.dossier, self.fault = dossier, None
        self.query_one("#dossier-title", Static).update(title_line(dossier))
        self.refresh_bindings()
        if self.focused is None:  # what had the focus is gone (a deleted dispositif)
            self.query_one(DossierNav).focus()

    def dossier_refused(self, error: DomainError) -> None:
        """A fault: said in the title line, the screen stays (`r` reads again). A refusal
        (the dossier is gone, or the right to see it): said, and back home."""
        if isinstance(error, DatabaseUnavailable):
            self.fault = error.message
            title = inert(f"{error.message} {RETRY_HINT}", style="bold")
            self.query_one("#dossier-title", Static).update(title)
            self.refresh_bindings()
            return
        self.app.notify(error.message, severity="error", markup=False)
        if self.is_current:
            self.app.pop_screen()

    def new_section(self, section_id: str) -> DossierSection:
        return SECTION_WIDGETS[section_id](self.dossier_id, id=section_id)

    def built_section(self, section_id: str) -> DossierSection | None:
        """The section if it was shown once (built), else None."""
        try:
            return self.query_one(ContentSwitcher).get_child_by_id(section_id, DossierSection)
        except NoMatches:
            return None

    async def build_section(self, section_id: str) -> DossierSection:
        """The section, built (hidden, stale) on its first show."""
        section = self.built_section(section_id)
        if section is None:
            section = self.new_section(section_id)
            await self.query_one(ContentSwitcher).add_content(section)
        return section

    def load_section(self, section_id: str) -> None:
        """Read the section again if it is stale (built: `build_section` went first)."""
        section = self.built_section(section_id)
        if section is not None and section.stale:
            section.load()

    @on(DossierChanged)
    async def on_dossier_changed(self, event: DossierChanged) -> None:
        event.stop()
        self.reload()
        if event.confirmation == CEP_ADDED:
            # The CEP just added: its card focused (once read), so that p, m, c act on it.
            await self.show_section("dispositifs", focus=True)
        self.app.notify(event.confirmation, markup=False)

    def action_retry(self) -> None:
        """`r`, after a read failed: read the title line and the section again."""
        if self.fault is not None:
            self.reload()
        else:
            self.load_section(self.current)

    def after(self, confirmation: str | None):
        """The callback of a modal: on a result, reload and confirm."""

        def done(result) -> None:
            if result is not None:
                message = result if isinstance(result, str) and result else confirmation
                self.post_message(DossierChanged(message or "Enregistré."))

        return done

    # -- navigation ----------------------------------------------------------------------
    async def show_section(self, section_id: str, *, focus: bool) -> None:
        self.current = section_id
        self.journal_access(self.dossier_id, section_id)
        self.query_one(DossierNav).highlight_section(section_id)
        section = await self.build_section(section_id)
        self.query_one(ContentSwitcher).current = section_id
        self.load_section(section_id)
        self.refresh_bindings()
        if focus and not section.focus_content():
            self.query_one(DossierNav).focus()
            section.focus_when_read = section.reads.reading

    @work(thread=True, group="access-journal")
    def journal_access(self, dossier_id: int, section_id: str) -> None:
        """The access journal (services/access_journal.py), off the keys' path: a fault
        here is logged, never shown (the counsellor's work does not depend on it)."""
        try:
            self.app.services.access_journal.record(self.app.actor, dossier_id, section_id)
        except Exception as error:
            from cep_tui.crash import log_unexpected

            log_unexpected(error)

    async def action_section(self, digit: int) -> None:
        await self.show_section(SECTION_IDS[digit - 1], focus=True)

    @on(OptionList.OptionHighlighted, "#dossier-nav")
    async def on_nav_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id in SECTION_IDS and event.option_id != self.current:
            await self.show_section(event.option_id, focus=False)

    @on(OptionList.OptionSelected, "#dossier-nav")
    async def on_nav_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id in SECTION_IDS:
            await self.show_section(event.option_id, focus=True)

    def action_back(self) -> None:
        """Escape: out of a filter field first (back to its list), else back home."""
        if isinstance(self.focused, Input):
            self.query_one(f"#{self.current}", DossierSection).focus_content()
            return
        self.app.pop_screen()
