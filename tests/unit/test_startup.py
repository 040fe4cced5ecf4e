"""Nothing heavy before the first screen: the command line loads no demonstration module
and no other engine's driver layer, and an existing database is neither seeded nor counted.
And `cep-tui demo` shows its progress on a terminal."""

from __future__ import annotations

import io
import subprocess
import sys

from cep_tui.__main__ import ProgressBar

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
