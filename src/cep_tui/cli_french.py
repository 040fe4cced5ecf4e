"""The command line speaks French: argparse's own words (« usage: », « show this help
message and exit », its error messages) in French.

argparse passes each of its messages through gettext (`argparse._`, `argparse.ngettext`),
so that they can be translated; with one language and no catalogue file to install, the
catalogue is this table, and `speak_french()` hands it to argparse before the parser is
built. The messages are those of the Pythons the project supports (3.11 to 3.13);
tests/unit/test_no_english.py checks that no English is left in the help of every command
and in its errors.
"""

from __future__ import annotations

import argparse

FRENCH = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "optional arguments": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "une valeur au moins est attendue",
    "ambiguous option: %(option)s could match %(matches)s": (
        "option ambiguë : %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": "option inattendue : %s",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s) : %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : %(value)r (au choix : %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "commande inconnue : %(parser_name)r (au choix : %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    'argument "-" with mode %r': "argument « - » impossible avec le mode %r",
}
FRENCH_PLURALS = {
    ("expected %s argument", "expected %s arguments"): (
        "%s valeur est attendue",
        "%s valeurs sont attendues",
    ),
}


def _gettext(message: str) -> str:
    return FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    french = FRENCH_PLURALS.get((singular, plural))
    if french is None:
        return singular if n == 1 else plural
    return french[0] if n <= 1 else french[1]


def speak_french() -> None:
    """From now on, argparse's messages are in French (call before building a parser)."""
    argparse._ = _gettext
    argparse.ngettext = _ngettext
