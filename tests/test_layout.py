"""Layout of the generated documents as their readers see them.

Word documents are converted by LibreOffice (as a Word user without Word would see them)
and read with `pdftotext -layout`: table cells keep their words whole, the header row
repeats, the signature block stays on one page with the inventory, the embedded font is
used. PDF documents are read with pypdf text positions. The Word tests skip cleanly when
LibreOffice or poppler is absent (CI installs them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from pypdf import PdfReader

from docs_text import AMOUNT_RE, SOFFICE, docx_paragraphs, libreoffice_pdf, normalise_line
from recours.documents import generate as documents_module
from recours.documents.generate import generate
from recours.dossier.validation import load_dossier, load_yaml, validate_dossier
from recours.errors import RecoursError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
TODAY = date(2026, 11, 22)
needs_libreoffice = pytest.mark.skipif(
    SOFFICE is None or shutil.which("pdftotext") is None,
    reason="LibreOffice (soffice) et poppler (pdftotext) sont nécessaires",
)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _convert(docx: list[Path], out: Path) -> None:
    libreoffice_pdf(docx, out, out / "profil")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [normalise_line_keep_gaps(page) for page in text.split("\f")[:-1]]


def normalise_line_keep_gaps(page: str) -> str:
    # No-break spaces become spaces; runs of spaces (column gaps) are kept.
    return page.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2019", "'")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every example's letters and requêtes in Word and PDF, the Word ones via LibreOffice."""
    folder = tmp_path_factory.mktemp("layout")
    files: list[Path] = []
    signatories: dict[Path, str] = {}
    for example in EXAMPLES:
        dossier = load_dossier(example)
        result = generate(
            dossier,
            sortie=folder / example.stem,
            today=TODAY,
            documents=["gracieux", "requete"],
            force=True,
        )
        for written in result.fichiers:
            files.append(written.path)
            signer = dossier.organisme.signataire or dossier.organisme.representant_legal
            name = signer.nom
            if written.document == "requete" and dossier.avocat is not None:
                name = dossier.avocat.nom
            signatories[written.path.with_suffix("")] = name
    converted: dict[Path, Path] = {}
    if SOFFICE is not None:
        out = folder / "libreoffice"
        out.mkdir()
        docx = [p for p in files if p.suffix == ".docx"]
        _convert(docx, out)
        converted = {p: out / f"{p.stem}.pdf" for p in docx}
    return {"files": files, "signatories": signatories, "converted": converted}


def _docx(generated: dict[str, Any]) -> list[Path]:
    return [p for p in generated["files"] if p.suffix == ".docx"]


# ------------------------------------------------------------------ Word, as saved


def test_word_paragraphs_use_named_styles_without_direct_layout(
    generated: dict[str, Any],
) -> None:
    for path in _docx(generated):
        doc = Document(str(path))
        body = doc.element.body
        styles = {p.style.name for p in doc.paragraphs if p.text.strip()}  # every visible paragraph
        assert "Normal" not in styles, path.name
        assert {"Corps", "Intertitre", "Signature", "Pièces"} <= styles, (path.name, styles)
        # Layout is in the styles: no paragraph-level alignment, indent, spacing or size.
        for tag in ("jc", "ind", "spacing"):
            assert not body.findall(f".//{W}p/{W}pPr/{W}{tag}"), (path.name, tag)
        assert not body.findall(f".//{W}r/{W}rPr/{W}sz"), path.name
        assert not body.findall(f".//{W}r/{W}rPr/{W}rFonts"), path.name


def test_word_tables_have_fitted_columns_repeated_header_and_unsplit_rows(
    generated: dict[str, Any],
) -> None:
    for path in _docx(generated):
        doc = Document(str(path))
        table = doc.tables[0]
        tbl = table._tbl
        assert tbl.tblPr.find(f"{W}tblLayout").get(f"{W}type") == "fixed"
        widths = [int(c.get(f"{W}w")) for c in tbl.tblGrid.gridCol_lst]
        assert len(set(widths)) > 2, widths  # not seven equal columns
        assert sum(widths) == pytest.approx(9071, abs=3)  # 16 cm of text width
        rows = tbl.findall(f"{W}tr")
        assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows), path.name
        # Amounts are right-aligned by their style.
        last = [c.paragraphs[0].style.name for c in table.rows[1].cells[-3:]]
        assert last == ["Tableau – montant"] * 3


def test_word_embeds_the_bundled_font(generated: dict[str, Any]) -> None:
    import zipfile

    from recours.documents.sandbox import bundled_templates_dir

    regular = (bundled_templates_dir() / "fonts" / "LiberationSerif-Regular.ttf").read_bytes()
    path = _docx(generated)[0]
    with zipfile.ZipFile(path) as archive:
        table = archive.read("word/fontTable.xml").decode()
        settings = archive.read("word/settings.xml").decode()
        fonts = sorted(n for n in archive.namelist() if n.startswith("word/fonts/"))
        embedded = archive.read(fonts[0])
    assert "<w:embedTrueTypeFonts/>" in settings
    assert 'w:name="Liberation Serif"' in table and "w:embedRegular" in table
    assert len(fonts) == 4
    key = re.search(r'w:embedRegular[^>]*w:fontKey="([^"]+)"', table)
    assert key is not None
    # ECMA-376 obfuscation: only the first 32 bytes differ; undoing it gives the font back.
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "build_docx_templates", ROOT / "tools" / "build_docx_templates.py"
    )
    assert spec is not None and spec.loader is not None
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    obfuscate_font = builder.obfuscate_font
    assert embedded[32:] == regular[32:] and embedded[:32] != regular[:32]
    assert obfuscate_font(embedded, key.group(1)) == regular


def test_first_of_the_month_is_superscript_in_word(generated: dict[str, Any]) -> None:
    path = next(p for p in _docx(generated) if "sarthe" in p.name)
    body_xml = Document(str(path)).element.body
    raised = [
        r
        for r in body_xml.iter(f"{W}r")
        if r.find(f"{W}rPr/{W}vertAlign") is not None
        and r.find(f"{W}rPr/{W}vertAlign").get(f"{W}val") == "superscript"
    ]

    def text(run: Any) -> str:
        return "".join(t.text or "" for t in run.iter(f"{W}t"))

    assert raised and all(text(r) == "er" for r in raised)
    for run in raised:
        assert text(run.getprevious()).endswith("1")
    body = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "'" not in body  # one apostrophe: the typographic one
    assert "’" in body


# ------------------------------------------------------------------ Word, via LibreOffice


@needs_libreoffice
def test_libreoffice_uses_the_embedded_font(generated: dict[str, Any]) -> None:
    for pdf in generated["converted"].values():
        reader = PdfReader(str(pdf))
        fonts = {
            str(font["/BaseFont"])
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert fonts and all("LiberationSerif" in f for f in fonts), (pdf.name, fonts)


@needs_libreoffice
def test_no_word_is_split_inside_a_table_cell(generated: dict[str, Any]) -> None:
    for docx, pdf in generated["converted"].items():
        pages = _pages(pdf)
        lines = [line for page in pages for line in page.splitlines()]
        flat = "\n".join(lines)
        rows = [r for r in docx_paragraphs(docx) if r.count(" | ") == 6]
        for row in rows[1:]:
            cells = row.split(" | ")
            for amount in AMOUNT_RE.findall(" | ".join(cells[4:])):
                assert amount.replace("\u00a0", " ") in flat, (pdf.name, amount)
            finess = re.search(r"\(\d{9}\)", cells[0])
            if finess:
                assert finess.group(0) in flat, (pdf.name, finess.group(0))
        header = next(line for line in lines if "Établissement" in line)
        assert re.search(r"Établissement\s+Exercice\s+Calcul\s+Part\s+Dû\s+Reçu\s+Reste dû", header)
        assert not [line for line in lines if line.strip() in {"€", "t", "8)"}], pdf.name


@needs_libreoffice
def test_table_header_is_on_every_page_the_table_reaches(tmp_path: Path) -> None:
    raw = load_yaml((ROOT / "examples" / "multisite-ars-cpom.yaml").read_text("utf-8"))
    extra = []
    for i in range(14):  # enough rows for the table to run over a page break
        etab = {**raw["etablissements"][0], "nom": f"Site annexe n° {i + 1}"}
        etab["finess"] = f"930001{i:03d}"
        extra.append(etab)
    raw["etablissements"] += extra
    dossier = validate_dossier(raw, "long")
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["gracieux"], formats=["docx"]
    )
    docx = result.fichiers[0].path
    _convert([docx], tmp_path)
    pages = _pages(tmp_path / f"{docx.stem}.pdf")
    # Table rows: the site's name, then its exercise in the next column.
    with_rows = [p for p in pages if re.search(r"Site annexe n° \d+\s{2,}20\d\d", p)]
    assert len(with_rows) >= 2
    for page in with_rows:
        assert re.search(r"Établissement\s+Exercice\s+Calcul", page)


@needs_libreoffice
def test_signature_block_and_inventory_share_a_page_in_word(generated: dict[str, Any]) -> None:
    for docx, pdf in generated["converted"].items():
        pages = _pages(pdf)
        name = generated["signatories"][docx.with_suffix("")]
        page = next(i for i, p in enumerate(pages) if re.search(rf"^\s*{name}\s*$", p, re.M))
        text = pages[page]
        closing = "Nous vous prions d'agréer" if "gracieux" in docx.name else "Fait "
        inventory = "Pièces jointes" if "gracieux" in docx.name else "Inventaire détaillé"
        assert closing in text, (pdf.name, page)
        assert inventory in text, (pdf.name, page)
        assert page == len(pages) - 1  # the inventory follows the signature, on the last page
        assert not re.search(r"^\s*(Madame|Monsieur) " + name, text, re.M)
        lines = text.splitlines()
        start = next(i for i, line in enumerate(lines) if closing in line)
        signed = next(i for i, line in enumerate(lines) if name in line)
        # Room for a handwritten signature: at least three blank lines in between.
        assert sum(1 for line in lines[start:signed] if not line.strip()) >= 3, pdf.name
        assert len(pages) <= 3, pdf.name


@needs_libreoffice
def test_multiline_text_keeps_its_breaks_without_stretching(tmp_path: Path) -> None:
    raw = load_yaml((ROOT / "examples" / "mecs-conseil-departemental.yaml").read_text("utf-8"))
    raw["faits_complementaires"] = (
        "Première ligne courte\nDeuxième ligne, courte elle aussi\nTroisième ligne"
    )
    result = generate(
        validate_dossier(raw, "lignes"),
        sortie=tmp_path,
        today=TODAY,
        documents=["gracieux"],
        formats=["docx"],
    )
    docx = result.fichiers[0].path
    _convert([docx], tmp_path)
    lines = [line.strip() for p in _pages(tmp_path / f"{docx.stem}.pdf") for line in p.splitlines()]
    # Justified lines ended by a manual break would be spread across the width.
    assert "Première ligne courte" in lines
    assert "Deuxième ligne, courte elle aussi" in lines


# ------------------------------------------------------------------ PDF (WeasyPrint)


def _positions(pdf: Path) -> list[tuple[int, float, str]]:
    """(page, height from the bottom in points, text) of every text run."""
    out: list[tuple[int, float, str]] = []
    for index, page in enumerate(PdfReader(str(pdf)).pages):

        def visit(text: str, cm: Any, tm: Any, font: Any, size: Any, index: int = index) -> None:
            if text.strip():
                out.append((index, cm[3] * tm[5] + cm[5], normalise_line(text)))

        page.extract_text(visitor_text=visit)
    return out


def test_pdf_signature_block_is_on_one_page_with_room_to_sign(
    generated: dict[str, Any],
) -> None:
    for pdf in (p for p in generated["files"] if p.suffix == ".pdf"):
        runs = _positions(pdf)
        pages = len(PdfReader(str(pdf)).pages)
        name = generated["signatories"][pdf.with_suffix("")]
        closing = "Nous vous prions d'agréer" if "gracieux" in pdf.name else "Fait "
        inventory = "Pièces jointes" if "gracieux" in pdf.name else "Inventaire détaillé"
        start = next(r for r in runs if r[2].startswith(closing))
        signed = next(r for r in runs if r[2] == name)
        listed = next(r for r in runs if r[2].startswith(inventory))
        assert start[0] == signed[0] == listed[0] == pages - 1, pdf.name
        # Closing formula, then at least 50 pt of blank space, then the typed name.
        above = [r for r in runs if r[0] == start[0] and signed[1] < r[1] < start[1] + 1]
        lowest_text_above = min(r[1] for r in above) if above else start[1]
        assert lowest_text_above - signed[1] >= 50, pdf.name
        assert not any(r[2] in {f"Madame {name}", f"Monsieur {name}"} for r in runs)


def test_pdf_typography(generated: dict[str, Any]) -> None:
    pdf = next(p for p in generated["files"] if p.suffix == ".pdf" and "sarthe" in p.name)
    raw = "\n".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "'" not in raw and "’" in raw  # one apostrophe
    assert "Sé-" not in raw and "\u2010" not in raw  # no hyphenation
    assert "(MECS))" not in raw  # no doubled parentheses
    assert re.search(r"\d\u00a0€", raw)  # no-break space before €
    runs = _positions(pdf)
    # « 1er » : « er » is raised above the baseline of its « 1 ».
    first = [r for r in runs if r[2] == "er"]
    assert first


# ------------------------------------------------------------------ lawyers' Word edits


def _custom_templates(tmp_path: Path) -> Path:
    from recours.documents.sandbox import bundled_templates_dir

    custom = tmp_path / "modeles"
    shutil.copytree(bundled_templates_dir(), custom)
    doc = Document(str(custom / "recours_gracieux.docx"))
    doc.add_paragraph("Clause ajoutée par le cabinet.", style="Corps")
    doc.save(str(custom / "recours_gracieux.docx"))
    documents_module.renderers_for.cache_clear()
    return custom


@needs_libreoffice
def test_pdf_follows_an_edited_word_template(tmp_path: Path) -> None:
    custom = _custom_templates(tmp_path)
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    result = generate(dossier, sortie=tmp_path / "out", today=TODAY, modeles=custom)
    pdf = next(f for f in result.fichiers if f.format == "pdf")
    assert pdf.modele == custom / "recours_gracieux.docx"
    text = normalise_line(" ".join(p.extract_text() for p in PdfReader(str(pdf.path)).pages))
    assert "Clause ajoutée par le cabinet." in text
    assert any("PDF produit depuis votre modèle Word" in w for w in result.avertissements)


def test_edited_word_template_without_libreoffice_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recours.documents import convert

    custom = _custom_templates(tmp_path)
    monkeypatch.setattr(convert, "soffice", lambda: None)
    dossier = load_dossier(ROOT / "examples" / "mecs-conseil-departemental.yaml")
    with pytest.raises(RecoursError) as info:
        generate(dossier, sortie=tmp_path / "out", today=TODAY, modeles=custom)
    assert "recours_gracieux.docx a été modifié, pas le modèle recours_gracieux.html" in str(
        info.value
    )
    assert not (tmp_path / "out").exists()
    # The Word document alone is still possible.
    result = generate(
        dossier, sortie=tmp_path / "out", today=TODAY, modeles=custom, formats=["docx"]
    )
    assert [f.format for f in result.fichiers] == ["docx"]
    documents_module.renderers_for.cache_clear()


def test_word_template_errors_give_the_page_word_shows(tmp_path: Path) -> None:
    from recours.authoring.check import check_templates

    doc = Document()
    doc.add_paragraph("Première page du modèle.")
    doc.add_page_break()  # as Word saves a page change (w:br type="page")
    doc.add_paragraph("Madame, {{ organisme.raison_socialle }}")
    doc.save(str(tmp_path / "recours_gracieux.docx"))
    rapport = check_templates(tmp_path, render=False)
    problem = next(p for p in rapport.erreurs if "raison_socialle" in p.message)
    assert problem.lieu.startswith("page 2, paragraphe ")
    assert problem.extrait == "Madame, {{ organisme.raison_socialle }}"
    assert "docxtpl" not in " ".join(p.message for p in rapport.problemes)


def test_modeles_verifier_says_which_template_the_pdf_follows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from recours.authoring.check import check_templates, report_text
    from recours.documents import convert

    custom = _custom_templates(tmp_path)
    monkeypatch.setattr(convert, "soffice", lambda: None)
    text = report_text(check_templates(custom, render=False))
    assert (
        "recours_gracieux.docx modifié, recours_gracieux.html inchangé : le PDF sera produit "
        "depuis le document Word par LibreOffice (LibreOffice est ABSENT" in text
    )
    assert "requete.docx modifié" not in text  # untouched pair: nothing to say
    documents_module.renderers_for.cache_clear()
