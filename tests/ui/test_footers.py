"""Footers never cut a key at 80 columns: the keys that do not fit are left out whole (the
help, `?`, lists every key), the help key stays against the right edge."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from cep_tui.ui.screens.home import HomeScreen
from cep_tui.ui.screens.offers import OffersScreen
from cep_tui.ui.widgets.footer import KeysFooter, key_width
from tests.ui.pilot_keys import PHASE_2, go_to, open_dispositifs, open_dossier, settle, until

SIZE = (80, 24)


def assert_whole_keys(screen) -> list[str]:
    footer = screen.query_one(KeysFooter)
    keys = list(footer.query(FooterKey))
    assert keys and keys[-1].action == "keys"  # the help, last, docked right
    for key in keys:
        assert key.region.right <= footer.region.right, key.description
        assert key.region.width >= key_width(key), key.description
    others = [k for k in keys if k.action != "keys"]
    assert all(k.region.right <= keys[-1].region.x for k in others)
    return [k.description for k in keys]


async def test_home_footer(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert "Aide" in assert_whole_keys(app.screen)


async def test_dispositifs_footer(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_dispositifs(app, pilot, PHASE_2)
        await settle(pilot)
        assert_whole_keys(screen)


async def test_offers_footer(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await go_to(pilot, "f2", OffersScreen)
        await settle(pilot)
        assert_whole_keys(screen)


async def test_a_wider_terminal_shows_more_keys(make_demo_app):
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen, _ = await open_dispositifs(app, pilot, PHASE_2)
        await settle(pilot)
        narrow = assert_whole_keys(screen)
        await pilot.resize_terminal(160, 40)
        await until(pilot, lambda: len(list(screen.query(FooterKey))) > len(narrow))
        assert_whole_keys(screen)


async def test_dossier_footer_on_each_section(make_demo_app):
    """SYNTHÈSE has the most keys of a dossier: « 0-9 Sections » whole beside the help."""
    app = make_demo_app()
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_dossier(app, pilot, PHASE_2)
        for key in "1234567890":
            await pilot.press(key)
            await settle(pilot)
            assert_whole_keys(screen)
