"""``recours nouveau``: build a dossier by answering questions, then generate its documents.

Module-level imports stay light (click): the questionnaire, questionary and the document
engines are imported when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    FORMATS_OPTION,
    MODELES_OPTION,
    echo_generation,
    handle_errors,
    parse_date,
    split_list,
    today,
)
from recours.errors import FileExistsRefusedError, RecoursError, UsageError

NO_TERMINAL = (
    "recours nouveau pose des questions et a besoin d'un terminal interactif (l'entrée "
    "standard n'est pas un terminal). Sans terminal, écrivez le dossier dans un fichier YAML "
    "(voir les exemples du dossier examples/), puis lancez : recours generer DOSSIER"
)


@click.command(context_settings=CONTEXT)
@click.option(
    "--reprendre",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="DOSSIER",
    help="Reprendre un dossier commencé (ou terminé) : seules les questions manquantes sont posées.",
)
@click.option(
    "--dossier",
    "dossier_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER",
    help="Fichier où enregistrer les réponses (par défaut : dossier.yaml, ou le dossier repris).",
)
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("documents"),
    show_default=True,
    help="Dossier où écrire les documents.",
)
@FORMATS_OPTION
@MODELES_OPTION
@click.option(
    "--force",
    is_flag=True,
    help="Remplacer le fichier du dossier et les documents s'ils existent déjà.",
)
@AUJOURDHUI_OPTION
@handle_errors
def nouveau(
    reprendre: Path | None,
    dossier_path: Path | None,
    sortie: Path,
    formats: str,
    modeles: Path | None,
    force: bool,
    aujourdhui: str | None,
) -> None:
    """Construire un dossier en répondant à des questions, puis générer les documents.

    Les réponses sont enregistrées après chaque question : Ctrl-C arrête proprement, et
    --reprendre DOSSIER reprend là où vous vous étiez arrêté.
    """
    from recours.documents.generate import FORMATS

    fmts = split_list(formats, FORMATS, "--formats")
    reference = parse_date(aujourdhui, "--aujourdhui") or today()
    if not sys.stdin.isatty():
        raise UsageError(NO_TERMINAL)
    data = None
    if reprendre is not None:
        data = _load_partial(reprendre)
        target = dossier_path or reprendre
    else:
        target = dossier_path or Path("dossier.yaml")
    if target.exists() and not force and target != reprendre:
        raise FileExistsRefusedError(
            f"{target} existe déjà : reprenez-le avec « recours nouveau --reprendre {target} », "
            "choisissez un autre fichier avec --dossier, ou utilisez --force pour le remplacer"
        )

    from recours.questionnaire.flow import DossierStore, is_in_progress, run
    from recours.questionnaire.prompter import QuestionaryPrompter

    outcome = run(
        QuestionaryPrompter(),
        DossierStore(target),
        today=reference,
        sortie=sortie,
        data=data,
        formats=fmts,
        force=force,
        modeles=modeles,
        in_progress=reprendre is not None and is_in_progress(reprendre),
    )
    if outcome.statut == "interrompu":
        sys.exit(130)
    if outcome.result is not None:
        echo_generation(outcome.result, sortie, show_templates=modeles is not None)
        if outcome.result.refus:
            sys.exit(1)


def _load_partial(path: Path) -> dict[str, object]:
    from recours.dossier.validation import read_dossier_file
    from recours.errors import DossierInvalidError

    try:
        data, _ = read_dossier_file(path)
    except DossierInvalidError as exc:
        raise RecoursError(f"{exc}\nCorrigez le fichier avant de le reprendre.") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RecoursError(
            f"{path} : le dossier doit être un ensemble de champs (clé : valeur) pour être repris"
        )
    return data
