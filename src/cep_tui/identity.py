"""Who is at the keyboard: the operating system says, never the environment.

The OS account is the process's (`pwd.getpwuid(os.getuid())`, not LOGNAME or USER, which
the user sets at will). One exception, for the SQLite deployment over SSH (deploy/): the
program then runs as the service account that owns the database, through a narrow sudo
rule, and the account at the keyboard is the one sudo names in SUDO_USER (set by sudo
itself, which resets the environment: the user cannot). That holds only when the process
runs as the service account the system configuration names.

The counsellor is the OS account mapped through the configuration (`logins`, by default
the same name). `--as` names another counsellor only where that is harmless: on a
demonstration structure (invented data), or for an OS account the system configuration
allows to impersonate (a trainer). Either way the audit keeps both (`os_account`)."""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from functools import cache

from cep_tui.config import Settings, settings
from cep_tui.services.errors import DomainError


class ImpersonationRefused(DomainError):
    pass


@dataclass(frozen=True)
class Identity:
    """The OS account at the keyboard and the counsellor login it opens as."""

    os_account: str
    login: str
    impersonating: bool = False


def os_account(config: Settings | None = None) -> str:
    """The operating system's account at the keyboard (see the module's text)."""
    config = config or settings()
    account = pwd.getpwuid(os.getuid()).pw_name
    sudo_user = os.environ.get("SUDO_USER")
    if config.service_account and account == config.service_account and sudo_user:
        return sudo_user
    return account


@cache
def session_os_account() -> str:
    """This process's OS account, found once (what the audit records keep)."""
    try:
        return os_account()
    except Exception:  # no passwd entry (a container's bare uid): the number says who
        return f"uid:{os.getuid()}"


def identity_for(requested: str | None, config: Settings | None = None) -> Identity:
    """The counsellor to open as: the mapped OS account, or `requested` (`--as`). Whether
    `--as` is allowed is decided once the counsellor is known (`check_impersonation`)."""
    config = config or settings()
    account = session_os_account()
    own = config.login_of(account)
    if not requested or requested == own:
        return Identity(account, own)
    return Identity(account, requested, impersonating=True)


def check_impersonation(who: Identity, demonstration: bool, config: Settings | None = None) -> None:
    """Refuse `--as` unless the counsellor's structure is a demonstration one or the OS
    account may impersonate (system configuration)."""
    config = config or settings()
    if not who.impersonating or demonstration or who.os_account in config.impersonators:
        return
    raise ImpersonationRefused(
        f"--as {who.login} refusé : sur une base réelle, vous ouvrez cep-tui sous votre "
        f"propre compte ({who.os_account}). Seuls les comptes autorisés par "
        "l'administrateur (impersonators, /etc/cep-tui/config.toml) peuvent en prendre un "
        "autre."
    )
