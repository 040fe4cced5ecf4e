"""The service layer never imports textual: screens depend on it, never the reverse."""

from __future__ import annotations

import subprocess
import sys

CHECK = """
import pkgutil, sys
import cep_tui.services, cep_tui.db
for package in (cep_tui.services, cep_tui.db):
    for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        __import__(module.name)
import cep_tui.clock, cep_tui.text, cep_tui.vocabulary
loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(",".join(loaded))
"""


def test_services_do_not_import_textual():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""
