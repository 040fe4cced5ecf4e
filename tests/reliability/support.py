"""Helpers of the reliability drills (not fixtures): processes that never outlive a test."""

from __future__ import annotations

import json
import multiprocessing
import os
import select
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Each writer starts a fresh interpreter and opens the database itself.
SPAWN = multiprocessing.get_context("spawn")


@contextmanager
def processes(targets: list[tuple]) -> Iterator[list[multiprocessing.Process]]:
    """Start one "spawn" process per (function, args); kill whatever is still alive at the
    end, so that a failing drill never leaves writers behind."""
    started = [SPAWN.Process(target=target, args=args, daemon=True) for target, args in targets]
    for process in started:
        process.start()
    try:
        yield started
    finally:
        for process in started:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
                process.join(timeout=5)


def start_writer(config: dict) -> subprocess.Popen:
    """The crash writer, once it has opened the database and is about to write."""
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.worker", json.dumps(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    ready, _, _ = select.select([writer.stdout], [], [], 60)
    if not ready or writer.stdout.readline() != b"ready\n":
        writer.kill()
        raise AssertionError(f"the writer did not start: {writer.communicate()[1].decode()}")
    return writer


def run_cli(
    *args: str, home: Path, path: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`python -m cep_tui ARGS` as a counsellor would run it, with the user's data, state
    and configuration directories under `home` (and `path` as PATH, `env` added, if
    given)."""
    extra = env
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    env.pop("CEP_TUI_DATABASE", None)
    if path is not None:
        env["PATH"] = path
    env.update(extra or {})
    return subprocess.run(
        [sys.executable, "-m", "cep_tui", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
