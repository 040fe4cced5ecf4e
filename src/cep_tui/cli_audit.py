"""`cep-tui audit verify`: the audit journal's chains checked, each break said.
`cep-tui access-journal [--months N]`: the access journal's old records purged."""

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


def add_purge_parser(commands) -> None:
    parser = commands.add_parser(
        "access-journal", help="purger le journal des consultations de dossiers"
    )
    parser.add_argument(
        "--months",
        type=int,
        metavar="N",
        help="durée de conservation en mois (défaut : [access_journal] months de la "
        "configuration du système, sinon 6, recommandation de la CNIL)",
    )


def run_purge(database_url: str, args: argparse.Namespace) -> int:
    if args.months is not None and args.months < 1:
        print("cep-tui : --months doit valoir au moins 1.", file=sys.stderr)
        return 2
    from cep_tui.bootstrap import open_services

    services = open_services(database_url, seed_demo=False)
    months = args.months or services.access_journal.months_kept
    purged = services.access_journal.purge(months)
    print(
        f"Journal des consultations : {purged} enregistrement(s) de plus de "
        f"{months} mois supprimé(s)."
    )
    return 0


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
