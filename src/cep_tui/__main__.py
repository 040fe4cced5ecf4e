"""Command line: `cep-tui [--database URL] [--as LOGIN]`, `cep-tui demo`,
`cep-tui backup FICHIER`."""

from __future__ import annotations

import argparse
import getpass
import sys

from cep_tui.config import DATABASE_ENV, database_url_from


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="cep-tui",
        description="Le CEP (Conseil en Évolution Professionnelle) d'une Mission Locale.",
    )
    parser.add_argument("--database", metavar="URL",
                        help=f"base de données (sinon ${DATABASE_ENV}, sinon un fichier SQLite "
                             "dans le dossier de données de l'utilisateur)")
    parser.add_argument("--as", dest="login", metavar="IDENTIFIANT",
                        help="identifiant du conseiller (par défaut : l'utilisateur du système)")
    commands = parser.add_subparsers(dest="command")
    demo = commands.add_parser("demo", help="remplir une base vide de données de démonstration")
    demo.add_argument("--seed", type=int, default=2016)
    demo.add_argument("--size", choices=("small", "large"), default="small")
    backup = commands.add_parser("backup", help="copier la base, même en cours d'utilisation")
    backup.add_argument("file", metavar="FICHIER", help="le fichier de la sauvegarde")
    backup.add_argument("--force", action="store_true", help="remplacer un fichier existant")
    return parser.parse_args(argv)


def run_demo(database_url: str, seed: int, size: str) -> int:
    from cep_tui import demo
    from cep_tui.bootstrap import open_services

    services = open_services(database_url, seed_demo=False)
    if not demo.is_empty():
        print("La base contient déjà des données : démonstration non ajoutée.", file=sys.stderr)
        return 1
    summary = demo.populate(services.clock, seed=seed, size=size)
    print(f"Données de démonstration créées : {summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    database_url = database_url_from(args.database)
    from cep_tui.db.connection import DatabaseUrlError
    from cep_tui.services.errors import DomainError

    try:
        if args.command == "demo":
            return run_demo(database_url, args.seed, args.size)
        if args.command == "backup":
            from cep_tui.backup import run_backup

            return run_backup(database_url, args.file, force=args.force)
        from cep_tui.bootstrap import make_app

        app = make_app(database_url, args.login or getpass.getuser())
    except (DomainError, DatabaseUrlError) as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    except Exception as error:  # never a traceback for the counsellor
        from cep_tui.crash import log_unexpected, unexpected_message

        print(unexpected_message(log_unexpected(error)), file=sys.stderr)
        return 1
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
