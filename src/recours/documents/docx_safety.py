"""What a Word template may not contain: links that make Word or LibreOffice fetch something.

Word templates travel by email. An image stored as a link (`TargetMode="External"` to an
http URL), a `file://` link, an attached template (`attachedTemplate`), a linked
sub-document or OLE object, or an INCLUDEPICTURE / INCLUDETEXT / LINK / DDE field would
pass into every letter, and the word processor fetches it when the letter is opened
(issue 15 §2). Ordinary web and e-mail hyperlinks are kept: they are only followed when
the reader clicks them. Parts too large once uncompressed (a zip bomb) are refused too.

Standard library only (zipfile and ElementTree, whose expat refuses external entities and
bounds entity expansion), so `modeles verifier` and the Word renderer share it cheaply.
"""

from __future__ import annotations

import io
import re
import zipfile
from urllib.parse import urlparse
from xml.etree import ElementTree as ET

from recours.documents.sandbox import MAX_TEMPLATE_BYTES

RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAFE_LINK_SCHEMES = {"http", "https", "mailto"}
FETCHING_FIELDS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|DDEAUTO|DDE|LINK|IMPORT|RD)\b")
MAX_TOTAL_BYTES = 4 * MAX_TEMPLATE_BYTES

_KINDS = {
    "attachedTemplate": "modèle attaché (attachedTemplate)",
    "image": "image liée",
    "hyperlink": "lien hypertexte",
    "oleObject": "objet OLE lié",
    "subDocument": "sous-document lié",
    "frame": "cadre lié",
    "package": "objet incorporé lié",
}


def _size(value: int) -> str:
    return f"{value / 1_000_000:.1f} Mo".replace(".", ",")


def external_problems(data: bytes) -> list[str]:
    """French descriptions of what, in a .docx, reaches outside the file or is too big."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return []  # the renderer and the verifier report an unreadable file themselves
    problems: list[str] = []
    with archive:
        infos = archive.infolist()
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > MAX_TEMPLATE_BYTES:
                problems.append(
                    f"partie « {info.filename} » trop volumineuse une fois décompressée "
                    f"({_size(info.file_size)} ; au plus {_size(MAX_TEMPLATE_BYTES)})"
                )
        if total > MAX_TOTAL_BYTES:
            problems.append(f"fichier trop volumineux une fois décompressé ({_size(total)})")
        if problems:
            return problems
        for info in infos:
            name = info.filename
            if name.endswith(".rels"):
                problems += _relationship_problems(name, archive.read(name))
            elif name.startswith("word/") and name.endswith(".xml"):
                problems += _field_problems(name, archive.read(name))
    return problems


def _relationship_problems(part: str, xml: bytes) -> list[str]:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"XML invalide dans « {part} » ({exc})"]
    problems = []
    for rel in root.iter(f"{RELS_NS}Relationship"):
        if rel.get("TargetMode", "").lower() != "external":
            continue
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        target = rel.get("Target", "")
        scheme = urlparse(target).scheme.lower()
        if kind == "hyperlink" and scheme in SAFE_LINK_SCHEMES:
            continue
        label = _KINDS.get(kind, f"relation externe « {kind} »")
        problems.append(
            f"{label} vers « {target} » (dans « {part} ») : un modèle ne doit rien charger "
            "hors du fichier ; insérez l'image ou le texte dans le document, supprimez le "
            "lien ou le modèle attaché (Word : Fichier > Options > Compléments > Modèles)"
        )
    return problems


def _field_problems(part: str, xml: bytes) -> list[str]:
    if b"instr" not in xml:
        return []
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return []  # reported by the Word structure checks
    codes = [e.text or "" for e in root.iter(f"{W}instrText")]
    codes += [e.get(f"{W}instr", "") for e in root.iter(f"{W}fldSimple")]
    found = sorted({m.group(1) for m in FETCHING_FIELDS.finditer(" ".join(codes).upper())})
    return [
        f"champ Word {name} (dans « {part} ») : il charge un fichier ou une adresse à "
        "l'ouverture du document ; remplacez-le par son contenu"
        for name in found
    ]
