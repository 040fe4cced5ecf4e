"""The OS account at the keyboard (cep_tui.identity): the process's, never the
environment's; SUDO_USER only under the configured service account."""

from __future__ import annotations

import os
import pwd

import pytest

from cep_tui.config import Settings
from cep_tui.db.models import AuditRecord
from cep_tui.identity import (
    Identity,
    ImpersonationRefused,
    check_impersonation,
    identity_for,
    os_account,
    session_os_account,
)
from cep_tui.services import audit
from tests.factories import NOW

me = pwd.getpwuid(os.getuid()).pw_name


def test_the_environment_does_not_name_the_account(monkeypatch):
    monkeypatch.setenv("LOGNAME", "c.dupont")
    monkeypatch.setenv("USER", "c.dupont")
    monkeypatch.setenv("SUDO_USER", "c.dupont")

    assert os_account(Settings()) == me


def test_sudo_user_counts_only_under_the_service_account(monkeypatch):
    monkeypatch.setenv("SUDO_USER", "c.dupont")

    assert os_account(Settings(service_account=me)) == "c.dupont"
    assert os_account(Settings(service_account="un-autre-compte")) == me


def test_the_login_is_the_mapped_account(monkeypatch):
    mapped = Settings(logins={session_os_account(): "c.dupont"})

    assert identity_for(None, mapped) == Identity(session_os_account(), "c.dupont")
    assert identity_for("c.dupont", mapped).impersonating is False


def test_as_is_checked_against_the_structure_and_the_system_list():
    who = Identity("m.bernard", "c.dupont", impersonating=True)

    check_impersonation(who, demonstration=True, config=Settings())
    check_impersonation(who, False, Settings(impersonators=frozenset({"m.bernard"})))
    with pytest.raises(ImpersonationRefused) as refused:
        check_impersonation(who, False, Settings(impersonators=frozenset({"formatrice"})))
    assert "--as c.dupont refusé" in str(refused.value)


def test_every_audit_record_keeps_the_os_account(counsellor):
    audit.record(counsellor, NOW, "modification", "dossier", 1, {"a": 1}, {"a": 2})

    (record,) = AuditRecord.select()
    assert record.os_account == session_os_account()
    assert record.counsellor_id == counsellor.id
