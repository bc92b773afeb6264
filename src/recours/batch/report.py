"""Batch outputs: `rapport.csv` and `rapport.xlsx` (one line per letter or per error),
the synthesis per authority and per département (`synthese.html`, `synthese.pdf`), and
the optional zip.

Report lines are streamed to temporary files as they arrive and renamed at the end:
memory does not grow with the batch, and an interrupted run never leaves half a report.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from recours.files import AtomicFile, atomic_write_text
from recours.formatting import date_courte
from recours.law.amounts import Totaux

REPORT_CSV = "rapport.csv"
REPORT_XLSX = "rapport.xlsx"
SYNTHESIS_HTML = "synthese.html"
SYNTHESIS_PDF = "synthese.pdf"
SYNTHESIS_SVG = "synthese-graphique.svg"
ZIP_NAME = "lot.zip"
OUTPUT_FILES = (REPORT_CSV, REPORT_XLSX, SYNTHESIS_HTML, SYNTHESIS_PDF, SYNTHESIS_SVG, ZIP_NAME)

STATUT_GENERE = "généré"
STATUT_A_JOUR = "déjà à jour"
STATUT_REFUSE = "refusé"
STATUT_ERREUR = "erreur"
STATUT_RETENU = "retenu"
"""A letter not written because another row of its organisme is in error."""

CHART_MAX_BARS = 25


@dataclass
class ReportLine:
    """One line of the report: a letter, or one problem of a rejected row."""

    organisme: str = ""
    siren: str = ""
    autorite: str = ""
    type_autorite: str = ""
    document: str = ""
    destinataire: str = ""  # the authority, or the payer of a mise en demeure de payer
    etablissements: str = ""
    nb_etablissements: int | None = None
    du: Decimal | None = None
    recu: Decimal | None = None
    ecart: Decimal | None = None
    echeance_gracieux: date | None = None
    statut_gracieux: str = ""
    echeance_contentieux: date | None = None
    statut_contentieux: str = ""
    fichiers: str = ""
    statut: str = ""
    feuille: str = ""
    ligne: int | None = None
    colonne: str = ""
    champ: str = ""
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key, value in out.items():
            if isinstance(value, Decimal | date):
                out[key] = str(value) if isinstance(value, Decimal) else value.isoformat()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ReportLine:
        line = cls(**data)
        for name in ("du", "recu", "ecart"):
            value = getattr(line, name)
            if value is not None:
                setattr(line, name, Decimal(value))
        for name in ("echeance_gracieux", "echeance_contentieux"):
            value = getattr(line, name)
            if value is not None:
                setattr(line, name, date.fromisoformat(value))
        return line


REPORT_HEADERS: dict[str, str] = {
    "organisme": "Organisme",
    "siren": "SIREN",
    "autorite": "Autorité",
    "type_autorite": "Type d'autorité",
    "document": "Document",
    "destinataire": "Destinataire",
    "etablissements": "Établissements",
    "nb_etablissements": "Nombre d'établissements",
    "du": "Montant dû (€)",
    "recu": "Montant reçu (€)",
    "ecart": "Écart (€)",
    "echeance_gracieux": "Échéance du recours gracieux",
    "statut_gracieux": "Délai du recours gracieux",
    "echeance_contentieux": "Échéance du recours contentieux",
    "statut_contentieux": "Délai du recours contentieux",
    "fichiers": "Fichiers",
    "statut": "Statut",
    "feuille": "Feuille",
    "ligne": "Ligne",
    "colonne": "Colonne",
    "champ": "Champ",
    "message": "Message",
}
assert list(REPORT_HEADERS) == [f.name for f in fields(ReportLine)]


@dataclass
class Totals(Totaux):
    """The amounts' totals (due, received, gap), with counts, for one authority or département."""

    libelle: str = ""
    type_libelle: str = ""
    etablissements: int = 0
    associations: int = 0

    def count(self, du: Decimal, recu: Decimal, etablissements: int) -> None:
        """Add one association's figures."""
        self.du += du
        self.recu += recu
        self.etablissements += etablissements
        self.associations += 1


@dataclass
class Contribution:
    """What one dossier adds to the synthesis (computed in the worker, small to send)."""

    autorites: list[tuple[str, str, Decimal, Decimal, int]] = field(default_factory=list)
    departements: list[tuple[str, Decimal, Decimal, int]] = field(default_factory=list)
    # Funding notified but not (entirely) paid: the mises en demeure de payer.
    notifie_non_verse: Decimal = Decimal("0.00")


@dataclass
class Synthesis:
    """Running totals per authority and per département (bounded by their number)."""

    autorites: dict[str, Totals] = field(default_factory=dict)
    departements: dict[str, Totals] = field(default_factory=dict)
    total: Totals = field(default_factory=Totals)
    etablissements_en_erreur: int = 0
    etablissements_retenus: int = 0
    notifie_non_verse: Decimal = Decimal("0.00")

    def add(self, contribution: Contribution) -> None:
        for nom, libelle_type, du, recu, etabs in contribution.autorites:
            key = " ".join(nom.casefold().split())
            tot = self.autorites.setdefault(key, Totals(libelle=nom, type_libelle=libelle_type))
            tot.count(du, recu, etabs)
        for code, du, recu, etabs in contribution.departements:
            self.departements.setdefault(code, Totals(libelle=code)).count(du, recu, etabs)
            self.total.du += du
            self.total.recu += recu
            self.total.etablissements += etabs
        if contribution.departements:
            self.total.associations += 1
        self.notifie_non_verse += contribution.notifie_non_verse


def _fr_decimal(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# Characters an .xlsx (XML 1.0) cannot hold; a report shows them as U+FFFD.
_UNWRITABLE_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def safe_cell_text(text: str) -> tuple[str, bool]:
    """The text of a report cell, and whether a spreadsheet would take it for a formula.

    User data never becomes a formula (OWASP CSV injection: a cell starting with = + - @
    tab or CR): the CSV gets a leading apostrophe, the .xlsx a text cell with Excel's
    apostrophe marker, so « =HYPERLINK(...) » stays readable and inert. Characters XML
    cannot hold (a control character in a cell of a row in error) become U+FFFD instead
    of stopping the report.
    """
    text = _UNWRITABLE_RE.sub("\ufffd", text)
    return text, text.startswith(_FORMULA_STARTS)


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _fr_decimal(value)
    if isinstance(value, date):
        return date_courte(value)
    text, formula_like = safe_cell_text(str(value))
    return "'" + text if formula_like else text


class ReportWriter:
    """Streams report lines to rapport.csv and rapport.xlsx; `close` renames them into place."""

    def __init__(self, sortie: Path) -> None:
        from openpyxl import Workbook

        self.sortie = sortie
        self._csv_tmp = AtomicFile(sortie / REPORT_CSV)
        self._xlsx_tmp = AtomicFile(sortie / REPORT_XLSX)
        # utf-8-sig and `;`: what French Excel opens correctly with a double click.
        self._csv_handle: TextIO = self._csv_tmp.path.open("w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._csv_handle, delimiter=";")
        self._csv.writerow(REPORT_HEADERS.values())
        self._workbook = Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet("Rapport")
        self._sheet.freeze_panes = "A2"
        self._sheet.append(list(REPORT_HEADERS.values()))

    def add(self, lines: Iterable[ReportLine]) -> None:
        for line in lines:
            values = [getattr(line, name) for name in REPORT_HEADERS]
            self._csv.writerow([_csv_value(v) for v in values])
            self._sheet.append([self._cell(self._sheet, v) for v in values])

    def _cell(self, sheet: Any, value: Any) -> Any:
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, Decimal):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = '#,##0.00 "€"'
            return cell
        if isinstance(value, date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "DD/MM/YYYY"
            return cell
        if isinstance(value, str):
            text, formula_like = safe_cell_text(value)
            if not formula_like:
                return text
            # A text cell (never a formula), marked like Excel's leading apostrophe: the
            # text is shown exactly as written and stays text when the cell is edited.
            cell = WriteOnlyCell(sheet, value=None)
            cell._value, cell.data_type = text, "s"
            cell.quotePrefix = True
            return cell
        return value

    def close(self, synthesis: Synthesis) -> None:
        self._csv_handle.flush()
        os.fsync(self._csv_handle.fileno())
        self._csv_handle.close()
        names = _departement_names()
        for title, rows in (
            ("Par autorité", _sorted_authorities(synthesis)),
            ("Par département", _sorted_departements(synthesis)),
        ):
            sheet = self._workbook.create_sheet(title)
            by_authority = title == "Par autorité"
            sheet.append(
                [
                    "Autorité" if by_authority else "Département",
                    "Type" if by_authority else "Nom du département",
                    "Montant dû (€)",
                    "Montant reçu (€)",
                    "Écart (€)",
                    "Établissements",
                    "Associations",
                ]
            )
            for tot in rows:
                sheet.append(
                    [
                        self._cell(sheet, tot.libelle),
                        self._cell(
                            sheet,
                            tot.type_libelle if by_authority else names.get(tot.libelle, ""),
                        ),
                        self._cell(sheet, tot.du),
                        self._cell(sheet, tot.recu),
                        self._cell(sheet, tot.ecart),
                        tot.etablissements,
                        tot.associations,
                    ]
                )
        self._workbook.save(self._xlsx_tmp.path)
        self._csv_tmp.commit(force=True)
        self._xlsx_tmp.commit(force=True)

    def abort(self) -> None:
        if not self._csv_handle.closed:
            self._csv_handle.close()
        for sheet in self._workbook.worksheets:
            # Close openpyxl's streaming writers, or they complain when garbage-collected.
            with contextlib.suppress(Exception):
                sheet.close()
        self._csv_tmp.discard()
        self._xlsx_tmp.discard()


def _departement_names() -> dict[str, str]:
    from recours.law.referentiel import load_referentiel

    return {code: d.departement for code, d in load_referentiel().departements.items()}


def _sorted_authorities(synthesis: Synthesis) -> list[Totals]:
    return sorted(synthesis.autorites.values(), key=lambda t: (-t.ecart, t.libelle))


def _sorted_departements(synthesis: Synthesis) -> list[Totals]:
    return [synthesis.departements[k] for k in sorted(synthesis.departements)]


def _chart(authorities: Sequence[Totals]) -> dict[str, Any]:
    """Geometry of the bar chart per authority (inline SVG, also written alone): each bar is
    the cost of the measure, split into what was received and what remains to be funded."""
    from recours.formatting import montant_euros

    shown = list(authorities[:CHART_MAX_BARS])
    label_width, bar_width, row_height, top = 290, 300, 26, 62
    largest = max((t.du for t in shown), default=Decimal(0))
    bars = []
    for i, tot in enumerate(shown):
        scale = float(tot.du / largest) if largest > 0 else 0.0
        received = float(tot.recu / tot.du) if tot.du > 0 else 0.0
        width = round(scale * bar_width, 1)
        funded = round(width * min(max(received, 0.0), 1.0), 1)
        label = tot.libelle if len(tot.libelle) <= 46 else tot.libelle[:45] + "…"
        y = top + i * row_height
        bars.append(
            {
                "y": y,
                "texte_y": y + 15,
                "x_recu": label_width,
                "largeur_recu": funded,
                "x_reste": label_width + funded,
                "largeur_reste": round(max(width - funded, 0.0), 1),
                "valeur_x": label_width + width + 6,
                "libelle": label,
                "valeur": montant_euros(max(tot.ecart, Decimal(0))),
            }
        )
    height = top + max(len(shown), 1) * row_height + 34
    return {
        "largeur": label_width + bar_width + 110,
        "hauteur": height,
        "x_barres": label_width,
        "legende_y": 40,
        "source_y": height - 12,
        "barres": bars,
        "autres": max(len(authorities) - len(shown), 0),
    }


def synthesis_context(synthesis: Synthesis, today: date, source: str) -> dict[str, Any]:
    """Template context of synthese.html (amounts already formatted the French way).

    `source` (the input file's name) is not shown: the synthesis is meant to leave the
    federation (advocacy notes), internal file names have nothing to do there.
    """
    from recours.formatting import date_longue, montant, montant_euros

    names = _departement_names()

    def row(tot: Totals, libelle: str) -> dict[str, Any]:
        return {
            "libelle": libelle,
            "type": tot.type_libelle,
            "du": montant(tot.du),
            "recu": montant(tot.recu),
            "ecart": montant(tot.ecart),
            "du_arrondi": montant_euros(tot.du),
            "recu_arrondi": montant_euros(tot.recu),
            "ecart_arrondi": montant_euros(tot.ecart),
            "etablissements": tot.etablissements,
            "associations": tot.associations,
        }

    authorities = _sorted_authorities(synthesis)
    departements = _sorted_departements(synthesis)
    return {
        "date": date_longue(today),
        "total": row(synthesis.total, "Total"),
        "etablissements_en_erreur": synthesis.etablissements_en_erreur
        + synthesis.etablissements_retenus,
        "autorites": [row(t, t.libelle) for t in authorities],
        "departements": [
            row(t, f"{t.libelle} — {names[t.libelle]}" if t.libelle in names else t.libelle)
            for t in departements
        ],
        "notifie_non_verse": (
            montant_euros(synthesis.notifie_non_verse) if synthesis.notifie_non_verse else None
        ),
        "graphique": _chart(authorities),
        "graphique_seul": False,
    }


def write_synthesis(
    sortie: Path,
    synthesis: Synthesis,
    today: date,
    source: str,
    pdf: bool,
    modeles: Path | None,
) -> list[Path]:
    """synthese.html always; synthese.pdf with the PDF format (WeasyPrint)."""
    from recours.documents.generate import renderers_for
    from recours.documents.sandbox import html_env

    context = synthesis_context(synthesis, today, source)
    renderers = renderers_for(modeles)
    template = html_env(renderers.search_path).get_template(SYNTHESIS_HTML)
    atomic_write_text(sortie / SYNTHESIS_HTML, template.render(context), force=True)
    # The chart alone, to paste into a note (Word and LibreOffice take SVG).
    chart = template.render({**context, "graphique_seul": True}).strip() + "\n"
    atomic_write_text(sortie / SYNTHESIS_SVG, chart, force=True)
    written = [sortie / SYNTHESIS_HTML, sortie / SYNTHESIS_SVG]
    if pdf:
        from recours.documents.metadata import Metadonnees
        from recours.files import atomic_write_bytes

        data = renderers.pdf().render(
            SYNTHESIS_HTML,
            context,
            Metadonnees(
                titre="Synthèse du sous-financement de l'accord « Ségur pour tous »",
                auteur="recours",
                sujet="Reste à financer par autorité de tarification et par département",
                date=today,
            ),
        )
        atomic_write_bytes(sortie / SYNTHESIS_PDF, data, force=True)
        written.append(sortie / SYNTHESIS_PDF)
    return written


def write_zip(sortie: Path) -> Path:
    """lot.zip of everything in the output folder (no hidden file, not itself).

    Symbolic links are never followed nor stored: the batch did not create them, and a
    link to /etc/passwd must not put that file in the zip.
    """
    target = sortie / ZIP_NAME
    tmp = AtomicFile(target)
    try:
        with zipfile.ZipFile(tmp.path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for root, dirs, files in os.walk(sortie, followlinks=False):
                base = Path(root)
                dirs[:] = sorted(
                    d for d in dirs if not d.startswith(".") and not (base / d).is_symlink()
                )
                for name in sorted(files):
                    path = base / name
                    if name.startswith(".") or path == target or path.is_symlink():
                        continue
                    if not path.is_file():
                        continue
                    archive.write(path, path.relative_to(sortie).as_posix())
        tmp.commit(force=True)
    except BaseException:
        tmp.discard()
        raise
    return target
