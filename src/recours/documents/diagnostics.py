"""`recours diagnostic`: what affects the output and the speed on this machine."""

from __future__ import annotations

import ctypes.util
import platform
import shutil
from importlib import metadata

from recours.documents.sandbox import bundled_templates_dir


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def diagnostic_text() -> str:
    templates = bundled_templates_dir()
    fonts = sorted(p.name for p in (templates / "fonts").glob("*.ttf"))
    harfbuzz = ctypes.util.find_library("harfbuzz-subset")
    lines = [
        f"Python {platform.python_version()} ({platform.system()} {platform.machine()})",
        f"recours {_version('recours')}, WeasyPrint {_version('weasyprint')}, "
        f"docxtpl {_version('docxtpl')}, python-docx {_version('python-docx')}, "
        f"Jinja2 {_version('Jinja2')}",
        f"Modèles fournis : {templates}",
        f"Polices embarquées : {', '.join(fonts) if fonts else 'AUCUNE (rendu PDF variable)'}",
    ]
    if harfbuzz:
        lines.append(
            f"libharfbuzz-subset : présente ({harfbuzz}) — sous-ensemble des polices rapide"
        )
    else:
        lines.append(
            "libharfbuzz-subset : ABSENTE — WeasyPrint utilise fontTools, environ 2,4 fois plus "
            "lent. Sous Debian/Ubuntu : apt-get install libharfbuzz-subset0"
        )
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    lines.append(
        "LibreOffice (facultatif : PDF depuis un modèle Word modifié, contrôle des .docx) : "
        f"{soffice or 'absent'}"
    )
    return "\n".join(lines)
