"""French messages for Click's built-in texts (usage, help, errors).

Click looks its texts up with ``gettext`` at call time; we replace the module-level
``_``/``ngettext`` of Click's modules with a small French catalogue, which is lighter and
more predictable than a system locale.
"""

from __future__ import annotations

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.types

_CATALOGUE: dict[str, str] = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Afficher cette aide et quitter.",
    "Show the version and exit.": "Afficher la version et quitter.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Essayez « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing command.": "Commande manquante.",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "Missing {param_type}": "{param_type} manquant",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "No such option: {name}": "Option inconnue : {name}",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Aborted!": "Interrompu.",
    "default: {default}": "défaut : {default}",
    "{name} {filename!r} does not exist.": "{name} {filename!r} introuvable.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} est un dossier.",
    "{name} {filename!r} is a file.": "{name} {filename!r} est un fichier.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} illisible.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} non modifiable.",
    "required": "obligatoire",
    "file": "fichier",
    "directory": "dossier",
    "path": "chemin",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas dans l'intervalle {range}.",
    "Choose from:\n\t{choices}": "Choisissez parmi :\n\t{choices}",
    "Could not open file {filename!r}: {message}": "Impossible d'ouvrir {filename!r} : {message}",
}

_PLURALS: dict[str, tuple[str, str]] = {
    "Got unexpected extra argument ({args})": (
        "Argument en trop ({args})",
        "Arguments en trop ({args})",
    ),
    "{value!r} is not {choice}.": (
        "{value!r} n'est pas {choice}.",
        "{value!r} n'est pas {choice}.",
    ),
    "{value!r} is not one of {choices}.": (
        "{value!r} ne fait pas partie de {choices}.",
        "{value!r} ne fait pas partie de {choices}.",
    ),
    "Option {name!r} requires an argument.": (
        "L'option {name!r} attend une valeur.",
        "L'option {name!r} attend {nargs} valeurs.",
    ),
    "Did you mean {possibility}?": (
        "Vouliez-vous dire {possibility} ?",
        "(Vouliez-vous dire l'une de : {possibilities} ?)",
    ),
}


def _gettext(message: str) -> str:
    return _CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular in _PLURALS:
        one, many = _PLURALS[singular]
        return one if n == 1 else many
    return singular if n == 1 else plural


class FrenchHelpFormatter(click.formatting.HelpFormatter):
    """French typography: a no-break space before the colon of headings."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}\u00a0:\n")


def install() -> None:
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
    click.Context.formatter_class = FrenchHelpFormatter
