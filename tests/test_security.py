"""Hostile templates, hostile cells, big files (issue 15): each attack is built by its test.

Nothing here is a checked-in bomb: symlinks, external relationships, resource-hungry
templates, formula cells, shared-strings bombs and YAML alias bombs are written into
tmp_path by the test that uses them.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT

import recours.documents.sandbox as sandbox
from recours.authoring.check import check_templates, report_text
from recours.authoring.variables import EXAMPLE_TODAY
from recours.cli.main import main
from recours.documents.context import Context, gracieux_context
from recours.documents.render_docx import DocxRenderer, Proprietes
from recours.documents.render_pdf import Metadonnees, PdfRenderer, TemplateFolderFetcher
from recours.documents.sandbox import bundled_templates_dir, make_env
from recours.dossier.validation import load_dossier
from recours.errors import TemplateError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "mecs-conseil-departemental.yaml"
SECRET = "SECRET-HORS-DU-DOSSIER-4242"
ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)


@pytest.fixture(scope="module")
def context() -> Context:
    return gracieux_context(load_dossier(EXAMPLE), "cd-72", EXAMPLE_TODAY)


def props() -> Proprietes:
    return Proprietes("t", "a", "s", EXAMPLE_TODAY)


def meta() -> Metadonnees:
    return Metadonnees("t", "a", "s", EXAMPLE_TODAY)


def word_template(path: Path, *paragraphs: str) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(path))
    return path


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
