"""Custom templates render in the sandbox: no Python internals, no files, no network.

Payloads are the known Jinja sandbox escapes (SSTI cheat sheets, docxtpl #632), tried in a
Word template built with python-docx and in an HTML template.
"""

from __future__ import annotations

import io
import socket
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from docs_text import word_template
from recours.authoring.variables import EXAMPLE_TODAY
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

ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ self._TemplateReference__context }}",
    "{{ lipsum.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
    '{{ "{0.__class__}".format(organisme.raison_sociale) }}',
    "{{ ('{0.__class__.__base__}'|attr('format'))(organisme) }}",
    "{{ organisme|attr('__class__') }}",
    "{{ organisme.raison_sociale|attr('__class__')|attr('__mro__') }}",
    "{{ moyens|map(attribute='__class__')|first|attr('__subclasses__') }}",
    "{{ organisme.items.__self__ }}",
    "{{ montants.lignes.append(1) }}",
    "{{ organisme.pop('siren') }}",
]
PREFIX = "opération interdite par le bac à sable des modèles (accès interdit à l'attribut « "


@pytest.fixture(scope="module")
def context() -> Context:
    analysis = analyse(load_dossier(EXAMPLE), EXAMPLE_TODAY, load_referentiel())
    return gracieux_context(analysis, next(d for d in analysis.documents if d.kind == "gracieux"))


def props() -> Metadonnees:
    return Metadonnees("t", "a", "s", EXAMPLE_TODAY)


@pytest.mark.parametrize("payload", ESCAPES)
def test_escape_refused_in_word_template(tmp_path: Path, context: Context, payload: str) -> None:
    path = word_template(tmp_path / "recours_gracieux.docx", "Objet", payload)
    with pytest.raises(TemplateError) as info:
        DocxRenderer(path).render(context, props())
    assert str(info.value).startswith(f"recours_gracieux.docx : {PREFIX}")


@pytest.mark.parametrize("payload", ESCAPES)
def test_escape_refused_in_html_template(tmp_path: Path, context: Context, payload: str) -> None:
    (tmp_path / "recours_gracieux.html").write_text(f"<p>{payload}</p>", encoding="utf-8")
    renderer = PdfRenderer([tmp_path, bundled_templates_dir()])
    with pytest.raises(TemplateError) as info:
        renderer.html("recours_gracieux.html", context)
    assert str(info.value).startswith(f"recours_gracieux.html : {PREFIX}")


def test_refusal_message_is_french(tmp_path: Path, context: Context) -> None:
    path = word_template(tmp_path / "recours_gracieux.docx", ESCAPES[0])
    with pytest.raises(TemplateError) as info:
        DocxRenderer(path).render(context, props())
    assert str(info.value) == (
        "recours_gracieux.docx : opération interdite par le bac à sable des modèles (accès "
        "interdit à l'attribut « __init__ » (objet type) : les modèles n'ont accès ni aux "
        "objets Python, ni aux fichiers, ni au réseau)"
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{ 'a' * 100000000 }}", "texte ou liste trop long construit par le modèle"),
        ("{{ [1] * 100000000 }}", "texte ou liste trop long construit par le modèle"),
        ("{{ 10 ** 100000 }}", "puissance trop grande dans un modèle (exposant 100000)"),
        (
            "{{ range(1000000)|list }}",
            "range() trop grand dans un modèle (plus de 100000 éléments)",
        ),
    ],
)
def test_resource_exhaustion_is_bounded(source: str, message: str) -> None:
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError) as info:
        make_env().from_string(source).render()
    assert str(info.value) == message


def test_ordinary_arithmetic_still_works() -> None:
    template = make_env().from_string(
        "{{ 2 * 3 }} {{ 'ab' * 2 }} {{ 2 ** 10 }} {{ range(3)|list }}"
    )
    assert template.render() == "6 abab 1024 [0, 1, 2]"


def test_html_template_cannot_fetch_files_or_network(
    tmp_path: Path, context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PdfReader

    connections: list[Any] = []

    def no_network(*args: Any, **kwargs: Any) -> None:
        connections.append(args)
        raise OSError("réseau interdit pendant les tests")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    (tmp_path / "recours_gracieux.html").write_text(
        '<html><head><link rel="stylesheet" href="http://example.com/x.css"></head><body>'
        '<p>Lettre</p><img src="file:///etc/passwd"><img src="../../../../../../../../etc/hostname">'
        '<img src="https://example.com/pixel.png"></body></html>',
        encoding="utf-8",
    )
    renderer = PdfRenderer([tmp_path, bundled_templates_dir()])
    asked: list[tuple[str, str]] = []

    class Spy(TemplateFolderFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                response = super().fetch(url, headers)
            except ValueError as exc:
                asked.append((url, str(exc)))
                raise
            asked.append((url, "servi"))
            return response

    renderer.fetcher = Spy(renderer.search_path)
    pdf = renderer.render(
        "recours_gracieux.html", context, Metadonnees("t", "a", "s", EXAMPLE_TODAY)
    )
    assert connections == []
    refused = dict(asked)
    for url in (
        "http://example.com/x.css",
        "file:///etc/passwd",
        "file:///etc/hostname",  # ../ out of the template folder
        "https://example.com/pixel.png",
    ):
        assert refused[url] == f"accès refusé hors du dossier des modèles : {url}"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Lettre" in text
    assert "root:" not in text


def test_generate_with_malicious_word_template_fails_cleanly(
    tmp_path: Path, runner: CliRunner
) -> None:
    from recours.cli.main import main

    custom = tmp_path / "modeles"
    custom.mkdir()
    word_template(custom / "recours_gracieux.docx", "{{ lipsum.__globals__.os.system('id') }}")
    result = runner.invoke(
        main,
        [
            "generer",
            str(EXAMPLE),
            "--modeles",
            str(custom),
            "--sortie",
            str(tmp_path / "sortie"),
            "--documents",
            "gracieux",
            "--formats",
            "docx",
            "--aujourdhui",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 1
    assert result.stderr == (
        "Erreur : recours_gracieux.docx : opération interdite par le bac à sable des modèles "
        "(accès interdit à l'attribut « __globals__ » (objet function) : les modèles n'ont "
        "accès ni aux objets Python, ni aux fichiers, ni au réseau)\n"
    )
    assert not list((tmp_path / "sortie").glob("*.docx"))


def test_checker_flags_escapes_before_rendering(tmp_path: Path) -> None:
    from recours.authoring.check import check_templates

    word_template(tmp_path / "recours_gracieux.docx", "A", "{{ organisme|attr('__class__') }}")
    rapport = check_templates(tmp_path, render=False)
    assert [(p.lieu, p.message) for p in rapport.problemes] == [
        (
            "paragraphe 2",
            "accès interdit à l'attribut interne « __class__ » : les modèles n'ont accès ni aux "
            "objets Python, ni aux fichiers, ni au réseau",
        )
    ]


def test_word_render_falls_back_to_the_library_s_save(
    context: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fast save reaches into zipfile and python-docx internals; if another version
    # changed them, the render still gives the same, sound document.
    import io
    import zipfile

    from recours.documents import render_docx

    template = Path(__file__).parents[1] / "templates" / "recours_gracieux.docx"
    fast = render_docx.DocxRenderer(template).render(context, props())

    def broken(*_args: object) -> None:
        raise AttributeError("_writecheck")

    monkeypatch.setattr(render_docx, "_save", broken)
    slow = render_docx.DocxRenderer(template).render(context, props())
    with zipfile.ZipFile(io.BytesIO(fast)) as a, zipfile.ZipFile(io.BytesIO(slow)) as b:
        assert b.testzip() is None
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert a.read("word/document.xml") == b.read("word/document.xml")
