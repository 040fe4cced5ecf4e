"""The service layer never imports textual: screens depend on it, never the reverse. And the
start-up imports only what the first screen needs: the services of the other areas, and
their views, are imported on first use."""

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

# Not needed before the home screen shows: it searches "my recent dossiers" in a worker,
# once it is drawn.
LATER = (
    "cep_tui.services.administration",
    "cep_tui.services.audit",
    "cep_tui.services.cep",
    "cep_tui.services.converters",
    "cep_tui.services.dossiers",
    "cep_tui.services.events",
    "cep_tui.services.offers",
    "cep_tui.services.proposals",
    "cep_tui.services.references",
    "cep_tui.services.views",
    "cep_tui.ui.modals",
    "cep_tui.ui.screens.dossier",
)

LOADED = """
import sys
{setup}
print(",".join(m for m in {names!r} if m in sys.modules))
"""


def loaded_after(setup: str, names: tuple[str, ...] = LATER) -> str:
    result = subprocess.run(
        [sys.executable, "-c", LOADED.format(setup=setup, names=names)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def test_services_do_not_import_textual():
    result = subprocess.run(
        [sys.executable, "-c", CHECK], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_the_app_and_its_first_screen_import_no_other_area():
    setup = "import cep_tui.__main__, cep_tui.bootstrap, cep_tui.app, cep_tui.ui.screens.home"
    assert loaded_after(setup) == ""


def test_the_services_are_imported_on_first_use():
    setup = "from cep_tui.services import Services\nservices = Services()\nservices.counsellors\n"
    # Signing in needs the counsellors' service and the actor, not the views.
    assert loaded_after(setup) == ""
    setup += "services.dossiers\n"
    assert loaded_after(setup, ("cep_tui.services.dossiers", "cep_tui.services.offers")) == (
        "cep_tui.services.dossiers"
    )


def test_each_service_is_built_once_and_shared(clock):
    from cep_tui.services import Services

    services = Services(clock)
    assert services.dossiers is services.dossiers
    assert services.dossiers.cep is services.cep
    assert services.dossiers.events is services.events
    assert services.proposals.offers is services.offers
    assert services.proposals.events is services.events
    assert services.counsellors.clock is clock
