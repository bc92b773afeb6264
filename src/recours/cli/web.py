"""``recours web``: the questionnaire as a local web form.

Module-level imports stay light (click): FastAPI, uvicorn and the document engines are
imported when the command runs, so that ``recours --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from recours.cli.common import (
    AUJOURDHUI_OPTION,
    CONTEXT,
    MODELES_OPTION,
    handle_errors,
    parse_date,
    today,
)


@click.command(context_settings=CONTEXT)
@click.argument(
    "dossier",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("dossier.yaml"),
    required=False,
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port local (0 : un port libre choisi au lancement).",
)
@click.option("--sans-navigateur", is_flag=True, help="Ne pas ouvrir le navigateur.")
@MODELES_OPTION
@AUJOURDHUI_OPTION
@handle_errors
def web(
    dossier: Path, port: int, sans_navigateur: bool, modeles: Path | None, aujourdhui: str | None
) -> None:
    """Remplir le dossier dans un formulaire web, sur cet ordinateur uniquement.

    Le formulaire s'ouvre dans le navigateur ; les réponses sont enregistrées dans DOSSIER
    (par défaut : dossier.yaml) après chaque page, le fichier que lisent les autres
    commandes. Ouvrez un dossier existant pour le reprendre. Ctrl-C arrête le serveur.
    """
    from recours.web.server import serve

    reference = parse_date(aujourdhui, "--aujourdhui") or today()
    serve(
        dossier,
        today=reference,
        port=port,
        open_browser=not sans_navigateur,
        modeles=modeles,
        echo=click.echo,
    )
