"""A real OpenSSH server for the deployment test (tests/deploy/), set up as deploy/ says:
the Match block of deploy/sshd_config, the ForceCommand wrapper deploy/cep-tui-ssh, the
sudo rule deploy/sudoers and a service account owning the SQLite database; two throwaway
counsellor accounts with keys. Names and paths of the shipped files are the only things
changed (a unique group, service account and folder per run). Needs root; everything made
is removed by `close()`: the accounts, the group, the sudo rule, the server.

The server listens on 127.0.0.1 on a free high port, with its own host key and pid file,
and lets in no one but the throwaway accounts (AllowUsers)."""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import socket
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEPLOY = REPO / "deploy"
SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
BOUND = 60.0  # seconds, at most, for the server to listen
SUDOERS_DIR = Path("/etc/sudoers.d")


class Unavailable(Exception):
    """What the machine lacks to run a real server (the reason, for a skip)."""


def missing() -> str | None:
    """Why the test cannot run here, or None."""
    if os.geteuid() != 0:
        return "il faut être root (comptes, sudo, sshd)"
    for tool in ("ssh", "ssh-keygen", "sftp", "sudo", "visudo", "useradd", "runuser", "tmux"):
        if shutil.which(tool) is None:
            return f"{tool} n'est pas installé"
    if not Path(SSHD).exists():
        return "sshd n'est pas installé (paquet openssh-server)"
    if python_for_others() is None:
        return "aucun Python lisible par tous pour le compte de service"
    return None


def _open_to_all(path: Path) -> bool:
    """Whether any account may run `path` (every folder above it crossable by others)."""
    path = path.resolve()
    if not os.access(path, os.X_OK) or not path.stat().st_mode & stat.S_IXOTH:
        return False
    return all(parent.stat().st_mode & stat.S_IXOTH for parent in path.parents)


def python_for_others() -> tuple[str, list[str]] | None:
    """(interpreter, PYTHONPATH entries) that the service account can run cep-tui with:
    this test's interpreter when others may run it, else the system's of the same
    version, given this environment's packages and the sources."""
    paths = [str(REPO / "src"), sysconfig.get_paths()["purelib"]]
    if _open_to_all(Path(sys.executable)):
        return sys.executable, paths
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if Path(candidate).exists() and _open_to_all(Path(candidate)):
            return candidate, paths
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)


@dataclass
class Account:
    name: str
    key: Path  # the private key, readable by root (the test's ssh client)


class SshServer:
    """The deployment of deploy/ on this machine, for one test module."""

    def __init__(self) -> None:
        tag = uuid.uuid4().hex[:6]
        self.group = f"cep{tag}"
        self.service = f"cepsvc{tag}"
        self.root = Path(tempfile.mkdtemp(prefix=f"cep-ssh-{tag}-"))
        self.root.chmod(0o755)  # the accounts' homes and the programs are below
        self.port = free_port()
        self.accounts: list[Account] = []
        self.sudoers = SUDOERS_DIR / f"cep-tui-test-{tag}"
        self.process: subprocess.Popen | None = None
        self.users_made: list[str] = []
        self.group_made = False
        self.data = self.root / "srv"
        self.database = self.data / "cep-tui.db"
        self.logs = self.root / "log"

    # -- set-up ----------------------------------------------------------------------------
    def install(self, account_names: list[str], logins: dict[str, str]) -> None:
        """The group, the service account, the programs, the configuration, the sudo
        rule, the counsellor accounts (with keys) and the server."""
        run("groupadd", self.group)
        self.group_made = True
        self._user(self.service, "--system", "--no-create-home", "--home-dir", str(self.data))
        for name in account_names:
            home = self.root / "home" / name
            home.parent.mkdir(mode=0o755, exist_ok=True)
            self._user(name, "--create-home", "--home-dir", str(home), "-G", self.group)
            run("usermod", "-p", "*", name)  # no password, not locked (keys only)
            self.accounts.append(Account(name, self._keys(name, home)))
        self._programs(logins)
        self._sudo_rule()
        self._start()

    def _user(self, name: str, *options: str) -> None:
        run("useradd", "--shell", "/bin/sh", *options, name)
        self.users_made.append(name)

    def _keys(self, name: str, home: Path) -> Path:
        key = self.root / f"{name}.key"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key))
        ssh = home / ".ssh"
        ssh.mkdir(mode=0o700)
        shutil.copy(key.with_suffix(".key.pub"), ssh / "authorized_keys")
        (ssh / "authorized_keys").chmod(0o600)
        user = pwd.getpwnam(name)
        for path in (ssh, ssh / "authorized_keys"):
            os.chown(path, user.pw_uid, user.pw_gid)
        return key

    def _programs(self, logins: dict[str, str]) -> None:
        """The program the sudo rule names (a root-owned launcher: this checkout's
        cep-tui with the test's system configuration), and the shipped wrapper."""
        bin_dir = self.root / "bin"
        bin_dir.mkdir(mode=0o755)
        config = self.root / "etc" / "config.toml"
        config.parent.mkdir(mode=0o755)
        mapping = "".join(f'"{k}" = "{v}"\n' for k, v in logins.items())
        config.write_text(
            f'database = "sqlite:///{self.database}"\n'
            f'log_folder = "{self.logs}"\n'
            f'export_folder = "{self.data / "exports"}"\n'
            f'[identity]\nservice_account = "{self.service}"\n'
            f"[identity.logins]\n{mapping}",
            encoding="utf-8",
        )
        config.chmod(0o644)
        interpreter, paths = python_for_others()
        self.program = bin_dir / "cep-tui"
        self.program.write_text(
            "#!/bin/sh\n"
            f"export CEP_TUI_SYSTEM_CONFIG={config}\n"
            f"export PYTHONPATH={':'.join(paths)}\n"
            "export PYTHONDONTWRITEBYTECODE=1\n"
            f'exec {interpreter} -m cep_tui "$@"\n',
            encoding="utf-8",
        )
        self.program.chmod(0o755)
        wrapper = (DEPLOY / "cep-tui-ssh").read_text(encoding="utf-8")
        wrapper = wrapper.replace("PROGRAM=/usr/local/bin/cep-tui", f"PROGRAM={self.program}")
        wrapper = wrapper.replace("SERVICE=cep-tui", f"SERVICE={self.service}")
        self.wrapper = bin_dir / "cep-tui-ssh"
        self.wrapper.write_text(wrapper, encoding="utf-8")
        self.wrapper.chmod(0o755)

    def _sudo_rule(self) -> None:
        rule = (DEPLOY / "sudoers").read_text(encoding="utf-8")
        rule = rule.replace("/usr/local/bin/cep-tui", str(self.program))
        rule = rule.replace("%cep ", f"%{self.group} ")
        rule = rule.replace("(cep-tui)", f"({self.service})")
        rule = rule.replace("Defaults>cep-tui", f"Defaults>{self.service}")
        draft = self.root / "sudoers"
        draft.write_text(rule, encoding="utf-8")
        run("visudo", "-c", "-q", "-f", str(draft))  # never install a broken rule
        draft.chmod(0o440)
        shutil.move(draft, self.sudoers)

    def _start(self) -> None:
        host_key = self.root / "ssh_host_ed25519_key"
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(host_key))
        block = (DEPLOY / "sshd_config").read_text(encoding="utf-8")
        block = block.replace("Match Group cep", f"Match Group {self.group}")
        block = block.replace("/usr/local/bin/cep-tui-ssh", str(self.wrapper))
        config = self.root / "sshd_config"
        config.write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {host_key}\n"
            f"PidFile {self.root / 'sshd.pid'}\nUsePAM no\nStrictModes yes\n"
            "PasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            f"AllowUsers {' '.join(a.name for a in self.accounts)}\n"
            "Subsystem sftp internal-sftp\n" + block,
            encoding="utf-8",
        )
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
        run(SSHD, "-t", "-f", str(config))
        self.log = (self.root / "sshd.log").open("w")
        self.process = subprocess.Popen(
            [SSHD, "-D", "-e", "-f", str(config)], stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + BOUND
        while True:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1),
            ):
                return
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Unavailable(f"sshd ne démarre pas : {self.server_log()}")
            time.sleep(0.1)

    # -- use ------------------------------------------------------------------------------
    def ssh(self, account: Account, *options: str) -> list[str]:
        """The ssh client's command line for `account` (then the remote command, if any)."""
        return [
            "ssh",
            "-p",
            str(self.port),
            "-i",
            str(account.key),
            "-o",
            "IdentitiesOnly=yes",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "BatchMode=yes",
            "-o",
            "LogLevel=ERROR",
            *options,
            f"{account.name}@127.0.0.1",
        ]

    def server_log(self) -> str:
        path = self.root / "sshd.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # -- tear-down ------------------------------------------------------------------------
    def close(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            if self.process.poll() is None:
                self.process.kill()
        self.sudoers.unlink(missing_ok=True)
        for name in self.users_made:
            run("userdel", "--force", name, check=False)
        if self.group_made:
            with contextlib.suppress(KeyError):
                grp.getgrnam(self.group)
                run("groupdel", self.group, check=False)
        shutil.rmtree(self.root, ignore_errors=True)
