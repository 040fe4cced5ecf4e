"""Nothing heavy before the first screen: the command line loads no demonstration module
and no other engine's driver layer, and an existing database is neither seeded nor counted;
signing in loads no other area; the home screen is drawn from its own stylesheet, the
others read after it, and its footer is built once. And `cep-tui demo` shows its progress
on a terminal."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from textual.css.match import _check_selectors
from textual.css.stylesheet import Stylesheet
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from cep_tui.__main__ import ProgressBar
from cep_tui.app import FIRST_SCREEN_STYLES, STYLES_DIR, CepApp
from cep_tui.bootstrap import make_app
from cep_tui.ui.screens.home import HomeScreen

LOADED = """
import sys
{setup}
heavy = ("cep_tui.demo", "playhouse.db_url")
print(",".join(m for m in heavy if m in sys.modules))
"""


def loaded_after(setup: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(setup=setup)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_the_command_line_and_the_home_screen_import_nothing_heavy():
    assert loaded_after("import cep_tui.__main__, cep_tui.bootstrap, cep_tui.ui.screens.home") == ""


def test_an_existing_database_is_opened_without_the_demonstration(db_url, db, structure):
    setup = f"from cep_tui.bootstrap import open_services; open_services({db_url!r})"
    assert "cep_tui.demo" not in loaded_after(setup)


def test_the_progress_bar_redraws_one_line_at_each_new_percent():
    stream = io.StringIO()
    bar = ProgressBar(stream)
    for done in range(0, 201):
        bar(done, 200)
    bar.finish(42.4)

    frames = stream.getvalue().split("\r")[1:]
    assert len(frames) == 102  # 0 % to 100 %, then the summary
    assert frames[0].startswith("[" + "·" * 30 + "]   0 %")
    assert frames[50].startswith("[" + "█" * 15 + "·" * 15 + "]  50 %")
    assert frames[100].startswith("[" + "█" * 30 + "] 100 %")
    assert frames[100].endswith("(index de recherche…)")
    assert frames[101] == "Terminé en 42 s.\x1b[K\n"


def test_signing_in_loads_no_other_area(db_url, db, counsellor):
    # The home screen searches "my recent dossiers" in a worker once it is drawn; the
    # dossiers' service, the views and the other areas are imported then, not before.
    setup = (
        "import sys\n"
        "from cep_tui.bootstrap import make_app\n"
        f"make_app({db_url!r}, {counsellor.login!r}, seed_demo=False)\n"
        "heavy = ('cep_tui.services.views', 'cep_tui.services.dossiers',"
        " 'cep_tui.services.administration', 'cep_tui.services.offers')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", setup + "print(','.join(m for m in heavy if m in sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout.strip() == ""


# -- the first screen's stylesheet ------------------------------------------------------------
async def started(pilot) -> HomeScreen:
    """The home screen, once it shows its first results."""
    for _ in range(200):
        if isinstance(pilot.app.screen, HomeScreen) and pilot.app.screen.ready:
            break
        await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.screen


def matching_rules(sheet: Stylesheet, screen: HomeScreen) -> list[str]:
    """The rules of `sheet` that match a widget of `screen` in any state (pseudo-classes
    such as :focus or :hover left out)."""
    found = []
    for node in screen.walk_children(with_self=True):
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                stateless = [replace(s, pseudo_classes=set()) for s in selector_set.selectors]
                if _check_selectors(stateless, node.css_path_nodes):
                    found.append(f"{selector_set.css} → {node!r}")
    return found


@pytest.mark.sqlite_only
async def test_the_other_stylesheets_come_later_and_style_nothing_of_the_home_screen(
    db_url, counsellor, clock
):
    assert CepApp.CSS_PATH == [FIRST_SCREEN_STYLES]
    others = sorted(p for p in STYLES_DIR.glob("*.tcss") if p != FIRST_SCREEN_STYLES)
    app = make_app(db_url, counsellor.login, clock, cursor_blink=False, seed_demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await started(pilot)
        # Read once the first results show, after the first one and in their order.
        read = [Path(path).name for path, _ in app.stylesheet.source if path.endswith(".tcss")]
        assert read == [FIRST_SCREEN_STYLES.name, *(path.name for path in others)]

        # They restyle nothing already there: were a rule of theirs to match a widget of
        # the home screen, that widget would change look once they are read (the rule
        # then belongs in FIRST_SCREEN_STYLES).
        sheet = Stylesheet(variables=app.get_css_variables())
        sheet.read_all(others)
        assert matching_rules(sheet, home) == []
        home.query_one(DataTable).focus()
        await pilot.pause()
        assert matching_rules(sheet, home) == []


@pytest.mark.sqlite_only
async def test_the_footer_keeps_its_keys_while_they_stay_the_same(db_url, counsellor, clock):
    app = make_app(db_url, counsellor.login, clock, cursor_blink=False, seed_demo=False)
    async with app.run_test(size=(100, 30)) as pilot:
        home = await started(pilot)
        keys = list(home.query(FooterKey))
        assert [key.description for key in keys][-1] == "Aide"
        home.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert list(home.query(FooterKey)) == keys
