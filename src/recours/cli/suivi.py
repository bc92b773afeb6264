"""`recours suivi`: what is due across dossiers, and `recours suivi noter` to record what
happened. Thin adapters over `recours.followup`."""

from __future__ import annotations

import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click

from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    SUBCOMMAND_METAVAR,
    echo,
    echo_json,
    handle_errors,
    parse_date,
    today,
)
from recours.errors import UsageError

DEFAULT_DAYS = 30


class _ListByDefault(click.Group):
    """`recours suivi DOSSIERS` lists; `recours suivi noter …` records an event."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        help_names = set(ctx.help_option_names)
        if args and args[0] not in self.commands and args[0] not in help_names:
            args = ["liste", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ListByDefault, context_settings=CONTEXT, subcommand_metavar=SUBCOMMAND_METAVAR)
def suivi() -> None:
    """Suivre les dossiers : ce qui est en retard, à échéance, en attente de réponse.

    \b
    recours suivi DOSSIER_OU_DOSSIERS [--jours N] [--json] [--ics FICHIER]
    recours suivi noter DOSSIER EVENEMENT [OPTIONS]
    """


@suivi.command(context_settings=CONTEXT)
@click.argument(
    "cible", metavar="DOSSIER_OU_DOSSIERS", type=click.Path(exists=True, path_type=Path)
)
@click.option(
    "--jours",
    type=click.IntRange(min=0, max=3660),
    default=DEFAULT_DAYS,
    show_default=True,
    metavar="N",
    help="Horizon des échéances « à échéance » (en jours).",
)
@click.option("--tout", is_flag=True, help="Afficher aussi les échéances au-delà de l'horizon.")
@click.option("--json", "as_json", is_flag=True, help="Sortie JSON (pour les scripts).")
@click.option(
    "--ics",
    "ics",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="FICHIER",
    help="Écrire un calendrier .ics de toutes les échéances (identifiants stables : "
    "réimporté, il met à jour les événements).",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier .ics s'il existe.")
@click.option(
    "--sans-cache",
    is_flag=True,
    help="Relire chaque fichier sans le cache (les fichiers restent la seule référence ; le "
    "cache, dans ~/.cache/recours/, est reconstruit à partir d'eux).",
)
@AUJOURDHUI_OPTION
@handle_errors
def liste(
    cible: Path,
    jours: int,
    tout: bool,
    as_json: bool,
    ics: Path | None,
    force: bool,
    sans_cache: bool,
    aujourdhui: str | None,
) -> None:
    """Lister, pour un dossier ou tous les dossiers d'un répertoire, les étapes en retard,
    à échéance sous N jours et en attente de réponse, triées par date, avec l'action
    suivante et la commande qui produit son document."""
    from recours.files import atomic_write_bytes
    from recours.followup.report import follow_up, follow_up_ics, follow_up_json, follow_up_text
    from recours.followup.scan import default_cache_path

    day = parse_date(aujourdhui, "--aujourdhui") or today()
    result = follow_up(cible, day, jours, None if sans_cache else default_cache_path())
    if as_json:
        echo_json(follow_up_json(result))
    else:
        echo(follow_up_text(result, tout=tout))
    if ics is not None:
        atomic_write_bytes(ics, follow_up_ics(result), force=force)
        if not as_json:
            echo(f"Calendrier écrit : {ics}")
    if result.problemes:
        sys.exit(1)


def _amount(value: str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
    except InvalidOperation:
        raise UsageError(f"--montant : nombre invalide « {value} »") from None


@suivi.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument(
    "evenement",
    type=click.Choice(["envoi", "accuse", "reponse", "requete", "jugement", "paiement"]),
)
@click.option("--date", "date_", required=True, metavar="AAAA-MM-JJ", help="Date de l'événement.")
@click.option("--autorite", metavar="ID", help="Autorité concernée (si le dossier en a plusieurs).")
@click.option(
    "--decision",
    metavar="ID",
    help="Décision concernée (decision-1, ou son id) ; pour une requête indemnitaire : "
    "demande-indemnitaire-1…",
)
@click.option(
    "--mode",
    type=click.Choice(["lrar", "lettre_simple", "remise_en_main_propre", "courriel", "plateforme"]),
    default=None,
    help="envoi : mode d'envoi (par défaut : lrar).",
)
@click.option("--numero-lrar", metavar="NUMERO", help="envoi : numéro de la lettre recommandée.")
@click.option(
    "--conforme/--non-conforme",
    default=None,
    help="accuse : l'accusé de réception avait-il les mentions de l'article R.112-5 du CRPA ?",
)
@click.option(
    "--sens",
    type=click.Choice(
        ["acceptee", "partielle", "rejetee", "favorable", "partiellement_favorable", "defavorable"]
    ),
    help="reponse : acceptee, partielle ou rejetee ; jugement : favorable, "
    "partiellement_favorable ou defavorable.",
)
@click.option("--montant", metavar="EUROS", help="reponse partielle, jugement, paiement : montant.")
@click.option("--juridiction", help="requete : tribunal saisi (par défaut : celui du dossier).")
@click.option("--numero", help="requete, jugement : numéro d'enregistrement.")
@click.option("--note", help="Remarque libre.")
@handle_errors
def noter(dossier: Path, evenement: str, date_: str, **options: Any) -> None:
    """Noter un événement dans le dossier : envoi (du recours gracieux), accuse (accusé de
    réception), reponse (de l'autorité), requete (déposée), jugement, paiement.

    L'envoi, l'accusé de réception et un rejet s'inscrivent dans les champs du dossier
    (decisions[].recours_gracieux, decisions[].rejet_explicite) ; les autres événements
    dans sa liste « journal ». Le dossier est vérifié puis réécrit : les commentaires et
    la mise en forme du fichier YAML ne sont pas conservés.
    """
    from recours.followup.journal import Note, record

    day = parse_date(date_, "--date")
    assert day is not None
    if evenement == "envoi" and options["mode"] is None:
        options["mode"] = "lrar"
    note = Note(
        evenement=evenement,
        date=day,
        autorite=options["autorite"],
        decision=options["decision"],
        mode=options["mode"],
        numero_lrar=options["numero_lrar"],
        conforme=options["conforme"],
        sens=options["sens"],
        montant=_amount(options["montant"]),
        juridiction=options["juridiction"],
        numero=options["numero"],
        note=options["note"],
    )
    record(dossier, note)
    echo(f"Noté dans {dossier} :")
    for line in note.written:
        echo(f"  {line}")
