"""Build the app for snapshots and bring it, step by step, to the state to photograph.

A snapshot test is one line: `assert snap(snap_compare, demo_db_url, size, *steps)`, where
each step is a small coroutine on the Pilot (open a dossier, press keys, wait for a modal,
type in a field, submit). The app runs on a copy of the demonstration data (seed 2016) at a
fixed date, with a still cursor and no animation, so that a snapshot is the same run after
run. Steps wait for the app (screens, workers) rather than for a time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, TextArea

from cep_tui.app import CepApp
from cep_tui.bootstrap import make_app
from cep_tui.clock import FixedClock
from cep_tui.ui.screens.dossier import DossierScreen
from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.widgets.fields import FormField
from tests.ui.conftest import DEMO_TODAY

Step = Callable[[Pilot], Awaitable[None]]

# Every snapshot at the smallest size the product supports and at a comfortable one.
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])

# Demonstration dossiers whose state is known (see tests/ui/test_dossier_screen.py).
PHASE_2 = "coeur elodie"
PHASE_3 = "lefevre anais"
CLOSED = "saint exupery"
PLANNED_PHASE_3 = "oeuvray maelys"
NO_CEP = "santoni ghjuvan"
READ_ONLY = "l.petit"


def snapshot_app(database_url: str, login: str | None = None) -> CepApp:
    from cep_tui import demo

    app = make_app(
        database_url,
        login or demo.DEFAULT_LOGIN,
        FixedClock.on(DEMO_TODAY),
        cursor_blink=False,
        seed_demo=False,
    )
    app.animation_level = "none"  # no smooth scroll caught half-way
    return app


def snap(snap_compare, database_url: str, size, *actions: Step, login: str | None = None):
    """The app taken through `actions`, compared with its stored snapshot."""
    return snap_compare(
        snapshot_app(database_url, login), terminal_size=size, run_before=steps(*actions)
    )


# -- steps ---------------------------------------------------------------------------------
def steps(*actions: Step) -> Step:
    async def run(pilot: Pilot) -> None:
        await home()(pilot)
        for action in actions:
            await action(pilot)
        await settle(pilot)

    return run


async def settle(pilot: Pilot, rounds: int = 3) -> None:
    """Let the workers finish and the screen refresh."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def until(pilot: Pilot, condition: Callable[[], bool], tries: int = 200) -> None:
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    assert condition(), "the app never reached the expected state"


def home() -> Step:
    async def step(pilot: Pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, HomeScreen))
        await settle(pilot)

    return step


def keys(*pressed: str) -> Step:
    async def step(pilot: Pilot) -> None:
        await pilot.press(*pressed)
        await settle(pilot)

    return step


def expect(screen_type: type[Screen]) -> Step:
    async def step(pilot: Pilot) -> None:
        await until(pilot, lambda: isinstance(pilot.app.screen, screen_type))
        await settle(pilot)

    return step


def search(text: str) -> Step:
    """Type in the home search box, as a counsellor does."""

    async def step(pilot: Pilot) -> None:
        pilot.app.screen.query_one("#dossier-search", Input).focus()
        await pilot.press("end", "ctrl+u", *text)
        await settle(pilot)

    return step


def open_dossier(text: str) -> Step:
    """Search a single dossier from home and open it (Enter), on its SYNTHÈSE."""

    async def step(pilot: Pilot) -> None:
        await search(text)(pilot)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(pilot.app.screen, DossierScreen))
        screen = pilot.app.screen
        await until(pilot, lambda: screen.dossier is not None)
        await settle(pilot)

    return step


def push(build: Callable[[CepApp], Screen]) -> Step:
    """Open a screen built from the app (for a state no key leads to directly)."""

    async def step(pilot: Pilot) -> None:
        screen = build(pilot.app)
        pilot.app.push_screen(screen)
        await until(pilot, lambda: pilot.app.screen is screen)
        await settle(pilot)

    return step


def call(action: Callable[[CepApp], object]) -> Step:
    """Change the data through the services (what someone else did meanwhile)."""

    async def step(pilot: Pilot) -> None:
        action(pilot.app)
        await settle(pilot)

    return step


def _field_widget(pilot: Pilot, field_id: str):
    return pilot.app.screen.query_one(f"#{field_id}", FormField).widget


def type_in(field_id: str, text: str) -> Step:
    """Replace what a form field holds with `text`, typed."""

    async def step(pilot: Pilot) -> None:
        widget = _field_widget(pilot, field_id)
        widget.focus()
        await pilot.pause()
        if isinstance(widget, TextArea):
            await pilot.press("f7", "backspace")
        else:
            await pilot.press("end", "ctrl+u")
        await pilot.press(*text)
        await settle(pilot)

    return step


def choose(field_id: str, label: str, *, selector: str | None = None) -> Step:
    """Choose the option of a list whose label starts with `label`."""

    async def step(pilot: Pilot) -> None:
        if selector is None:
            select = _field_widget(pilot, field_id)
        else:
            select = pilot.app.screen.query_one(selector, Select)
        select.value = next(
            value for prompt, value in select._options if str(prompt).startswith(label)
        )
        await settle(pilot)

    return step


def submit() -> Step:
    return keys("ctrl+s")


def dossier_id(app: CepApp, text: str) -> int:
    (row,) = app.services.dossiers.search(app.actor, text).items
    return row.id
