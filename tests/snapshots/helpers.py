"""Build the app for snapshots and bring it, step by step, to the state to photograph.

A snapshot test is one line: `assert snap(snap_compare, demo_db_url, size, *steps)`, where
each step is a small coroutine on the Pilot (open a dossier, press keys, wait for a modal,
type in a field, submit). The app runs on a copy of the demonstration data (seed 2016) at a
fixed date, with a still cursor and no animation, so that a snapshot is the same run after
run. Steps wait for the app (screens, workers) rather than for a time: each is one of the
shared helpers of tests/ui/pilot_keys.py, then `settled` (three rounds of `settle`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Select

from cep_tui.app import CepApp
from cep_tui.bootstrap import make_app
from cep_tui.clock import FixedClock
from cep_tui.ui.screens.home import HomeScreen
from tests.ui import pilot_keys
from tests.ui.conftest import DEMO_TODAY
from tests.ui.pilot_keys import settle, until

Step = Callable[[Pilot], Awaitable[None]]

# Every snapshot at the smallest size the product supports and at a comfortable one.
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


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


async def settled(pilot: Pilot) -> None:
    """After each step: the workers finished and the screen refreshed, three times over."""
    await settle(pilot, rounds=3)


# -- steps ---------------------------------------------------------------------------------
def steps(*actions: Step) -> Step:
    async def run(pilot: Pilot) -> None:
        await home()(pilot)
        for action in actions:
            await action(pilot)
        await settled(pilot)

    return run


def step(action: Callable[[Pilot], Awaitable[object]]) -> Step:
    """A step: `action` on the Pilot, then `settled`."""

    async def run(pilot: Pilot) -> None:
        await action(pilot)
        await settled(pilot)

    return run


def home() -> Step:
    return expect(HomeScreen)


def keys(*pressed: str) -> Step:
    return step(lambda pilot: pilot.press(*pressed))


def expect(screen_type: type[Screen]) -> Step:
    return step(lambda pilot: until(pilot, lambda: isinstance(pilot.app.screen, screen_type)))


def search(text: str) -> Step:
    """Type in the home search box, as a counsellor does."""
    return step(lambda pilot: pilot_keys.search_home(pilot, text))


def open_dossier(text: str) -> Step:
    """Search a single dossier from home and open it (Enter), on its SYNTHÈSE."""
    return step(lambda pilot: pilot_keys.open_dossier(pilot.app, pilot, text))


def push(build: Callable[[CepApp], Screen]) -> Step:
    """Open a screen built from the app (for a state no key leads to directly)."""
    return step(lambda pilot: pilot_keys.open_modal(pilot, build(pilot.app)))


def call(action: Callable[[CepApp], object]) -> Step:
    """Change the data through the services (what someone else did meanwhile)."""

    async def run(pilot: Pilot) -> None:
        action(pilot.app)

    return step(run)


def type_in(field: str, text: str) -> Step:
    """Replace what a form field holds with `text`, typed."""
    return step(lambda pilot: pilot_keys.type_into(pilot, pilot.app.screen, field, text))


def choose(field: str, label: str, *, selector: str | None = None) -> Step:
    """Choose the option of a list whose label starts with `label`."""

    async def run(pilot: Pilot) -> None:
        screen = pilot.app.screen
        select = pilot_keys.widget_of(screen, field) if selector is None else None
        pilot_keys.set_choice(select or screen.query_one(selector, Select), label)

    return step(run)


def submit() -> Step:
    return keys("ctrl+s")
