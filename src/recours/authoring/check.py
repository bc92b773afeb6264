"""`recours modeles verifier`: find what breaks in a lawyer's templates before a letter does.

Two passes. The static pass reads each template as docxtpl and Jinja will see it and
reports, with the Word paragraph (or HTML line) and its text: tags split by Word or typed
with typographic quotes, `{%p`/`{%tr` misuse, Jinja syntax errors, variables and dotted
paths unknown to the reference (our own walk of the syntax tree: docxtpl's helper only sees
top-level names), unknown filters and tests. The rendering pass renders every example
dossier with the templates (Word, HTML, one real PDF per HTML template).

A Word part is checked through a "paragraph source": one line per paragraph, holding what
docxtpl keeps of it, so that Jinja's line numbers are paragraph numbers.
"""

from __future__ import annotations

import difflib
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from recours.authoring.variables import (
    EXAMPLE_TODAY,
    KIND_LABELS,
    TEMPLATE_KINDS,
    ExampleContext,
    Reference,
    example_contexts,
    template_reference,
)
from recours.documents.docx_safety import external_problems
from recours.documents.models import CONTEXT_MODELS
from recours.documents.sandbox import (
    MAX_TEMPLATE_BYTES,
    STYLESHEET,
    TEMPLATE_FILES,
    bundled_templates_dir,
    describe_template_error,
    make_env,
)
from recours.errors import TemplateError
from recours.files import os_reason

ERREUR = "erreur"
AVERTISSEMENT = "avertissement"

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TYPOGRAPHIC_QUOTES = "“”‘’«»„‹›"
LOOP_ATTRIBUTES = {
    "index", "index0", "revindex", "revindex0", "first", "last", "length",
    "cycle", "depth", "depth0", "previtem", "nextitem", "changed",
}  # fmt: skip
DICT_METHODS = {"items", "keys", "values", "get"}
LIST_METHODS = {"index", "count"}
# Filters whose result has the same elements as their input (for loop variables).
SAME_ELEMENTS = {
    "sort",
    "reverse",
    "list",
    "selectattr",
    "rejectattr",
    "unique",
    "select",
    "reject",
}
ATTRIBUTE_FILTERS = {"attr", "map", "selectattr", "rejectattr", "sort", "groupby", "sum", "unique"}

TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
OPENERS = {"{{": "}}", "{%": "%}", "{#": "#}"}
PREFIX_RE = re.compile(r"^\{([{%#])(p|tr|tc|r) ")
SPACED_PREFIX_RE = re.compile(r"^\{%-?\s+(p|tr|tc)\s+(for|if|endfor|endif|else|elif|set)\b")


@dataclass(frozen=True)
class Probleme:
    """One problem found in a template."""

    fichier: str
    gravite: str
    message: str
    lieu: str = ""
    extrait: str = ""

    def __str__(self) -> str:
        where = f", {self.lieu}" if self.lieu else ""
        text = f"{self.fichier}{where} — {self.gravite} : {self.message}"
        if self.extrait:
            text += f"\n    près de : « {self.extrait} »"
        return text


@dataclass
class RapportModeles:
    """What `recours modeles verifier` found in one folder."""

    dossier: Path
    fichiers: list[str] = field(default_factory=list)
    absents: list[str] = field(default_factory=list)
    problemes: list[Probleme] = field(default_factory=list)
    rendus: int = 0
    # Which template each PDF follows when only one of a Word/HTML pair was edited.
    notes: list[str] = field(default_factory=list)
    _render_failures: set[tuple[str, str, str]] = field(default_factory=set, repr=False)

    @property
    def erreurs(self) -> list[Probleme]:
        return [p for p in self.problemes if p.gravite == ERREUR]

    @property
    def avertissements(self) -> list[Probleme]:
        return [p for p in self.problemes if p.gravite == AVERTISSEMENT]

    def add(self, probleme: Probleme) -> None:
        if probleme not in self.problemes:
            self.problemes.append(probleme)


def _excerpt(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n > 1 else ''}"


# ------------------------------------------------------------------ Word structure


@dataclass
class _Paragraph:
    number: int
    text: str = ""
    # For each character: which w:t it comes from, and that w:t's run container.
    segment: list[int] = field(default_factory=list)
    container: list[int] = field(default_factory=list)
    table: tuple[int, int, int] | None = None  # table, row, cell (1-based)
    row: int | None = None  # identity of the w:tr element
    cell: int | None = None
    cell_paragraphs: int = 0
    segments: int = 0
    # The page as Word last laid it out (its saved page-break marks); None when the file
    # carries none (a template never opened in Word).
    page: int | None = None

    def where(self, part: str) -> str:
        where = f"{part}paragraphe {self.number}"
        if self.page is not None:
            where = f"{part}page {self.page}, paragraphe {self.number}"
        if self.table is not None:
            where += f" (tableau {self.table[0]}, ligne {self.table[1]}, cellule {self.table[2]})"
        return where


def _docx_parts(path: Path) -> Iterator[tuple[str, str, bytes]]:
    """(part name, location prefix, XML) for the body, headers, footers and notes."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        order = [("word/document.xml", "")]
        for kind, label in (("header", "en-tête"), ("footer", "pied de page")):
            found = sorted(n for n in names if re.fullmatch(rf"word/{kind}\d*\.xml", n))
            order += [(n, f"{label} {i}, ") for i, n in enumerate(found, start=1)]
        order += [("word/footnotes.xml", "notes de bas de page, ")]
        for name, label in order:
            if name in names:
                yield name, label, archive.read(name)


def _is_page_break(elem: ET.Element) -> bool:
    return elem.tag == f"{W}lastRenderedPageBreak" or (
        elem.tag == f"{W}br" and elem.get(f"{W}type") == "page"
    )


def _paragraphs(xml: bytes) -> list[_Paragraph]:
    """The paragraphs of a Word part, in one linear walk (no per-paragraph scans)."""
    root = ET.fromstring(xml)
    out: list[_Paragraph] = []
    tables = [0]
    cell_counts: dict[int, int] = {}
    paged = any(_is_page_break(e) for e in root.iter())
    page = [1]

    def visit(
        elem: ET.Element,
        parents: tuple[ET.Element | None, ET.Element | None],  # parent, grandparent
        current: _Paragraph | None,
        table: tuple[int, int, int] | None,
        row: ET.Element | None,
        cell: ET.Element | None,
    ) -> None:
        tag = elem.tag
        if tag == f"{W}tbl":
            tables[0] += 1
            table = (tables[0], 0, 0)
        if paged and _is_page_break(elem):
            page[0] += 1
            if current is not None and not current.text:
                current.page = page[0]
        if tag == f"{W}p":
            current = _Paragraph(len(out) + 1, page=page[0] if paged else None)
            if table is not None and table[1]:
                current.table = (table[0], table[1], table[2])
                current.row = id(row) if row is not None else None
                current.cell = id(cell) if cell is not None else None
                if cell is not None:
                    if id(cell) not in cell_counts:
                        cell_counts[id(cell)] = len(cell.findall(f"{W}p"))
                    current.cell_paragraphs = cell_counts[id(cell)]
            out.append(current)
        elif tag == f"{W}t" and current is not None and elem.text:
            # A w:t's container is its run's parent (w:p, w:hyperlink, w:ins...).
            container = parents[1] if parents[1] is not None else parents[0]
            current.segments += 1
            current.text += elem.text
            current.segment += [current.segments] * len(elem.text)
            current.container += [id(container)] * len(elem.text)
        rows = cells = 0
        for child in elem:
            inner, inner_row, inner_cell = table, row, cell
            if child.tag == f"{W}tr" and table is not None:
                rows += 1
                inner, inner_row = (table[0], rows, 0), child
            elif child.tag == f"{W}tc" and table is not None:
                cells += 1
                inner, inner_cell = (table[0], table[1], cells), child
            visit(child, (elem, parents[0]), current, inner, inner_row, inner_cell)

    visit(root, (None, None), None, None, None, None)
    return out


# ------------------------------------------------------------------ tag-level checks


def _tags(text: str) -> Iterator[tuple[int, int]]:
    for match in TAG_RE.finditer(text):
        yield match.start(), match.end()


def _unbalanced(text: str) -> str | None:
    """An opener without its closer (or a lone closer) in one paragraph."""
    rest = TAG_RE.sub(" ", text)
    for opener, closer in OPENERS.items():
        if opener in rest:
            return f"balise « {opener} » ouverte sans « {closer} » dans le même paragraphe"
        if closer in rest:
            return f"« {closer} » sans « {opener} » correspondant dans le même paragraphe"
    return None


def _typographic_quotes(tag: str) -> bool:
    """Typographic quotes outside straight-quoted strings (Word's autocorrect)."""
    if tag.startswith("{#"):
        return False
    quote = ""
    for char in tag:
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in TYPOGRAPHIC_QUOTES:
            return True
    return False


def _normalize_quotes(tag: str) -> str:
    # What docxtpl itself does inside tags; « » are not converted (a Jinja error follows).
    return tag.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")


def _strip_prefix(tag: str) -> str:
    return PREFIX_RE.sub(lambda m: "{" + m.group(1) + " ", tag)


def _tag_problems(tag: str, word: bool) -> list[str]:
    problems = []
    if _typographic_quotes(tag):
        problems.append(
            f"guillemets typographiques dans la balise « {tag} » : tapez des guillemets "
            "droits \" ou ' (désactivez la correction automatique des guillemets de Word)"
        )
    spaced = SPACED_PREFIX_RE.match(tag)
    if spaced:
        problems.append(
            f"« {tag} » : pas d'espace entre « {{% » et « {spaced.group(1)} » "
            f"(écrivez {{%{spaced.group(1)} {spaced.group(2)} …)"
        )
    if not word and PREFIX_RE.match(tag):
        problems.append(
            f"« {tag} » : les balises {{%p, {{%tr, {{%tc et {{%r sont réservées aux modèles "
            "Word ; en HTML, écrivez {% … %}"
        )
    return problems


# ------------------------------------------------------------------ Word checks


@dataclass
class _Source:
    """A Jinja source and, for each line, where it comes from and its text."""

    text: str
    places: list[str]
    excerpts: list[str]

    def locate(self, line: int | None) -> tuple[str, str]:
        if line is None or not 1 <= line <= len(self.places):
            return "", ""
        return self.places[line - 1], self.excerpts[line - 1]


def _check_word_part(
    fichier: str, label: str, paragraphs: list[_Paragraph], rapport: RapportModeles
) -> _Source | None:
    """Structure checks of one Word part; its paragraph source, or None if tags are broken."""
    broken = False
    lines: list[str] = []
    by_row: dict[int, str] = {}
    with_tags: set[int] = set()
    for para in paragraphs:
        where = para.where(label)
        excerpt = _excerpt(para.text)

        def report(
            message: str, gravite: str = ERREUR, where: str = where, excerpt: str = excerpt
        ) -> None:
            rapport.add(Probleme(fichier, gravite, message, where, excerpt))

        unbalanced = _unbalanced(para.text)
        if unbalanced:
            report(unbalanced)
            broken = True
        structural: list[str] = []
        for start, end in _tags(para.text):
            tag = para.text[start:end]
            for message in _tag_problems(tag, word=True):
                report(message)
                broken = True
            segments = set(para.segment[start:end])
            if len(segments) > 1:
                if len(set(para.container[start:end])) > 1:
                    report(
                        f"balise « {tag} » coupée par Word (révision suivie, lien ou champ) : "
                        "effacez-la et retapez-la d'un seul tenant"
                    )
                    broken = True
                else:
                    report(
                        f"balise « {tag} » répartie sur {len(segments)} segments de mise en "
                        "forme Word : la génération la reconstitue, mais retapez-la d'un seul tenant pour "
                        "garder une seule mise en forme",
                        AVERTISSEMENT,
                    )
            prefix = PREFIX_RE.match(tag)
            if prefix and prefix.group(2) != "r":
                structural.append(tag)
        line = TAG_RE.sub(lambda m: _normalize_quotes(m.group(0)), para.text)
        line = re.sub(r"\{\{r ", "{{ ", re.sub(r"\{%r ", "{% ", line))
        if structural:
            with_tags.add(para.number)
            kind = PREFIX_RE.match(structural[0]).group(2)  # type: ignore[union-attr]
            first = structural[0]
            others = para.text
            for tag in structural:
                others = others.replace(tag, "")
            others = others.strip()
            unit = {"p": "tout le paragraphe", "tr": "toute la ligne du tableau"}.get(
                kind, "toute la cellule"
            )
            if len(structural) > 1:
                report(
                    f"{len(structural)} balises {{%p, {{%tr ou {{%tc dans le même paragraphe : "
                    "une seule par paragraphe, seule sur sa ligne"
                )
            elif kind == "tr" and para.row is None:
                report(
                    f"balise « {first} » hors d'un tableau : {{%tr s'écrit dans une ligne de "
                    "tableau (utilisez {%p dans le texte)"
                )
            elif kind == "tc" and para.cell is None:
                report(f"balise « {first} » hors d'un tableau : {{%tc s'écrit dans une cellule")
            elif others:
                report(
                    f"le paragraphe de la balise « {first} » contient aussi "
                    f"« {_excerpt(others, 60)} » : la génération supprime {unit}, mettez la balise "
                    "seule dans son paragraphe"
                )
            elif kind == "p" and para.cell is not None and para.cell_paragraphs == 1:
                report(
                    f"balise « {first} » seule dans une cellule de tableau : la cellule serait "
                    "vide et le fichier Word invalide ; utilisez {%tr (ligne entière) ou {%tc "
                    "(cellule)"
                )
            if kind == "tr" and para.row is not None:
                by_row.setdefault(para.row, first)
            line = " ".join(_strip_prefix(_normalize_quotes(t)) for t in structural)
        lines.append(line)
    # A {%tr row is replaced by its tag: text in the row's other cells would vanish.
    for para in paragraphs:
        if para.row in by_row and para.number not in with_tags:
            if para.text.strip():
                rapport.add(
                    Probleme(
                        fichier,
                        ERREUR,
                        f"la ligne de tableau de la balise « {by_row[para.row]} » contient "
                        f"aussi « {_excerpt(para.text, 60)} » : la génération supprime toute la ligne, "
                        "laissez ses autres cellules vides",
                        para.where(label),
                        _excerpt(para.text),
                    )
                )
            lines[para.number - 1] = ""
    if broken:
        return None
    return _Source(
        "\n".join(lines),
        [p.where(label) for p in paragraphs],
        [_excerpt(p.text) for p in paragraphs],
    )


# ------------------------------------------------------------------ Jinja checks


def french_syntax_error(message: str) -> str:
    """Jinja's syntax messages, in French for the common cases."""
    m = re.match(
        r"Encountered unknown tag '(\w+)'\.(?: Jinja was looking for the following tags: "
        r"(.*?)\. The innermost block that needs to be closed is '(\w+)'\.)?",
        message,
    )
    if m:
        text = f"balise inconnue « {m.group(1)} »"
        if m.group(2):
            wanted = " ou ".join(f"« {t} »" for t in re.findall(r"'(\w+)'", m.group(2)))
            text += f" (le bloc « {m.group(3)} » attend {wanted})"
        return text
    m = re.match(
        r"Unexpected end of template\. Jinja was looking for the following tags: (.*?)\. "
        r"The innermost block that needs to be closed is '(\w+)'\.",
        message,
    )
    if m:
        return f"bloc « {m.group(2)} » jamais fermé : il manque {{% end{m.group(2)} %}}"
    m = re.match(r"expected token '(.+?)', got '(.+)'", message)
    if m:
        expected = {"end of print statement": "}}", "end of statement block": "%}"}.get(
            m.group(1), m.group(1)
        )
        return f"« {m.group(2)} » inattendu, « {expected} » attendu"
    m = re.match(r"unexpected char '(.+)' at \d+", message)
    if m:
        return f"caractère « {m.group(1)} » inattendu dans une balise"
    m = re.match(r"unexpected '(.+)'", message)
    if m:
        return f"« {m.group(1)} » inattendu"
    if message.startswith("unexpected end of template"):
        return "fin du modèle au milieu d'une balise"
    return message


_FREE = object()  # a name bound to something the reference does not describe
_LOOP = object()


class _Checker:
    """Walks a Jinja syntax tree; reports unknown variables, paths, filters and tests."""

    def __init__(
        self,
        env: SandboxedEnvironment,
        reference: Reference,
        kind: str | None,
        report: Any,
    ) -> None:
        self.env = env
        self.ref = reference
        self.kind = kind
        self.report = report
        self.scopes: list[dict[str, Any]] = [{}]

    # -- scopes
    def lookup(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        return None

    def bind(self, target: nodes.Node, value: Any) -> None:
        if isinstance(target, nodes.Name):
            self.scopes[-1][target.name] = value
        elif isinstance(target, nodes.Tuple):
            for item in target.items:
                self.bind(item, _FREE)

    def visit_body(self, body: list[nodes.Node], bindings: dict[str, Any] | None = None) -> None:
        self.scopes.append(dict(bindings or {}))
        for node in body:
            self.visit(node)
        self.scopes.pop()

    # -- paths
    def chain(self, node: nodes.Node) -> tuple[nodes.Node, list[tuple[str, Any]]]:
        """The base of a Getattr/Getitem chain and its steps, innermost first."""
        steps: list[tuple[str, Any]] = []
        while isinstance(node, nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Getattr):
                steps.append(("attr", node.attr))
            elif isinstance(node.arg, nodes.Const):
                steps.append(("item", node.arg.value))
            else:
                self.visit(node.arg)
                steps.append(("item", _FREE))
            node = node.node
        steps.reverse()
        return node, steps

    def resolve(self, node: nodes.Node) -> Any:
        """Visit an expression; the reference path it denotes, _FREE or None (unknown)."""
        if isinstance(node, nodes.Filter) and node.name in SAME_ELEMENTS and node.node is not None:
            self.visit_filter(node, visit_value=False)
            return self.resolve(node.node)
        if not isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            self.visit(node)
            return _FREE
        base, steps = self.chain(node)
        if isinstance(base, nodes.Name):
            binding = self.name(base)
            typed = base.name
        else:
            self.visit(base)
            binding, typed = _FREE, ""
        for kind, key in steps:
            if binding is None:
                return None
            typed += f".{key}" if kind == "attr" else (f"[{key!r}]" if key is not _FREE else "[…]")
            binding = self.step(binding, kind, key, typed, node.lineno)
        return binding

    def name(self, node: nodes.Name) -> Any:
        bound = self.lookup(node.name)
        if bound is not None:
            return bound
        if node.name in self.ref.types and "[" not in node.name:
            return self.available(node.name, node.name, node.lineno)
        if node.name in self.env.globals or node.name in ("self", "caller", "varargs", "kwargs"):
            return _FREE
        message = f"variable inconnue « {node.name} »"
        if node.name == "loop":
            message = "« loop » n'existe que dans une boucle {% for %}"
        else:
            message += self.suggest(node.name, self.children(""), "")
        self.report(message, node.lineno)
        return None

    def available(self, path: str, typed: str, lineno: int) -> Any:
        docs = self.ref.documents.get(path, frozenset())
        if self.kind is None or self.kind in docs:
            return path
        others = " et ".join(KIND_LABELS[k] for k in sorted(docs))
        self.report(
            f"variable « {typed} » absente du contexte {self.kind_label()} "
            f"(elle n'existe que pour : {others})",
            lineno,
        )
        return None

    def kind_label(self) -> str:
        model = CONTEXT_MODELS.get(self.kind or "", CONTEXT_MODELS["requete"])
        return model.libelle_de

    def children(self, path: str) -> list[str]:
        """Names under an object path that exist in this template's context."""
        names = self.ref.children(path)
        if self.kind is None:
            return names
        docs = self.ref.documents
        return [n for n in names if self.kind in docs.get(f"{path}.{n}" if path else n, ())]

    def suggest(self, name: str, candidates: list[str], typed_prefix: str) -> str:
        match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        return f" ; vouliez-vous dire « {typed_prefix}{match[0]} » ?" if match else ""

    def step(self, binding: Any, kind: str, key: Any, typed: str, lineno: int) -> Any:
        if binding is _FREE:
            if isinstance(key, str) and key.startswith("_"):
                self.forbidden(key, lineno)
                return None
            return _FREE
        if binding is _LOOP:
            if key not in LOOP_ATTRIBUTES:
                hint = self.suggest(str(key), sorted(LOOP_ATTRIBUTES), "loop.")
                self.report(f"attribut de boucle inconnu « {typed} »{hint}", lineno)
                return None
            return _FREE
        path: str = binding
        type_ = self.ref.types.get(path, "texte")
        if isinstance(key, str) and key.startswith("_"):
            self.forbidden(key, lineno)
            return None
        typed_prefix = typed.rsplit(".", 1)[0] + "." if "." in typed else ""
        if type_ == "objet":
            if kind == "item" and not isinstance(key, str):
                return _FREE if key is _FREE else None
            child = f"{path}.{key}"
            if child in self.ref.types:
                return self.available(child, typed, lineno)
            if key in DICT_METHODS:
                return _FREE
            hint = self.suggest(key, self.children(path), typed_prefix)
            full = f" ({child})" if child != typed else ""
            self.report(f"variable inconnue « {typed} »{full}{hint}", lineno)
            return None
        if type_ == "liste":
            if kind == "item" and not isinstance(key, str):
                return f"{path}[]"
            if key in LIST_METHODS:
                return _FREE
            self.report(
                f"« {typed.rsplit('.', 1)[0]} » est une liste : parcourez-la avec "
                f"{{% for x in … %}} avant d'utiliser « .{key} »",
                lineno,
            )
            return None
        if kind == "attr" and type_.startswith("texte") and hasattr(str, key):
            return _FREE  # a string method: upper(), replace()…
        if kind == "item":
            return _FREE
        self.report(
            f"« {typed.rsplit('.', 1)[0]} » est une valeur ({type_}) sans attribut « {key} »",
            lineno,
        )
        return None

    def forbidden(self, key: str, lineno: int) -> None:
        self.report(
            f"accès interdit à l'attribut interne « {key} » : les modèles n'ont accès ni aux "
            "objets Python, ni aux fichiers, ni au réseau",
            lineno,
        )

    # -- nodes
    def visit(self, node: nodes.Node | None) -> None:
        if node is None:
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            if isinstance(node, nodes.Name) and node.ctx != "load":
                return
            self.resolve(node)
        elif isinstance(node, nodes.For):
            iterable = self.resolve(node.iter)
            item = _FREE
            if isinstance(iterable, str) and self.ref.types.get(iterable) == "liste":
                item = f"{iterable}[]"
            elif iterable is None:
                item = _FREE
            self.scopes.append({"loop": _LOOP})
            self.bind(node.target, item)
            self.visit(node.test)
            self.visit_body(node.body)
            self.scopes.pop()
            self.visit_body(node.else_)
        elif isinstance(node, nodes.Assign):
            value = self.resolve(node.node)
            self.bind(node.target, value if value is not None else _FREE)
        elif isinstance(node, nodes.AssignBlock):
            self.visit(node.filter)
            self.visit_body(node.body)
            self.bind(node.target, _FREE)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            if isinstance(node, nodes.CallBlock):
                self.visit(node.call)
            for default in node.defaults:
                self.visit(default)
            names = {a.name: _FREE for a in node.args}
            names.update({"varargs": _FREE, "kwargs": _FREE, "caller": _FREE})
            self.visit_body(node.body, names)
            if isinstance(node, nodes.Macro):
                self.scopes[-1][node.name] = _FREE
        elif isinstance(node, nodes.With):
            for value in node.values:
                self.visit(value)
            self.visit_body(
                node.body, {t.name: _FREE for t in node.targets if isinstance(t, nodes.Name)}
            )
        elif isinstance(node, nodes.Import):
            self.scopes[-1][node.target] = _FREE
        elif isinstance(node, nodes.FromImport):
            for name in node.names:
                self.scopes[-1][name if isinstance(name, str) else name[1]] = _FREE
        elif isinstance(node, nodes.Filter):
            self.visit_filter(node, visit_value=True)
        elif isinstance(node, nodes.Test):
            if node.name not in self.env.tests:
                hint = self.suggest(node.name, sorted(self.env.tests), "")
                self.report(f"test inconnu « {node.name} »{hint}", node.lineno)
            self.visit_children(node)
        else:
            self.visit_children(node)

    def visit_filter(self, node: nodes.Filter, visit_value: bool) -> None:
        if node.name not in self.env.filters:
            hint = self.suggest(node.name, sorted(self.env.filters), "")
            self.report(f"filtre inconnu « {node.name} »{hint}", node.lineno)
        if node.name in ATTRIBUTE_FILTERS:
            names = [a.value for a in node.args if isinstance(a, nodes.Const)]
            names += [k.value.value for k in node.kwargs if isinstance(k.value, nodes.Const)]
            for value in names:
                if isinstance(value, str) and value.startswith("_"):
                    self.forbidden(value, node.lineno)
        if visit_value:
            self.visit(node.node)
        for arg in node.args:
            self.visit(arg)
        for kwarg in node.kwargs:
            self.visit(kwarg.value)
        self.visit(node.dyn_args)
        self.visit(node.dyn_kwargs)

    def visit_children(self, node: nodes.Node) -> None:
        for child in node.iter_child_nodes():
            self.visit(child)


def check_source(
    env: SandboxedEnvironment,
    source: str,
    reference: Reference,
    kind: str | None,
    report: Any,
) -> jinja2.nodes.Template | None:
    """Syntax and variable checks of one Jinja source; report(message, line)."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateSyntaxError as exc:
        report(f"erreur de syntaxe : {french_syntax_error(exc.message or '')}", exc.lineno)
        return None
    _Checker(env, reference, kind, report).visit(tree)
    return tree


# ------------------------------------------------------------------ HTML and CSS

RESOURCE_RES = (
    re.compile(
        r"<(?:img|script|iframe|object|embed|source|video|audio)\b[^>]*?\b(?:src|data)\s*=\s*[\"']([^\"']+)[\"']",
        re.I,
    ),
    re.compile(r"<link\b[^>]*?\bhref\s*=\s*[\"']([^\"']+)[\"']", re.I),
    re.compile(r"url\(\s*[\"']?([^\"')]+)[\"']?\s*\)", re.I),
    re.compile(r"@import\s+[\"']([^\"']+)[\"']", re.I),
)


def _outside_folder(url: str, folder: Path) -> bool:
    if "{" in url or url.startswith(("data:", "#")):
        return False
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|/", url):
        return True
    target = (folder / url.split("?")[0].split("#")[0]).resolve()
    roots = [folder.resolve(), bundled_templates_dir().resolve()]
    return not any(target.is_relative_to(root) for root in roots)


def _check_resources(fichier: str, text: str, folder: Path, rapport: RapportModeles) -> None:
    for pattern in RESOURCE_RES:
        for match in pattern.finditer(text):
            url = match.group(1).strip()
            if _outside_folder(url, folder):
                line = text.count("\n", 0, match.start()) + 1
                rapport.add(
                    Probleme(
                        fichier,
                        ERREUR,
                        f"ressource hors du dossier des modèles « {url} » : seuls les fichiers "
                        "du dossier des modèles sont chargés (ni réseau, ni autre fichier)",
                        f"ligne {line}",
                        _excerpt(text.splitlines()[line - 1]),
                    )
                )


def _read_text(path: Path, rapport: RapportModeles) -> str | None:
    """A template's text, or None with a French problem (too big, not UTF-8)."""
    if path.stat().st_size > MAX_TEMPLATE_BYTES:
        rapport.add(Probleme(path.name, ERREUR, "fichier trop volumineux pour un modèle"))
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        rapport.add(
            Probleme(
                path.name,
                ERREUR,
                f"le fichier n'est pas encodé en UTF-8 (octet invalide à la position "
                f"{exc.start}) : enregistrez-le en UTF-8",
            )
        )
        return None


def _escaping_links(folder: Path) -> dict[Path, str]:
    """Symbolic links under the folder whose target is outside it (or broken)."""
    root = folder.resolve()
    found: dict[Path, str] = {}
    for current, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(current) / name
            if not path.is_symlink():
                continue
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                found[path] = "lien symbolique cassé ou en boucle"
                continue
            if not target.is_relative_to(root):
                found[path] = (
                    f"lien symbolique vers « {target} », hors du dossier des modèles : "
                    "refusé (copiez le fichier dans le dossier au lieu d'un lien)"
                )
    return found


def _check_html(
    path: Path, env: SandboxedEnvironment, reference: Reference, rapport: RapportModeles
) -> bool:
    fichier = path.name
    read = _read_text(path, rapport)
    if read is None:
        return False
    text = read
    lines = text.splitlines()

    def at(line: int | None) -> tuple[str, str]:
        if line is None or not 1 <= line <= len(lines):
            return "", ""
        return f"ligne {line}", _excerpt(lines[line - 1])

    def report(message: str, line: int | None, gravite: str = ERREUR) -> None:
        where, excerpt = at(line)
        rapport.add(Probleme(fichier, gravite, message, where, excerpt))

    ok = True
    for start, end in _tags(text):
        for message in _tag_problems(text[start:end], word=False):
            report(message, text.count("\n", 0, start) + 1)
            ok = False
    _check_resources(fichier, text, path.parent, rapport)
    if not ok:
        # Jinja would only repeat the same problem as a syntax error.
        return False
    before = len(rapport.erreurs)
    tree = check_source(env, text, reference, TEMPLATE_KINDS.get(fichier), report)
    return ok and tree is not None and len(rapport.erreurs) == before


def _check_docx(
    path: Path,
    env: SandboxedEnvironment,
    reference: Reference,
    rapport: RapportModeles,
) -> list[_Source] | None:
    """Static checks of a Word template; the paragraph sources if it is worth rendering."""
    fichier = path.name
    try:
        external = external_problems(path.read_bytes())
    except OSError as exc:
        rapport.add(Probleme(fichier, ERREUR, f"fichier Word illisible ({os_reason(exc)})"))
        return None
    for message in external:
        rapport.add(Probleme(fichier, ERREUR, message))
    if any("volumineu" in m for m in external):
        return None
    try:
        parts = list(_docx_parts(path))
    except (zipfile.BadZipFile, OSError, KeyError) as exc:
        rapport.add(Probleme(fichier, ERREUR, f"fichier Word illisible ({exc})"))
        return None
    sources: list[_Source] = []
    ok = not external
    for _name, label, xml in parts:
        try:
            paragraphs = _paragraphs(xml)
        except ET.ParseError as exc:
            rapport.add(Probleme(fichier, ERREUR, f"XML invalide dans le fichier Word ({exc})"))
            return None
        except RecursionError:
            rapport.add(
                Probleme(fichier, ERREUR, "structure XML trop imbriquée dans le fichier Word")
            )
            return None
        before = len(rapport.erreurs)
        source = _check_word_part(fichier, label, paragraphs, rapport)
        if source is None:
            ok = False
            continue

        def report(message: str, line: int | None, source: _Source = source) -> None:
            where, excerpt = source.locate(line)
            rapport.add(Probleme(fichier, ERREUR, message, where, excerpt))

        if check_source(env, source.text, reference, TEMPLATE_KINDS.get(fichier), report) is None:
            ok = False
        if len(rapport.erreurs) > before:
            ok = False
        sources.append(source)
    return sources if ok else None


# ------------------------------------------------------------------ rendering


def _template_line(exc: BaseException, filename: str | None) -> int | None:
    """The template line of a runtime error, from Jinja's rewritten traceback."""
    line = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == (filename or "<template>"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _render_problem(
    rapport: RapportModeles,
    fichier: str,
    example: ExampleContext,
    message: str,
    where: tuple[str, str],
) -> None:
    # The same failure with every example dossier is reported once, with the first one.
    key = (fichier, where[0], message)
    if key in rapport._render_failures:
        return
    rapport._render_failures.add(key)
    rapport.add(
        Probleme(
            fichier,
            ERREUR,
            f"rendu impossible avec le dossier d'exemple « {example.exemple} » "
            f"({example.libelle}) : {message}",
            where[0],
            where[1],
        )
    )


def _render_docx(
    path: Path,
    sources: list[_Source],
    contexts: list[ExampleContext],
    rapport: RapportModeles,
) -> None:
    from recours.documents.metadata import Metadonnees
    from recours.documents.render_docx import DocxRenderer, docx_data

    env = make_env()
    try:
        compiled = [(env.from_string(s.text), s) for s in sources]
    except jinja2.TemplateError as exc:
        rapport.add(Probleme(path.name, ERREUR, f"modèle incompilable : {exc}"))
        return
    renderer = DocxRenderer(path)
    for example in contexts:
        ctx = docx_data(example.context)
        failed = False
        for template, source in compiled:
            try:
                template.render(ctx)
            except Exception as exc:
                where = source.locate(_template_line(exc, None))
                _render_problem(rapport, path.name, example, describe_template_error(exc), where)
                failed = True
                break
        if failed:
            continue
        try:
            renderer.render(
                example.context, Metadonnees("Vérification", "recours", "", EXAMPLE_TODAY)
            )
            rapport.rendus += 1
        except Exception as exc:
            _render_problem(rapport, path.name, example, describe_template_error(exc), ("", ""))


def _render_html(
    folder: Path,
    names: list[str],
    contexts: list[ExampleContext],
    rapport: RapportModeles,
    pdf: bool,
) -> None:
    from recours.documents.metadata import Metadonnees
    from recours.documents.render_pdf import PdfRenderer, html_data

    try:
        renderer = PdfRenderer([folder, bundled_templates_dir()])
    except TemplateError as exc:
        rapport.add(Probleme(STYLESHEET, ERREUR, str(exc)))
        return
    renderer.take_refused()  # refusals while parsing style.css: its own check reports them
    for name in names:
        kind = TEMPLATE_KINDS[name]
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        made_pdf = not pdf
        template = renderer.env.get_template(name)
        for example in [c for c in contexts if c.kind == kind]:
            try:
                template.render(html_data(example.context))
            except Exception as exc:
                line = _template_line(exc, template.filename)
                where = (
                    (f"ligne {line}", _excerpt(lines[line - 1]))
                    if line and 1 <= line <= len(lines)
                    else ("", "")
                )
                _render_problem(rapport, name, example, describe_template_error(exc), where)
                continue
            rapport.rendus += 1
            if made_pdf:
                continue
            made_pdf = True
            try:
                meta = Metadonnees("Vérification", "recours", "", EXAMPLE_TODAY)
                renderer.render(name, example.context, meta)
            except Exception as exc:
                _render_problem(rapport, name, example, describe_template_error(exc), ("", ""))
            for url in renderer.take_refused():
                message = (
                    f"ressource refusée au rendu PDF « {url} » : seuls les fichiers du dossier "
                    "des modèles sont chargés"
                )
                if not any(url in p.message for p in rapport.problemes if p.fichier == name):
                    rapport.add(Probleme(name, ERREUR, message))


# ------------------------------------------------------------------ entry point

KNOWN = set(TEMPLATE_FILES.values())


def check_templates(folder: Path, *, render: bool = True, pdf: bool = True) -> RapportModeles:
    """Check every template of a folder, then render the example dossiers with them.

    `pdf=False` skips the real PDF rendering (HTML is still rendered to text).
    """
    if not folder.is_dir():
        raise TemplateError(f"dossier de modèles introuvable : {folder}")
    rapport = RapportModeles(folder)
    links = _escaping_links(folder)
    for link, message in sorted(links.items()):
        rapport.add(Probleme(str(link.relative_to(folder)), ERREUR, message))
    files = sorted(
        p
        for p in folder.iterdir()
        if p not in links
        and p.is_file()
        and p.suffix.lower() in (".docx", ".html", ".htm", ".css")
        and not p.name.startswith("~$")
    )
    if not [p for p in files if p.suffix.lower() != ".css"] and not links:
        raise TemplateError(f"aucun modèle (.docx ou .html) dans {folder}")
    rapport.fichiers = sorted([p.name for p in files] + [str(p.relative_to(folder)) for p in links])
    rapport.absents = sorted((KNOWN | {STYLESHEET}) - set(rapport.fichiers))
    reference = template_reference()
    from recours.documents.sandbox import html_env

    env = html_env([folder, bundled_templates_dir()])
    word: dict[Path, list[_Source]] = {}
    html: list[str] = []
    for path in files:
        suffix = path.suffix.lower()
        if suffix == ".css":
            css = _read_text(path, rapport)
            if css is not None:
                _check_resources(path.name, css, folder, rapport)
        elif suffix == ".docx":
            sources = _check_docx(path, env, reference, rapport)
            if sources is not None and path.name in TEMPLATE_KINDS:
                word[path] = sources
        elif _check_html(path, env, reference, rapport) and path.name in TEMPLATE_KINDS:
            html.append(path.name)
    _check_parity(folder, rapport)
    if render and (word or html):
        contexts = example_contexts()
        for path, sources in word.items():
            kind = TEMPLATE_KINDS[path.name]
            _render_docx(path, sources, [c for c in contexts if c.kind == kind], rapport)
        if html:
            _render_html(folder, html, contexts, rapport, pdf)
    return rapport


def _check_parity(folder: Path, rapport: RapportModeles) -> None:
    """Say which template each PDF will follow when only one of a pair was edited."""
    from recours.documents.convert import soffice
    from recours.documents.sandbox import TEMPLATE_FILES

    def edited(name: str) -> bool:
        custom, bundled = folder / name, bundled_templates_dir() / name
        return custom.is_file() and custom.read_bytes() != bundled.read_bytes()

    for kind in ("gracieux", "requete"):
        word, page = TEMPLATE_FILES[(kind, "docx")], TEMPLATE_FILES[(kind, "pdf")]
        if edited(word) and not edited(page):
            how = (
                "LibreOffice est installé"
                if soffice()
                else "LibreOffice est ABSENT : "
                "recours generer refusera le PDF (installez-le, ou --formats docx)"
            )
            rapport.notes.append(
                f"{word} modifié, {page} inchangé : le PDF sera produit depuis le document "
                f"Word par LibreOffice ({how})"
            )
        elif edited(word) and edited(page):
            rapport.notes.append(
                f"{word} et {page} modifiés tous deux : le Word suit le premier, le PDF le "
                "second ; vérifiez qu'ils disent la même chose"
            )


def report_text(rapport: RapportModeles) -> str:
    """The report printed by `recours modeles verifier`."""
    lines = [f"Vérification des modèles de {rapport.dossier}"]
    for name in rapport.fichiers:
        found = [p for p in rapport.problemes if p.fichier == name]
        if not found:
            lines.append(f"{name} : aucun problème")
        for probleme in found:
            lines.append(str(probleme))
    for name in rapport.absents:
        lines.append(f"{name} : absent, le modèle fourni sera utilisé")
    lines += rapport.notes
    if rapport.rendus:
        lines.append(f"Rendus des dossiers d'exemple réussis : {rapport.rendus}")
    errors, warnings = len(rapport.erreurs), len(rapport.avertissements)
    lines.append(f"Résultat : {_plural(errors, 'erreur')}, {_plural(warnings, 'avertissement')}.")
    return "\n".join(lines)
