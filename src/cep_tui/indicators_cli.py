"""`cep-tui indicators --from JJ/MM/AAAA --to JJ/MM/AAAA [--scope structure|mine]
[--output FICHIER]`: the CEP indicators of a period, as a table on the terminal, or as a
.ods or .csv file in the export folder (cep_tui.exports)."""

from __future__ import annotations

import argparse
import sys

from cep_tui.services.indicators import Scope


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "indicators",
        help="les indicateurs CEP d'une période (tableau, ou fichier .ods / .csv)",
        description="Les indicateurs CEP d'une période : sans --output, un tableau à "
        "l'écran ; avec, un fichier .ods ou .csv (agrégats seulement, droits 600) dans le "
        "dossier d'export, sauf chemin donné avec ses dossiers.",
    )
    parser.add_argument("--from", dest="start", required=True, metavar="JJ/MM/AAAA")
    parser.add_argument("--to", dest="end", required=True, metavar="JJ/MM/AAAA")
    parser.add_argument(
        "--scope",
        choices=[scope.value for scope in Scope],
        default=Scope.MINE.value,
        help="mine : les jeunes dont on est le référent (par défaut) ; structure : toute la "
        "structure (droit « Consulter les indicateurs de la structure »)",
    )
    parser.add_argument("--output", metavar="FICHIER", help="fichier .ods ou .csv à écrire")


def run(database_url: str, login: str, args: argparse.Namespace) -> int:
    """Compute, then print or write; a refusal or bad input says why in French (exit 2)."""
    from cep_tui import indicator_exports as exports
    from cep_tui.bootstrap import open_services
    from cep_tui.exports import ExportError, export_dir
    from cep_tui.services.errors import DomainError

    services = open_services(database_url, seed_demo=False)
    try:
        actor = services.counsellors.sign_in(login, getattr(args, "structure", None))
        indicators = services.indicators.compute(actor, args.start, args.end, args.scope)
    except DomainError as error:
        messages = list(error.field_errors.values()) or [error.message]
        for message in messages:
            print(f"cep-tui : {message}", file=sys.stderr)
        return 2
    if not args.output:
        sys.stdout.write(exports.text_table(indicators))
        return 0
    try:
        path = exports.export_path(args.output, export_dir())
        exports.export(indicators, path)
    except ValueError as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    except ExportError as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 1
    print(f"Indicateurs enregistrés dans {path}")
    return 0
