"""No English reaches the counsellor: not in the help or the errors of any command (argparse
speaks French, cli_french.py), not on any screen the snapshots show (Textual's own words
are replaced: the palette, a list's « Fermer la liste », Ctrl+C's toast)."""

from __future__ import annotations

import contextlib
import html
import io
import re
from pathlib import Path

import pytest

from cep_tui.__main__ import parse_args

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots" / "__snapshots__"
# argparse's and Textual's English, as it would show (case-insensitive).
ENGLISH = re.compile(
    r"\b(usage|show this help|help message|and exit|error|positional arguments|"
    r"optional arguments|invalid choice|choose from|unrecognized|required|expected|"
    r"version number|dismiss|do you want|press|quit|search for|no matches|commands?\b|"
    r"keys|theme|screenshot|maximi[sz]e|minimi[sz]e|show menu|palette)\b",
    re.IGNORECASE,
)
COMMANDS = ("demo", "migrate", "backup", "restore", "document", "retention", "indicators")


def run(*argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        pytest.raises(SystemExit),
    ):
        parse_args(list(argv))
    return out.getvalue() + err.getvalue()


def english_in(text: str) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(text)})


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_the_help_of_every_command_is_in_french(command):
    shown = run(*([command] if command else []), "--help")
    assert shown.startswith("utilisation : ")
    assert english_in(shown) == [], shown


@pytest.mark.parametrize(
    "argv",
    [
        ("--bogus",),
        ("nope",),
        ("demo", "--size", "huge"),
        ("demo", "--seed", "x"),
        ("backup",),
        ("indicators",),
        ("--database",),
        ("document", "autre", "12"),
        ("retention", "--dry-run", "--apply"),
    ],
    ids=lambda argv: " ".join(argv),
)
def test_the_errors_of_the_command_line_are_in_french(argv):
    shown = run(*argv)
    assert " : erreur : " in shown
    assert english_in(shown.replace("erreur", "")) == [], shown


def test_version():
    assert re.fullmatch(r"cep-tui \S+\n", run("--version"))


def snapshot_text(svg: Path) -> str:
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text(encoding="utf-8"))
    return html.unescape("".join(texts)).replace("\xa0", " ")


def test_no_snapshot_shows_english():
    svgs = sorted(SNAPSHOTS.rglob("*.svg"))
    assert svgs
    found = {svg.name: english_in(snapshot_text(svg)) for svg in svgs}
    assert {name: words for name, words in found.items() if words} == {}
