"""The one Jinja environment policy for every template: sandboxed, autoescaped, strict.

Templates travel by email (lawyers adapt them): they are untrusted code. The sandbox
blocks access to Python internals, autoescape keeps `&` and `<` from breaking Word's XML
or the HTML, and StrictUndefined turns a misspelt variable into an error instead of a
silent blank in a legal letter.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from recours.context import MultiLine

TEMPLATE_FILES = {
    ("gracieux", "docx"): "recours_gracieux.docx",
    ("gracieux", "pdf"): "recours_gracieux.html",
    ("requete", "docx"): "requete.docx",
    ("requete", "pdf"): "requete.html",
    ("inventaire", "pdf"): "inventaire.html",
    ("montants", "pdf"): "tableau_montants.html",
}
STYLESHEET = "style.css"


def bundled_templates_dir() -> Path:
    """templates/ inside the wheel, or the repository's top-level templates/ in a checkout."""
    packaged = Path(__file__).resolve().parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def make_env(loader: BaseLoader | None = None) -> SandboxedEnvironment:
    return SandboxedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def html_env(search_path: Sequence[Path]) -> SandboxedEnvironment:
    return make_env(FileSystemLoader([str(p) for p in search_path], encoding="utf-8"))


def convert_multiline(value: Any, convert: Callable[[MultiLine], Any]) -> Any:
    """Copy a context, turning every MultiLine into what one output format needs."""
    if isinstance(value, MultiLine):
        # An empty text stays a plain empty string so that `{% if texte %}` is false.
        return convert(value) if value else ""
    if isinstance(value, dict):
        return {k: convert_multiline(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_multiline(v, convert) for v in value]
    return value


def heavy_modules_loaded() -> list[str]:
    """Which heavy engines this process has imported (for diagnostics and tests)."""
    return [m for m in ("weasyprint", "docxtpl", "questionary") if m in sys.modules]
