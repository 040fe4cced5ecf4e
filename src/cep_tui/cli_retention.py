"""`cep-tui retention --dry-run|--apply [--date JJ/MM/AAAA] [--details]`: the dossiers of the
counsellor's structure past the retention limit (décret n° 2015-59), listed by their
numbers only, or anonymised. Needs the right « Administrer la structure »; `--apply` is
audited (how many, by whom)."""

from __future__ import annotations

import argparse
import sys


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "retention",
        help="dossiers au-delà de la durée de conservation : les compter ou les anonymiser",
        description="Les dossiers de votre structure dont le jeune a dépassé 26 ans + 2 ans, "
        "sans dispositif ni évènement en cours et sans évènement depuis 12 mois "
        "(décret n° 2015-59). --dry-run les compte, --apply les anonymise.",
    )
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--dry-run", action="store_true", help="compter, sans rien changer")
    mode.add_argument("--apply", action="store_true", help="anonymiser les dossiers concernés")
    parser.add_argument(
        "--date", metavar="JJ/MM/AAAA", help="à cette date (par défaut : aujourd'hui)"
    )
    parser.add_argument("--details", action="store_true", help="lister les numéros de dossier")


def run(database_url: str, args: argparse.Namespace, login: str) -> int:
    from cep_tui.bootstrap import open_services
    from cep_tui.services.dates import format_date, parse_date
    from cep_tui.services.errors import DomainError

    on = None
    if args.date:
        on = parse_date(args.date)
        if on is None:
            print(f"cep-tui : date invalide, saisir jj/mm/aaaa : {args.date}", file=sys.stderr)
            return 2
    services = open_services(database_url, seed_demo=False)
    try:
        actor = services.counsellors.sign_in(login, getattr(args, "structure", None))
        retention = services.retention
        report = retention.apply(actor, on) if args.apply else retention.due(actor, on)
    except DomainError as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    verb = "anonymisé(s)" if report.applied else "à anonymiser"
    print(
        f"{report.structure_name} : {report.count} dossier(s) {verb} au {format_date(report.on)}."
    )
    if args.details:
        for due in report.dossiers:
            print(f"  {due.number}  (limite de conservation : {format_date(due.limit)})")
    return 0
