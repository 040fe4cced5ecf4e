"""One dossier screen serves every dossier (issue 11, speed): it shows each young person
whole and alone, forgets the last one as soon as the counsellor leaves, and nothing of the
screens and sections it drops stays in memory."""

from __future__ import annotations

import gc
import weakref

from rich.text import Text
from textual.widgets import ContentSwitcher, Static

from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.history_section import HistorySection
from cep_tui.ui.widgets.person_sections import IdentitySection, SynthesisSection
from tests.ui.pilot_keys import CLOSED, NO_CEP, PHASE_2, open_dossier, texts_of, until

SIZE = (80, 24)


def built_sections(screen: DossierScreen) -> list[str]:
    return [child.id for child in screen.query_one(ContentSwitcher).children]


async def back_home(app, pilot) -> None:
    await pilot.press("escape")
    await until(pilot, lambda: isinstance(app.screen, HomeScreen))
    await pilot.pause()


async def test_the_same_screen_shows_each_dossier_and_forgets_the_last(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        first = await open_dossier(app, pilot, PHASE_2)
        first_name = first.dossier.full_name
        await pilot.press("5")  # ÉVÈNEMENTS, then DISPOSITIFS: built for this dossier
        await pilot.press("2")
        await until(pilot, lambda: len(built_sections(first)) == 3)
        await back_home(app, pilot)

        # Left: the young person is gone from the screen kept for the next one.
        assert built_sections(first) == ["synthese"]
        assert str(first.query_one("#dossier-title", Static).content) == ""
        assert first_name not in texts_of(first, "#synthese .section-text")

        second = await open_dossier(app, pilot, NO_CEP)
        assert second is first
        assert second.current == "synthese"
        assert built_sections(second) == ["synthese"]
        title = str(second.query_one("#dossier-title", Static).content)
        assert second.dossier.full_name in title and first_name not in title
        synthesis = texts_of(second, "#synthese .section-text")
        assert second.dossier.full_name in synthesis and first_name not in synthesis
        assert app.focused is second.query_one("#dossier-nav")

        await pilot.press("5")  # its own events, read for this dossier
        await until(pilot, lambda: "evenements" in built_sections(second))
        section = second.query_one("#evenements")
        assert section.dossier_id == second.dossier_id != None  # noqa: E711


async def test_closed_screens_and_sections_are_released(make_demo_app):
    """Dossiers opened one after the other, sections visited: after each, what the screen
    dropped is collected, and a single dossier screen lives. A second screen, made when
    the kept one is already open, is released when closed."""
    # Those of earlier tests in this process (their apps may still be referenced).
    earlier = weakref.WeakSet(o for o in gc.get_objects() if isinstance(o, DossierScreen))
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        dropped: list[weakref.ref] = []
        for search in (PHASE_2, NO_CEP, CLOSED, PHASE_2):
            screen = await open_dossier(app, pilot, search)
            for key in ("2", "5", "3"):
                await pilot.press(key)
                await pilot.pause()
            children = screen.query_one(ContentSwitcher).children
            dropped += [weakref.ref(c) for c in children if c.id != "synthese"]  # kept
            await back_home(app, pilot)
        kept = screen

        extra = app.open_dossier(app.services.dossiers.search(app.actor, "").items[0].id)
        assert extra is kept  # the kept one is closed: it serves
        await until(pilot, lambda: app.screen is kept and kept.dossier is not None)
        second = weakref.ref(app.open_dossier(kept.dossier_id))
        assert second() is not kept
        await until(pilot, lambda: app.screen is second() and second().dossier is not None)
        await pilot.press("escape")  # the second…
        await until(pilot, lambda: app.screen is kept)
        await back_home(app, pilot)  # …then the kept one
        # A screen's workers (its reads, the access journal's record) hold it until they
        # end: on a loaded machine, after the screen closed. Released is what is asserted.
        await until(pilot, lambda: not any(_of_a_dossier(w.node) for w in app.workers))

        gc.collect()
        assert [ref for ref in dropped if ref() is not None] == []
        assert second() is None
        screens = [o for o in gc.get_objects() if isinstance(o, DossierScreen) and o not in earlier]
        assert screens == [kept]


def _of_a_dossier(node) -> bool:
    """Whether a worker's node is a dossier screen or a widget of one."""
    return any(isinstance(n, DossierScreen) for n in node.ancestors_with_self)


async def test_a_section_is_blanked_and_filled_before_its_widgets_are_mounted(make_demo_app):
    """Opening the reused screen blanks SYNTHÈSE, and a read may fill a section, before
    Textual has mounted the widgets inside it: once, under a full suite on a loaded
    machine, a dossier opened by a burst of keys stopped the app on a query that found
    nothing there. A section holds its widgets: what it was given shows once mounted."""
    app = make_demo_app()
    async with app.run_test(size=SIZE):
        for kind in (SynthesisSection, IdentitySection, HistorySection):
            section = kind(1, id="section-not-mounted-yet")
            section.forget(2)
            section.show(Text("Jeune suivi"))
            section.show_fault("La base est occupée.")
            assert section.dossier_id == 2 and section.stale
            await app.screen.mount(section)
            assert "Jeune suivi" in str(section.text_view.render())
            assert "La base est occupée." in str(section.fault_notice.render())
            await section.remove()
