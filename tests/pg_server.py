"""A throw-away PostgreSQL server for the test session (not a fixture: tests/conftest.py
starts it once, when a test asks for the PostgreSQL engine, and stops it at the end).

The server runs from the machine's PostgreSQL binaries (initdb, pg_ctl, postgres: the
`postgresql` Debian package puts them in /usr/lib/postgresql/<version>/bin, or set
CEP_TUI_PG_BIN) in a temporary directory, on 127.0.0.1 and a free port, with trust
authentication and without fsync (it dies with the session: nothing in it must survive).
PostgreSQL refuses to run as root; as root, the server runs as the `postgres` user.

Per-test isolation: one database, migrated once (`TestDatabase`); before each test
`cep_test.reset()` (installed here) empties every table in foreign-key order, puts the
rows seeded by the migration back if a test changed them, and restarts the id sequences
after them. Measured on 2 cores: about 3 ms a test, against 35 ms for a TRUNCATE of every
table and 130 ms for a CREATE DATABASE … TEMPLATE (the server's start, initdb included,
and the migration take about 2 s once per session).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import peewee

from cep_tui.db import models
from cep_tui.db.connection import open_database
from cep_tui.db.migrations import migrate

PG_BIN_ENV = "CEP_TUI_PG_BIN"
REQUIRE_ENV = "CEP_TUI_REQUIRE_POSTGRES"
DIR_PREFIX = "cep-tui-pg-"
SERVER_USER = "postgres"
TEMPLATE = "cep_test"
# Rows that the migration writes and every test starts with.
SEEDED = (models.SchemaVersion, models.DispositifType, models.ReferenceValue)
NEEDED = ("initdb", "pg_ctl", "postgres")


def postgres_required() -> bool:
    """CI sets CEP_TUI_REQUIRE_POSTGRES=1: the PostgreSQL half must run, never be skipped."""
    return os.environ.get(REQUIRE_ENV, "").strip() not in ("", "0")


def _version_key(path: Path) -> tuple:
    name = path.parent.name
    return (0, name) if not name.replace(".", "").isdigit() else (1, float(name))


def find_binaries() -> tuple[Path | None, str]:
    """The directory holding initdb, pg_ctl and postgres, or None and why (in French, for
    the skip message); None as well without the driver."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return None, "pilote psycopg2 absent : pip install -e '.[dev,postgres]' (make test le fait)"
    if os.environ.get(PG_BIN_ENV):  # only there (CEP_TUI_PG_BIN=aucun: no PostgreSQL half)
        candidates = [Path(os.environ[PG_BIN_ENV])]
    else:
        candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=_version_key)[::-1]
        if found := shutil.which("pg_ctl"):
            candidates.append(Path(found).resolve().parent)
    for directory in candidates:
        if all((directory / name).is_file() for name in NEEDED):
            if os.geteuid() == 0:
                try:
                    pwd.getpwnam(SERVER_USER)
                except KeyError:
                    return None, (
                        f"serveur PostgreSQL trouvé dans {directory}, mais on est root et "
                        f"l'utilisateur système « {SERVER_USER} » n'existe pas"
                    )
            return directory, ""
    where = f" dans {candidates[0]}" if os.environ.get(PG_BIN_ENV) else ""
    return None, (
        f"binaires du serveur PostgreSQL (initdb, pg_ctl, postgres) introuvables{where} : "
        "apt-get install postgresql, ou CEP_TUI_PG_BIN=<dossier bin>"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class PostgresServer:
    bin_dir: Path
    root: Path = field(init=False)
    port: int = field(init=False, default=0)
    started: bool = field(init=False, default=False)
    _fresh: int = field(init=False, default=0)

    # -- life -------------------------------------------------------------------------
    def start(self) -> None:
        self._stop_orphans()
        self.root = Path(tempfile.mkdtemp(prefix=DIR_PREFIX))
        (self.root / "owner.pid").write_text(str(os.getpid()))
        self.root.chmod(0o755)
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVER_USER)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        self._initdb()
        for attempt in range(5):  # a free port may be taken between the probe and the bind
            self.port = _free_port()
            done = self._pg_ctl_start(check=False)
            if done.returncode == 0:
                self.started = True
                return
            if attempt == 4 or "could not bind" not in self.log():
                raise RuntimeError(f"PostgreSQL n'a pas démarré :\n{done.stderr}\n{self.log()}")
        raise AssertionError("unreachable")

    def _pg_ctl_start(self, *, check: bool = True) -> subprocess.CompletedProcess:
        return self._pg_ctl(
            "start",
            "-w",
            "-t",
            "60",
            "-l",
            str(self.root / "server.log"),
            "-o",
            " ".join(
                (
                    f"-p {self.port}",
                    "-c listen_addresses=127.0.0.1",
                    f"-c unix_socket_directories={self.root}",
                    "-c fsync=off",
                    "-c synchronous_commit=off",
                    "-c full_page_writes=off",
                    "-c max_connections=200",
                )
            ),
            check=check,
        )

    # -- faults (tests/reliability/test_server_faults.py) -----------------------------
    def halt(self) -> None:
        """Stop the server as an administrator would (fast: sessions are ended, their
        transactions rolled back), keeping its data and its port for `resume`."""
        self._pg_ctl("stop", "-m", "fast", "-w", "-t", "60")

    def resume(self) -> None:
        """Start again, on the same port, a server that `halt` stopped."""
        self._pg_ctl_start()

    def restart(self) -> None:
        """Restart the server (every session ends); back when this returns."""
        self.halt()
        self.resume()

    def stop(self) -> None:
        """Stop the server (at once: its data is thrown away) and remove its directory."""
        try:
            if self.started:
                self._pg_ctl("stop", "-m", "immediate", "-w", "-t", "30", check=False)
                self.started = False
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    # -- databases ----------------------------------------------------------------------
    def url(self, database: str) -> str:
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{database}"

    @contextlib.contextmanager
    def admin(self) -> Iterator[peewee.PostgresqlDatabase]:
        """A connection to the `postgres` maintenance database, outside any transaction."""
        admin = peewee.PostgresqlDatabase(
            "postgres", host="127.0.0.1", port=self.port, user=SERVER_USER
        )
        admin.connect()
        try:
            yield admin
        finally:
            admin.close()

    def create_database(self, name: str | None = None) -> str:
        """A new empty database (UTF-8, the C.UTF-8 locale: names sort as on SQLite, by
        code point); returns its name."""
        if name is None:
            self._fresh += 1
            name = f"fresh_{self._fresh}"
        with self.admin() as admin:
            admin.execute_sql(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as admin:
            admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    # -- inner workings -----------------------------------------------------------------
    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        as_server_user = {}
        if os.geteuid() == 0:
            entry = pwd.getpwnam(SERVER_USER)
            as_server_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
        done = subprocess.run(
            args,
            cwd=self.root,
            env={**os.environ, "LC_ALL": "C.UTF-8", "HOME": str(self.root)},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            **as_server_user,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"{args[0]} a échoué :\n{done.stdout}\n{done.stderr}")
        return done

    def _initdb(self) -> None:
        base = [str(self.bin_dir / "initdb"), "-D", str(self.root / "data"), "-A", "trust"]
        base += ["-U", SERVER_USER, "-E", "UTF8", "--no-sync", "--no-instructions"]
        done = self._run(*base, "--locale=C.UTF-8", check=False)
        if done.returncode != 0:  # a system without the C.UTF-8 locale
            shutil.rmtree(self.root / "data", ignore_errors=True)
            self._run(*base, "--no-locale")

    def _pg_ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), *args, check=check
        )

    def _stop_orphans(self) -> None:
        """Servers of earlier sessions that died without stopping theirs (a SIGKILL):
        each directory names the test session that started it."""
        for directory in Path(tempfile.gettempdir()).glob(f"{DIR_PREFIX}*"):
            try:
                owner = int((directory / "owner.pid").read_text())
            except (OSError, ValueError):
                continue
            if _alive(owner):
                continue
            pid_file = directory / "data" / "postmaster.pid"
            with contextlib.suppress(OSError, ValueError, IndexError):
                postmaster = int(pid_file.read_text().splitlines()[0])
                if _alive(postmaster):
                    os.kill(postmaster, signal.SIGQUIT)  # immediate shutdown
                    for _ in range(50):
                        if not _alive(postmaster):
                            break
                        time.sleep(0.1)
            shutil.rmtree(directory, ignore_errors=True)


APPEND_ONLY = {"audit_record"}


def install_reset(db: peewee.Database) -> None:
    """Keep a copy of the seeded rows and create `cep_test.reset()` in the migrated
    template database. The seeded tables (the reference lists above all) are put back only
    when a test changed them, which a trigger records: deleting and inserting them again
    each time would cost more than all the rest."""
    order = [m._meta.table_name for m in reversed(peewee.sort_models(list(models.ALL_MODELS)))]
    seeded = [m._meta.table_name for m in SEEDED]
    written = [t for t in order if t not in seeded]
    db.execute_sql("CREATE SCHEMA cep_test")
    db.execute_sql("CREATE TABLE cep_test.changed (seeded BOOLEAN)")
    db.execute_sql(
        "CREATE FUNCTION cep_test.record_change() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        "BEGIN INSERT INTO cep_test.changed VALUES (true); RETURN NULL; END $$"
    )
    for table in seeded:
        db.execute_sql(f'CREATE TABLE cep_test."{table}" AS TABLE public."{table}"')
        db.execute_sql(
            f"CREATE TRIGGER cep_test_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON public."{table}" FOR EACH STATEMENT EXECUTE FUNCTION cep_test.record_change()'
        )

    def restart(table: str) -> str:
        return (
            f"PERFORM setval(pg_get_serial_sequence('public.\"{table}\"', 'id'), "
            f'coalesce((SELECT max(id) FROM public."{table}"), 0) + 1, false);'
        )

    body = "\n".join(
        [
            # The audit table refuses DELETE (cep_tui.db.audit_chain); TRUNCATE, which no
            # row trigger sees, empties it.
            *(
                f'TRUNCATE public."{t}";' if t in APPEND_ONLY else f'DELETE FROM public."{t}";'
                for t in written
            ),
            "IF EXISTS (SELECT 1 FROM cep_test.changed) THEN",
            *(f'DELETE FROM public."{t}";' for t in order if t in seeded),
            *(f'INSERT INTO public."{t}" SELECT * FROM cep_test."{t}";' for t in seeded),
            *(restart(t) for t in seeded),
            "DELETE FROM cep_test.changed;",
            "END IF;",
            *(restart(t) for t in written),
        ]
    )
    db.execute_sql(
        "CREATE FUNCTION cep_test.reset() RETURNS void LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\nEND\n$$"
    )


class TestDatabase:
    """The database the PostgreSQL tests share: created and migrated once, then emptied
    before each test through a connection kept for the session (a new one would compile
    `cep_test.reset()` again each time: 3 ms a test instead of 13)."""

    def __init__(self, server: PostgresServer):
        self.url = server.url(server.create_database(TEMPLATE))
        database = open_database(self.url)
        migrate(database)
        install_reset(database)
        database.close()
        self._keeper = peewee.PostgresqlDatabase(
            TEMPLATE, host="127.0.0.1", port=server.port, user=SERVER_USER
        )
        self._keeper.connect()

    def reset(self) -> None:
        """Back to the freshly migrated database. Connections left by the previous test (a
        thread's, a killed process's) are ended first, so that none holds a lock."""
        self._keeper.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        self._keeper.execute_sql("SELECT cep_test.reset()")

    def close(self) -> None:
        self._keeper.close()
