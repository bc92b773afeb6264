"""`recours lot`: batch generation for federations (`generer`) and the empty workbook
(`modele`). Thin adapters over `recours.batch.runner.run_lot` and `recours.batch.workbook.write_template`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    DOCUMENTS_OPTION,
    FORCE_GENERATION_OPTION,
    FORMATS_OPTION,
    HORS_DELAI_OPTION,
    MODELES_OPTION,
    SUBCOMMAND_METAVAR,
    echo,
    handle_errors,
    parse_date,
    split_list,
    today,
)

SHOWN_PROBLEMS = 20


@click.group(context_settings=CONTEXT, subcommand_metavar=SUBCOMMAND_METAVAR)
def lot() -> None:
    """Traiter un lot d'établissements (fédérations) : un classeur, un CSV ou une liste
    de dossiers, une ligne par établissement."""


@lot.command(context_settings=CONTEXT)
@click.argument("fichier", type=click.Path(exists=True, path_type=Path))
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("lot"),
    show_default=True,
    help="Dossier de sortie (un sous-dossier par organisme, le rapport et la synthèse).",
)
@DOCUMENTS_OPTION
@FORMATS_OPTION
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Nombre de processus de rendu (par défaut : nombre de cœurs ; au plus 2 par cœur).",
)
@FORCE_GENERATION_OPTION
@HORS_DELAI_OPTION
@click.option("--zip", "zip_output", is_flag=True, help="Écrire aussi lot.zip de tout le dossier.")
@MODELES_OPTION
@AUJOURDHUI_OPTION
@handle_errors
def generer(
    fichier: Path,
    sortie: Path,
    documents: str | None,
    formats: str,
    jobs: int | None,
    force: bool,
    hors_delai: bool,
    zip_output: bool,
    modeles: Path | None,
    aujourdhui: str | None,
) -> None:
    """Générer les courriers de chaque organisme d'un classeur (.xlsx), d'un CSV, d'une
    liste de dossiers (YAML, JSON) ou d'un dossier de fichiers de dossiers.

    Les lignes sont regroupées par organisme (SIREN ou SIRET) et les courriers par
    autorité. Une ligne en erreur est signalée (feuille, ligne, colonne) et retient tous
    les courriers de son organisme ; les autres organismes sont traités. Relancée, la
    commande ne refait que ce qui a changé ; un courrier déjà généré à partir d'autres
    données est conservé sous un nom versionné (…_version-1.docx), jamais remplacé sans
    --force. Un courrier hors délai n'est généré qu'avec --hors-delai.
    """
    from recours.batch.runner import LotOptions, run_lot
    from recours.documents.generate import DOCUMENTS, FORMATS

    wanted = split_list(documents, DOCUMENTS, "--documents") if documents else None
    fmts = split_list(formats, FORMATS, "--formats")
    options = LotOptions(
        sortie=sortie,
        today=parse_date(aujourdhui, "--aujourdhui") or today(),
        documents=tuple(wanted) if wanted else None,
        formats=tuple(fmts),
        force=force,
        hors_delai=hors_delai,
        modeles=modeles,
    )
    try:
        with _Progress() as progress:
            summary = run_lot(
                fichier,
                options,
                jobs=jobs or os.cpu_count() or 1,
                zip_output=zip_output,
                on_start=progress.start,
                on_result=progress.advance,
            )
    except KeyboardInterrupt:
        echo(
            "\nInterrompu. Les organismes terminés sont conservés ; pour reprendre, relancez la "
            f"même commande : {_resume_command()}",
            err=True,
        )
        sys.exit(130)
    echo(
        f"Lot {fichier.name} : {summary.lignes} ligne(s), {summary.dossiers} organisme(s) ou "
        "groupe(s)."
    )
    echo(
        f"Courriers : {summary.generes} généré(s), {summary.a_jour} déjà à jour, "
        f"{summary.refuses} refusé(s), {summary.retenus} retenu(s)."
    )
    echo(f"Fichiers écrits : {summary.fichiers}, dans {summary.sortie}")
    for path in summary.sorties:
        echo(f"  {path}")
    problems = summary.problemes
    for problem in problems[:SHOWN_PROBLEMS]:
        echo(f"Erreur : {problem}", err=True)
    if summary.lignes_en_erreur:
        more = summary.lignes_en_erreur
        echo(
            f"{more} ligne(s) ou dossier(s) en erreur, non générée(s) : détail dans "
            f"{summary.sortie / 'rapport.xlsx'}.",
            err=True,
        )
    if summary.retenus:
        echo(
            f"{summary.retenus} courrier(s) retenu(s) : une autre ligne de leur organisme est en "
            "erreur ; corrigez-la puis relancez la même commande.",
            err=True,
        )
    if summary.versions:
        echo("Courriers régénérés (données modifiées), anciennes versions conservées :")
        for name in summary.versions:
            echo(f"  {name}")
    if summary.hors_delai:
        echo("Courriers hors délai :", err=True)
        for line in summary.hors_delai:
            echo(f"  {line}", err=True)
        if not hors_delai:
            echo(
                "  Ils ne sont pas générés : un recours gracieux hors délai n'est pas recevable. "
                "--hors-delai les génère quand même.",
                err=True,
            )
    if summary.erreurs_organisme:
        echo(
            f"{summary.erreurs_organisme} organisme(s) non généré(s) (fichiers existants ou "
            "données modifiées) : voir le rapport.",
            err=True,
        )
    if summary.refuses:
        echo(
            f"{summary.refuses} courrier(s) refusé(s) (délai expiré ou recours déjà envoyé) : "
            "voir le rapport.",
            err=True,
        )
    if not summary.ok:
        sys.exit(1)


@lot.command(context_settings=CONTEXT)
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Remplacer le fichier s'il existe.")
@handle_errors
def modele(fichier: Path, force: bool) -> None:
    """Écrire un classeur vide à remplir : une colonne par champ, une feuille
    d'instructions, des listes de choix, les identifiants au format texte."""
    from recours.batch.workbook import write_template

    write_template(fichier, force=force)
    echo(f"Classeur écrit : {fichier}")


def _resume_command() -> str:
    import shlex

    return "recours " + " ".join(shlex.quote(arg) for arg in sys.argv[1:])


class _Progress:
    """A rich progress bar on stderr (counts and ETA), only in a terminal."""

    def __init__(self) -> None:
        self._progress: Any = None
        self._task: Any = None
        self._courriers = 0
        self._erreurs = 0

    def __enter__(self) -> _Progress:
        from rich.console import Console

        console = Console(stderr=True)
        if console.is_terminal:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(
                TextColumn("Établissements"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("courriers {task.fields[courriers]} · erreurs {task.fields[erreurs]}"),
                TimeElapsedColumn(),
                TextColumn("reste"),
                TimeRemainingColumn(),
                console=console,
            )
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def start(self, total: int) -> None:
        if self._progress is not None:
            self._task = self._progress.add_task("lot", total=total, courriers=0, erreurs=0)

    def advance(self, result: Any) -> None:
        self._courriers += result.generes + result.a_jour
        self._erreurs += result.lignes_en_erreur
        if self._progress is not None and self._task is not None:
            self._progress.update(
                self._task,
                advance=result.etablissements + result.lignes_en_erreur,
                courriers=self._courriers,
                erreurs=self._erreurs,
            )
