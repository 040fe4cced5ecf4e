"""The README's commands as written: no Makefile variable may be one GNU make already
defines (`AS` is the assembler, so `AS ?= c.dupont` never applied and `make run` logged in
as « as »), and `make run` / `make run LOGIN=…` run the app as the counsellor they say."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?|:|::|\+)?=", re.MULTILINE)

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make n'est pas installé")


def make(*args: str) -> str:
    done = subprocess.run(
        ["make", *args], capture_output=True, text=True, check=False, timeout=30, cwd=REPO
    )
    return done.stdout


def test_no_makefile_variable_is_a_builtin_of_make():
    ours = set(ASSIGNMENT.findall((REPO / "Makefile").read_text(encoding="utf-8")))
    builtins = set(ASSIGNMENT.findall(make("-p", "-f", "/dev/null")))
    assert "AS" in builtins  # what this test guards against is still there to see
    assert ours, "no variable found in the Makefile"
    assert not ours & builtins, f"variables make already defines: {sorted(ours & builtins)}"


def run_line(*args: str) -> str:
    (line,) = [line for line in make("-n", "run", *args).splitlines() if "cep-tui" in line]
    return line


def test_make_run_opens_as_the_demonstration_counsellor():
    assert "--as c.dupont" in run_line()


def test_make_run_login_opens_as_that_counsellor():
    assert "--as l.petit" in run_line("LOGIN=l.petit")
