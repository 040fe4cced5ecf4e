"""The machine's configuration (cep_tui.config): the system file, then the user's; the
keys that decide identity are the system's alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cep_tui.config import (
    CaseloadThresholds,
    ConfigError,
    RetentionSettings,
    Settings,
    load_settings,
    system_config_path,
)

SYSTEM = """
database = "sqlite:////srv/cep-tui/cep-tui.db"
log_folder = "/var/log/cep-tui"
file_group = "cep"
service_account = "cep-tui"
[session]
idle_minutes = 10
idle_action = "quit"
[identity]
impersonators = ["formatrice"]
national_administrators = ["dnational"]
[identity.logins]
jdupont = "c.dupont"
"""


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_without_any_file_the_defaults_hold(tmp_path):
    settings = load_settings(tmp_path / "absent.toml", tmp_path / "absent-aussi.toml")

    assert settings == Settings()
    assert settings.idle_minutes == 15 and settings.idle_action == "lock"
    assert settings.login_of("c.dupont") == "c.dupont"


def test_the_system_file_sets_everything(tmp_path):
    settings = load_settings(write(tmp_path / "system.toml", SYSTEM), tmp_path / "none.toml")

    assert settings.database_url == "sqlite:////srv/cep-tui/cep-tui.db"
    assert settings.idle_minutes == 10 and settings.idle_action == "quit"
    assert settings.impersonators == {"formatrice"}
    assert settings.national_administrators == {"dnational"}
    assert settings.login_of("jdupont") == "c.dupont"
    assert settings.login_of("m.bernard") == "m.bernard"
    assert settings.service_account == "cep-tui"
    assert settings.log_folder == Path("/var/log/cep-tui")
    assert settings.file_group == "cep"


def test_a_user_file_cannot_grant_impersonation_nor_map_logins(tmp_path):
    system = write(tmp_path / "system.toml", SYSTEM)
    user = write(
        tmp_path / "user.toml",
        'service_account = "moi"\n[session]\nidle_minutes = 5\n'
        '[identity]\nimpersonators = ["intrus"]\nnational_administrators = ["intrus"]\n'
        '[identity.logins]\nintrus = "c.dupont"\n',
    )

    settings = load_settings(system, user)

    assert settings.idle_minutes == 5  # the user's own comfort: allowed
    assert settings.impersonators == {"formatrice"}
    assert settings.login_of("intrus") == "intrus"
    assert settings.national_administrators == {"dnational"}
    assert settings.service_account == "cep-tui"
    assert len(settings.warnings) == 4
    assert all("réservé au fichier du système" in w for w in settings.warnings)


NUMBERS = """
[retention]
upper_age = 27
extra_years = 0
quiet_months = 18
[caseload]
quiet_days = 30
[access_journal]
months = 12
"""


def test_the_periods_and_thresholds_are_tables_of_the_system_file(tmp_path):
    settings = load_settings(write(tmp_path / "system.toml", NUMBERS), tmp_path / "none.toml")

    assert settings.retention == RetentionSettings(upper_age=27, extra_years=0, quiet_months=18)
    assert settings.caseload == CaseloadThresholds(quiet_days=30)
    assert settings.access_journal.months == 12


def test_a_user_file_sets_its_alerts_but_never_how_long_data_is_kept(tmp_path):
    """« Mes jeunes »'s thresholds are a counsellor's comfort, merged key by key; how long
    personal data and the journal are kept is the deployment's alone."""
    system = write(tmp_path / "system.toml", NUMBERS)
    user = write(
        tmp_path / "user.toml",
        "[retention]\nupper_age = 99\n[access_journal]\nmonths = 99\n"
        "[caseload]\nbirthday_months = 6\n",
    )
    settings = load_settings(system, user)

    assert settings.retention.upper_age == 27 and settings.access_journal.months == 12
    assert settings.caseload == CaseloadThresholds(quiet_days=30, birthday_months=6)
    assert [w for w in settings.warnings if "retention" in w or "access_journal" in w]
    assert all("réservé au fichier du système" in w for w in settings.warnings)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[retention]\nupper_age = 0\n", "retention.upper_age"),
        ("[retention]\nextra_years = -1\n", "retention.extra_years"),
        ("[retention]\nquiet_months = 'douze'\n", "retention.quiet_months"),
        ("[caseload]\nquiet_dayz = 3\n", "caseload.quiet_dayz"),
        ("[access_journal]\nmonths = true\n", "access_journal.months"),
        ("access_journal = 6\n", "access_journal"),
        ("[session]\nidle_action = 'dormir'\n", "idle_action"),
        ("[session]\nidle_minutes = -1\n", "idle_minutes"),
        ("database = 3\n", "database"),
        ("[identity]\nimpersonators = 'tous'\n", "impersonators"),
        ("[identity]\nnational_administrators = 'tous'\n", "national_administrators"),
        ("ceci n'est pas du TOML", "invalide"),
    ],
)
def test_a_bad_value_is_one_french_sentence(tmp_path, text, key):
    with pytest.raises(ConfigError) as refused:
        load_settings(write(tmp_path / "system.toml", text), tmp_path / "none.toml")
    assert key in str(refused.value)
    assert "Configuration" in str(refused.value)


def test_the_system_file_can_be_moved_only_to_a_root_owned_file(tmp_path, monkeypatch):
    fake = write(tmp_path / "system.toml", SYSTEM)
    monkeypatch.setenv("CEP_TUI_SYSTEM_CONFIG", str(fake))
    os.chmod(fake, 0o644)
    if os.getuid() == 0:
        assert system_config_path() == fake
        os.chmod(fake, 0o666)  # anyone could write it: not a system file
    assert system_config_path() == Path("/etc/cep-tui/config.toml")


def test_help_says_where_the_configuration_is_looked_for(capsys, monkeypatch, tmp_path):
    from cep_tui.__main__ import main

    monkeypatch.setenv("CEP_TUI_CONFIG", str(tmp_path / "mien.toml"))
    with pytest.raises(SystemExit):
        main(["--help"])
    shown = capsys.readouterr().out
    assert "/etc/cep-tui/config.toml" in shown
    assert str(tmp_path / "mien.toml") in shown
    assert "Déploiement sur un serveur (SSH)" in shown


def test_the_shipped_configuration_reads(tmp_path):
    shipped = Path(__file__).resolve().parents[2] / "deploy" / "config.toml"

    settings = load_settings(shipped, tmp_path / "none.toml")

    assert settings.database_url == "sqlite:////var/lib/cep-tui/cep-tui.db"
    assert settings.service_account == "cep-tui" and settings.idle_minutes == 15
    # The shipped file states the defaults, so that an administrator reads them there.
    assert settings.retention == RetentionSettings()
    assert settings.caseload == CaseloadThresholds()
    assert settings.access_journal == Settings().access_journal
