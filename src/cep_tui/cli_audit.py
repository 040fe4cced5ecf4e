"""`cep-tui audit verify`: the audit journal's chains checked, each break said."""

from __future__ import annotations

import argparse
import sys


def add_parser(commands) -> None:
    parser = commands.add_parser("audit", help="vérifier que l'historique n'a pas été réécrit")
    actions = parser.add_subparsers(dest="audit_command", required=True)
    actions.add_parser(
        "verify",
        help="recalculer les empreintes : enregistrements modifiés, supprimés ou insérés",
    )


def run(database_url: str, args: argparse.Namespace) -> int:
    """0: every chain holds; 1: breaks, each on a line (which record, what)."""
    from cep_tui.db import audit_chain
    from cep_tui.db.connection import open_database
    from cep_tui.db.migrations import migrate
    from cep_tui.db.models import AuditRecord

    db = open_database(database_url)
    try:
        migrate(db)
        breaks = list(audit_chain.verify())
        count = AuditRecord.select().count()
    finally:
        db.close()
    for found in breaks:
        print(found.message)
    if breaks:
        print(
            f"Historique altéré : {len(breaks)} anomalie(s) sur {count} enregistrement(s).",
            file=sys.stderr,
        )
        return 1
    print(f"Historique intact : {count} enregistrement(s) vérifié(s).")
    return 0
