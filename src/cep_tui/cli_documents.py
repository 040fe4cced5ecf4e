"""`cep-tui document synthese|copie NUMERO_DE_DOSSIER [--output FICHIER.odt]`: the young
person's documents from the command line, with the rights and the audit of the app (the
counsellor is the one the app would sign in)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = {"synthese": "Synthèse de l'accompagnement CEP", "copie": "Copie des données"}


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "document",
        help="écrire la synthèse CEP ou la copie des données d'un jeune (OpenDocument .odt)",
        description="Écrit un document pour le jeune : "
        + " ; ".join(f"{kind} : « {title} »" for kind, title in KINDS.items())
        + ". Sans --output, dans le dossier d'export.",
    )
    parser.add_argument("kind", choices=tuple(KINDS), metavar="synthese|copie")
    parser.add_argument("number", metavar="NUMERO_DE_DOSSIER")
    parser.add_argument(
        "--output", metavar="FICHIER.odt", type=Path, help="le fichier à créer (jamais remplacé)"
    )


def run(database_url: str, args: argparse.Namespace, login: str) -> int:
    """Print the path written; a refusal (rights, unknown dossier, file) in French, code 2."""
    from cep_tui.bootstrap import open_services
    from cep_tui.exports import ExportError
    from cep_tui.services.errors import DomainError

    services = open_services(database_url, seed_demo=False)
    try:
        actor = services.counsellors.sign_in(login, getattr(args, "structure", None))
        dossier_id = services.documents.dossier_by_number(actor, args.number)
        path = services.documents.produce(actor, dossier_id, args.kind, args.output)
    except (DomainError, ExportError) as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    print(f"{KINDS[args.kind]} écrite : {path}")
    return 0
