"""PostgreSQL: `cep-tui migrate --app-role ROLE` leaves the application's role without
ownership and with only SELECT/INSERT on the audit journal (issue 13, point 2): even with
the triggers dropped, it cannot rewrite history."""

from __future__ import annotations

import peewee
import pytest

from cep_tui.__main__ import main
from cep_tui.db import audit_chain
from cep_tui.db.connection import open_database

ROLE = "cep_app_test"


@pytest.mark.postgresql_only
def test_the_application_role_only_reads_and_appends_the_journal(
    new_database_url, postgres_server, capsys
):
    url = new_database_url()
    name = url.rsplit("/", 1)[1]
    with postgres_server.admin() as admin:
        admin.execute_sql(f"CREATE ROLE {ROLE} LOGIN")
    try:
        assert main(["--database", url, "migrate", "--app-role", ROLE]) == 0
        assert f"Droits du rôle « {ROLE} »" in capsys.readouterr().out
        owner = open_database(url)
        audit_chain.uninstall(owner)  # a mistake, or an attacker: the grants still hold
        owner.execute_sql("INSERT INTO structure (code, name) VALUES ('ML1', 'Test')")
        owner.close()
        app = peewee.PostgresqlDatabase(
            name, host="127.0.0.1", port=postgres_server.port, user=ROLE
        )
        app.connect()
        try:
            app.execute_sql(
                "INSERT INTO counsellor (login, first_name, last_name, structure_id, "
                "right_view_dossier, right_edit_dossier, right_events, right_propose_cep, "
                "right_manage_offers, right_administer, active) "
                "SELECT 'a', 'A', 'B', id, true, true, true, true, true, true, true "
                "FROM structure"
            )
            app.execute_sql(
                "INSERT INTO audit_record (at, counsellor_id, structure_id, action, entity) "
                "SELECT now(), c.id, c.structure_id, 'x', 'y' FROM counsellor c"
            )
            assert app.execute_sql("SELECT count(*) FROM audit_record").fetchone() == (1,)
            for sql in (
                "UPDATE audit_record SET action = 'z'",
                "DELETE FROM audit_record",
                "TRUNCATE audit_record",
                "DROP TABLE audit_record",
            ):
                refused = pytest.raises(peewee.ProgrammingError, match=r"permission|must be owner")
                with refused, app.atomic():
                    app.execute_sql(sql)
            app.execute_sql("UPDATE counsellor SET first_name = 'Ab'")  # the rest is writable
        finally:
            app.close()
    finally:
        cleanup = open_database(url)
        cleanup.execute_sql(f"DROP OWNED BY {ROLE}")
        cleanup.close()
        with postgres_server.admin() as admin:
            admin.execute_sql(f"DROP ROLE {ROLE}")


def test_the_application_role_is_for_postgresql_only(tmp_path, capsys):
    url = f"sqlite:///{tmp_path}/t.db"
    assert main(["--database", url, "migrate", "--app-role", "cep_app"]) == 2
    assert "ne concerne que PostgreSQL" in capsys.readouterr().err
