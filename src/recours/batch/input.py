"""Reading a batch: .xlsx (openpyxl, read-only, streamed), .csv (delimiter and encoding
detected) or a YAML/JSON list of dossiers.

Spreadsheet cells become the text a YAML file would hold (numbers, dates and oui/non
are converted by the same pydantic models later), with two spreadsheet repairs:
identifiers that Excel turned into numbers get their leading zeros back, and dates
typed or stored the French way (15/03/2026, Excel serial numbers) become ISO dates.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from recours.batch.columns import Column, by_header, column_letter, normalize_header
from recours.dossier.identifiers import compact
from recours.errors import RecoursError

DATA_SHEET = "Établissements"
"""Name of the data sheet in the workbook written by `recours lot modele`."""

_FRENCH_DATE_RE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_UTF8_BOM = codecs.BOM_UTF8

MAX_CELL_CHARS = 10_000
"""Longest cell read (an address or a name is a few hundred characters)."""
MAX_CSV_FIELD = 1_000_000
"""Beyond this, a CSV cell stops the reading (with its line number)."""
MAX_SHARED_STRINGS = 20_000_000
MAX_SHEET_XML = 200_000_000
"""Uncompressed sizes of an .xlsx's shared strings (loaded whole by openpyxl) and of a
sheet (streamed): a 2.6 MB « shared-strings bomb » expanded to 5.9 GB before (issue 15 §11)."""


class FormulaWithoutValue:
    """A formula cell whose result was never computed (file written by a program, not
    saved by Excel or LibreOffice): reading it as empty would silently drop money."""

    def __init__(self, formula: str) -> None:
        self.formula = formula


@dataclass
class RawRow:
    """One spreadsheet row: its number (as the spreadsheet shows it) and its non-empty cells."""

    number: int
    values: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (column key, message)


@dataclass(frozen=True)
class Layout:
    """Where each known column is in the file (the header row)."""

    sheet: str | None
    positions: tuple[tuple[int, Column], ...]

    @property
    def letters(self) -> dict[str, str]:
        return {col.key: column_letter(i) for i, col in self.positions}


def _number_text(value: float | int) -> str:
    if isinstance(value, int) or value.is_integer():
        return str(int(value))
    # Formula results carry binary noise (0.1 + 0.2): six places are plenty for ETP and euros.
    return format(Decimal(repr(round(value, 6))).normalize(), "f")


def cell_text(column: Column, value: Any) -> tuple[str | None, str | None]:
    """(text, problem) for one cell: the text pydantic will validate, or a French problem."""
    if value is None:
        return None, None
    if isinstance(value, FormulaWithoutValue):
        formula = value.formula if len(value.formula) <= 60 else value.formula[:59] + "…"
        return None, (
            f"formule « {formula} » sans valeur calculée : ouvrez le classeur dans Excel ou "
            "LibreOffice et enregistrez-le, ou remplacez la formule par sa valeur"
        )
    if isinstance(value, bool):
        return ("oui" if value else "non"), None
    if isinstance(value, dt.datetime):
        if column.kind == "date" or value.time() == dt.time(0, 0):
            return value.date().isoformat(), None
        return value.isoformat(sep=" "), None
    if isinstance(value, dt.date):
        return value.isoformat(), None
    if isinstance(value, int | float):
        if column.kind == "date":
            if not float(value).is_integer() or not 1 <= value < 2958466:
                return None, "date invalide, format attendu JJ/MM/AAAA"
            return (_EXCEL_EPOCH + dt.timedelta(days=int(value))).isoformat(), None
        text = _number_text(value)
        if column.width is not None and text.isdigit():
            # Excel stored the identifier as a number: every leading zero was dropped.
            text = text.zfill(column.width)
        return text, None
    text = unicodedata.normalize("NFC", str(value).strip())
    if not text:
        return None, None
    if len(text) > MAX_CELL_CHARS:
        return None, f"cellule trop longue ({len(text)} caractères ; au plus {MAX_CELL_CHARS})"
    if column.kind == "date":
        match = _FRENCH_DATE_RE.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day).isoformat(), None
            except ValueError:
                return None, f"date invalide : « {text} »"
    if column.width is not None and text.isdigit() and len(text) == column.width - 1:
        # A CSV saved by Excel loses the zero of départements 01 to 09 (01000 -> 1000).
        text = "0" + text
    return text, None


def _implausible_postal_codes(
    values: dict[str, str], repaired: dict[str, str]
) -> list[tuple[str, str]]:
    """A postal code whose leading zero was restored must match its département.

    7200 typed for 72000 would become 07200 (Ardèche) for an address in the Sarthe: where
    the row gives the département of the same address, the repair is checked against it.
    """
    problems = []
    for key, raw in repaired.items():
        prefix = key.removesuffix("adresse.code_postal")
        departement = values.get(prefix + "departement")
        if not departement or prefix == key:
            continue
        expected = "20" if departement.upper() in ("2A", "2B") else departement[:2]
        code = values[key]
        if not code.startswith(expected):
            problems.append(
                (
                    key,
                    f"code postal « {raw} » : avec un zéro en tête ({code}), il serait hors du "
                    f"département {departement} ; écrivez le code postal sur 5 chiffres, au "
                    "format texte",
                )
            )
    return problems


def organisme_key(values: dict[str, str]) -> str | None:
    """Rows of one organisme share its SIREN (or the SIREN part of its SIRET)."""
    siren = compact(values.get("organisme.siren", ""))
    if siren:
        return siren
    siret = compact(values.get("organisme.siret", ""))
    return siret[:9] if siret else None


class TableSource:
    """A spreadsheet or CSV file read row by row; can be read several times (two passes)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.layout = self._read_layout()

    @property
    def sheet(self) -> str | None:
        return self.layout.sheet

    def _read_layout(self) -> Layout:
        raise NotImplementedError

    def _raw_rows(self, columns: range | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        raise NotImplementedError

    def _layout_from(self, sheet: str | None, header: tuple[Any, ...]) -> Layout:
        known = by_header()
        positions: list[tuple[int, Column]] = []
        unknown: list[str] = []
        seen: dict[str, str] = {}
        for index, cell in enumerate(header):
            text = "" if cell is None else str(cell).strip()
            if not text:
                continue
            column = known.get(normalize_header(text))
            if column is None:
                unknown.append(f"{column_letter(index)} « {text} »")
                continue
            if column.key in seen:
                raise RecoursError(
                    f"{self.path} : la colonne « {column.header} » apparaît deux fois "
                    f"({seen[column.key]} et {column_letter(index)})"
                )
            seen[column.key] = column_letter(index)
            positions.append((index, column))
        if unknown:
            raise RecoursError(
                f"{self.path} : colonne(s) inconnue(s) : {', '.join(unknown)}. Les en-têtes "
                "attendus sont ceux du classeur écrit par « recours lot modele »."
            )
        if not positions:
            raise RecoursError(f"{self.path} : aucune colonne reconnue sur la première ligne")
        return Layout(sheet, tuple(positions))

    def rows(self, keys_only: bool = False) -> Iterator[RawRow]:
        """Non-empty data rows; with keys_only, only the organisme's SIREN and SIRET."""
        positions = self.layout.positions
        if keys_only:
            positions = tuple(
                (i, c) for i, c in positions if c.key in ("organisme.siren", "organisme.siret")
            )
            if not positions:
                positions = self.layout.positions[:1]
        span = range(min(i for i, _ in positions), max(i for i, _ in positions) + 1)
        seen = False
        for number, cells in self._raw_rows(span):
            values: dict[str, str] = {}
            problems: list[tuple[str, str]] = []
            repaired: dict[str, str] = {}
            for index, column in positions:
                offset = index - span.start
                raw = cells[offset] if offset < len(cells) else None
                text, problem = cell_text(column, raw)
                if problem is not None:
                    problems.append((column.key, problem))
                elif text is not None:
                    values[column.key] = text
                    if column.key.endswith("code_postal") and text != str(raw).strip():
                        repaired[column.key] = str(raw).strip()
            problems += _implausible_postal_codes(values, repaired)
            if values or problems:
                seen = True
                yield RawRow(number, values, problems)
        if not seen:
            where = f"la feuille « {self.sheet} »" if self.sheet else "le fichier"
            raise RecoursError(
                f"{self.path} : aucune ligne de données sous les en-têtes dans {where}"
            )


class XlsxSource(TableSource):
    """An .xlsx workbook: the sheet « Établissements » if present, else the first sheet."""

    def _check_sizes(self) -> None:
        """Refuse a workbook whose parts would expand beyond what a batch needs."""
        try:
            with zipfile.ZipFile(self.path) as archive:
                infos = archive.infolist()
        except FileNotFoundError:
            raise RecoursError(f"{self.path} : fichier introuvable") from None
        except (zipfile.BadZipFile, OSError):
            raise RecoursError(
                f"{self.path} : classeur illisible (ce n'est pas un fichier .xlsx valide)"
            ) from None
        for info in infos:
            name = info.filename.lower()
            limit = None
            if name.endswith("sharedstrings.xml"):
                limit = MAX_SHARED_STRINGS
            elif name.startswith("xl/worksheets/"):
                limit = MAX_SHEET_XML
            if limit is not None and info.file_size > limit:
                raise RecoursError(
                    f"{self.path} : classeur refusé : la partie « {info.filename} » fait "
                    f"{info.file_size // 1_000_000} Mo une fois décompressée (au plus "
                    f"{limit // 1_000_000} Mo) ; enregistrez le classeur de nouveau depuis "
                    "Excel ou LibreOffice, sans les lignes et colonnes vides"
                )

    def _open(self, data_only: bool = True) -> Any:
        import openpyxl

        if data_only:
            self._check_sizes()
        try:
            return openpyxl.load_workbook(self.path, read_only=True, data_only=data_only)
        except FileNotFoundError:
            raise RecoursError(f"{self.path} : fichier introuvable") from None
        except Exception as exc:  # openpyxl raises zipfile, KeyError, InvalidFileException...
            raise RecoursError(f"{self.path} : classeur illisible ({exc})") from None

    def _sheet_name(self, workbook: Any) -> str:
        names: list[str] = list(workbook.sheetnames)
        if not names:
            raise RecoursError(f"{self.path} : le classeur ne contient aucune feuille")
        return DATA_SHEET if DATA_SHEET in names else names[0]

    def _read_layout(self) -> Layout:
        workbook = self._open()
        try:
            name = self._sheet_name(workbook)
            header = next(workbook[name].iter_rows(max_row=1, values_only=True), ())
            try:
                return self._layout_from(name, tuple(header))
            except RecoursError as exc:
                if name == DATA_SHEET:
                    raise
                sheets = ", ".join(f"« {n} »" for n in workbook.sheetnames)
                detail = str(exc).removeprefix(f"{self.path} : ")
                raise RecoursError(
                    f"{self.path} : pas de feuille « {DATA_SHEET} » (feuilles : {sheets}), "
                    f"et la première feuille « {name} » n'est pas un lot : {detail}"
                ) from None
        finally:
            workbook.close()

    def _raw_rows(self, columns: range | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        # Values as last computed, and, in step, the formulas: an empty value where a
        # formula stands is a formula never computed, not an empty cell (issue 15 §10).
        workbook = self._open()
        formulas = self._open(data_only=False)
        try:
            name = self._sheet_name(workbook)
            sheet, formula_sheet = workbook[name], formulas[name]
            # Some writers store a wrong sheet size; read the rows that are really there.
            sheet.reset_dimensions()
            formula_sheet.reset_dimensions()
            bounds: dict[str, int] = {}
            if columns is not None:
                bounds = {"min_col": columns.start + 1, "max_col": columns.stop}
            values = sheet.iter_rows(min_row=2, values_only=True, **bounds)
            sources = formula_sheet.iter_rows(min_row=2, values_only=True, **bounds)
            for number, cells in enumerate(values, start=2):
                source = next(sources, ())
                if None in cells:
                    cells = tuple(
                        FormulaWithoutValue(f)
                        if v is None and isinstance(f, str) and f.startswith("=")
                        else v
                        for v, f in zip(cells, (*source, *[None] * len(cells)), strict=False)
                    )
                yield number, tuple(cells)
        finally:
            workbook.close()
            formulas.close()


def detect_encoding(path: Path) -> str:
    """utf-8-sig (BOM), utf-8, or cp1252 (Excel's « CSV » on French Windows)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_UTF8_BOM))
            if head == _UTF8_BOM:
                return "utf-8-sig"
            decoder.decode(head)
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1252"
    except FileNotFoundError:
        raise RecoursError(f"{path} : fichier introuvable") from None
    return "utf-8"


def detect_delimiter(header_line: str) -> str:
    """`;` (French Excel) or `,`: whichever separates more cells of the header line."""
    return ";" if header_line.count(";") >= header_line.count(",") else ","


class CsvSource(TableSource):
    """A CSV file; row numbers are those a spreadsheet shows (the header is row 1)."""

    def _read_layout(self) -> Layout:
        self.encoding = detect_encoding(self.path)
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                first = handle.readline()
        except UnicodeDecodeError:
            raise RecoursError(
                f"{self.path} : encodage non reconnu (UTF-8 ou Windows-1252 attendu)"
            ) from None
        self.delimiter = detect_delimiter(first)
        header = next(csv.reader([first], delimiter=self.delimiter), [])
        return self._layout_from(None, tuple(header))

    def _raw_rows(self, columns: range | None = None) -> Iterator[tuple[int, tuple[Any, ...]]]:
        start = columns.start if columns is not None else 0
        stop = columns.stop if columns is not None else None
        number = 1
        previous = csv.field_size_limit(MAX_CSV_FIELD)
        try:
            with self.path.open(encoding=self.encoding, newline="") as handle:
                reader = csv.reader(handle, delimiter=self.delimiter)
                next(reader, None)
                for number, cells in enumerate(reader, start=2):
                    yield number, tuple(cells[start:stop])
        except UnicodeDecodeError:
            raise RecoursError(
                f"{self.path} : encodage non reconnu (UTF-8 ou Windows-1252 attendu)"
            ) from None
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise RecoursError(
                    f"{self.path} : ligne {number + 1} : cellule de plus de "
                    f"{MAX_CSV_FIELD} caractères (guillemet non fermé ?) : lecture arrêtée"
                ) from None
            raise RecoursError(
                f"{self.path} : ligne {number + 1} : CSV illisible ({exc})"
            ) from None
        finally:
            csv.field_size_limit(previous)


def open_table(path: Path) -> TableSource:
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return XlsxSource(path)
    if suffix == ".csv":
        return CsvSource(path)
    raise RecoursError(
        f"{path} : format non pris en charge (attendu : .xlsx, .csv, .yaml, .yml ou .json)"
    )


def read_dossier_list(path: Path) -> tuple[list[Any], dict[tuple[str | int, ...], int]]:
    """A YAML or JSON list of dossiers (or a mapping with a `dossiers` list)."""
    from recours.dossier.validation import read_dossier_file
    from recours.errors import DossierInvalidError, FieldProblem

    data, lines = read_dossier_file(path)
    prefix: tuple[str | int, ...] = ()
    if isinstance(data, dict) and isinstance(data.get("dossiers"), list):
        data, prefix = data["dossiers"], ("dossiers",)
    if not isinstance(data, list):
        raise DossierInvalidError(
            str(path), [FieldProblem("", "une liste de dossiers est attendue", ligne=1)]
        )
    n = len(prefix)
    shifted = {loc[n:]: line for loc, line in lines.items() if loc[:n] == prefix}
    return data, shifted
