"""Shared pieces of the command-line interface: clock, dates, errors, output."""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from recours.cli import fr as cli_fr
from recours.errors import RecoursError, UsageError


class FrenchGroup(click.Group):
    """The command group; Click's own texts are translated when it runs, not on import."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        cli_fr.install()
        return super().main(*args, **kwargs)


F = TypeVar("F", bound=Callable[..., Any])
SUBCOMMAND_METAVAR = "COMMANDE [ARGUMENTS]..."
CONTEXT = {"help_option_names": ["-h", "--aide", "--help"], "max_content_width": 100}


# C0 controls but \n and \t, DEL, C1 controls (ESC ] … BEL rewrites the terminal's
# title or clipboard, ESC [ … moves the cursor) and bidirectional overrides (text shown
# in another order than stored): user data never drives the terminal (issue 15 §8).
_UNPRINTABLE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """The text with every terminal control or escape sequence character made visible."""
    return _UNPRINTABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                               else f"\\u{ord(m.group()):04x}", text)  # fmt: skip


def echo(message: Any = "", err: bool = False, nl: bool = True) -> None:
    """click.echo for everything the CLI prints: control characters neutralised."""
    click.echo(printable(str(message)), err=err, nl=nl)


def preload_pdf_engine() -> None:
    """Start importing the PDF engine in a background thread.

    WeasyPrint's import spends most of its ~0.3 s waiting for ctypes' library lookups
    (gcc and ldconfig subprocesses, the GIL released); meanwhile the command validates
    and analyses the dossier and renders the Word document. recours.documents.render_pdf
    then finds the engine imported, or waits for its import to end. An import that fails
    here fails again, with its message, where render_pdf imports the engine.
    """
    import importlib
    import threading

    def run() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module("weasyprint")

    threading.Thread(target=run, name="recours-preload-pdf").start()


def today() -> date:
    """The only place that reads the clock."""
    return date.today()


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    from recours.formatting import lire_date

    try:
        parsed = lire_date(value)
    except ValueError as exc:
        raise UsageError(f"{option} : {exc}") from None
    # The same plausibility bound as dossier dates: 9999-12-31 would overflow every delay.
    if not 1990 <= parsed.year <= 2100:
        raise UsageError(f"{option} : date invraisemblable « {value} » (entre 1990 et 2100)")
    return parsed


def handle_errors(func: F) -> F:
    """Turn library errors into a French message on stderr and an exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RecoursError as exc:
            echo(f"Erreur : {exc}", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            echo("\nInterrompu.", err=True)
            sys.exit(130)
        except OSError as exc:
            # A file-system error no library code anticipated: French, no traceback.
            from recours.files import os_reason

            where = f"{exc.filename} : " if exc.filename else ""
            echo(f"Erreur : {where}accès impossible ({os_reason(exc)})", err=True)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


def refuse_overwrite(targets: dict[Path, str], force: bool) -> None:
    """Refuse, before writing anything, to replace a file whose content would change.

    Regenerating an identical file is harmless (`recours schema` in a checkout), so only
    a different existing file needs --force.
    """
    from recours.errors import FileExistsRefusedError

    if force:
        return
    changed = []
    for path, text in targets.items():
        try:
            if path.exists() and path.read_bytes() != text.encode("utf-8"):
                changed.append(str(path))
        except OSError:
            changed.append(str(path))
    if changed:
        raise FileExistsRefusedError(
            f"{', '.join(changed)} existe déjà avec un autre contenu : utilisez --force pour "
            "le remplacer (rien n'a été écrit)"
        )


def echo_json(data: Any) -> None:
    echo(json.dumps(data, ensure_ascii=False, indent=2))


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
        echo(f"Documents écrits dans {sortie} :")
        for written in result.fichiers:
            line = f"  {written.path}"
            if show_templates and written.modele is not None:
                line += f"  (modèle : {written.modele})"
            echo(line)
    if result.a_fournir:
        from recours.law.referentiel import CONFIANCE_LIBELLES, load_referentiel

        telerecours = load_referentiel().telerecours
        echo("Pièces à ajouter au dossier Télérecours (un fichier par pièce) :")
        for path in result.a_fournir:
            echo(f"  {path}")
        echo("Télérecours :")
        for fact in (telerecours.pieces, telerecours.non_obligatoire):
            source = " ".join(fact.source.split())
            echo(
                f"  - {' '.join(fact.valeur.split())} (source : {source} ; "
                f"{CONFIANCE_LIBELLES[fact.confiance]})"
            )
            if fact.note:
                echo(f"    {' '.join(fact.note.split())}")
    if result.avertissements:
        echo("Avertissements :")
        for warning in result.avertissements:
            echo(f"  - {warning}")
    if result.prochaine_echeance is not None:
        label, deadline = result.prochaine_echeance
        echo(
            f"Prochaine échéance : {label} — {date_avec_jour(deadline.date_limite)} "
            f"({deadline_status(deadline)})"
        )
    else:
        echo("Aucune échéance ouverte : tous les délais calculés sont expirés.")
    for refusal in result.refus:
        echo(f"Refusé : {refusal}", err=True)


# Options shared by the commands that generate documents (generer, nouveau, lot generer).
AUJOURDHUI_OPTION = click.option(
    "--aujourdhui",
    metavar="JJ/MM/AAAA",
    help="Date de référence des délais, JJ/MM/AAAA ou AAAA-MM-JJ (par défaut : aujourd'hui).",
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
    help="Documents à générer, parmi gracieux, requete, demande_indemnitaire, "
    "mise_en_demeure, requete_indemnitaire et recours_hierarchique (recours hiérarchique aux "
    "ministres contre une décision de l'ARS) (par défaut : ceux qui correspondent à l'étape de "
    "chaque dossier).",
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
    help="Générer une requête sans avocat dans le dossier là où un avocat est ou peut être "
    "obligatoire (ARS, préfet) : elle portera la mention « à faire signer par un avocat ».",
)
