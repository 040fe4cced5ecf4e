"""Settings of one run: the machine's configuration file (TOML, read with the standard
library's tomllib), the command line and the environment.

Where the configuration is looked for (`config_paths`), later files overriding earlier ones
key by key:
1. the system file, /etc/cep-tui/config.toml (the administrator's);
2. the user's file, ~/.config/cep-tui/config.toml (`$XDG_CONFIG_HOME`), or the file named
   by $CEP_TUI_CONFIG instead.

Identity is the system's business (GUIDE: nothing the user sets decides who they are): the
keys that grant impersonation, map OS accounts to counsellor logins or name the service
account (`IDENTITY_KEYS`) are read from the system file only; in a user's file they are
ignored, with a warning.

The database's URL: `--database`, else $CEP_TUI_DATABASE, else the configuration's
`database`, else a SQLite file in the user's data folder.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any

APP_NAME = "cep-tui"
DATABASE_ENV = "CEP_TUI_DATABASE"
CONFIG_ENV = "CEP_TUI_CONFIG"
SYSTEM_CONFIG = Path("/etc/cep-tui/config.toml")
# For tests and staging only: another "system" file. Honoured only when root owns it and
# nobody else may write it (as /etc/cep-tui would be), so that a user cannot hand the
# program a system file of their own.
SYSTEM_CONFIG_ENV = "CEP_TUI_SYSTEM_CONFIG"
IDLE_ACTIONS = ("lock", "quit")
IDENTITY_KEYS = ("impersonators", "logins", "service_account", "national_administrators")


class ConfigError(ValueError):
    """A configuration file that cannot be used (the message is French)."""


@dataclass(frozen=True)
class RetentionSettings:
    """How long a young person's data is kept (`cep-tui retention`): the system file's
    `[retention]` table.

    - `upper_age`, `extra_years`: the décret n° 2015-59 du 26 janvier 2015 (i-milo), as
      amended, keeps the data until the upper age of the Missions Locales' public — 25 ans
      révolus, i.e. the 26th birthday (article L. 5314-2 of the Code du travail: young
      people of 16 to 25) — plus two years; afterwards only in anonymised form.
    - `quiet_months`: the decree keeps the data longer while the young person is in a
      programme with regular follow-up; we read "followed" as a dispositif in progress, an
      event in progress, or an event in the last `quiet_months` months (our choice: 12)."""

    upper_age: int = 26
    extra_years: int = field(default=2, metadata={"minimum": 0})
    quiet_months: int = 12


@dataclass(frozen=True)
class CaseloadThresholds:
    """When « Mes jeunes » raises an alert (the `[caseload]` table): no event for
    `quiet_days` days, phase 2 open for more than `phase_2_months` months, the 26th
    birthday (the end of the Missions Locales' public) within `birthday_months` months."""

    quiet_days: int = 60
    phase_2_months: int = 6
    birthday_months: int = 3


# How long the journal des consultations keeps its records: six months, the CNIL's
# recommendation for access logs.
ACCESS_JOURNAL_MONTHS = 6


@dataclass(frozen=True)
class AccessJournalSettings:
    """The `[access_journal]` table: how many months its records are kept."""

    months: int = ACCESS_JOURNAL_MONTHS


# The tables of whole numbers (each ≥ 1 unless its field's metadata says another
# "minimum"), and whether a user's file may set them: how long personal data is kept is
# the deployment's (the system file's) alone.
NUMBER_TABLES = {"retention": False, "caseload": True, "access_journal": False}


@dataclass(frozen=True)
class Settings:
    """The deployment's settings (`load_settings`). `warnings`: what the counsellor is told
    at start (identity keys ignored in a user's file)."""

    database_url: str | None = None
    idle_minutes: float = 15.0
    idle_action: str = "lock"
    impersonators: frozenset[str] = frozenset()
    # The OS accounts that may change the national reference lists (`cep-tui
    # listes-nationales`, issue 13): system file only, like `impersonators`.
    national_administrators: frozenset[str] = frozenset()
    logins: dict[str, str] = field(default_factory=dict)
    service_account: str | None = None
    log_folder: Path | None = None
    export_folder: Path | None = None
    file_group: str | None = None
    retention: RetentionSettings = RetentionSettings()
    caseload: CaseloadThresholds = CaseloadThresholds()
    access_journal: AccessJournalSettings = AccessJournalSettings()
    sources: tuple[Path, ...] = ()
    warnings: tuple[str, ...] = ()

    def login_of(self, os_account: str) -> str:
        """The counsellor login of an OS account: the same name unless mapped."""
        return self.logins.get(os_account, os_account)


def user_config_path() -> Path:
    configured = os.environ.get(CONFIG_ENV)
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def system_config_path() -> Path:
    configured = os.environ.get(SYSTEM_CONFIG_ENV)
    if configured and _root_owned(Path(configured)):
        return Path(configured)
    return SYSTEM_CONFIG


def _root_owned(path: Path) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == 0 and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def config_paths() -> tuple[Path, Path]:
    """(system file, user file): where the configuration is looked for, in that order."""
    return system_config_path(), user_config_path()


def _read(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as file:
            return tomllib.load(file)
    except FileNotFoundError:
        return None
    except PermissionError as error:
        raise ConfigError(f"Configuration illisible : {path} (accès refusé).") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"Configuration invalide : {path} ({error}).") from error
    except OSError as error:
        raise ConfigError(f"Configuration illisible : {path} ({error.strerror}).") from error


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """The file's keys, `[session]` and `[identity]` tables included, on one level; the
    tables of numbers (`NUMBER_TABLES`) stay tables."""
    nested = ("session", "identity")
    flat = {k: v for k, v in data.items() if k not in nested}
    for table in nested:
        flat.update(data.get(table, {}))
    return flat


def load_settings(system: Path | None = None, user: Path | None = None) -> Settings:
    """Read the system file then the user's (each optional; paths default to
    `config_paths()`), and check the values."""
    default_system, default_user = config_paths()
    system, user = system or default_system, user or default_user
    merged: dict[str, Any] = {}
    sources: list[Path] = []
    warnings: list[str] = []
    for path, is_system in ((system, True), (user, False)):
        data = _read(path)
        if data is None:
            continue
        sources.append(path)
        values = _flatten(data)
        if not is_system:
            system_only = IDENTITY_KEYS + tuple(
                t for t, user_may in NUMBER_TABLES.items() if not user_may
            )
            for key in system_only:
                if values.pop(key, None) is not None:
                    warnings.append(
                        f"Configuration {path} : « {key} » ignoré (réservé au fichier du système)."
                    )
        for table in NUMBER_TABLES:  # a table is merged key by key, like the file's keys
            earlier, later = merged.get(table), values.get(table)
            if isinstance(earlier, dict) and isinstance(later, dict):
                values[table] = {**earlier, **later}
        merged.update(values)
    return _settings(merged, tuple(sources), tuple(warnings))


def _settings(values: dict[str, Any], sources: tuple[Path, ...], warnings: tuple) -> Settings:
    def text(key: str) -> str | None:
        value = values.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"Configuration : « {key} » doit être un texte non vide.")
        return value.strip()

    def folder(key: str) -> Path | None:
        value = text(key)
        return Path(value).expanduser() if value else None

    minutes = values.get("idle_minutes", Settings.idle_minutes)
    if isinstance(minutes, bool) or not isinstance(minutes, int | float) or minutes < 0:
        raise ConfigError("Configuration : « idle_minutes » doit être un nombre de minutes ≥ 0.")
    action = values.get("idle_action", Settings.idle_action)
    if action not in IDLE_ACTIONS:
        raise ConfigError("Configuration : « idle_action » vaut « lock » ou « quit ».")
    impersonators = values.get("impersonators", [])
    logins = values.get("logins", {})
    if not isinstance(impersonators, list) or not all(isinstance(i, str) for i in impersonators):
        raise ConfigError("Configuration : « impersonators » est une liste de comptes.")
    national = values.get("national_administrators", [])
    if not isinstance(national, list) or not all(isinstance(i, str) for i in national):
        raise ConfigError("Configuration : « national_administrators » est une liste de comptes.")
    if not isinstance(logins, dict) or not all(isinstance(v, str) for v in logins.values()):
        raise ConfigError("Configuration : « logins » associe un compte à un identifiant.")
    return Settings(
        database_url=text("database"),
        idle_minutes=float(minutes),
        idle_action=action,
        impersonators=frozenset(impersonators),
        national_administrators=frozenset(national),
        logins=dict(logins),
        service_account=text("service_account"),
        log_folder=folder("log_folder"),
        export_folder=folder("export_folder"),
        file_group=text("file_group"),
        retention=_numbers(values, "retention", RetentionSettings()),
        caseload=_numbers(values, "caseload", CaseloadThresholds()),
        access_journal=_numbers(values, "access_journal", AccessJournalSettings()),
        sources=sources,
        warnings=warnings,
    )


def _numbers(values: dict[str, Any], table: str, defaults: Any) -> Any:
    """The `[table]` of whole numbers over `defaults` (a frozen dataclass)."""
    given = values.get(table, {})
    if not isinstance(given, dict):
        raise ConfigError(f"Configuration : « {table} » est une table ([{table}]).")
    minimum = {f.name: f.metadata.get("minimum", 1) for f in fields(defaults)}
    for key, value in given.items():
        if key not in minimum:
            names = ", ".join(sorted(minimum))
            raise ConfigError(f"Configuration : « {table}.{key} » inconnu (connus : {names}).")
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum[key]:
            raise ConfigError(
                f"Configuration : « {table}.{key} » doit être un nombre entier ≥ {minimum[key]}."
            )
    return replace(defaults, **given)


@cache
def settings() -> Settings:
    """This process's settings, read once."""
    return load_settings()


# "scheme://user:password@": the password part of any URL in a text, up to the last "@"
# before the host (a password may itself hold "@" or ":"); "//user@" (no password) and
# "//host" are left as they are.
_URL_PASSWORD = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/:@]*:)[^\s/]*@")
MASK = "***"


def masked(text: object) -> str:
    """`text` with the password of every URL in it masked: "postgresql://u:***@host/db".
    Every message that may quote a database URL goes through it (issue 13, point 5)."""
    return _URL_PASSWORD.sub(lambda m: f"{m.group(1)}{MASK}@", str(text))


def default_database_url() -> str:
    from platformdirs import user_data_dir  # on demand: --database spares its import

    data_dir = Path(user_data_dir(APP_NAME))
    return f"sqlite:///{data_dir / 'cep-tui.db'}"


def database_url_from(cli_value: str | None) -> str:
    return (
        cli_value
        or os.environ.get(DATABASE_ENV)
        or settings().database_url
        or default_database_url()
    )


def log_dir() -> Path:
    configured = settings().log_folder
    if configured is not None:
        return configured
    from platformdirs import user_state_dir

    return Path(user_state_dir(APP_NAME))


def retention_settings() -> RetentionSettings:
    return settings().retention
