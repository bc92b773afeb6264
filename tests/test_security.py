"""Hostile templates, hostile cells, big files (issue 15): each attack is built by its test.

Nothing here is a checked-in bomb: symlinks, external relationships, resource-hungry
templates, formula cells, shared-strings bombs and YAML alias bombs are written into
tmp_path by the test that uses them.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

import recours.documents.sandbox as sandbox
from docs_text import word_template
from recours.authoring.check import check_templates, report_text
from recours.authoring.variables import EXAMPLE_TODAY
from recours.cli.main import main
from recours.documents.context import Context, gracieux_context
from recours.documents.metadata import Metadonnees
from recours.documents.render_docx import DocxRenderer
from recours.documents.render_pdf import PdfRenderer, TemplateFolderFetcher
from recours.documents.sandbox import bundled_templates_dir, make_env
from recours.dossier.validation import load_dossier
from recours.errors import TemplateError
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mecs-conseil-departemental.yaml"
SECRET = "SECRET-HORS-DU-DOSSIER-4242"
ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)


@pytest.fixture(scope="module")
def context() -> Context:
    analysis = analyse(load_dossier(EXAMPLE), EXAMPLE_TODAY, load_referentiel())
    return gracieux_context(analysis, next(d for d in analysis.documents if d.kind == "gracieux"))


def props() -> Metadonnees:
    return Metadonnees("t", "a", "s", EXAMPLE_TODAY)


def meta() -> Metadonnees:
    return Metadonnees("t", "a", "s", EXAMPLE_TODAY)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the templates folder that a symlink tries to reach."""
    path = tmp_path / "ailleurs" / "secret.html"
    path.parent.mkdir()
    path.write_text(f"<p>{SECRET}</p>", encoding="utf-8")
    return path


def problem_messages(folder: Path, **kwargs: Any) -> list[str]:
    return [f"{p.fichier} : {p.message}" for p in check_templates(folder, **kwargs).erreurs]


# ------------------------------------------------------------------ §1 symlinks


def test_symlinked_include_is_refused_by_the_renderer(
    tmp_path: Path, secret: Path, context: Context
) -> None:
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "entete.html").symlink_to(secret)
    (folder / "recours_gracieux.html").write_text(
        '<p>Lettre</p>{% include "entete.html" %}', encoding="utf-8"
    )
    renderer = PdfRenderer([folder, bundled_templates_dir()])
    with pytest.raises(TemplateError) as info:
        renderer.html("recours_gracieux.html", context)
    assert str(info.value).startswith(
        "entete.html : lien symbolique vers un fichier hors du dossier des modèles"
    )
    assert SECRET not in str(info.value)


def test_symlinked_template_itself_is_refused(
    tmp_path: Path, secret: Path, context: Context
) -> None:
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "recours_gracieux.html").symlink_to(secret)
    renderer = PdfRenderer([folder, bundled_templates_dir()])
    with pytest.raises(TemplateError, match="hors du dossier des modèles"):
        renderer.render("recours_gracieux.html", context, meta())


def test_symlinked_word_template_is_refused(tmp_path: Path, context: Context) -> None:
    elsewhere = word_template(tmp_path / "autre.docx", "Objet")
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "recours_gracieux.docx").symlink_to(elsewhere)
    with pytest.raises(TemplateError, match="hors du dossier des modèles"):
        DocxRenderer(folder / "recours_gracieux.docx")


def test_symlink_inside_the_folder_is_allowed(tmp_path: Path, context: Context) -> None:
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "vrai.html").write_text("<p>Pied</p>", encoding="utf-8")
    (folder / "pied.html").symlink_to(folder / "vrai.html")
    (folder / "recours_gracieux.html").write_text(
        '<p>Lettre</p>{% include "pied.html" %}', encoding="utf-8"
    )
    html = PdfRenderer([folder, bundled_templates_dir()]).html("recours_gracieux.html", context)
    assert "<p>Pied</p>" in html


def test_pdf_fetcher_refuses_a_symlinked_resource(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "logo.png").symlink_to(secret)
    fetcher = TemplateFolderFetcher([folder])
    url = (folder / "logo.png").as_uri()
    with pytest.raises(ValueError, match="accès refusé hors du dossier des modèles"):
        fetcher.fetch(url)


def test_verifier_reports_symlinks_leaving_the_folder(tmp_path: Path, secret: Path) -> None:
    folder = tmp_path / "modeles"
    (folder / "sous").mkdir(parents=True)
    (folder / "entete.html").symlink_to(secret)
    (folder / "sous" / "lien").symlink_to(secret.parent)
    (folder / "recours_gracieux.html").write_text(
        '<p>{{ organisme.raison_sociale }}</p>{% include "entete.html" %}', encoding="utf-8"
    )
    rapport = check_templates(folder, pdf=False)
    messages = [f"{p.fichier} : {p.message}" for p in rapport.erreurs]
    assert (
        f"entete.html : lien symbolique vers « {secret} », hors du dossier des modèles : "
        "refusé (copiez le fichier dans le dossier au lieu d'un lien)" in messages
    )
    assert any(m.startswith("sous/lien : lien symbolique vers") for m in messages)
    # The include is also refused when the examples are rendered, not filled with the secret.
    assert any("recours_gracieux.html" in m and "hors du dossier" in m for m in messages)
    assert "0 erreur" not in report_text(rapport)
    assert SECRET not in report_text(rapport)


def test_generer_refuses_a_symlinked_include(
    tmp_path: Path, secret: Path, runner: CliRunner
) -> None:
    folder = tmp_path / "modeles"
    folder.mkdir()
    (folder / "entete.html").symlink_to(secret)
    (folder / "recours_gracieux.html").write_text(
        '<p>Lettre</p>{% include "entete.html" %}', encoding="utf-8"
    )
    sortie = tmp_path / "sortie"
    result = runner.invoke(
        main,
        [
            "generer", str(EXAMPLE), "--modeles", str(folder), "--sortie", str(sortie),
            "--documents", "gracieux", "--formats", "pdf", "--aujourdhui", "2026-11-20",
        ],
    )  # fmt: skip
    assert result.exit_code == 1
    assert "entete.html : lien symbolique vers un fichier hors du dossier" in result.stderr
    assert not list(sortie.rglob("*.pdf"))


# ------------------------------------------------------------------ §2 external links


def _external_docx(path: Path, kind: str) -> Path:
    doc = Document()
    doc.add_paragraph("Objet : {{ organisme.raison_sociale }}")
    if kind == "image":
        doc.part.relate_to("http://example.com/pixel.png", RT.IMAGE, is_external=True)
    elif kind == "file-link":
        doc.part.relate_to("file:///etc/passwd", RT.HYPERLINK, is_external=True)
    elif kind == "attached-template":
        doc.part._settings_part.relate_to(
            "http://example.com/modele.dotm", ATTACHED_TEMPLATE, is_external=True
        )
    doc.save(str(path))
    if kind == "includepicture":
        _replace_in_part(
            path,
            "word/document.xml",
            b"</w:body>",
            b'<w:p><w:fldSimple w:instr=" INCLUDEPICTURE &quot;http://example.com/x.png&quot; '
            b'\\d "><w:r><w:t>x</w:t></w:r></w:fldSimple></w:p></w:body>',
        )
    return path


def _replace_in_part(path: Path, part: str, old: bytes, new: bytes) -> None:
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            dst.writestr(info, data.replace(old, new, 1) if info.filename == part else data)


EXTERNAL = {
    "image": "image liée vers « http://example.com/pixel.png »",
    "file-link": "lien hypertexte vers « file:///etc/passwd »",
    "attached-template": "modèle attaché (attachedTemplate) vers « http://example.com/modele.dotm »",
    "includepicture": "champ Word INCLUDEPICTURE (dans « word/document.xml »)",
}


@pytest.mark.parametrize("kind", sorted(EXTERNAL))
def test_external_relationship_refused_by_generer(
    tmp_path: Path, context: Context, kind: str
) -> None:
    path = _external_docx(tmp_path / "recours_gracieux.docx", kind)
    with pytest.raises(TemplateError) as info:
        DocxRenderer(path).render(context, props())
    assert str(info.value).startswith("recours_gracieux.docx : modèle refusé : " + EXTERNAL[kind])


@pytest.mark.parametrize("kind", sorted(EXTERNAL))
def test_external_relationship_reported_by_verifier(tmp_path: Path, kind: str) -> None:
    _external_docx(tmp_path / "recours_gracieux.docx", kind)
    messages = problem_messages(tmp_path, pdf=False)
    assert any(m.startswith("recours_gracieux.docx : " + EXTERNAL[kind]) for m in messages)


def test_web_hyperlink_is_kept(tmp_path: Path, context: Context) -> None:
    path = tmp_path / "recours_gracieux.docx"
    doc = Document()
    doc.add_paragraph("Objet : {{ organisme.raison_sociale }}")
    doc.part.relate_to("https://www.telerecours.fr", RT.HYPERLINK, is_external=True)
    doc.save(str(path))
    assert DocxRenderer(path).render(context, props()).startswith(b"PK")


def test_bundled_word_templates_have_no_external_link() -> None:
    from recours.documents.docx_safety import external_problems

    for path in sorted(bundled_templates_dir().glob("*.docx")):
        assert external_problems(path.read_bytes()) == [], path.name


# ------------------------------------------------------------------ §3 resource bounds

BOUNDS = {
    '{{ ("x"|center(2*10**9))|length }}': (
        "largeur de mise en forme trop grande dans le modèle (2000000000 ; au plus 10\u202f000)"
    ),
    '{{ "%0999999999d" % 1 }}': (
        "largeur de mise en forme trop grande dans le modèle (999999999 ; au plus 10\u202f000)"
    ),
    '{{ "%0999999999d"|format(1) }}': (
        "largeur de mise en forme trop grande dans le modèle (999999999 ; au plus 10\u202f000)"
    ),
    '{{ "{:>999999999}".format(1) }}': (
        "largeur de mise en forme trop grande dans le modèle (999999999 ; au plus 10\u202f000)"
    ),
    '{{ "x".ljust(10**9) }}': (
        "largeur de mise en forme trop grande dans le modèle (1000000000 ; au plus 10\u202f000)"
    ),
    "{{ (((9**1000)**1000)**1000) }}": "nombre trop grand construit par le modèle",
    "{% set b = 9**999 %}{{ b * b * b * b * b * b * b * b }}": (
        "nombre trop grand construit par le modèle"
    ),
    "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}": (
        "boucles trop longues dans le modèle (plus de 1\u202f000\u202f000 tours)"
    ),
    '{{ (["x" * 1000000] * 1000000)|join }}': "texte ou liste trop long construit par le modèle",
    '{% set ns = namespace(x="x") %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}'
    "{% endfor %}": "texte ou liste trop long construit par le modèle",
    '{% macro f(s, n) %}{{ f(s ~ s, n - 1) if n else s|length }}{% endmacro %}{{ f("x", 60) }}': (
        "texte ou liste trop long construit par le modèle"
    ),
    '{% macro m() %}{% for i in range(100000) %}{{ "x" * 100000 }}{% endfor %}{% endmacro %}'
    "{% set y = m() %}": (
        "document trop long produit par le modèle (plus de 10\u202f000\u202f000 caractères)"
    ),
    "{% for i in range(100000) %}" + "y" * 1000 + "{% endfor %}": (
        "document trop long produit par le modèle (plus de 10\u202f000\u202f000 caractères)"
    ),
    '{{ range(5)|batch(10**9, "x")|list }}': "batch() trop grand dans un modèle (plus de 100000)",
    '{{ "a\nb"|indent(10**9) }}': (
        "largeur de mise en forme trop grande dans le modèle (1000000000 ; au plus 10\u202f000)"
    ),
    '{{ ("x" * 1000000).replace("x", "yy") }}': "texte ou liste trop long construit par le modèle",
    '{{ ("x" * 1000000)|replace("", "yy") }}': "texte ou liste trop long construit par le modèle",
    "{{ lipsum(10**9) }}": "lipsum() trop grand dans un modèle",
}


@pytest.mark.parametrize("source", sorted(BOUNDS))
def test_resource_bound(source: str) -> None:
    with pytest.raises(sandbox.TemplateLimitError) as info:
        make_env().from_string(source).render()
    assert str(info.value) == BOUNDS[source]


def test_wall_time_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    # A template that stays under every other bound but computes for a long time: each
    # turn sorts a list of 100,000 numbers (40 of them already take seconds).
    monkeypatch.setattr(sandbox, "MAX_SECONDS", 0.2)
    source = "{% for i in range(100000) %}{% set x = range(100000)|sort %}{% endfor %}"
    with pytest.raises(sandbox.TemplateLimitError) as info:
        make_env().from_string(source).render()
    assert str(info.value) == (
        "rendu interrompu au bout de 0.2 secondes : le modèle demande trop de calculs"
    )


def test_bounds_leave_ordinary_templates_alone() -> None:
    template = make_env().from_string(
        "{{ 2 * 3 }} {{ 'ab' * 2 }} {{ 2 ** 10 }} {{ '%05.1f' % 3.14159 }} "
        "{{ '{:>4}'.format('a') }} {{ 'x'|center(5) }}|"
        "{% for i in [1, 2] %}{{ loop.index }}/{{ loop.length }} {% endfor %}"
        "{% set ns = namespace(n=0) %}{% for i in range(3) %}{% set ns.n = ns.n + i %}"
        "{% endfor %}{{ ns.n }}"
    )
    assert template.render() == "6 abab 1024 003.1    a   x  |1/2 2/2 3"


def test_resource_bound_names_the_word_template(tmp_path: Path, context: Context) -> None:
    path = word_template(
        tmp_path / "recours_gracieux.docx",
        "{% for a in range(100000) %}{% for b in range(100000) %}{% endfor %}{% endfor %}",
    )
    with pytest.raises(TemplateError) as info:
        DocxRenderer(path).render(context, props())
    assert str(info.value) == (
        "recours_gracieux.docx : boucles trop longues dans le modèle (plus de "
        "1\u202f000\u202f000 tours)"
    )


def test_resource_bound_names_the_html_template(tmp_path: Path, context: Context) -> None:
    (tmp_path / "recours_gracieux.html").write_text(
        '<p>{{ "%0999999999d" % 1 }}</p>', encoding="utf-8"
    )
    with pytest.raises(TemplateError) as info:
        PdfRenderer([tmp_path, bundled_templates_dir()]).html("recours_gracieux.html", context)
    assert str(info.value) == (
        "recours_gracieux.html : largeur de mise en forme trop grande dans le modèle "
        "(999999999 ; au plus 10\u202f000)"
    )


def test_word_part_too_big_once_uncompressed(
    tmp_path: Path, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    import recours.documents.docx_safety as docx_safety

    monkeypatch.setattr(docx_safety, "MAX_TEMPLATE_BYTES", 500_000)
    path = word_template(tmp_path / "recours_gracieux.docx", "Objet")
    _replace_in_part(path, "word/document.xml", b"<w:body>", b"<w:body>" + b"<w:p/>" * 200_000)
    assert path.stat().st_size < 50_000  # compresses well: a small file, a big part
    with pytest.raises(TemplateError, match=r"« word/document\.xml » trop volumineuse"):
        DocxRenderer(path)
    messages = problem_messages(tmp_path, pdf=False)
    assert messages == [
        "recours_gracieux.docx : partie « word/document.xml » trop volumineuse une fois "
        "décompressée (1,2 Mo ; au plus 0,5 Mo)"
    ]


def test_many_empty_paragraphs_are_checked_and_rendered(tmp_path: Path) -> None:
    # 20,000 empty paragraphs: before, lxml's quadratic body swap made this minutes long at
    # 100,000 (bench/bench_verifier.py measures the scaling; no timing asserted here).
    path = word_template(tmp_path / "recours_gracieux.docx", "{{ organisme.raison_sociale }}")
    _replace_in_part(path, "word/document.xml", b"<w:body>", b"<w:body>" + b"<w:p/>" * 20_000)
    rapport = check_templates(tmp_path, pdf=False)
    assert rapport.erreurs == []
    assert rapport.rendus > 0


# ------------------------------------------------------------------ §4 encodings


def test_non_utf8_html_template(tmp_path: Path, context: Context) -> None:
    (tmp_path / "recours_gracieux.html").write_bytes("<p>Créteil</p>".encode("cp1252"))
    with pytest.raises(TemplateError) as info:
        PdfRenderer([tmp_path, bundled_templates_dir()]).html("recours_gracieux.html", context)
    assert str(info.value) == (
        "recours_gracieux.html : le modèle n'est pas encodé en UTF-8 (enregistrez-le en UTF-8)"
    )
    messages = problem_messages(tmp_path, pdf=False)
    assert messages == [
        "recours_gracieux.html : le fichier n'est pas encodé en UTF-8 (octet invalide à la "
        "position 5) : enregistrez-le en UTF-8"
    ]


def test_non_utf8_stylesheet(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_bytes("/* modèle */ p { color: red }".encode("cp1252"))
    (tmp_path / "recours_gracieux.html").write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(TemplateError) as info:
        PdfRenderer([tmp_path, bundled_templates_dir()])
    assert str(info.value) == (
        "style.css : la feuille de style n'est pas encodée en UTF-8 (enregistrez-la en UTF-8)"
    )
    assert any(m.startswith("style.css : le fichier n'est pas encodé en UTF-8") for m in
               problem_messages(tmp_path, pdf=False))  # fmt: skip


# ------------------------------------------------------------------ §5 formula injection

FORMULA_PREFIXES = {
    "organisme.raison_sociale": '=HYPERLINK("http://example.com/x","clic")&',
    "autorite1.nom": "@SOMME(1+1) ",
    "etablissement.nom": "+cmd|' /C calc'!A0 ",
}


def write_text_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    """Like test_lot.write_xlsx, but « =… » stays a text cell (what a user types after an
    apostrophe, or what a program exports), not a formula."""
    from openpyxl import Workbook

    from recours.batch.columns import columns
    from recours.batch.input import DATA_SHEET

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append([c.header for c in columns()])
    for number, row in enumerate(rows, start=2):
        for index, column in enumerate(columns(), start=1):
            value = row.get(column.key)
            if value is not None:
                cell = sheet.cell(row=number, column=index, value=value)
                cell.data_type = "s"
    workbook.save(path)
    return path


def _lot(
    tmp_path: Path, change: Any, name: str = "lot.xlsx", text_cells: bool = False
) -> tuple[Path, Path]:
    from test_lot import lot_rows, write_csv, write_xlsx

    rows = lot_rows()
    change(rows)
    source = tmp_path / name
    if name.endswith(".csv"):
        write_csv(source, rows, ";", "utf-8")
    elif text_cells:
        write_text_xlsx(source, rows)
    else:
        write_xlsx(source, rows)
    return source, tmp_path / "sortie"


def test_no_report_cell_is_a_formula_from_user_data(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from test_lot import report, run

    def hostile(rows: list[dict[str, Any]]) -> None:
        for row in rows:
            for key, prefix in FORMULA_PREFIXES.items():
                if key in row:
                    row[key] = prefix + row[key]
        rows[2]["etablissement.nom"] = "-2+3"  # a row in error (its FINESS is invalid)
        # The Sarthe association's other bad row is mended, so that its letter is generated
        # and its authority reaches the « Par autorité » sheet (a row in error holds back
        # every letter of its organisme).
        rows[4]["decision1.date_notification"] = rows[3]["decision1.date_notification"]

    source, sortie = _lot(tmp_path, hostile, text_cells=True)
    run(source, sortie)
    lines = report(sortie)
    cells = [value for line in lines for value in line.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert (
        "'" + FORMULA_PREFIXES["organisme.raison_sociale"] + "Association Le Relais "
        "Sarthois" in cells
    )
    assert any(c.startswith("'-2+3") for c in cells)  # the row in error too
    workbook = load_workbook(sortie / "rapport.xlsx")
    assert workbook.sheetnames[:2] == ["Rapport", "Par autorité"]
    texts = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
    # The text is kept as written, shown as text (Excel's apostrophe marker).
    authority = FORMULA_PREFIXES["autorite1.nom"] + "Département de la Sarthe"
    assert authority in [c.value for c in workbook["Par autorité"]["A"]]
    assert FORMULA_PREFIXES["organisme.raison_sociale"] + "Association Le Relais Sarthois" in texts
    marked = [c for c in workbook["Par autorité"]["A"] if c.value == authority]
    assert marked[0].quotePrefix


def test_safe_cell_text() -> None:
    from recours.batch.report import safe_cell_text

    assert safe_cell_text("Association =A1") == ("Association =A1", False)
    assert safe_cell_text("=1+1") == ("=1+1", True)
    assert safe_cell_text("\tx") == ("\tx", True)
    assert safe_cell_text("IME\x0bLes Sources") == ("IME\ufffdLes Sources", False)


# ------------------------------------------------------------------ §9-§11 batch cells


def _set(rows: list[dict[str, Any]], index: int, key: str, value: Any) -> None:
    shared = key.split(".", 1)[0] in ("organisme", "autorite1")
    for i, row in enumerate(rows):
        if i == index or (shared and i < 3 and key in row):
            row[key] = value
    rows[index][key] = value


CELL_ATTACKS: dict[str, tuple[str, str, str, str]] = {
    # name: (key, value, column, message)
    "vertical-tab": (
        "etablissement.nom",
        "IME\x0bLes Sources",
        "AH",
        "caractère de contrôle interdit (U+000B) à la position 4",
    ),
    "nul": (
        "etablissement.nom",
        "IME\x00Les Sources",
        "AH",
        "caractère de contrôle interdit (U+0000) à la position 4",
    ),
    "year-9999": (
        "decision1.date_notification",
        "31/12/9999",
        "BG",
        "date invraisemblable (31/12/9999)",
    ),
    "amount-1e26": (
        "exercice2024.recu1",
        "1e26",
        "CN",
        "valeur invraisemblable : au plus 1 000 000 000 000",
    ),
    "etp-5000-digits": (
        "exercice2024.etp",
        "9" * 5000,
        "CL",
        "valeur invraisemblable : au plus 100 000",
    ),
    "huge-cell": (
        "etablissement.nom",
        "x" * 200_000,
        "AH",
        "cellule trop longue (200000 caractères ; au plus 10000)",
    ),
}


@pytest.mark.parametrize("name", sorted(CELL_ATTACKS))
def test_one_bad_cell_is_a_row_error_and_the_batch_goes_on(tmp_path: Path, name: str) -> None:
    from test_lot import errors, report, run

    key, value, column, message = CELL_ATTACKS[name]
    # Excel cannot hold control characters in a cell: those attacks come as CSV.
    suffix = ".csv" if name in ("vertical-tab", "nul", "huge-cell") else ".xlsx"
    source, sortie = _lot(tmp_path, lambda rows: _set(rows, 0, key, value), "lot" + suffix)
    summary = run(source, sortie)
    lines = report(sortie)
    sheet = "Établissements" if suffix == ".xlsx" else ""
    assert (sheet, "2", column) == errors(lines)[0][:3]
    assert errors(lines)[0][4] == message
    # The other organisme's letter is written.
    assert any(r["SIREN"] == "443322110" and r["Statut"] != "erreur" for r in lines)
    assert summary.lignes_en_erreur >= 1


def test_long_names_fit_in_word_title_property(tmp_path: Path) -> None:
    from test_lot import report, run

    def long_names(rows: list[dict[str, Any]]) -> None:
        _set(rows, 0, "organisme.raison_sociale", "Association " + "très longue " * 12)
        _set(rows, 0, "autorite1.nom", "Agence régionale de santé " + "Auvergne " * 14)
        # This association's row in error would hold back its letters: left out here.
        rows.pop(2)

    source, sortie = _lot(tmp_path, long_names)
    run(source, sortie)
    ars = next(r for r in report(sortie) if r["Autorité"].startswith("Agence"))
    assert ars["Statut"] != "erreur", ars
    document = Document(str(sortie / ars["Fichiers"]))
    assert len(document.core_properties.title) == 255
    assert document.core_properties.title.endswith("…")
    assert "Auvergne Auvergne" in "\n".join(p.text for p in document.paragraphs)


def test_formula_without_cached_value_is_not_read_as_empty(tmp_path: Path) -> None:
    from test_lot import errors, report, run

    source, sortie = _lot(tmp_path, lambda rows: _set(rows, 0, "exercice2024.recu1", "=2500*2"))
    run(source, sortie)  # openpyxl writes formulas without their value, like many programs
    assert errors(report(sortie))[0] == (
        "Établissements",
        "2",
        "CN",
        "Exercice 2024 — reçu de l'autorité 1 (€)",
        "formule « =2500*2 » sans valeur calculée : ouvrez le classeur dans Excel ou "
        "LibreOffice et enregistrez-le, ou remplacez la formule par sa valeur",
    )


def test_formula_with_cached_value_is_read(tmp_path: Path) -> None:
    from recours.batch.input import XlsxSource
    from test_lot import lot_rows

    source, _ = _lot(tmp_path, lambda rows: _set(rows, 0, "exercice2024.recu1", "=2500*2"))
    # What Excel saves: the formula and its last computed value.
    with zipfile.ZipFile(source) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    assert b"<f>2500*2</f><v></v>" in sheet
    _replace_in_part(source, "xl/worksheets/sheet1.xml", b"<f>2500*2</f><v></v>",
                     b"<f>2500*2</f><v>5000</v>")  # fmt: skip
    rows = list(XlsxSource(source).rows())
    assert rows[0].values["exercice2024.recu1"] == "5000"
    assert rows[0].problems == []
    assert len(rows) == len(lot_rows())


def test_csv_cell_beyond_the_field_limit_names_its_line(tmp_path: Path) -> None:
    from recours.batch.input import CsvSource
    from recours.errors import RecoursError

    source, _ = _lot(
        tmp_path, lambda rows: _set(rows, 3, "etablissement.nom", "x" * 1_100_000), "lot.csv"
    )
    with pytest.raises(RecoursError) as info:
        list(CsvSource(source).rows())
    assert str(info.value) == (
        f"{source} : ligne 5 : cellule de plus de 1000000 caractères (guillemet non fermé ?) "
        ": lecture arrêtée"
    )


def test_workbook_without_data_sheet_or_rows(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from recours.batch.columns import columns
    from recours.batch.input import open_table
    from recours.errors import RecoursError
    from test_lot import write_csv

    other = Workbook()
    other.active.title = "Budget"
    other.active.append(["Compte", "Montant"])
    other.create_sheet("Notes")
    other.save(tmp_path / "autre.xlsx")
    with pytest.raises(RecoursError) as info:
        open_table(tmp_path / "autre.xlsx")
    assert str(info.value).startswith(
        f"{tmp_path / 'autre.xlsx'} : pas de feuille « Établissements » (feuilles : "
        "« Budget », « Notes »), et la première feuille « Budget » n'est pas un lot : "
        "colonne(s) inconnue(s) : A « Compte », B « Montant »."
    )
    headers_only = write_csv(tmp_path / "vide.csv", [], ";", "utf-8")
    with pytest.raises(RecoursError) as info:
        list(open_table(headers_only).rows())
    assert str(info.value) == (
        f"{headers_only} : aucune ligne de données sous les en-têtes dans le fichier"
    )
    empty = Workbook()
    empty.active.title = "Établissements"
    empty.active.append([c.header for c in columns()])
    empty.save(tmp_path / "vide.xlsx")
    with pytest.raises(RecoursError, match="aucune ligne de données sous les en-têtes dans la "
                       "feuille « Établissements »"):  # fmt: skip
        list(open_table(tmp_path / "vide.xlsx").rows())


def test_workbook_with_no_sheet(tmp_path: Path) -> None:
    from recours.batch.input import open_table
    from recours.errors import RecoursError

    path = tmp_path / "sans-feuille.xlsx"
    from openpyxl import Workbook

    Workbook().save(path)
    # Remove the only sheet from the workbook part, as a broken writer would.
    with zipfile.ZipFile(path) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
    start = workbook_xml.index(b"<sheets>")
    end = workbook_xml.index(b"</sheets>") + len(b"</sheets>")
    _replace_in_part(path, "xl/workbook.xml", workbook_xml[start:end], b"<sheets/>")
    with pytest.raises(RecoursError) as info:
        open_table(path)
    assert "aucune feuille" in str(info.value) or "classeur illisible" in str(info.value)
    assert "()" not in str(info.value)


def shared_strings_bomb(path: Path, megabytes: int) -> Path:
    """A one-row batch whose shared strings expand to `megabytes` MB (about 60 KB on disk)."""
    from test_lot import lot_rows, write_xlsx

    write_xlsx(path, lot_rows()[:1])  # openpyxl writes inline strings: add the part
    main_ns = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    count = megabytes * 1_000_000 // 17
    junk = b"<si><t>x</t></si>" * count
    sst = b'<sst xmlns="%s" count="%d" uniqueCount="%d">%s</sst>' % (main_ns, count, count, junk)
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" '
                    b'Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(info, data)
        dst.writestr("xl/sharedStrings.xml", sst)
    return path


def test_shared_strings_bomb_is_refused_before_reading(tmp_path: Path) -> None:
    from recours.batch.input import open_table
    from recours.errors import RecoursError

    path = shared_strings_bomb(tmp_path / "bombe.xlsx", 25)
    assert path.stat().st_size < 500_000
    with pytest.raises(RecoursError) as info:
        open_table(path)
    assert str(info.value) == (
        f"{path} : classeur refusé : la partie « xl/sharedStrings.xml » fait 25 Mo une fois "
        "décompressée (au plus 20 Mo) ; enregistrez le classeur de nouveau depuis Excel ou "
        "LibreOffice, sans les lignes et colonnes vides"
    )


# ------------------------------------------------------------------ §13 YAML alias bomb

ALIAS_BOMB = (
    "a: &a ["
    + ",".join(['"xxxxxxxx"'] * 9)
    + "]\n"
    + "".join(
        f"{b}: &{b} [" + ",".join([f"*{a}"] * 9) + "]\n"
        for a, b in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def test_yaml_alias_bomb_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    assert len(ALIAS_BOMB.encode()) < 400  # 9**9 strings once expanded
    path = tmp_path / "bombe.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    result = runner.invoke(main, ["verifier", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {path} : 1 erreur(s)\n"
        "  - [ligne 6] (dossier) : YAML refusé : une fois les alias (« *… ») développés, le "
        "fichier compterait plus de 200\u202f000 valeurs ; recopiez les valeurs au lieu "
        "d'alias imbriqués\n"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[a, b]: 1\n", "[ligne 1] (dossier) : YAML invalide : une clé doit être un simple nom "
         "(pas une liste ni un ensemble de champs)"),
        ("organisme:\n  <<: {raison_sociale: x}\n", "[ligne 2] (dossier) : YAML invalide : clé "
         "de fusion YAML « << » non prise en charge : recopiez les champs"),
        ("organisme: {a: 1\n", "[ligne 2] (dossier) : YAML invalide : accolade non fermée : "
         "« } » attendue"),
        ("organisme:\n\traison_sociale: x\n", "[ligne 2] (dossier) : YAML invalide : caractère "
         "interdit en début de valeur (tabulation ? indentez avec des espaces ; @ ou ` : mettez "
         "la valeur entre guillemets)"),
    ],
)  # fmt: skip
def test_yaml_problems_in_french(
    tmp_path: Path, runner: CliRunner, text: str, message: str
) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["verifier", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == "  - " + message
    assert "Traceback" not in result.output


def test_json_duplicate_keys_refused(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "dossier.json"
    path.write_text('{"organisme": {}, "organisme": {}}', encoding="utf-8")
    result = runner.invoke(main, ["verifier", str(path)])
    assert result.exit_code == 1
    assert result.stderr.splitlines()[1] == (
        "  - (dossier) : JSON invalide : clé « organisme » en double"
    )


def _max_rss_mb(args: list[str], tmp_path: Path) -> tuple[int, str, float]:
    """Run the CLI in a child (address space capped at 2 GB so that a regression fails
    fast instead of swapping); its exit code, stderr and peak RSS in MB."""
    import resource
    import subprocess

    probe = tmp_path / "rss.txt"
    # The peak of the child's own memory (VmHWM, in kB). Not ru_maxrss: Linux keeps it
    # across exec, so it would report the pytest worker the child was forked from.
    code = (
        "import atexit, re\n"
        "def _peak():\n"
        "    status = open('/proc/self/status').read()\n"
        "    return re.search(r'VmHWM:\\s+(\\d+)', status).group(1)\n"
        f"atexit.register(lambda: open({str(probe)!r}, 'w').write(_peak()))\n"
        "from recours.cli.main import main\n"
        f"main({args!r})\n"
    )

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, preexec_fn=cap, timeout=300
    )
    return done.returncode, done.stderr, int(probe.read_text()) / 1024


def test_bombs_end_with_a_french_error_under_200_mb(tmp_path: Path) -> None:
    bomb = tmp_path / "bombe.yaml"
    bomb.write_text(ALIAS_BOMB, encoding="utf-8")
    code, stderr, rss = _max_rss_mb(["verifier", str(bomb)], tmp_path)
    assert (code, stderr.splitlines()[0]) == (1, f"Erreur : {bomb} : 1 erreur(s)"), stderr
    assert "alias" in stderr
    assert rss < 200, rss

    workbook = shared_strings_bomb(tmp_path / "bombe.xlsx", 60)
    args = ["lot", "generer", str(workbook), "--sortie", str(tmp_path / "s"), "--formats", "docx"]
    code, stderr, rss = _max_rss_mb(args, tmp_path)
    assert code == 1, stderr
    assert "classeur refusé : la partie « xl/sharedStrings.xml » fait 60 Mo" in stderr
    assert rss < 200, rss


# ------------------------------------------------------------------ §14 XML 1.0 characters


@pytest.mark.parametrize("char", ["\ufffe", "\uffff", "\ud800", "\udfff"])
def test_characters_xml_cannot_hold_are_refused_naming_the_field(
    tmp_path: Path, runner: CliRunner, dossier_data: dict[str, Any], char: str
) -> None:
    import json

    dossier_data["organisme"]["raison_sociale"] = f"Asso{char}ciation"
    path = tmp_path / "dossier.json"
    path.write_text(json.dumps(dossier_data), encoding="utf-8")  # \\uXXXX escapes
    result = runner.invoke(main, ["verifier", str(path)])
    assert result.exit_code == 1
    # (No line number for lone surrogates: YAML, which gives JSON its line numbers,
    # refuses them too; the field path remains.)
    assert result.stderr.splitlines()[1].endswith(
        f"organisme.raison_sociale : caractère interdit (U+{ord(char):04X}) à la "
        "position 5 : il ne peut pas figurer dans un document Word ou PDF"
    )


# ------------------------------------------------------------------ §7 overwrite, §8 terminal


def test_modeles_variables_and_schema_do_not_overwrite(tmp_path: Path, runner: CliRunner) -> None:
    target = tmp_path / "variables.md"
    target.write_text("notes de l'avocat\n", encoding="utf-8")
    result = runner.invoke(main, ["modeles", "variables", "--sortie", str(target)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : {target} existe déjà avec un autre contenu : utilisez --force pour le "
        "remplacer (rien n'a été écrit)\n"
    )
    assert target.read_text(encoding="utf-8") == "notes de l'avocat\n"
    again = runner.invoke(main, ["modeles", "variables", "--sortie", str(target), "--force"])
    assert again.exit_code == 0
    assert "notes de l'avocat" not in target.read_text(encoding="utf-8")
    # Regenerating an identical file needs no --force.
    same = runner.invoke(main, ["modeles", "variables", "--sortie", str(target)])
    assert same.exit_code == 0

    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "dossiers.schema.json").write_text("{}", encoding="utf-8")
    result = runner.invoke(main, ["schema", "--sortie", str(schemas)])
    assert result.exit_code == 1
    assert "dossiers.schema.json existe déjà avec un autre contenu" in result.stderr
    assert sorted(p.name for p in schemas.iterdir()) == ["dossiers.schema.json"]  # none written
    assert (schemas / "dossiers.schema.json").read_text(encoding="utf-8") == "{}"
    assert runner.invoke(main, ["schema", "--sortie", str(schemas), "--force"]).exit_code == 0
    assert runner.invoke(main, ["schema", "--sortie", str(schemas)]).exit_code == 0


def test_terminal_escape_sequences_are_neutralised(
    tmp_path: Path, runner: CliRunner, dossier_data: dict[str, Any]
) -> None:
    import yaml

    dossier_data["etablissements"][0]["categorie"] = "\x1b]0;pirate\x07\x1b[2J\u202eabc"
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(dossier_data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["verifier", str(path)])
    assert result.exit_code == 1
    printed = result.stdout + result.stderr
    assert "\x1b" not in printed and "\x07" not in printed and "\u202e" not in printed
    assert "\\x1b]0;pirate\\x07\\x1b[2J\\u202eabc" in printed


def test_printable() -> None:
    from recours.cli.common import printable

    assert printable("Île-de-France\n\tligne 2 — 238 €") == "Île-de-France\n\tligne 2 — 238 €"
    assert printable("a\x1b[31mb\rc\x9bd") == "a\\x1b[31mb\\x0dc\\x9bd"


# ------------------------------------------------------------------ §16 no traceback


def test_implausible_dates_on_the_command_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["delais", "--notification", "9999-12-31"])
    assert result.exit_code == 2
    assert result.stderr.endswith(
        "--notification : date invraisemblable « 9999-12-31 » (entre 1990 et 2100)\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_decision_dated_9999(make_dossier: Any, dossier_data: dict[str, Any]) -> None:
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    dossier_data["decisions"][0]["date"] = "9999-12-31"
    dossier_data["decisions"][0]["date_notification"] = "9999-12-31"
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "d.yaml")
    assert [(p.chemin, p.message) for p in info.value.problemes] == [
        ("decisions[0].date", "date invraisemblable (31/12/9999)"),
        ("decisions[0].date_notification", "date invraisemblable (31/12/9999)"),
    ]


def test_output_name_over_255_bytes(tmp_path: Path, runner: CliRunner) -> None:
    sortie = tmp_path / ("a" * 300)
    result = runner.invoke(
        main,
        ["generer", str(EXAMPLE), "--sortie", str(sortie), "--formats", "docx",
         "--documents", "gracieux", "--aujourdhui", "2026-11-20"],
    )  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.startswith("Erreur : ")
    assert result.stderr.endswith(
        "(nom trop long : 255 octets au plus par nom de fichier ou de dossier)\n"
    )
    assert not isinstance(result.exception, OSError)


PYDANTIC_CASES = [
    ("etablissements.0.exercices.0.mois", "9" * 5000, "nombre entier beaucoup trop grand"),
    ("etablissements.0.exercices.0.mois", "12.5", "nombre entier attendu"),
    ("etablissements.0.exercices.0.etp", [1], "nombre attendu"),
    ("organisme.raison_sociale", ["a"], "texte attendu"),
    ("organisme", "texte", "ensemble de champs attendu"),
    ("etablissements", "x", "liste attendue"),
    ("decisions.0.date", "2026-01-01T10:00:00", "date sans heure attendue (AAAA-MM-JJ)"),
    ("decisions.0.voies_et_delais_mentionnes", "peut-être", "oui ou non attendu (true / false)"),
    ("etablissements.0.coefficient_charges", "1e30", "valeur invraisemblable : au plus 100"),
]


@pytest.mark.parametrize(("path", "value", "message"), PYDANTIC_CASES)
def test_pydantic_errors_are_french(
    dossier_data: dict[str, Any], path: str, value: Any, message: str
) -> None:
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    node: Any = dossier_data
    parts = [int(p) if p.isdigit() else p for p in path.split(".")]
    for part in parts[:-1]:
        node = node[part]
    node[parts[-1]] = value
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "d.yaml")
    assert info.value.problemes[0].message == message


def test_unknown_pydantic_error_kind_is_not_english() -> None:
    from recours.dossier.validation import french_message

    error: Any = {"type": "url_parsing", "msg": "Input should be a valid URL", "loc": ()}
    assert french_message(error) == "valeur invalide (erreur de type « url_parsing »)"


# ------------------------------------------------------------------ §17 plausibility


def test_postal_code_00000_refused(dossier_data: dict[str, Any]) -> None:
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    dossier_data["organisme"]["siege"]["code_postal"] = "00000"
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "d.yaml")
    assert [(p.chemin, p.message) for p in info.value.problemes] == [
        (
            "organisme.siege.code_postal",
            "code postal « 00000 » inexistant (aucun code ne commence par 00)",
        )
    ]


def test_postal_code_that_lost_its_zero_must_match_the_departement(tmp_path: Path) -> None:
    from test_lot import errors, report, run

    # MECS Les Prés, Sarthe (72): 7200 would silently become 07200 (Ardèche).
    source, sortie = _lot(
        tmp_path, lambda rows: _set(rows, 3, "etablissement.adresse.code_postal", 7200)
    )
    run(source, sortie)
    assert (
        "Établissements",
        "5",
        "AM",
        "Établissement — adresse — code postal",
        "code postal « 7200 » : avec un zéro en tête (07200), il serait hors du département "
        "72 ; écrivez le code postal sur 5 chiffres, au format texte",
    ) in errors(report(sortie))


def test_financeur_typo_reported_on_the_financeur(dossier_data: dict[str, Any]) -> None:
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    etab = dossier_data["etablissements"][0]
    etab["financeurs"][0]["autorite"] = "cd-27"
    etab["exercices"][0]["financement_recu"] = {"cd-72": "1000"}
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "d.yaml")
    assert [(p.chemin, p.message) for p in info.value.problemes] == [
        (
            "etablissements[0].financeurs[0].autorite",
            "« cd-27 » ne correspond à aucune autorité des montants reçus "
            "(exercices[0].financement_recu : « cd-72 ») : faute de frappe ?",
        )
    ]


def test_nfc_and_nfd_spellings_are_one_authority(tmp_path: Path) -> None:
    import unicodedata

    from test_lot import letters, report, run

    def mixed(rows: list[dict[str, Any]]) -> None:
        # Row 3 written on a Mac: the same authority name, decomposed (NFD).
        rows[1]["autorite1.nom"] = unicodedata.normalize("NFD", rows[1]["autorite1.nom"])
        assert rows[1]["autorite1.nom"] != rows[0]["autorite1.nom"]

    source, sortie = _lot(tmp_path, mixed)
    run(source, sortie)
    ars = [line for line in letters(report(sortie)) if line[1].startswith("Agence")]
    assert ars == [
        (
            "778899112",
            "Agence régionale de santé Auvergne-Rhône-Alpes",
            "IME Les Sources (010000000) ; FAM Le Belvédère (010000018)",
            "2",
        )
    ]


def test_dossier_file_normalised_to_nfc(tmp_path: Path, dossier_data: dict[str, Any]) -> None:
    import unicodedata

    import yaml

    from recours.dossier.validation import load_dossier

    dossier_data["organisme"]["raison_sociale"] = unicodedata.normalize("NFD", "Éveil Île")
    path = tmp_path / "d.yaml"
    path.write_text(yaml.safe_dump(dossier_data, allow_unicode=True), encoding="utf-8")
    assert load_dossier(path).organisme.raison_sociale == "Éveil Île"  # NFC literal


# ------------------------------------------------------------------ §18 what the reader sees


def test_email_addresses_are_not_hyphenated(tmp_path: Path, context: Context) -> None:
    (tmp_path / "recours_gracieux.html").write_text(
        "<p>{{ courriel }}</p><p>{{ texte }}</p>", encoding="utf-8"
    )
    renderer = PdfRenderer([tmp_path, bundled_templates_dir()])
    from recours.documents.context import MultiLine

    ctx: Any = {
        **dict(context),
        "courriel": "claire.martin@exemple.fr",
        "texte": MultiLine("Écrire à <a&b>\ncontact@exemple.fr ou https://exemple.fr/x"),
    }
    html = renderer.html("recours_gracieux.html", ctx)
    span = '<span style="hyphens: manual">'
    assert f"<p>{span}claire.martin@exemple.fr</span></p>" in html
    assert (
        f"<p>Écrire à &lt;a&amp;b&gt;<br>{span}contact@exemple.fr</span> ou "
        f"{span}https://exemple.fr/x</span></p>"
    ) in html


def test_long_values_keep_the_footer_within_two_lines() -> None:
    # Checked by eye on a 5,000-character raison sociale (PNG of the PDF, see the report):
    # the rule that keeps the footer out of the text.
    css = (bundled_templates_dir() / "style.css").read_text(encoding="utf-8")
    footer = next(line for line in css.splitlines() if line.startswith(".pied"))
    for rule in ("max-height: 2.8em", "overflow: hidden"):
        assert rule in footer
    assert "overflow-wrap: break-word" in css


def test_refused_attribute_inside_a_list_is_not_printed_as_undefined(
    tmp_path: Path, context: Context
) -> None:
    (tmp_path / "recours_gracieux.html").write_text(
        "<p>{{ etablissements|map(attribute='__class__')|list }}</p>", encoding="utf-8"
    )
    renderer = PdfRenderer([tmp_path, bundled_templates_dir()])
    with pytest.raises(TemplateError) as info:
        renderer.html("recours_gracieux.html", context)
    assert "accès interdit à l'attribut « __class__ »" in str(info.value)
    assert "Undefined" not in str(info.value)
