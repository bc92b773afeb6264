"""The user's own pièces for a Télérecours folder: found, readable PDF, within the size limit.

pypdf is imported here only (it reads the file the way a viewer would: a truncated or
mislabelled file is refused before anything is written).
"""

from __future__ import annotations

import logging
from decimal import Decimal
from pathlib import Path

from recours.formatting import nombre

# « Mo » read as 10^6 bytes: the prudent reading of the 32 Mo limit.
MEGAOCTET = 1_000_000


def resolve(source: str, base: Path) -> Path:
    """A pièce's path as written in the dossier, relative to the dossier's folder."""
    path = Path(source).expanduser()
    return path if path.is_absolute() else base / path


def check_pdf(path: Path, max_mo: Decimal) -> str | None:
    """What is wrong with the pièce's file, in French, or None."""
    if not path.is_file():
        return f"fichier introuvable : {path}"
    size = path.stat().st_size
    if size > max_mo * MEGAOCTET:
        return (
            f"{path} pèse {nombre(Decimal(size) / MEGAOCTET, 1)} Mo : au-delà de "
            f"{nombre(max_mo, 0)} Mo par fichier, Télérecours le refuse (scannez-la en "
            "résolution plus basse ou découpez-la en plusieurs pièces)"
        )
    if path.suffix.lower() != ".pdf":
        return f"{path} n'est pas un PDF : enregistrez la pièce au format PDF"
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return f"{path} n'est pas un PDF lisible (en-tête PDF absent)"
            handle.seek(0)
            reader = PdfReader(handle)
            if reader.is_encrypted:
                return (
                    f"{path} est protégé par un mot de passe : Télérecours ne pourra pas l'ouvrir"
                )
            if len(reader.pages) == 0:
                return f"{path} ne contient aucune page"
    except (PyPdfError, OSError, ValueError):
        return f"{path} ne s'ouvre pas comme un PDF : fichier endommagé ou incomplet"
    return None
