"""Command line: `cep-tui [--database URL] [--as LOGIN]`, `cep-tui demo`,
`cep-tui migrate`, `cep-tui backup FICHIER`, `cep-tui restore FICHIER`,
`cep-tui document synthese|copie NUMERO`, `cep-tui retention --dry-run|--apply`,
`cep-tui indicators --from … --to …`."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TextIO

from cep_tui.config import (
    DATABASE_ENV,
    ConfigError,
    config_paths,
    database_url_from,
    default_database_url,
    masked,
    settings,
)
from cep_tui.identity import Identity, identity_for
from cep_tui.private_files import private_folder

# `make bench` sets it to a file: the app writes there the instants (time.monotonic()) its
# first screen is interactive, then shows its first results, and quits.
EXIT_WHEN_READY_ENV = "CEP_TUI_EXIT_WHEN_READY"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from cep_tui.cli_french import speak_french

    speak_french()
    parser = argparse.ArgumentParser(
        prog="cep-tui",
        description="Le CEP (Conseil en Évolution Professionnelle) d'une Mission Locale.",
        epilog=config_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"cep-tui {app_version()}",
        help="afficher la version et quitter",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=f"base de données (sinon ${DATABASE_ENV}, sinon « database » de la "
        "configuration, sinon la base SQLite de l'utilisateur, si --demo l'a créée)",
    )
    parser.add_argument(
        "--as",
        dest="login",
        metavar="IDENTIFIANT",
        help="ouvrir en tant qu'un autre conseiller : seulement sur une base de "
        "démonstration, ou pour un compte autorisé par la configuration du système "
        "(par défaut : le compte du système)",
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="la base de démonstration de l'utilisateur (remplie au premier lancement ; make run)",
    )
    parser.add_argument(
        "--structure",
        metavar="CODE",
        help="code de votre structure, si votre identifiant est ouvert dans plusieurs",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes")
    demo = commands.add_parser("demo", help="remplir une base vide de données de démonstration")
    demo.add_argument(
        "--seed", type=int, default=2016, metavar="N", help="graine du tirage (par défaut 2016)"
    )
    demo.add_argument(
        "--size",
        choices=("small", "large"),
        default="small",
        help="small (par défaut) : 200 jeunes ; large : 100 000 dossiers",
    )
    migrate_parser = commands.add_parser(
        "migrate", help="créer ou mettre à jour le schéma de la base, sans rien y ajouter"
    )
    migrate_parser.add_argument(
        "--app-role",
        metavar="ROLE",
        help="PostgreSQL : le rôle des sessions, qui lit et écrit mais ne fait qu'ajouter à "
        "l'historique (la migration s'exécute en tant que propriétaire)",
    )
    backup = commands.add_parser("backup", help="copier la base, même en cours d'utilisation")
    backup.add_argument("file", metavar="FICHIER", help="le fichier de la sauvegarde")
    backup.add_argument("--force", action="store_true", help="remplacer un fichier existant")
    restore = commands.add_parser(
        "restore", help="remettre une sauvegarde à la place de la base (toutes sessions fermées)"
    )
    restore.add_argument("file", metavar="FICHIER", help="la sauvegarde à remettre")
    from cep_tui import cli_audit, cli_documents, cli_national_lists, cli_retention

    cli_documents.add_parser(commands)
    cli_retention.add_parser(commands)
    cli_national_lists.add_parser(commands)
    cli_audit.add_parser(commands)
    cli_audit.add_purge_parser(commands)
    from cep_tui.indicators_cli import add_parser as add_indicators

    add_indicators(commands)
    return parser.parse_args(argv)


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("cep-tui")
    except PackageNotFoundError:  # run from the sources, not installed
        return "(version inconnue)"


def config_help() -> str:
    system, user = config_paths()
    return (
        f"Configuration (TOML) : {system} (administrateur),\npuis {user}\n"
        "(ou le fichier de $CEP_TUI_CONFIG). README : « Déploiement sur un serveur (SSH) »."
    )


def acting_identity(args: argparse.Namespace, database_url: str) -> Identity:
    """Who is at the keyboard (the OS account) and the counsellor they act as; `--as`
    checked against the database for the commands that act as one."""
    who = identity_for(args.login)
    if who.impersonating:
        from cep_tui.bootstrap import open_services, sign_in

        sign_in(open_services(database_url), who, args.structure)
    return who


def acting_login(args: argparse.Namespace, database_url: str) -> str:
    return acting_identity(args, database_url).login


def run_demo(database_url: str, seed: int, size: str) -> int:
    from cep_tui import demo
    from cep_tui.bootstrap import open_services

    services = open_services(database_url, seed_demo=False)
    if not demo.is_empty():
        print("La base contient déjà des données : démonstration non ajoutée.", file=sys.stderr)
        return 1
    started = time.monotonic()
    bar = ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    summary = demo.populate(services.clock, seed=seed, size=size, progress=bar)
    if bar is not None:
        bar.finish(time.monotonic() - started)
    print(f"Données de démonstration créées : {summary}")
    return 0


def run_migrate(database_url: str, app_role: str | None = None) -> int:
    from cep_tui.db.connection import open_database
    from cep_tui.db.migrations import CURRENT_VERSION, migrate

    db = open_database(database_url)
    try:
        steps = migrate(db)
        if app_role:
            from cep_tui.db.app_role import grant

            grant(db, app_role)
    finally:
        db.close()
    if steps == CURRENT_VERSION:  # from nothing (migrate counts from version 0)
        print(f"Schéma de la base créé (version {CURRENT_VERSION}).")
    elif steps:
        print(f"Schéma de la base mis à jour : version {CURRENT_VERSION} ({steps} étape(s)).")
    else:
        print(f"Schéma de la base déjà à jour (version {CURRENT_VERSION}).")
    if app_role:
        print(f"Droits du rôle « {app_role} » : lecture et ajout seuls sur l'historique.")
    return 0


class ProgressBar:
    """The demonstration's progress on one terminal line, redrawn at each new percent:
    `[██████······] 48 %  34 s`."""

    WIDTH = 30

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.started = time.monotonic()
        self.shown = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent == self.shown:
            return
        self.shown = percent
        filled = self.WIDTH * percent // 100
        bar = "█" * filled + "·" * (self.WIDTH - filled)
        line = f"[{bar}] {percent:3d} %  {time.monotonic() - self.started:.0f} s"
        if done >= total:
            line += "  (index de recherche…)"
        self.stream.write(f"\r{line}")
        self.stream.flush()

    def finish(self, seconds: float) -> None:
        self.stream.write(f"\rTerminé en {seconds:.0f} s.\x1b[K\n")
        self.stream.flush()


def demo_url(args: argparse.Namespace) -> str:
    """`--demo`: the user's own default database (made private), unless `--database` names
    another on the command line; never the configuration's (a shared one)."""
    if args.database:
        return args.database
    url = default_database_url()
    private_folder(Path(url.removeprefix("sqlite:///")).parent)
    return url


def demo_hint(args: argparse.Namespace, error: Exception) -> str:
    """`make run` on a demonstration base made before structures were marked as such:
    `--as` is refused there; say how to start afresh."""
    from cep_tui.identity import ImpersonationRefused

    if not (args.demo and not args.database and isinstance(error, ImpersonationRefused)):
        return ""
    path = default_database_url().removeprefix("sqlite:///")
    return f" Base de démonstration d'une version antérieure ? Supprimez {path} et relancez."


def session_refusal() -> str | None:
    """Why the app cannot run here: no terminal (`ssh -T`, sftp or scp under ForceCommand,
    cron) would get screen codes and a program waiting for keys that never come."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return (
            "pas de terminal : ouvrez une session interactive (ssh -t, sans commande), "
            "aucune autre commande n'est possible."
        )
    return None


def refuse_missing_default(database_url: str) -> None:
    """No database named anywhere and none in the user's folder: say how to name one,
    rather than inventing an empty Mission Locale for this account."""
    from cep_tui.db.connection import DatabaseUrlError

    if (
        database_url == default_database_url()
        and not Path(database_url.removeprefix("sqlite:///")).exists()
    ):
        system, _ = config_paths()
        raise DatabaseUrlError(
            "aucune base de données : indiquez --database URL, ou « database » dans "
            f"{system} ; pour essayer cep-tui, make run (ou cep-tui --demo)."
        )


def warn_if_readable(database_url: str) -> None:
    """Say it when an existing database (or its WAL) can be read by other users."""
    if not database_url.startswith("sqlite:///"):
        return
    from cep_tui.private_files import readable_by_others

    path = Path(database_url.removeprefix("sqlite:///"))
    for file in (path, path.with_name(path.name + "-wal")):
        if readable_by_others(file):
            print(
                f"cep-tui : attention, {file} est lisible par d'autres utilisateurs "
                f"(chmod 600 {file}).",
                file=sys.stderr,
            )


def without_postgres_driver() -> None:
    """peewee imports the PostgreSQL driver as it loads, when installed (the `postgres`
    extra): some 30 ms and 6 MB that a session on SQLite never uses. Called before peewee
    is imported, this makes that import fail: peewee then knows no PostgreSQL, as without
    the extra."""
    for name in ("psycopg2", "psycopg"):
        sys.modules.setdefault(name, None)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        database_url = database_url_from(args.database) if not args.demo else demo_url(args)
        for warning in settings().warnings:
            print(f"cep-tui : {warning}", file=sys.stderr)
    except ConfigError as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    if database_url.startswith("sqlite") and "peewee" not in sys.modules:
        without_postgres_driver()
    from cep_tui.db.connection import DatabaseUrlError
    from cep_tui.services.errors import DomainError

    try:
        if args.command == "demo":
            return run_demo(database_url, args.seed, args.size)
        if args.command == "migrate":
            return run_migrate(database_url, args.app_role)
        if args.command == "indicators":
            from cep_tui.indicators_cli import run as run_indicators

            return run_indicators(database_url, acting_login(args, database_url), args)
        if args.command == "backup":
            from cep_tui.backup import run_backup

            return run_backup(database_url, args.file, force=args.force)
        if args.command == "restore":
            from cep_tui.restore import run_restore

            return run_restore(database_url, args.file)
        if args.command == "document":
            from cep_tui import cli_documents

            return cli_documents.run(database_url, args, acting_login(args, database_url))
        if args.command == "access-journal":
            from cep_tui import cli_audit

            return cli_audit.run_purge(database_url, args)
        if args.command == "audit":
            from cep_tui import cli_audit

            return cli_audit.run(database_url, args)
        if args.command == "retention":
            from cep_tui import cli_retention

            return cli_retention.run(database_url, args, acting_login(args, database_url))
        if args.command == "listes-nationales":
            from cep_tui import cli_national_lists

            return cli_national_lists.run(database_url, args)
        from cep_tui.bootstrap import make_app

        ready_file = os.environ.get(EXIT_WHEN_READY_ENV)
        who = identity_for(args.login)
        if not args.database and not args.demo:
            refuse_missing_default(database_url)
        if args.demo and session_refusal():
            # The interactive demonstration (make run): nothing filled for no one to see.
            print(f"cep-tui : {session_refusal()}", file=sys.stderr)
            return 2
        app = make_app(
            database_url,
            who.login,
            exit_when_ready=Path(ready_file) if ready_file else None,
            structure=args.structure,
            seed_demo=args.demo,
            identity=who,
            settings=settings(),
        )
    except (DomainError, DatabaseUrlError, ConfigError) as error:
        print(f"cep-tui : {masked(error)}{demo_hint(args, error)}", file=sys.stderr)
        return 2
    except Exception as error:  # never a traceback for the counsellor
        from cep_tui.db.faults import classify

        fault = classify(error)  # a damaged file, a server gone: said as such
        if fault is not None:
            print(f"cep-tui : {masked(fault.message(saving=False))}", file=sys.stderr)
            return 2
        from cep_tui.crash import log_unexpected, unexpected_message

        print(unexpected_message(log_unexpected(error)), file=sys.stderr)
        return 1
    refusal = session_refusal()  # the database's and the login's refusals said first
    if refusal:
        print(f"cep-tui : {refusal}", file=sys.stderr)
        return 2
    warn_if_readable(database_url)
    from cep_tui.session import Session

    Session(app).run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
