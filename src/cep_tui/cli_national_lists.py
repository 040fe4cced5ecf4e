"""`cep-tui listes-nationales afficher|ajouter|renommer|desactiver LISTE …`: the national
reference lists (Thème, Contexte, Nature…), which no structure's administrator changes
(issue 13). Only an OS account named in the system configuration
(`national_administrators`) may change them; who it is comes from the operating system
(cep_tui.identity), never from `--as`. Each change is audited (services/national_lists.py)."""

from __future__ import annotations

import argparse
import sys

LIST_HELP = "la liste, par son code (theme) ou son nom (« Thème »)"


def add_parser(commands) -> None:
    parser = commands.add_parser(
        "listes-nationales",
        help="listes de référence nationales : les afficher ou les changer (administrateur "
        "national)",
        description="Les listes nationales (Thème, Acte de service, Contexte, Nature…) sont "
        "les mêmes pour toutes les structures. Seuls les comptes nommés dans "
        "national_administrators (/etc/cep-tui/config.toml) peuvent les changer ; chaque "
        "changement est tracé dans l'historique.",
    )
    actions = parser.add_subparsers(dest="national_action", required=True, metavar="ACTION")
    show = actions.add_parser("afficher", help="les valeurs d'une liste nationale")
    show.add_argument("kind", metavar="LISTE", help=LIST_HELP)
    add = actions.add_parser("ajouter", help="ajouter une valeur à une liste nationale")
    add.add_argument("kind", metavar="LISTE", help=LIST_HELP)
    add.add_argument("label", metavar="LIBELLE", help="le libellé de la nouvelle valeur")
    rename = actions.add_parser("renommer", help="renommer une valeur d'une liste nationale")
    rename.add_argument("kind", metavar="LISTE", help=LIST_HELP)
    rename.add_argument("old", metavar="ANCIEN", help="le libellé actuel")
    rename.add_argument("new", metavar="NOUVEAU", help="le nouveau libellé")
    off = actions.add_parser(
        "desactiver", help="retirer une valeur des formulaires (elle reste sur les fiches)"
    )
    off.add_argument("kind", metavar="LISTE", help=LIST_HELP)
    off.add_argument("label", metavar="LIBELLE", help="le libellé de la valeur")


def run(database_url: str, args: argparse.Namespace) -> int:
    from cep_tui.bootstrap import open_services
    from cep_tui.identity import identity_for
    from cep_tui.services.errors import DomainError

    services = open_services(database_url, seed_demo=False)
    national = services.national_lists
    try:
        action = args.national_action
        if action == "afficher":
            for entry in national.values(args.kind):
                print(entry.label if entry.active else f"{entry.label}  (désactivée)")
            return 0
        # The OS account's own counsellor: `--as` never decides who changes a national list.
        actor = services.counsellors.sign_in(identity_for(None).login, args.structure)
        if action == "ajouter":
            entry = national.add(actor, args.kind, args.label)
            print(f"« {entry.label} » ajoutée à la liste « {entry.kind.label} ».")
        elif action == "renommer":
            entry = national.rename(actor, args.kind, args.old, args.new)
            print(f"« {args.old} » renommée « {entry.label} » (liste « {entry.kind.label} »).")
        else:
            entry = national.deactivate(actor, args.kind, args.label)
            print(f"« {entry.label} » désactivée (liste « {entry.kind.label} »).")
    except DomainError as error:
        print(f"cep-tui : {error}", file=sys.stderr)
        return 2
    return 0
