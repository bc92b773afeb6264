"""PDF from a rendered Word document, through LibreOffice (when a lawyer edited only the
Word template, the PDF must show their edits: see generate.Renderers.pdf_source).

LibreOffice runs headless with a private profile in a temporary folder, so it neither
touches the user's profile nor hands the job to a LibreOffice window already open.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from recours.errors import RecoursError

TIMEOUT_S = 180


def soffice() -> str | None:
    """The LibreOffice executable, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(data: bytes, name: str) -> bytes:
    """Convert one Word document (bytes) to PDF with LibreOffice."""
    program = soffice()
    if program is None:
        raise RecoursError("LibreOffice est introuvable : impossible de convertir le Word en PDF")
    with tempfile.TemporaryDirectory(prefix="recours-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"{name}.docx"
        source.write_bytes(data)
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profil').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ]
        try:
            subprocess.run(command, capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise RecoursError(
                f"{name} : LibreOffice n'a pas converti le document en PDF en {TIMEOUT_S} s"
            ) from None
        target = folder / f"{name}.pdf"
        if not target.is_file():
            raise RecoursError(f"{name} : LibreOffice n'a pas pu convertir le document en PDF")
        return target.read_bytes()
