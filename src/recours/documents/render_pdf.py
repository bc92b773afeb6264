"""PDF rendering with WeasyPrint (the only module that imports it).

One FontConfiguration and one parsed stylesheet per renderer keep memory flat; the URL
fetcher serves files from the template folders only (no network, no other file); the
PDF is PDF/A-3u with metadata taken from the dossier, so the same dossier gives the
same bytes.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import hashlib
import html as html_lib
import logging
import mimetypes
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import jinja2
from markupsafe import Markup, escape
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from recours.documents.context import Context
from recours.documents.metadata import Metadonnees
from recours.documents.models import MultiLine
from recours.documents.sandbox import (
    STYLESHEET,
    check_inside,
    convert_multiline,
    describe_template_error,
    html_env,
    refusal,
)
from recours.documents.typography import ORDINAL_RE, typographie
from recours.errors import TemplateError

PDF_VARIANT = "pdf/a-3u"


class TemplateFolderFetcher(URLFetcher):  # type: ignore[misc]
    """Serves file:// URLs inside the allowed folders; refuses everything else.

    The refused URLs are kept (once each) for `modeles verifier`, which reports them.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: dict[str, None] = {}

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        path = Path(unquote(parsed.path)).resolve()
        if parsed.scheme != "file" or not any(path.is_relative_to(r) for r in self.roots):
            self.refused[url] = None
            raise ValueError(f"accès refusé hors du dossier des modèles : {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


# E-mail addresses and web addresses are never hyphenated (a hyphen inserted in
# « claire.mar-tin@… » makes another address).
_UNBREAKABLE_RE = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+|https?://[^\s<>\"]+")
_NO_HYPHENS = Markup('<span style="hyphens: manual">')


def _protect(text: str) -> Markup:
    out: list[Markup] = []
    last = 0
    for match in _UNBREAKABLE_RE.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(_NO_HYPHENS + escape(match.group()) + Markup("</span>"))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def _html_lines(text: MultiLine) -> Markup:
    return Markup("<br>").join(_protect(line) for line in str(text).split("\n"))


def html_data(context: Context | dict[str, Any]) -> dict[str, Any]:
    """What an HTML template receives for a context: plain data, multi-line texts with
    <br> line breaks, e-mail and web addresses never hyphenated. `modeles verifier`
    renders templates with it."""
    data: dict[str, Any] = _protect_addresses(convert_multiline(context, _html_lines))
    return data


def _protect_addresses(value: Any) -> Any:
    """The context with every plain text holding an address made unbreakable."""
    if isinstance(value, dict):
        return {k: _protect_addresses(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_protect_addresses(v) for v in value]
    if type(value) is str and _UNBREAKABLE_RE.search(value):
        return _protect(value)
    return value


@contextlib.contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """WeasyPrint logs missing resources as warnings; keep them out of the user's terminal
    while we render (`recours diagnostic` reports the environment instead), and leave the
    logging configuration of the process as it was."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


_TAG_RE = re.compile(r"(<[^>]*>)")
# « R.112-5 » is never cut after « R. »: a word joiner (invisible) glues the number on.
_ARTICLE_RE = re.compile(r"\b([LRD])\.(?=\d)")
_RAW_TEXT = re.compile(r"<(style|script|title)\b", re.IGNORECASE)


def typeset_html(page: str) -> str:
    """French typography on the text nodes of rendered HTML; « 1er » gets a <sup>."""
    out: list[str] = []
    raw_until: str | None = None
    for piece in _TAG_RE.split(page):
        if piece.startswith("<"):
            if raw_until is None:
                opened = _RAW_TEXT.match(piece)
                if opened:
                    raw_until = f"</{opened.group(1).lower()}"
            elif piece.lower().startswith(raw_until):
                raw_until = None
            out.append(piece)
        elif raw_until is not None or not piece.strip():
            out.append(piece)
        else:
            text = str(escape(typographie(html_lib.unescape(piece))))
            text = _ARTICLE_RE.sub("\\1.\u2060", text)
            out.append(ORDINAL_RE.sub(r"\1<sup>\2</sup>", text))
    return "".join(out)


def harfbuzz_subset_available() -> bool:
    """WeasyPrint subsets fonts 2.4x faster with Debian's libharfbuzz-subset0."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


class PdfRenderer:
    """Renders HTML templates to PDF; build once per process, reuse for every document."""

    def __init__(self, search_path: Sequence[Path]) -> None:
        self.search_path = list(search_path)
        self.env = html_env(self.search_path)
        self.fetcher = TemplateFolderFetcher(self.search_path)
        self.font_config = FontConfiguration()
        css_path = next(
            (p / STYLESHEET for p in self.search_path if (p / STYLESHEET).is_file()), None
        )
        if css_path is None:
            raise TemplateError(f"feuille de style {STYLESHEET} introuvable dans les modèles")
        self.css_dir = css_path.parent
        check_inside(css_path, css_path.parent)
        try:
            css_text = css_path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise TemplateError(
                f"{STYLESHEET} : la feuille de style n'est pas encodée en UTF-8 "
                "(enregistrez-la en UTF-8)"
            ) from None
        self.stylesheet = CSS(
            string=css_text,
            base_url=css_path.parent.as_uri() + "/",
            font_config=self.font_config,
            url_fetcher=self.fetcher,
        )

    def html(self, template_name: str, context: Context | dict[str, Any]) -> str:
        try:
            template = self.env.get_template(template_name)
            return typeset_html(template.render(html_data(context)))
        except TemplateError:
            raise
        except jinja2.exceptions.SecurityError as exc:
            raise refusal(template_name, exc) from None
        except jinja2.TemplateError as exc:
            line = getattr(exc, "lineno", None)
            where = f", ligne {line}" if line else ""
            raise TemplateError(
                f"{template_name}{where} : erreur de modèle : {describe_template_error(exc)}"
            ) from None
        except Exception as exc:
            raise TemplateError(
                f"{template_name} : rendu impossible : {describe_template_error(exc)}"
            ) from None

    def take_refused(self) -> list[str]:
        """The URLs the fetcher refused since the last call (`modeles verifier`)."""
        refused = list(self.fetcher.refused)
        self.fetcher.refused.clear()
        return refused

    def render(
        self, template_name: str, context: Context | dict[str, Any], meta: Metadonnees
    ) -> bytes:
        html = self.html(template_name, context)
        with _quiet_weasyprint():
            document = HTML(
                string=html, base_url=self.css_dir.as_uri() + "/", url_fetcher=self.fetcher
            ).render(stylesheets=[self.stylesheet], font_config=self.font_config)
        document.metadata.title = meta.titre
        document.metadata.authors = [meta.auteur]
        document.metadata.description = meta.sujet
        stamp = meta.date.isoformat() + "T12:00:00Z"
        document.metadata.created = stamp
        document.metadata.modified = stamp
        identifier = hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
        pdf: bytes = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_identifier=identifier)
        return pdf
