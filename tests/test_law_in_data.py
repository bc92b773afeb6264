"""Law lives in the referential only (issue 9 §2): no duration, accord date or reform date is
restated as a literal in the code or the templates, where a change of the referential would
leave it silently wrong."""

from __future__ import annotations

import ast
import re
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "recours"
TEMPLATES = ROOT / "templates"

# A duration in words or figures ("deux mois", "d'un an", "15 jours"), the accord's date and
# the date of the 2025 reform of the tariff courts.
LEGAL_LITERALS = re.compile(
    r"\b(?:un|une|deux|trois|quatre|cinq|six|huit|douze|quinze|\d+)\s+(?:mois|ans?|jours?)\b"
    r"(?!\s+(?:férié|ouvrable))"
    r"|4 juin 2024|2024-06-04|1er janvier 2025|2025-01-01",
    re.IGNORECASE,
)


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String constants of a module, docstrings excepted (they explain, they are not printed
    in documents)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def _offences() -> list[str]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for line, text in _code_strings(path):
            for match in LEGAL_LITERALS.finditer(text):
                found.append(f"{path.relative_to(ROOT)}:{line}: « {match.group()} »")
    for path in sorted(TEMPLATES.glob("*.html")):
        for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in LEGAL_LITERALS.finditer(text):
                found.append(f"{path.relative_to(ROOT)}:{number}: « {match.group()} »")
    for path in sorted(TEMPLATES.glob("*.docx")):
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml").decode("utf-8")
        text = re.sub(r"<[^>]+>", "", xml)
        for match in LEGAL_LITERALS.finditer(text):
            found.append(f"{path.relative_to(ROOT)}: « {match.group()} »")
    return found


def test_no_legal_literal_outside_the_referential() -> None:
    assert _offences() == []


@pytest.mark.parametrize(
    "sample",
    ["dans un délai de deux mois", "délai raisonnable d'un an", "accord du 4 juin 2024"],
)
def test_the_pattern_catches_what_it_is_meant_to(sample: str) -> None:
    assert LEGAL_LITERALS.search(sample)


def test_the_pattern_spares_what_is_not_a_duration() -> None:
    assert not LEGAL_LITERALS.search("le 14 mai 2026 est un jour férié local")
