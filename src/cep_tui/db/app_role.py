"""PostgreSQL: the application's role is not the owner of the tables (issue 13, point 2).

Migrations run as the owner role (`cep-tui --database URL-DU-PROPRIÉTAIRE migrate
--app-role ROLE`); the counsellors' sessions connect as ROLE, which may read and write the
application's tables but only read and append to the audit journal: even with the
triggers of cep_tui.db.audit_chain dropped by a mistake, ROLE cannot rewrite history, nor
drop or alter anything (it owns nothing). The retention's erasure changes audit records:
`cep-tui retention --apply` runs as the owner role (README)."""

from __future__ import annotations

import re

from peewee import Database

from cep_tui.db.connection import is_sqlite
from cep_tui.services.errors import DomainError

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY_TABLES = ("audit_record",)


def grant(db: Database, role: str) -> None:
    """Give `role` what a session needs, and no more."""
    if is_sqlite(db):
        raise DomainError("--app-role ne concerne que PostgreSQL (SQLite n'a pas de rôles).")
    if not _ROLE.match(role):
        raise DomainError(f"Nom de rôle invalide : « {role} » (a-z, 0-9, _).")
    exists = db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
    if not exists:
        raise DomainError(f"Le rôle PostgreSQL « {role} » n'existe pas : créez-le d'abord.")
    (owner,) = db.execute_sql("SELECT current_user").fetchone()
    if owner == role:
        raise DomainError(
            f"« {role} » est le rôle qui exécute la migration (le propriétaire) : le rôle "
            "de l'application doit en être un autre."
        )
    quoted = f'"{role}"'
    with db.atomic():
        db.execute_sql(f"GRANT USAGE ON SCHEMA public TO {quoted}")
        db.execute_sql(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}"
        )
        db.execute_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        for table in APPEND_ONLY_TABLES:
            db.execute_sql(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{table}" FROM {quoted}')
            db.execute_sql(f'GRANT SELECT, INSERT ON "{table}" TO {quoted}')
