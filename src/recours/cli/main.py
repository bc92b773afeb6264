"""Command-line interface (French). A thin adapter: each command calls one library function.

Heavy engines (docxtpl, WeasyPrint, questionary) are imported inside the commands that
need them, so that ``recours --help`` and the prompts start fast.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recours import __version__
from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    DOCUMENTS_OPTION,
    FORCE_GENERATION_OPTION,
    FORMATS_OPTION,
    MODELES_OPTION,
    SUBCOMMAND_METAVAR,
    echo_generation,
    echo_json,
    handle_errors,
    parse_date,
    split_list,
    today,
)
from recours.errors import UsageError


@click.group(context_settings=CONTEXT, subcommand_metavar=SUBCOMMAND_METAVAR)
@click.version_option(__version__, "--version", prog_name="recours")
def main() -> None:
    """Recours gracieux et requêtes contre le sous-financement de l'accord
    « Ségur pour tous » (BASS, 4 juin 2024).

    Les délais et montants sont calculés à partir d'un référentiel juridique sourcé
    (recours referentiel). Ce n'est pas un conseil juridique : faites relire vos recours.
    """


# --------------------------------------------------------------------------- delais


@main.command(context_settings=CONTEXT)
@click.option(
    "--notification",
    required=True,
    metavar="JJ/MM/AAAA",
    help="Date de notification de la décision.",
)
@click.option(
    "--envoi-gracieux",
    metavar="JJ/MM/AAAA",
    help="Date d'envoi du recours gracieux (cachet de la poste).",
)
@click.option(
    "--reception-gracieux",
    metavar="JJ/MM/AAAA",
    help="Date de réception du recours gracieux par l'autorité.",
)
@click.option(
    "--rejet-explicite",
    metavar="JJ/MM/AAAA",
    help="Date de notification d'un rejet explicite du recours gracieux.",
)
@click.option(
    "--sans-voies-et-delais",
    is_flag=True,
    help="La notification ne mentionnait pas les voies et délais de recours.",
)
@click.option(
    "--accuse-non-conforme",
    is_flag=True,
    help="L'accusé de réception du recours gracieux n'avait pas les mentions de l'article R.112-5 du CRPA.",
)
@click.option(
    "--decision-tarifaire",
    is_flag=True,
    help="La décision fixe un tarif (avant le 1er janvier 2025 : délai d'un mois devant le tribunal de la tarification).",
)
@click.option(
    "--departement",
    metavar="CODE",
    help="Département de l'établissement (jours fériés locaux, outre-mer).",
)
@AUJOURDHUI_OPTION
@click.option(
    "--json", "as_json", is_flag=True, help="Sortie JSON (interface stable pour les scripts)."
)
@click.option(
    "--ics",
    "ics_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Écrire les échéances dans un fichier calendrier (.ics).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier .ics s'il existe.")
@handle_errors
def delais(
    notification: str,
    envoi_gracieux: str | None,
    reception_gracieux: str | None,
    rejet_explicite: str | None,
    sans_voies_et_delais: bool,
    accuse_non_conforme: bool,
    decision_tarifaire: bool,
    departement: str | None,
    aujourdhui: str | None,
    as_json: bool,
    ics_path: Path | None,
    force: bool,
) -> None:
    """Calculer les délais de recours gracieux et contentieux."""
    from recours.cli.report import deadlines_text
    from recours.dossier.identifiers import check_departement
    from recours.law.deadlines import DeadlineInput, compute_deadlines

    if departement is not None:
        try:
            departement = check_departement(departement)
        except ValueError as exc:
            raise UsageError(f"--departement : {exc}") from None
    notif = parse_date(notification, "--notification")
    assert notif is not None
    envoi = parse_date(envoi_gracieux, "--envoi-gracieux")
    reception = parse_date(reception_gracieux, "--reception-gracieux")
    rejet = parse_date(rejet_explicite, "--rejet-explicite")
    if (reception or rejet) and envoi is None:
        raise UsageError("--reception-gracieux et --rejet-explicite supposent --envoi-gracieux")
    for label, value in (("--envoi-gracieux", envoi), ("--rejet-explicite", rejet)):
        if value is not None and value < notif:
            raise UsageError(f"{label} : date antérieure à la notification")
    if reception is not None and envoi is not None and reception < envoi:
        raise UsageError("--reception-gracieux : date antérieure à l'envoi")
    report = compute_deadlines(
        DeadlineInput(
            notification=notif,
            envoi_gracieux=envoi,
            reception_gracieux=reception,
            accuse_reception_conforme=not accuse_non_conforme,
            rejet_explicite=rejet,
            voies_et_delais_mentionnes=not sans_voies_et_delais,
            departement=departement,
            decision_tarifaire=decision_tarifaire,
        ),
        today=parse_date(aujourdhui, "--aujourdhui") or today(),
    )
    if ics_path is not None:
        from recours.documents.calendar_export import deadlines_to_ics
        from recours.files import atomic_write_bytes

        atomic_write_bytes(ics_path, deadlines_to_ics(report), force=force)
    if as_json:
        echo_json(report.to_json())
    else:
        click.echo(deadlines_text(report))
        if ics_path is not None:
            click.echo(f"\nCalendrier écrit : {ics_path}")


# --------------------------------------------------------------------- calculer


@main.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@handle_errors
def calculer(dossier: Path, as_json: bool) -> None:
    """Calculer les montants dus, reçus et l'écart, par autorité, établissement et exercice."""
    from recours.cli.report import amounts_json, amounts_text
    from recours.dossier.validation import load_dossier
    from recours.law.amounts import compute_amounts

    loaded = load_dossier(dossier)
    report = compute_amounts(loaded)
    if as_json:
        echo_json(amounts_json(loaded, report))
    else:
        click.echo(amounts_text(loaded, report))


# --------------------------------------------------------------------- verifier


@main.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(path_type=Path))
@AUJOURDHUI_OPTION
@handle_errors
def verifier(dossier: Path, aujourdhui: str | None) -> None:
    """Vérifier un dossier : toutes les erreurs d'un coup, avec le champ et la ligne."""
    from recours.cli.report import check_text
    from recours.dossier.validation import load_dossier

    loaded = load_dossier(dossier)
    click.echo(check_text(loaded, str(dossier), parse_date(aujourdhui, "--aujourdhui") or today()))


# ------------------------------------------------------------------ referentiel


@main.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@handle_errors
def referentiel(as_json: bool) -> None:
    """Afficher le référentiel juridique, avec la source et la fiabilité de chaque fait."""
    from recours.cli.report import referentiel_text
    from recours.law.referentiel import load_referentiel

    ref = load_referentiel()
    if as_json:
        echo_json(ref.model_dump(mode="json"))
    else:
        click.echo(referentiel_text(ref))


# ----------------------------------------------------------------------- schema


@main.command(context_settings=CONTEXT)
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Dossier où écrire les schémas JSON.",
)
@handle_errors
def schema(sortie: Path) -> None:
    """Régénérer les schémas JSON des dossiers (pour les éditeurs et les scripts)."""
    from recours.dossier.schemas import write_schemas

    for path in write_schemas(sortie):
        click.echo(f"Écrit : {path}")


# ---------------------------------------------------------------------- generer


@main.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(path_type=Path))
@DOCUMENTS_OPTION
@FORMATS_OPTION
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("documents"),
    show_default=True,
    help="Dossier de sortie.",
)
@FORCE_GENERATION_OPTION
@click.option(
    "--bordereau",
    is_flag=True,
    help="Préparer un dossier Télérecours par requête (pièces numérotées et inventaire).",
)
@MODELES_OPTION
@AUJOURDHUI_OPTION
@handle_errors
def generer(
    dossier: Path,
    documents: str | None,
    formats: str,
    sortie: Path,
    force: bool,
    bordereau: bool,
    modeles: Path | None,
    aujourdhui: str | None,
) -> None:
    """Générer le recours gracieux et la requête d'un dossier, en Word et en PDF."""
    from recours.documents.generate import DOCUMENTS, FORMATS, generate
    from recours.dossier.validation import load_dossier

    wanted = split_list(documents, DOCUMENTS, "--documents") if documents else None
    fmts = split_list(formats, FORMATS, "--formats")
    loaded = load_dossier(dossier)
    result = generate(
        loaded,
        sortie=sortie,
        today=parse_date(aujourdhui, "--aujourdhui") or today(),
        documents=wanted,
        formats=fmts,
        force=force,
        bordereau=bordereau,
        modeles=modeles,
    )
    echo_generation(result, sortie, show_templates=modeles is not None)
    if result.refus:
        sys.exit(1)


# ------------------------------------------------------------------- diagnostic


@main.command(context_settings=CONTEXT)
@handle_errors
def diagnostic() -> None:
    """Afficher ce qui influe sur le rendu et la vitesse (polices, libharfbuzz-subset)."""
    from recours.documents.diagnostics import diagnostic_text

    click.echo(diagnostic_text())


def run() -> None:
    main()


from recours.cli.nouveau import nouveau  # noqa: E402

main.add_command(nouveau)

from recours.cli.lot import lot  # noqa: E402

main.add_command(lot)

from recours.cli.modeles import modeles  # noqa: E402

main.add_command(modeles)

from recours.cli.web import web  # noqa: E402

main.add_command(web)
