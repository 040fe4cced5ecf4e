"""Unit-test fixtures: a `world` in which every write service has something to act on."""

from __future__ import annotations

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
