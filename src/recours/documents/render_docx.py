"""Word rendering with docxtpl (the only module that imports it).

docxtpl re-reads and re-parses its template at every render; we keep the template bytes
and memoise, per XML part, the patched XML and the compiled Jinja template. The output
is the same as stock docxtpl (measured about 1.4x faster, see bench/).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import time
import zipfile
import zlib
from io import BytesIO
from pathlib import Path
from typing import IO, Any

import jinja2
from docx.opc.pkgwriter import PackageWriter
from docxtpl import DocxTemplate, Listing
from lxml import etree  # type: ignore[import-untyped]

from recours.documents.context import Context
from recours.documents.docx_safety import external_problems
from recours.documents.metadata import Metadonnees
from recours.documents.models import MultiLine
from recours.documents.sandbox import (
    check_inside,
    convert_multiline,
    describe_template_error,
    make_env,
    refusal,
    render_budget,
)
from recours.documents.typography import ORDINAL_RE, ordinal_parts, typographie
from recours.errors import TemplateError
from recours.files import os_reason

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Run properties that follow w:vertAlign in the schema order of w:rPr.
_AFTER_VERTALIGN = {W + n for n in ("rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish")}


class _CachingTemplate(DocxTemplate):  # type: ignore[misc]
    def __init__(self, data: bytes, cache: dict[str, Any]) -> None:
        super().__init__(BytesIO(data))
        self._cache = cache

    def patch_xml(self, src_xml: str) -> str:
        key = "patch:" + src_xml
        if key not in self._cache:
            self._cache[key] = super().patch_xml(src_xml)
        patched: str = self._cache[key]
        return patched

    def render_xml_part(
        self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None
    ) -> str:
        # Same steps as DocxTemplate.render_xml_part, with the compiled template cached.
        src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
        key = "tpl:" + src_xml
        self.current_rendering_part = part
        try:
            template = self._cache.get(key)
            if template is None:
                template = jinja_env.from_string(src_xml)
                self._cache[key] = template
            dst_xml: str = template.render(context)
        except jinja2.TemplateError as exc:
            lineno = getattr(exc, "lineno", None)
            if lineno is not None:
                line_number = max(lineno - 4, 0)
                exc.docx_context = [  # type: ignore[attr-defined]
                    re.sub(r"<[^>]+>", "", x)
                    for x in src_xml.splitlines()[line_number : line_number + 7]
                ]
            raise
        dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
        dst_xml = (
            dst_xml.replace("{_{", "{{")
            .replace("}_}", "}}")
            .replace("{_%", "{%")
            .replace("%_}", "%}")
        )
        resolved: str = self.resolve_listing(dst_xml)
        return resolved

    def map_tree(self, tree: Any) -> None:
        # lxml takes quadratic time to detach a body of many paragraphs (100,000 empty
        # paragraphs: 1.2 s per render, 5 s for `modeles verifier`); emptying it first is
        # linear.
        body = self.docx._element.body
        del body[:]
        self.docx._element.replace(body, tree)

    def render_properties(self, context: dict[str, Any], jinja_env: Any = None) -> None:
        # Jinja in core properties double-escapes `&`: properties are set after rendering.
        return None


# Members at least this large are copied from the template still compressed when the
# rendering left them unchanged (the four embedded fonts, 1.5 MB: 40 ms of deflate each time).
_REUSE_MIN_SIZE = 64 * 1024
_LOCAL_HEADER = b"PK\x03\x04"


def _compressed_members(data: bytes) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    """The large members of a .docx with their compressed bytes, as stored in the zip."""
    members: dict[str, tuple[zipfile.ZipInfo, bytes]] = {}
    with zipfile.ZipFile(BytesIO(data)) as archive:
        for info in archive.infolist():
            offset = info.header_offset
            if (
                info.file_size < _REUSE_MIN_SIZE
                or info.flag_bits & 0x1  # encrypted
                or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                or data[offset : offset + 4] != _LOCAL_HEADER
            ):
                continue
            # Local file header: 30 bytes, then the name and the extra field.
            name_length, extra_length = (
                int.from_bytes(data[offset + 26 : offset + 28], "little"),
                int.from_bytes(data[offset + 28 : offset + 30], "little"),
            )
            start = offset + 30 + name_length + extra_length
            members[info.filename] = (info, data[start : start + info.compress_size])
    return members


def _stored_large_members(data: bytes) -> bytes:
    """The template with its large members (the fonts) stored rather than deflated: each
    render opens the package again, and no longer inflates 1.5 MB of fonts to do so. The
    members' bytes, sizes and CRCs are those of the template, so _ReusingZipWriter still
    writes them with the template's compressed bytes."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            member = source.read(info)
            large = info.file_size >= _REUSE_MIN_SIZE
            target.writestr(
                info, member, compress_type=zipfile.ZIP_STORED if large else info.compress_type
            )
    return out.getvalue()


class _ReusingZipWriter:
    """python-docx's zip writer (same interface, same entries), except that a member
    left exactly as in the template (same size and CRC-32, the zip format's own check)
    is written with the template's compressed bytes instead of being deflated again."""

    def __init__(self, stream: IO[bytes], reusable: dict[str, tuple[zipfile.ZipInfo, bytes]]):
        self._zip = zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED)
        self._reusable = reusable

    def write(self, pack_uri: Any, blob: bytes) -> None:
        name = pack_uri.membername
        known = self._reusable.get(name)
        if known is None or known[0].file_size != len(blob) or zlib.crc32(blob) != known[0].CRC:
            self._zip.writestr(name, blob)
            return
        original, compressed = known
        # What ZipFile.writestr does, the compression step left out.
        info = zipfile.ZipInfo(name, date_time=time.localtime(time.time())[:6])
        info.compress_type = original.compress_type
        info.external_attr = 0o600 << 16
        info.file_size = original.file_size
        info.compress_size = len(compressed)
        info.CRC = original.CRC
        archive: Any = self._zip  # zipfile internals, as in ZipFile._open_to_write
        archive.fp.seek(archive.start_dir)
        info.header_offset = archive.fp.tell()
        archive._writecheck(info)
        archive._didModify = True
        archive.fp.write(info.FileHeader())
        archive.fp.write(compressed)
        archive.start_dir = archive.fp.tell()
        archive.filelist.append(info)
        archive.NameToInfo[name] = info

    def close(self) -> None:
        self._zip.close()


def _save(template: DocxTemplate, stream: IO[bytes], reusable: dict[str, Any]) -> None:
    """DocxTemplate.save (python-docx's OpcPackage.save) through _ReusingZipWriter.

    docxtpl's own pre- and post-processing only replace pictures, media and embedded
    files, which these templates never ask for."""
    package = template.docx.part.package
    for part in package.parts:
        part.before_marshal()
    writer: Any = _ReusingZipWriter(stream, reusable)
    steps: Any = PackageWriter  # the body of PackageWriter.write, with our writer
    steps._write_content_types_stream(writer, package.parts)
    steps._write_pkg_rels(writer, package.rels)
    steps._write_parts(writer, package.parts)
    writer.close()


def _property(text: str) -> str:
    """Word's core properties hold at most 255 characters (a long raison sociale plus a
    long authority name went past it); the letter itself keeps the full names."""
    return text if len(text) <= 255 else text[:254] + "…"


def _listing(text: MultiLine) -> Listing:
    return Listing(str(text))


def docx_data(context: Context | dict[str, Any]) -> dict[str, Any]:
    """What a Word template receives for a context: plain data, multi-line texts as
    docxtpl Listings (line breaks kept). `modeles verifier` renders its paragraph sources
    with it."""
    data: dict[str, Any] = convert_multiline(context, _listing)
    return data


def _superscript_run(run: Any, rpr: Any, children: list[Any], sup: bool) -> Any:
    new = etree.Element(W + "r")
    if rpr is not None:
        new.append(copy.deepcopy(rpr))
    if sup:
        props = new.find(W + "rPr")
        if props is None:
            props = etree.SubElement(new, W + "rPr")
        for old in props.findall(W + "vertAlign"):
            props.remove(old)
        align = etree.Element(W + "vertAlign")
        align.set(W + "val", "superscript")
        later = next((c for c in props if c.tag in _AFTER_VERTALIGN), None)
        if later is not None:
            later.addprevious(align)
        else:
            props.append(align)
    for child in children:
        new.append(child)
    return new


def _split_ordinals(text_elem: Any) -> None:
    """Cut the run of a w:t holding « 1er » so that « er » is a superscript run."""
    run = text_elem.getparent()
    if run is None or run.tag != W + "r":
        return
    rpr = run.find(W + "rPr")
    children = [c for c in run if c.tag != W + "rPr"]
    index = children.index(text_elem)
    runs = []
    if children[:index]:
        runs.append(_superscript_run(run, rpr, children[:index], False))
    for text, sup in ordinal_parts(text_elem.text or ""):
        piece = etree.Element(W + "t")
        piece.text = text
        piece.set(XML_SPACE, "preserve")
        runs.append(_superscript_run(run, rpr, [piece], sup))
    if children[index + 1 :]:
        runs.append(_superscript_run(run, rpr, children[index + 1 :], False))
    for new in runs:
        run.addprevious(new)
    run.getparent().remove(run)


def typeset(root: Any) -> None:
    """French typography on the text of a rendered Word part (see documents.typography)."""
    texts = list(root.iter(W + "t"))
    for elem in texts:
        if elem.text:
            elem.text = typographie(elem.text)
    for elem in texts:
        if elem.text and ORDINAL_RE.search(elem.text):
            _split_ordinals(elem)


class DocxRenderer:
    """Renders one Word template many times (load and compile once per process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        check_inside(path, path.parent)
        try:
            self._data = path.read_bytes()
        except OSError as exc:
            raise TemplateError(f"modèle Word illisible : {path} ({os_reason(exc)})") from None
        problems = external_problems(self._data)
        if problems:
            raise TemplateError(f"{path.name} : modèle refusé : " + " ; ".join(problems))
        self._cache: dict[str, Any] = {}
        self._env = make_env()
        self._reusable: dict[str, Any] | None = None
        self._opened: bytes | None = None

    def render(self, context: Context | dict[str, Any], proprietes: Metadonnees) -> bytes:
        if self._opened is None:
            self._opened = _stored_large_members(self._data)
        template = _CachingTemplate(self._opened, self._cache)
        try:
            with render_budget():
                template.render(docx_data(context), jinja_env=self._env, autoescape=True)
        except jinja2.exceptions.SecurityError as exc:
            raise refusal(self.path.name, exc) from None
        except jinja2.TemplateError as exc:
            where = ""
            lines = getattr(exc, "docx_context", None)
            if lines:
                where = " près de : « " + " ".join(" ".join(lines).split())[:160] + " »"
            raise TemplateError(
                f"{self.path.name} : erreur de modèle : {describe_template_error(exc)}{where}"
            ) from None
        except Exception as exc:
            if "zip" in type(exc).__name__.lower() or "package" in str(exc).lower():
                raise TemplateError(
                    f"{self.path.name} : fichier Word invalide ou endommagé (ouvrez-le dans "
                    "Word et enregistrez-le de nouveau au format .docx)"
                ) from None
            raise TemplateError(
                f"{self.path.name} : rendu impossible : {describe_template_error(exc)}"
            ) from None
        for part in template.docx.part.package.iter_parts():
            element = getattr(part, "_element", None)
            if element is not None and part.partname.startswith(
                ("/word/document", "/word/footer", "/word/header", "/word/footnotes")
            ):
                typeset(element)
        props = template.docx.core_properties
        props.title = _property(proprietes.titre)
        props.author = _property(proprietes.auteur)
        props.subject = _property(proprietes.sujet)
        props.last_modified_by = _property(proprietes.auteur)
        moment = dt.datetime.combine(proprietes.date, dt.time(12, 0))
        props.created = moment
        props.modified = moment
        props.revision = 1
        if self._reusable is None:
            self._reusable = _compressed_members(self._data)
        buffer = BytesIO()
        try:
            _save(template, buffer, self._reusable)
        except (AttributeError, TypeError):
            # zipfile or python-docx internals changed in another version: the library's
            # own save, slower (it deflates the fonts again) but always right.
            buffer = BytesIO()
            template.save(buffer)
        return buffer.getvalue()
