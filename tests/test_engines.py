"""The PostgreSQL half of the suite: run when the server binaries are here, reported as
one skip (with the reason) when they are not, and a failure when CI requires it
(CEP_TUI_REQUIRE_POSTGRES=1, set by .ci/run)."""

from __future__ import annotations

import pytest

from tests import pg_server
from tests.conftest import PG_BIN, PG_MISSING


def test_the_postgresql_half_of_the_suite_runs(request):
    if PG_BIN is None:
        message = f"moitié PostgreSQL de la suite non lancée : {PG_MISSING}"
        if pg_server.postgres_required():
            pytest.fail(f"{message} (exigée par {pg_server.REQUIRE_ENV}=1)")
        pytest.skip(message)
    server = request.getfixturevalue("postgres_server")
    with server.admin() as admin:
        (version,) = admin.execute_sql("SHOW server_version_num").fetchone()
    assert int(version) >= 150000  # a real PostgreSQL 15 (or later), on 127.0.0.1
