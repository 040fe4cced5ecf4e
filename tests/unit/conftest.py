"""Unit-test fixtures: a `world` in which every write service has something to act on."""

from __future__ import annotations

import os

import pytest

from cep_tui.db.models import AuditRecord
from tests.unit.support import World, build_world


@pytest.fixture
def world(structure, counsellor, dossier) -> World:
    return build_world(structure, counsellor, dossier)


@pytest.fixture
def audit_count():
    """The number of audit records now (call it before and after)."""
    return lambda: AuditRecord.select().count()


@pytest.fixture
def trainer(monkeypatch):
    """The process's OS account may open the app as any counsellor (`--as`), as the system
    configuration allows a trainer: for the tests that run the command line in-process."""
    import pwd

    from cep_tui import identity
    from cep_tui.config import Settings

    me = pwd.getpwuid(os.getuid()).pw_name
    monkeypatch.setattr(identity, "settings", lambda: Settings(impersonators=frozenset({me})))
