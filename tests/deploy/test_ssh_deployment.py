"""The SSH deployment of deploy/, on a real OpenSSH server (tests/sshd_server.py): two
counsellors with their own Unix accounts and keys, the SQLite database owned by a service
account reached through the sudo rule.

- each opens the app as their own counsellor (read on the screen of a real terminal: tmux
  running the ssh client), the second through the configuration's login mapping;
- neither runs another command, opens a shell, forwards a port or uses sftp;
- LOGNAME and `--as` sent by the client change nothing;
- neither can read the database around the app.

Needs root (accounts, sudo): skipped otherwise, unless CEP_TUI_REQUIRE_SSH=1 (.ci/run),
which turns the skip into a failure. No timing is asserted: each wait has a generous
bound."""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
import time
import uuid

import pytest

from cep_tui.db.connection import database_proxy, open_database
from cep_tui.db.migrations import migrate
from tests import sshd_server
from tests.factories import make_counsellor, make_structure

REQUIRE_ENV = "CEP_TUI_REQUIRE_SSH"
ENDED = "SESSION-TERMINEE"  # shown by the terminal's shell once the ssh client ends
TIMEOUT = 90.0  # seconds, for each thing awaited (a new session through sudo, a loaded machine)

pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def server():
    reason = sshd_server.missing()
    if reason:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"test du déploiement SSH impossible : {reason} ({REQUIRE_ENV}=1)")
        pytest.skip(f"test du déploiement SSH impossible : {reason}")
    deployment = sshd_server.SshServer()
    tag = deployment.group[3:]
    first, second = f"cepa{tag}", f"cepb{tag}"
    try:
        deployment.install([first, second], logins={second: "b.mapped"})
        build_database(deployment, {first: ("Anne", "Premiere"), "b.mapped": ("Bruno", "Second")})
        yield deployment
    finally:
        deployment.close()


def build_database(deployment, counsellors: dict[str, tuple[str, str]]) -> None:
    """The structure's database, then handed to the service account: folder 0700, file
    0600, its owner only."""
    deployment.data.mkdir(mode=0o700)
    db = open_database(f"sqlite:///{deployment.database}")
    try:
        migrate(db)
        structure = make_structure("ML-SSH", "Mission Locale du Serveur")
        for login, (first, last) in counsellors.items():
            make_counsellor(structure, login, first_name=first, last_name=last)
    finally:
        db.close()
        database_proxy.initialize(None)
    deployment.logs.mkdir(mode=0o700)  # the session and error logs (README)
    service = pwd.getpwnam(deployment.service)
    for path in [deployment.data, *deployment.data.iterdir(), deployment.logs]:
        os.chown(path, service.pw_uid, service.pw_gid)


# -- a real terminal ---------------------------------------------------------------------------
class Terminal:
    """tmux on its own socket, at 80×24, killed afterwards."""

    def __init__(self, root) -> None:
        self.socket = str(root / f"tmux-{uuid.uuid4().hex[:6]}.sock")
        self.session = "cep"

    def tmux(self, *args: str) -> str:
        done = subprocess.run(
            ["tmux", "-u", "-S", self.socket, *args], capture_output=True, check=True, timeout=10
        )
        return done.stdout.decode("utf-8", errors="replace")

    def start(self, command: list[str]) -> None:
        self.tmux(
            "new-session", "-d", "-x", "80", "-y", "24", "-s", self.session,
            subprocess.list2cmdline(command) + f"; echo {ENDED}; sleep 600",
        )  # fmt: skip

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, *texts: str) -> str:
        deadline = time.monotonic() + TIMEOUT
        shown = ""
        while time.monotonic() < deadline:
            shown = self.screen()
            if all(text in shown for text in texts):
                return shown
            time.sleep(0.3)
        raise AssertionError(f"{texts!r} jamais affiché ; l'écran :\n{shown}")

    def close(self) -> None:
        subprocess.run(["tmux", "-S", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(server):
    screen = Terminal(server.root)
    yield screen
    screen.close()


def opens_as(server, terminal, account, login: str, options=(), command=()) -> str:
    """Open a session of `account` (with the client's extra `options` and remote
    `command`), see the app as `login`, quit."""
    terminal.start([*server.ssh(account, "-tt", *options), *command])
    shown = terminal.wait_for("Mission Locale du Serveur", f"({login})")
    terminal.tmux("send-keys", "-t", terminal.session, "C-q")
    terminal.wait_for(ENDED)  # the session ended, the ssh client with it
    return shown


# -- the checks --------------------------------------------------------------------------------
def test_each_counsellor_opens_the_app_as_themselves(server, terminal):
    first, _ = server.accounts
    shown = opens_as(server, terminal, first, first.name)
    assert "Anne PREMIERE" in shown


def test_the_login_mapping_of_the_system_file_is_applied(server, terminal):
    _, second = server.accounts
    shown = opens_as(server, terminal, second, "b.mapped")
    assert "Bruno SECOND" in shown


def test_logname_and_as_sent_by_the_client_change_nothing(server, terminal):
    first, second = server.accounts
    shown = opens_as(
        server,
        terminal,
        second,
        "b.mapped",
        options=("-o", f"SetEnv=LOGNAME={first.name} USER={first.name}"),
        command=(f"cep-tui --as {first.name}",),
    )
    assert "Anne" not in shown


def test_no_other_command_runs(server):
    first, _ = server.accounts
    for command in (["id"], ["/bin/sh", "-c", "echo SHELL-OUVERT"], ["cat", "/etc/hostname"]):
        done = subprocess.run(
            [*server.ssh(first), *command], capture_output=True, text=True, timeout=TIMEOUT
        )
        assert done.returncode != 0, command
        assert "uid=" not in done.stdout and "SHELL-OUVERT" not in done.stdout
        assert "pas de terminal" in done.stderr


def test_no_shell_even_with_a_terminal(server, terminal):
    first, _ = server.accounts
    shown = opens_as(
        server, terminal, first, first.name, command=("/bin/sh", "-c", "echo SHELL-OUVERT")
    )
    assert "SHELL-OUVERT" not in shown


def test_no_sftp(server):
    first, _ = server.accounts
    client = server.ssh(first)
    options = client[client.index("-i") : -1]  # the key and the -o options
    done = subprocess.run(
        ["sftp", "-P", str(server.port), *options, "-b", "-", f"{first.name}@127.0.0.1"],
        input="ls /\n", capture_output=True, text=True, timeout=TIMEOUT,
    )  # fmt: skip
    assert done.returncode != 0
    assert "bin" not in done.stdout
    assert "usage" not in done.stderr.lower()  # refused by the server, not by sftp itself


def test_no_port_forwarding(server):
    """A local forward to the server's own SSH port: through the server, the connection
    would read its banner; refused, it is closed at once."""
    first, _ = server.accounts
    local = sshd_server.free_port()
    client = subprocess.Popen(
        [*server.ssh(first, "-N", "-L", f"127.0.0.1:{local}:127.0.0.1:{server.port}")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + TIMEOUT
        while True:
            try:
                connection = socket.create_connection(("127.0.0.1", local), timeout=5)
                break
            except OSError:
                assert client.poll() is None, client.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        with connection:
            connection.settimeout(TIMEOUT)
            try:
                received = connection.recv(100)
            except ConnectionResetError:
                received = b""
        assert not received.startswith(b"SSH-")
    finally:
        client.terminate()
        client.wait(timeout=10)


def test_the_database_is_not_readable_around_the_app(server):
    for account in server.accounts:
        for path in (server.database, server.data):
            done = subprocess.run(
                ["runuser", "-u", account.name, "--", "test", "-r", str(path)], timeout=30
            )
            assert done.returncode != 0, (account.name, path)
        done = subprocess.run(
            ["runuser", "-u", account.name, "--", "cat", str(server.database)],
            capture_output=True, timeout=30,
        )  # fmt: skip
        assert done.returncode != 0 and not done.stdout


def test_the_session_log_names_the_account_and_the_counsellor(server, terminal):
    first, _ = server.accounts
    opens_as(server, terminal, first, first.name)
    log = (server.logs / "cep-tui.log").read_text(encoding="utf-8")
    line = [x for x in log.splitlines() if f"os_account={first.name}" in x][-1]
    assert f"counsellor={first.name}" in line and "client=127.0.0.1" in line
