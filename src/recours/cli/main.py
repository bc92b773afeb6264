"""Command-line interface (French). A thin adapter: each command calls one library function.

Heavy engines (docxtpl, WeasyPrint, questionary) are imported inside the commands that
need them, so that ``recours --help`` and the prompts start fast.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from recours import __version__
from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    DOCUMENTS_OPTION,
    FORCE_GENERATION_OPTION,
    FORMATS_OPTION,
    HORS_DELAI_OPTION,
    MODELES_OPTION,
    SANS_AVOCAT_OPTION,
    SUBCOMMAND_METAVAR,
    FrenchGroup,
    echo,
    echo_generation,
    echo_json,
    handle_errors,
    parse_date,
    preload_pdf_engine,
    split_list,
    today,
)
from recours.errors import UsageError

if TYPE_CHECKING:
    from recours.law.analysis import Analysis
    from recours.law.deadlines import DeadlineReport
    from recours.law.indemnity import IndemnityReport


@click.group(cls=FrenchGroup, context_settings=CONTEXT, subcommand_metavar=SUBCOMMAND_METAVAR)
@click.version_option(
    __version__,
    "--version",
    prog_name="recours",
    message="%(prog)s, version %(version)s",
    help="Afficher la version et quitter.",
)
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
    metavar="JJ/MM/AAAA",
    help="Date de notification de la décision (sauf calcul de la seule demande indemnitaire "
    "ou de la prescription).",
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
    help="La décision fixe un tarif (notifiée avant la réforme de 2025, le délai devant le "
    "tribunal de la tarification était plus court : voir recours referentiel).",
)
@click.option(
    "--departement",
    metavar="CODE",
    help="Département de l'établissement (jours fériés locaux, outre-mer).",
)
@click.option(
    "--type-autorite",
    type=click.Choice(["ars", "conseil_departemental", "prefet_departement", "prefet_region"]),
    help="Autorité qui a pris la décision (recours hiérarchique, avocat, prescription).",
)
@click.option(
    "--envoi-hierarchique",
    metavar="AAAA-MM-JJ",
    help="Date d'envoi du recours hiérarchique (cachet de la poste).",
)
@click.option(
    "--reception-hierarchique",
    metavar="AAAA-MM-JJ",
    help="Date de réception du recours hiérarchique.",
)
@click.option(
    "--rejet-hierarchique",
    metavar="AAAA-MM-JJ",
    help="Date de notification d'un rejet explicite du recours hiérarchique.",
)
@click.option(
    "--accuse-hierarchique-non-conforme",
    is_flag=True,
    help="L'accusé de réception du recours hiérarchique n'avait pas les mentions de l'article R.112-5 du CRPA.",
)
@click.option(
    "--demande-indemnitaire",
    metavar="AAAA-MM-JJ",
    help="Date d'envoi de la demande indemnitaire préalable (cachet de la poste).",
)
@click.option(
    "--reception-demande",
    metavar="AAAA-MM-JJ",
    help="Date de réception de la demande indemnitaire par l'autorité.",
)
@click.option(
    "--ar-conforme",
    type=click.Choice(["oui", "non"]),
    help="L'accusé de réception de la demande avait-il les mentions de l'article R.112-5 du "
    "CRPA ? (sans réponse : le délai le plus court est retenu)",
)
@click.option(
    "--rejet-demande",
    metavar="AAAA-MM-JJ",
    help="Date de notification d'un rejet explicite de la demande indemnitaire.",
)
@click.option(
    "--rejet-demande-sans-voies-et-delais",
    is_flag=True,
    help="Le rejet explicite de la demande ne mentionnait pas les voies et délais de recours.",
)
@click.option(
    "--rejet-anterieur",
    metavar="AAAA-MM-JJ",
    help="Date du rejet, non contesté, d'une demande identique envoyée auparavant.",
)
@click.option(
    "--mise-en-demeure",
    metavar="AAAA-MM-JJ",
    help="Date de réception d'une mise en demeure de payer (interrompt la prescription).",
)
@click.option(
    "--exercice",
    "exercices",
    multiple=True,
    metavar="AAAA",
    help="Exercice dont calculer la prescription quadriennale (option répétable).",
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
    type_autorite: str | None,
    envoi_hierarchique: str | None,
    reception_hierarchique: str | None,
    rejet_hierarchique: str | None,
    accuse_hierarchique_non_conforme: bool,
    demande_indemnitaire: str | None,
    reception_demande: str | None,
    ar_conforme: str | None,
    rejet_demande: str | None,
    rejet_demande_sans_voies_et_delais: bool,
    rejet_anterieur: str | None,
    mise_en_demeure: str | None,
    exercices: tuple[str, ...],
    aujourdhui: str | None,
    as_json: bool,
    ics_path: Path | None,
    force: bool,
) -> None:
    """Calculer les délais de recours gracieux et contentieux.

    Avec --demande-indemnitaire ou --exercice (sans --notification si besoin) : délai de la
    requête indemnitaire et prescription quadriennale de chaque exercice.
    """
    from recours.cli.report import deadlines_text, indemnity_report_text
    from recours.dossier.identifiers import check_departement

    if departement is not None:
        try:
            departement = check_departement(departement)
        except ValueError as exc:
            raise UsageError(f"--departement : {exc}") from None
    day = parse_date(aujourdhui, "--aujourdhui") or today()
    indemnity = _indemnity_report(
        day,
        departement,
        type_autorite,
        demande_indemnitaire,
        reception_demande,
        ar_conforme,
        rejet_demande,
        rejet_demande_sans_voies_et_delais,
        rejet_anterieur,
        mise_en_demeure,
        exercices,
    )
    if notification is None:
        if indemnity is None:
            raise UsageError("Option manquante '--notification'.")
        if ics_path is not None:
            raise UsageError("--ics suppose --notification")
        for option, value in (
            ("--envoi-gracieux", envoi_gracieux),
            ("--envoi-hierarchique", envoi_hierarchique),
        ):
            if value is not None:
                raise UsageError(f"{option} suppose --notification")
        if as_json:
            echo_json({"aujourdhui": day.isoformat(), **_indemnity_json(indemnity)})
        else:
            echo(indemnity_report_text(indemnity))
        return
    report = _decision_report(
        day,
        notification,
        envoi_gracieux,
        reception_gracieux,
        rejet_explicite,
        sans_voies_et_delais,
        accuse_non_conforme,
        decision_tarifaire,
        departement,
        type_autorite,
        (envoi_hierarchique, reception_hierarchique, rejet_hierarchique),
        accuse_hierarchique_non_conforme,
    )
    if ics_path is not None:
        from recours.documents.calendar_export import deadlines_to_ics
        from recours.files import atomic_write_bytes

        atomic_write_bytes(ics_path, deadlines_to_ics(report), force=force)
    if as_json:
        data = report.to_json()
        if indemnity is not None:
            data.update(_indemnity_json(indemnity))
        echo_json(data)
    else:
        echo(deadlines_text(report))
        if indemnity is not None:
            echo("")
            echo(indemnity_report_text(indemnity, header=False))
        if ics_path is not None:
            echo(f"\nCalendrier écrit : {ics_path}")


def _indemnity_json(indemnity: IndemnityReport) -> dict[str, object]:
    return {
        "demande_indemnitaire": (
            None if indemnity.demande is None else indemnity.demande.to_json()
        ),
        "prescription": [p.to_json() for p in indemnity.prescriptions],
        "avertissements_indemnitaires": [w.to_json() for w in indemnity.avertissements],
    }


def _indemnity_report(
    day: date,
    departement: str | None,
    type_autorite: str | None,
    demande_indemnitaire: str | None,
    reception_demande: str | None,
    ar_conforme: str | None,
    rejet_demande: str | None,
    rejet_sans_mentions: bool,
    rejet_anterieur: str | None,
    mise_en_demeure: str | None,
    exercices: tuple[str, ...],
) -> IndemnityReport | None:
    """The indemnity part of `recours delais`, or None when none of its options is given."""
    from recours.law.indemnity import (
        ACTE_MISE_EN_DEMEURE,
        DemandeIndemnitaireInput,
        Reclamation,
        compute_indemnity_report,
    )

    envoi = parse_date(demande_indemnitaire, "--demande-indemnitaire")
    reception = parse_date(reception_demande, "--reception-demande")
    rejet = parse_date(rejet_demande, "--rejet-demande")
    anterieur = parse_date(rejet_anterieur, "--rejet-anterieur")
    relance = parse_date(mise_en_demeure, "--mise-en-demeure")
    dependent = (reception, rejet, anterieur, ar_conforme, rejet_sans_mentions or None)
    if envoi is None and any(value is not None for value in dependent):
        raise UsageError(
            "--reception-demande, --ar-conforme, --rejet-demande et --rejet-anterieur "
            "supposent --demande-indemnitaire"
        )
    for label, value in (("--reception-demande", reception), ("--rejet-demande", rejet)):
        if value is not None and envoi is not None and value < envoi:
            raise UsageError(f"{label} : date antérieure à l'envoi de la demande")
    years: list[int] = []
    for text in exercices:
        if not (text.isdigit() and len(text) == 4 and 2000 <= int(text) <= 2100):
            raise UsageError(f"--exercice : année invalide « {text} », format attendu AAAA")
        years.append(int(text))
    if relance is not None and not years:
        raise UsageError("--mise-en-demeure suppose --exercice (elle interrompt la prescription)")
    if envoi is None and not years:
        return None
    demande = None
    if envoi is not None:
        demande = DemandeIndemnitaireInput(
            envoi=envoi,
            reception=reception,
            accuse_reception_conforme=None if ar_conforme is None else ar_conforme == "oui",
            rejet_explicite=rejet,
            rejet_voies_et_delais=not rejet_sans_mentions,
            departement=departement,
            type_autorite=type_autorite,
            rejet_anterieur=anterieur,
        )
    claims = [] if relance is None else [Reclamation(ACTE_MISE_EN_DEMEURE, None, relance)]
    return compute_indemnity_report(day, demande, years, claims, type_autorite=type_autorite)


def _decision_report(
    day: date,
    notification: str,
    envoi_gracieux: str | None,
    reception_gracieux: str | None,
    rejet_explicite: str | None,
    sans_voies_et_delais: bool,
    accuse_non_conforme: bool,
    decision_tarifaire: bool,
    departement: str | None,
    type_autorite: str | None,
    hierarchique: tuple[str | None, str | None, str | None],
    accuse_hierarchique_non_conforme: bool,
) -> DeadlineReport:
    """The deadlines of one decision (the original `recours delais`)."""
    from recours.law.deadlines import DeadlineInput, compute_deadlines

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
    envoi_h = parse_date(hierarchique[0], "--envoi-hierarchique")
    reception_h = parse_date(hierarchique[1], "--reception-hierarchique")
    rejet_h = parse_date(hierarchique[2], "--rejet-hierarchique")
    if (reception_h or rejet_h) and envoi_h is None:
        raise UsageError(
            "--reception-hierarchique et --rejet-hierarchique supposent --envoi-hierarchique"
        )
    for label, value in (("--envoi-hierarchique", envoi_h), ("--rejet-hierarchique", rejet_h)):
        if value is not None and value < notif:
            raise UsageError(f"{label} : date antérieure à la notification")
    if reception_h is not None and envoi_h is not None and reception_h < envoi_h:
        raise UsageError("--reception-hierarchique : date antérieure à l'envoi")
    return compute_deadlines(
        DeadlineInput(
            notification=notif,
            envoi_gracieux=envoi,
            reception_gracieux=reception,
            accuse_reception_conforme=not accuse_non_conforme,
            rejet_explicite=rejet,
            voies_et_delais_mentionnes=not sans_voies_et_delais,
            departement=departement,
            decision_tarifaire=decision_tarifaire,
            envoi_hierarchique=envoi_h,
            reception_hierarchique=reception_h,
            accuse_hierarchique_conforme=not accuse_hierarchique_non_conforme,
            rejet_explicite_hierarchique=rejet_h,
            type_autorite=type_autorite,
        ),
        today=day,
    )


# --------------------------------------------------------------------- calculer


@main.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON.")
@AUJOURDHUI_OPTION
@handle_errors
def calculer(dossier: Path, as_json: bool, aujourdhui: str | None) -> None:
    """Calculer les montants dus, reçus et l'écart, par autorité, établissement et exercice,
    et dire, exercice par exercice, ce qui peut encore être réclamé et par quelle voie."""
    from recours.cli.report import amounts_json, amounts_text

    analysis = _analyse(dossier, aujourdhui)
    if as_json:
        echo_json(amounts_json(analysis))
    else:
        echo(amounts_text(analysis))


def _analyse(dossier: Path, aujourdhui: str | None) -> Analysis:
    from recours.dossier.validation import load_dossier
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    reference = parse_date(aujourdhui, "--aujourdhui") or today()
    return analyse(load_dossier(dossier, aujourdhui=reference), reference, load_referentiel())


# --------------------------------------------------------------------- verifier


@main.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(path_type=Path))
@AUJOURDHUI_OPTION
@handle_errors
def verifier(dossier: Path, aujourdhui: str | None) -> None:
    """Vérifier un dossier : toutes les erreurs d'un coup, avec le champ et la ligne."""
    from recours.cli.report import check_text

    echo(check_text(_analyse(dossier, aujourdhui), str(dossier)))


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
        echo(referentiel_text(ref))


# ----------------------------------------------------------------------- schema


@main.command(context_settings=CONTEXT)
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Dossier où écrire les schémas JSON.",
)
@click.option("--force", is_flag=True, help="Remplacer des schémas existants différents.")
@handle_errors
def schema(sortie: Path, force: bool) -> None:
    """Régénérer les schémas JSON des dossiers (pour les éditeurs et les scripts)."""
    from recours.cli.common import refuse_overwrite
    from recours.dossier.schemas import schema_texts, write_schemas

    refuse_overwrite({sortie / name: text for name, text in schema_texts().items()}, force)
    for path in write_schemas(sortie):
        echo(f"Écrit : {path}")


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
@HORS_DELAI_OPTION
@SANS_AVOCAT_OPTION
@click.option(
    "--bordereau",
    is_flag=True,
    help="Préparer un dossier Télérecours par requête (pièces numérotées et inventaire).",
)
@click.option(
    "--zip",
    "archive",
    is_flag=True,
    help="Joindre une archive .zip de chaque dossier Télérecours (implique --bordereau).",
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
    hors_delai: bool,
    sans_avocat: bool,
    bordereau: bool,
    archive: bool,
    modeles: Path | None,
    aujourdhui: str | None,
) -> None:
    """Générer le recours gracieux et la requête d'un dossier, en Word et en PDF.

    Avec --bordereau, les pièces dont le dossier donne le fichier PDF (champs « fichier »,
    chemins relatifs au dossier du fichier YAML) sont vérifiées puis copiées sous leur nom
    numéroté.
    """
    if bordereau or archive or "pdf" in formats.lower():
        preload_pdf_engine()
    from recours.documents.generate import DOCUMENTS, FORMATS, generate
    from recours.dossier.validation import load_dossier

    wanted = split_list(documents, DOCUMENTS, "--documents") if documents else None
    fmts = split_list(formats, FORMATS, "--formats")
    reference = parse_date(aujourdhui, "--aujourdhui") or today()
    loaded = load_dossier(dossier, aujourdhui=reference)
    result = generate(
        loaded,
        sortie=sortie,
        today=reference,
        documents=wanted,
        formats=fmts,
        force=force,
        hors_delai=hors_delai,
        sans_avocat=sans_avocat,
        bordereau=bordereau,
        modeles=modeles,
        archive=archive,
        dossier_dir=dossier.resolve().parent,
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

    echo(diagnostic_text())


from recours.cli.nouveau import nouveau  # noqa: E402

main.add_command(nouveau)

from recours.cli.lot import lot  # noqa: E402

main.add_command(lot)

from recours.cli.modeles import modeles  # noqa: E402

main.add_command(modeles)

from recours.cli.suivi import suivi  # noqa: E402

main.add_command(suivi)

from recours.cli.web import web  # noqa: E402

main.add_command(web)
