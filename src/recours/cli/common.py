"""Shared pieces of the command-line interface: clock, dates, errors, output."""

from __future__ import annotations

import functools
import json
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from recours.cli import fr as cli_fr
from recours.errors import RecoursError, UsageError

cli_fr.install()

F = TypeVar("F", bound=Callable[..., Any])
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."
CONTEXT = {"help_option_names": ["-h", "--aide", "--help"], "max_content_width": 100}


def today() -> date:
    """The only place that reads the clock."""
    return date.today()


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            f"{option} : date invalide « {value} », format attendu AAAA-MM-JJ"
        ) from None


def handle_errors(func: F) -> F:
    """Turn library errors into a French message on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RecoursError as exc:
            click.echo(f"Erreur : {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrompu.", err=True)
            sys.exit(130)

    return wrapper  # type: ignore[return-value]


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def split_list(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in items if v not in allowed]
    if unknown or not items:
        raise UsageError(
            f"{option} : valeur(s) inconnue(s) {', '.join(unknown) or '(vide)'} ; "
            f"valeurs possibles : {', '.join(allowed)}"
        )
    return items


def echo_generation(result: Any, sortie: Path, show_templates: bool) -> None:
    from recours.cli.report import deadline_status
    from recours.formatting import date_avec_jour

    if result.fichiers:
        click.echo(f"Documents écrits dans {sortie} :")
        for written in result.fichiers:
            line = f"  {written.path}"
            if show_templates and written.modele is not None:
                line += f"  (modèle : {written.modele})"
            click.echo(line)
    if result.a_fournir:
        from recours.law.referentiel import CONFIANCE_LIBELLES, load_referentiel

        telerecours = load_referentiel().telerecours
        click.echo("Pièces à ajouter au dossier Télérecours (un fichier par pièce) :")
        for path in result.a_fournir:
            click.echo(f"  {path}")
        click.echo("Télérecours :")
        for fact in (telerecours.pieces, telerecours.non_obligatoire):
            source = " ".join(fact.source.split())
            click.echo(
                f"  - {' '.join(fact.valeur.split())} (source : {source} ; "
                f"{CONFIANCE_LIBELLES[fact.confiance]})"
            )
            if fact.note:
                click.echo(f"    {' '.join(fact.note.split())}")
    if result.avertissements:
        click.echo("Avertissements :")
        for warning in result.avertissements:
            click.echo(f"  - {warning}")
    if result.prochaine_echeance is not None:
        label, deadline = result.prochaine_echeance
        click.echo(
            f"Prochaine échéance : {label} — {date_avec_jour(deadline.date_limite)} "
            f"({deadline_status(deadline)})"
        )
    else:
        click.echo("Aucune échéance ouverte : tous les délais calculés sont expirés.")
    for refusal in result.refus:
        click.echo(f"Refusé : {refusal}", err=True)


# Options shared by the commands that generate documents (generer, nouveau, lot generer).
AUJOURDHUI_OPTION = click.option(
    "--aujourdhui",
    metavar="AAAA-MM-JJ",
    help="Date de référence des délais (par défaut : aujourd'hui).",
)
FORMATS_OPTION = click.option(
    "--formats",
    default="docx,pdf",
    show_default=True,
    metavar="docx,pdf",
    help="Formats des documents.",
)
MODELES_OPTION = click.option(
    "--modeles",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Dossier de modèles personnalisés (repli sur les modèles fournis).",
)
DOCUMENTS_OPTION = click.option(
    "--documents",
    default=None,
    metavar="gracieux,requete",
    help="Documents à générer, parmi gracieux, requete, demande_indemnitaire et "
    "mise_en_demeure (par défaut : ceux qui correspondent à l'étape de chaque dossier).",
)
FORCE_GENERATION_OPTION = click.option(
    "--force",
    is_flag=True,
    help="Remplacer les fichiers existants (ne lève aucun refus lié aux délais).",
)
HORS_DELAI_OPTION = click.option(
    "--hors-delai",
    "hors_delai",
    is_flag=True,
    help="Générer aussi un document hors délai ou un second recours gracieux : il ne dira "
    "pas qu'il est formé dans le délai ; à faire examiner avant tout envoi.",
)
SANS_AVOCAT_OPTION = click.option(
    "--sans-avocat",
    "sans_avocat",
    is_flag=True,
    help="Générer une requête sans avocat là où l'obligation d'avocat est incertaine (ARS, "
    "préfet) : elle portera la mention « à faire signer par un avocat ».",
)
