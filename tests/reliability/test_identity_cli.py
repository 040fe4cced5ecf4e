"""Who opens the app is the operating system's business (issue 12): the environment
(LOGNAME, USER) changes nothing, and `--as` opens as another counsellor only on a
demonstration structure, or for an account the system configuration allows.

The command line runs without a terminal here: once identity is settled the app refuses
to start for that reason, which proves the sign-in went through."""

from __future__ import annotations

import os
import pwd

import pytest

from cep_tui.db.models import Structure
from tests.factories import make_counsellor
from tests.reliability.support import run_cli

NO_TERMINAL = "pas de terminal"
me = pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture
def dupont(structure):
    return make_counsellor(structure, "c.dupont", first_name="Claire", last_name="Dupont")


def run_as_claimed(tmp_path, database_url, *args, env=None):
    return run_cli("--database", database_url, *args, home=tmp_path, env=env)


@pytest.mark.sqlite_only
def test_logname_and_user_do_not_make_anyone_c_dupont(database_url, dupont, tmp_path):
    done = run_as_claimed(tmp_path, database_url, env={"LOGNAME": "c.dupont", "USER": "c.dupont"})

    assert done.returncode != 0
    assert NO_TERMINAL not in done.stderr  # never got as far as the screen
    assert f"« {me} »" in done.stderr  # the process's own account was looked up
    assert "Claire" not in done.stderr


@pytest.mark.sqlite_only
def test_as_is_refused_on_a_real_structure(database_url, dupont, tmp_path):
    done = run_as_claimed(tmp_path, database_url, "--as", "c.dupont")

    assert done.returncode == 2
    assert "--as c.dupont refusé" in done.stderr
    assert NO_TERMINAL not in done.stderr


@pytest.mark.sqlite_only
def test_as_is_refused_for_the_commands_too(database_url, dupont, tmp_path):
    done = run_as_claimed(tmp_path, database_url, "--as", "c.dupont", "retention", "--dry-run")

    assert done.returncode == 2
    assert "--as c.dupont refusé" in done.stderr


@pytest.mark.sqlite_only
def test_as_is_allowed_on_a_demonstration_structure(database_url, dupont, structure, tmp_path):
    Structure.update(demonstration=True).where(Structure.id == structure.id).execute()

    done = run_as_claimed(tmp_path, database_url, "--as", "c.dupont")

    assert done.returncode == 2
    assert NO_TERMINAL in done.stderr  # signed in as c.dupont, then no terminal


def system_file(tmp_path, text: str) -> dict[str, str]:
    """The environment naming a stand-in for /etc/cep-tui/config.toml (honoured only when
    root owns it and no one else may write it)."""
    if os.getuid() != 0:
        pytest.skip("un faux fichier du système doit appartenir à root")
    system = tmp_path / "system.toml"
    system.write_text(text, encoding="utf-8")
    system.chmod(0o644)
    return {"CEP_TUI_SYSTEM_CONFIG": str(system)}


@pytest.mark.sqlite_only
def test_as_is_allowed_to_an_account_the_system_file_names(database_url, dupont, tmp_path):
    env = system_file(tmp_path, f'[identity]\nimpersonators = ["{me}"]\n')

    done = run_as_claimed(tmp_path, database_url, "--as", "c.dupont", env=env)

    assert NO_TERMINAL in done.stderr


@pytest.mark.sqlite_only
def test_the_user_file_cannot_allow_impersonation(database_url, dupont, tmp_path):
    user = tmp_path / "config" / "cep-tui" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text(f'[identity]\nimpersonators = ["{me}"]\n', encoding="utf-8")

    done = run_as_claimed(tmp_path, database_url, "--as", "c.dupont")

    assert "réservé au fichier du système" in done.stderr
    assert "--as c.dupont refusé" in done.stderr


@pytest.mark.sqlite_only
def test_the_mapped_login_is_opened(database_url, dupont, tmp_path):
    env = system_file(tmp_path, f'[identity.logins]\n"{me}" = "c.dupont"\n')

    done = run_as_claimed(tmp_path, database_url, env=env)

    assert NO_TERMINAL in done.stderr
