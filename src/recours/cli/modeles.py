"""`recours modeles`: export, check and document the templates lawyers adapt.

Kept light at import: the reference, the checker and the renderers are imported inside the
commands.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from recours.cli.common import CONTEXT, SUBCOMMAND_METAVAR, echo, handle_errors


@click.group(context_settings=CONTEXT, subcommand_metavar=SUBCOMMAND_METAVAR)
def modeles() -> None:
    """Modèles personnalisés (Word et HTML) : exporter, vérifier, variables disponibles."""


@modeles.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Écrire même si le dossier n'est pas vide.")
@handle_errors
def exporter(dossier: Path, force: bool) -> None:
    """Copier les modèles fournis (Word, HTML, CSS, polices) et un guide dans DOSSIER."""
    from recours.authoring.export import export_templates

    written = export_templates(dossier, force=force)
    echo(f"{len(written)} fichiers copiés dans {dossier} :")
    for path in written:
        echo(f"  {path.relative_to(dossier)}")
    echo(
        "Modifiez-les (voir LISEZMOI.md), vérifiez-les avec "
        f"« recours modeles verifier {dossier} », puis utilisez-les avec "
        f"« recours generer DOSSIER --modeles {dossier} »."
    )


@modeles.command(context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "json"]),
    default="md",
    show_default=True,
    help="Format de sortie : tableau Markdown ou JSON.",
)
@click.option(
    "--sortie",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Écrire dans ce fichier (par exemple docs/variables-modeles.md) au lieu d'afficher.",
)
@click.option("--force", is_flag=True, help="Remplacer le fichier --sortie s'il existe.")
@handle_errors
def variables(fmt: str, sortie: Path | None, force: bool) -> None:
    """Lister les variables disponibles dans les modèles (chemin, type, description, exemple)."""
    from recours.authoring.variables import reference_json, reference_markdown, template_reference

    reference = template_reference()
    text = reference_json(reference) + "\n" if fmt == "json" else reference_markdown(reference)
    if sortie is None:
        echo(text, nl=False)
        return
    from recours.cli.common import refuse_overwrite
    from recours.files import atomic_write_bytes

    refuse_overwrite({sortie: text}, force)
    atomic_write_bytes(sortie, text.encode("utf-8"), force=True)
    echo(f"Écrit : {sortie}")


@modeles.command(context_settings=CONTEXT)
@click.argument("dossier", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option(
    "--sans-pdf",
    is_flag=True,
    help="Ne pas produire de vrai PDF (le HTML est tout de même rendu) : plus rapide.",
)
@handle_errors
def verifier(dossier: Path, sans_pdf: bool) -> None:
    """Vérifier les modèles de DOSSIER : balises, variables, filtres, puis rendu des exemples."""
    from recours.authoring.check import check_templates, report_text

    rapport = check_templates(dossier, pdf=not sans_pdf)
    echo(report_text(rapport))
    if rapport.erreurs:
        sys.exit(1)
