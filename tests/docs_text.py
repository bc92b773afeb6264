"""Text extraction and normalisation of generated documents, for content assertions."""

from __future__ import annotations

import re
import shutil
import subprocess
import textwrap
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

SPACES = re.compile(r"[ \t\u00a0\u202f]+")
# Documents print the typographic apostrophe (documents/typography.py); content checks
# and golden files compare text, so they see one apostrophe whatever the typography.
APOSTROPHE = str.maketrans({"\u2019": "'"})


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_pdf(docs: list[Path], out: Path, profile: Path) -> None:
    """Convert Word documents to PDF in ``out`` with one LibreOffice run (a real Word
    client), under a private profile."""
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, docs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def word_template(path: Path, *paragraphs: str) -> Path:
    """A minimal Word template made of these paragraphs."""
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


def docx_paragraphs(path: Path) -> list[str]:
    """Body paragraphs and table rows, in document order (table cells joined by ' | ')."""
    doc = Document(str(path))
    out: list[str] = []
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, doc).text)
        elif tag == "tbl":
            for row in Table(child, doc).rows:
                out.append(" | ".join(cell.text for cell in row.cells))
    return [normalise_line(p) for p in out if p.strip()]


def docx_footer(path: Path) -> str:
    doc = Document(str(path))
    return normalise_line(" ".join(p.text for p in doc.sections[0].footer.paragraphs))


FOOTER_RE = re.compile(r"^.*page \d+ / \d+$")


def pdf_text(path: Path, footers: bool = True) -> str:
    """Text of every page; without the running footers when `footers` is False."""
    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    if not footers:
        text = "\n".join(line for line in text.splitlines() if not FOOTER_RE.match(line))
    return text


def normalise_line(text: str) -> str:
    return SPACES.sub(" ", text.translate(APOSTROPHE)).strip()


def normalise_pdf(text: str) -> str:
    """One line of words: hyphenation breaks (U+2010 at line end) joined, spaces collapsed."""
    text = re.sub("\u2010\\s*\n\\s*", "", text.translate(APOSTROPHE))
    return SPACES.sub(" ", re.sub(r"\s+", " ", text)).strip()


def squash(text: str) -> str:
    """Text without any whitespace, to compare content across layouts."""
    return re.sub(r"[\s\u00a0\u202f\u2010]+", "", text.translate(APOSTROPHE))


def golden_docx(path: Path) -> str:
    return "\n".join(docx_paragraphs(path)) + "\n-- pied de page --\n" + docx_footer(path) + "\n"


def golden_pdf(path: Path) -> str:
    reader = PdfReader(str(path))
    pages = [normalise_pdf(page.extract_text() or "") for page in reader.pages]
    wrapped = [textwrap.fill(p, width=100) for p in pages]
    return "".join(f"-- page {i} --\n{text}\n" for i, text in enumerate(wrapped, start=1))


AMOUNT_RE = re.compile(r"\d{1,3}(?:[ \u202f\u00a0]\d{3})*,\d{2}[ \u00a0]€")
DATE_RE = re.compile(
    r"\b(?:1er|\d{1,2}) (?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|"
    r"octobre|novembre|décembre) \d{4}\b"
)


def amounts(text: str) -> set[str]:
    return {SPACES.sub(" ", a) for a in AMOUNT_RE.findall(text)}


def dates(text: str) -> set[str]:
    return set(DATE_RE.findall(SPACES.sub(" ", text)))
