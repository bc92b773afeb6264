"""The one Jinja environment policy for every template: sandboxed, autoescaped, strict.

Templates travel by email (lawyers adapt them): they are untrusted code. The sandbox
blocks access to Python internals, autoescape keeps `&` and `<` from breaking Word's XML
or the HTML, and StrictUndefined turns a misspelt variable into an error instead of a
silent blank in a legal letter.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import re
import string
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    nodes,
    pass_environment,
)
from jinja2 import Template as JinjaTemplate
from jinja2.exceptions import SecurityError
from jinja2.filters import do_attr
from jinja2.runtime import Context as JinjaContext
from jinja2.runtime import Undefined
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import Namespace, generate_lorem_ipsum
from pydantic import BaseModel

from recours import formatting as fmt
from recours.documents.models import MultiLine
from recours.errors import TemplateError

TEMPLATE_FILES = {
    ("gracieux", "docx"): "recours_gracieux.docx",
    ("gracieux", "pdf"): "recours_gracieux.html",
    ("requete", "docx"): "requete.docx",
    ("requete", "pdf"): "requete.html",
    ("demande_indemnitaire", "docx"): "demande_indemnitaire.docx",
    ("demande_indemnitaire", "pdf"): "demande_indemnitaire.html",
    ("mise_en_demeure", "docx"): "mise_en_demeure.docx",
    ("mise_en_demeure", "pdf"): "mise_en_demeure.html",
    ("recours_hierarchique", "docx"): "recours_hierarchique.docx",
    ("recours_hierarchique", "pdf"): "recours_hierarchique.html",
    ("requete_indemnitaire", "docx"): "requete_indemnitaire.docx",
    ("requete_indemnitaire", "pdf"): "requete_indemnitaire.html",
    ("inventaire", "pdf"): "inventaire.html",
    ("montants", "pdf"): "tableau_montants.html",
}
STYLESHEET = "style.css"


def bundled_templates_dir() -> Path:
    """templates/ inside the wheel, or the repository's top-level templates/ in a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


# Bounds on what one template may build or spend. A letter never needs more; without
# them `'x' * 10**10`, `10 ** 10**8`, `'x'|center(2*10**9)` or nested loops over
# range(100000) exhaust memory or CPU (issue 15 §3). Module attributes so tests can lower
# them.
MAX_SEQUENCE = 1_000_000
"""Longest text or list (counting the text inside lists) one expression may build."""
MAX_EXPONENT = 1_000
MAX_INT_BITS = 20_000
"""About 6,000 digits: Python refuses to print more than 4,300 anyway."""
MAX_WIDTH = 10_000
"""Widest padding or field a format (center, ljust, %10000s, {:>10000}) may ask for."""
MAX_OUTPUT = 10_000_000
"""Characters one document may print (a requête with 200 établissements is about 2 MB)."""
MAX_ITERATIONS = 1_000_000
"""Loop turns of one document, all loops together."""
MAX_SECONDS = 20.0
"""Wall time of one document's template rendering (a letter takes about 0.1 s)."""
MAX_TEMPLATE_BYTES = 20_000_000
"""Largest template source or Word XML part read (uncompressed)."""


class TemplateLimitError(SecurityError):
    """A template went past one of the bounds above (message in French)."""


def refusal_reason(exc: SecurityError) -> str:
    """Why the sandbox stopped a template, in French: past a bound, or an operation it
    forbids."""
    if isinstance(exc, TemplateLimitError):
        return str(exc)
    return f"opération interdite par le bac à sable des modèles ({exc})"


def refusal(name: str, exc: SecurityError) -> TemplateError:
    """The French error for a template the sandbox stopped (see refusal_reason)."""
    return TemplateError(f"{name} : {refusal_reason(exc)}")


def _number(n: float) -> str:
    return f"{n:,}".replace(",", "\u202f")


@dataclass
class _Budget:
    deadline: float
    iterations: int = 0
    output: int = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise TemplateLimitError(
                f"rendu interrompu au bout de {_number(MAX_SECONDS)} secondes : le modèle "
                "demande trop de calculs"
            )

    def add_output(self, size: int) -> None:
        self.output += size
        if self.output > MAX_OUTPUT:
            raise TemplateLimitError(
                f"document trop long produit par le modèle (plus de {_number(MAX_OUTPUT)} "
                "caractères)"
            )

    def turn(self, static_size: int) -> None:
        self.iterations += 1
        if self.iterations > MAX_ITERATIONS:
            raise TemplateLimitError(
                f"boucles trop longues dans le modèle (plus de {_number(MAX_ITERATIONS)} tours)"
            )
        if static_size:
            self.add_output(static_size)
        self.check_time()


_BUDGET: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "recours_template_budget", default=None
)


@contextlib.contextmanager
def render_budget() -> Iterator[_Budget]:
    """The bounds of one document; nested renders (docxtpl parts) share the outer one."""
    current = _BUDGET.get()
    if current is not None:
        yield current
        return
    budget = _Budget(time.monotonic() + MAX_SECONDS)
    token = _BUDGET.set(budget)
    try:
        yield budget
    finally:
        _BUDGET.reset(token)


def _budget() -> _Budget:
    current = _BUDGET.get()
    return current if current is not None else _Budget(time.monotonic() + MAX_SECONDS)


def _weight(value: Any, limit: int = MAX_SEQUENCE, depth: int = 0) -> int:
    """About how many characters `value` prints as; stops counting past `limit`."""
    if isinstance(value, str):
        return len(value)
    if depth > 20:
        return limit + 1
    if isinstance(value, dict):
        items: Iterable[Any] = (x for pair in value.items() for x in pair)
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return 0
    total = len(value)
    for item in items:
        if total > limit:
            break
        total += _weight(item, limit - total, depth + 1)
    return total


def _too_long(size: int) -> None:
    if size > MAX_SEQUENCE:
        raise TemplateLimitError("texte ou liste trop long construit par le modèle")


def _check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_WIDTH:
        raise TemplateLimitError(
            f"largeur de mise en forme trop grande dans le modèle ({width} ; au plus "
            f"{_number(MAX_WIDTH)})"
        )


_PRINTF_RE = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_printf(fmt: Any) -> None:
    """`'%0999999999d' % 1`: refuse printf widths and precisions beyond MAX_WIDTH."""
    if not isinstance(fmt, str):
        return
    for match in _PRINTF_RE.finditer(fmt):
        for group in match.groups():
            if group == "*":
                raise TemplateLimitError("largeur « * » interdite dans un format de modèle")
            if group:
                _check_width(int(group))


def _check_format_spec(fmt: str) -> None:
    """`'{:>999999999}'.format(1)`: the same bound for str.format fields."""
    for _text, _field, spec, _conv in string.Formatter().parse(fmt):
        if not spec:
            continue
        if "{" in spec:
            raise TemplateLimitError("champ de format imbriqué interdit dans un modèle")
        for digits in re.findall(r"\d+", spec):
            _check_width(int(digits))


def _check_str_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    # Jinja wraps str.format in its sandboxed formatter; the wrapper keeps the method.
    owner = getattr(getattr(obj, "__wrapped__", obj), "__self__", None)
    if not isinstance(owner, str):
        return
    name = getattr(obj, "__name__", "")
    values = [*args, *kwargs.values()]
    if name in ("format", "format_map"):
        _check_format_spec(owner)
    elif name in ("center", "ljust", "rjust", "zfill") and values:
        _check_width(values[0])
    elif name == "expandtabs":
        size = values[0] if values and isinstance(values[0], int) else 8
        _too_long(len(owner) + owner.count("\t") * size)
    elif name == "join" and values:
        items = values[0]
        if isinstance(items, list | tuple):
            _too_long(_weight(items) + len(items) * len(owner))
    elif name == "replace" and len(values) >= 2:
        _check_replace(owner, values[0], values[1])
    elif name == "translate":
        raise TemplateLimitError("str.translate interdit dans un modèle")


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        count = text.count(old) if old else len(text) + 1
        _too_long(len(text) + count * max(len(new) - len(old), 0))


def _checked_filter(
    func: Callable[..., Any], check: Callable[[list[Any], dict[str, Any]], None]
) -> Callable[..., Any]:
    """A Jinja filter with a pre-check of its arguments (keeps its pass_* marker)."""
    skip = 1 if hasattr(func, "jinja_pass_arg") else 0

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check(list(args[skip:]), kwargs)
        return func(*args, **kwargs)

    return wrapper


def _arg(args: list[Any], kwargs: dict[str, Any], index: int, name: str, default: Any) -> Any:
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def _check_indent(args: list[Any], kwargs: dict[str, Any]) -> None:
    text, width = _arg(args, kwargs, 0, "s", ""), _arg(args, kwargs, 1, "width", 4)
    size = len(width) if isinstance(width, str) else width
    _check_width(size)
    if isinstance(text, str) and isinstance(size, int):
        _too_long(len(text) + (text.count("\n") + 1) * size)


def _check_join(args: list[Any], kwargs: dict[str, Any]) -> None:
    items, sep = _arg(args, kwargs, 0, "value", ()), _arg(args, kwargs, 1, "d", "")
    if isinstance(items, list | tuple):
        _too_long(_weight(items) + len(items) * (len(sep) if isinstance(sep, str) else 0))


def _check_batch(args: list[Any], kwargs: dict[str, Any]) -> None:
    count = _arg(args, kwargs, 1, "linecount", 1)
    fill = _arg(args, kwargs, 2, "fill_with", None)
    if isinstance(count, int) and count > MAX_RANGE:
        raise TemplateLimitError(f"batch() trop grand dans un modèle (plus de {MAX_RANGE})")
    if fill is not None and isinstance(count, int):
        _too_long(count * max(_weight(fill), 1))


def _check_slice(args: list[Any], kwargs: dict[str, Any]) -> None:
    count = _arg(args, kwargs, 1, "slices", 1)
    fill = _arg(args, kwargs, 2, "fill_with", None)
    if isinstance(count, int) and count > MAX_RANGE:
        raise TemplateLimitError(f"slice() trop grand dans un modèle (plus de {MAX_RANGE})")
    if fill is not None and isinstance(count, int):
        _too_long(count * max(_weight(fill), 1))


def _check_replace_filter(args: list[Any], kwargs: dict[str, Any]) -> None:
    _check_replace(
        _arg(args, kwargs, 0, "s", ""),
        _arg(args, kwargs, 1, "old", ""),
        _arg(args, kwargs, 2, "new", ""),
    )


_FILTER_CHECKS: dict[str, Callable[[list[Any], dict[str, Any]], None]] = {
    "center": lambda a, k: _check_width(_arg(a, k, 1, "width", 80)),
    "format": lambda a, k: _check_printf(_arg(a, k, 0, "value", "")),
    "indent": _check_indent,
    "join": _check_join,
    "batch": _check_batch,
    "slice": _check_slice,
    "replace": _check_replace_filter,
    "wordwrap": lambda a, k: _check_width(len(str(_arg(a, k, 4, "wrapstring", "") or ""))),
    "truncate": lambda a, k: _check_width(len(str(_arg(a, k, 3, "end", "")))),
}


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise TemplateLimitError(
            f"range() trop grand dans un modèle (plus de {MAX_RANGE} éléments)"
        )
    return rng


def _bounded_lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
    if n > 100 or max > 1000:
        raise TemplateLimitError("lipsum() trop grand dans un modèle")
    return generate_lorem_ipsum(n, html, min, max)


class _BoundedNamespace(Namespace):
    """`{% set ns.x = ns.x ~ ns.x %}` in a loop doubles a text: bound what is stored."""

    def __setitem__(self, name: str, value: Any) -> None:
        _too_long(_weight(value))
        super().__setitem__(name, value)


def _refuse_hidden_undefined(value: Any, depth: int = 0) -> None:
    """`{{ liste|map(attribute='__class__')|list }}` would print « [Undefined] »: an
    undefined or refused value inside a list or dict fails like one printed alone."""
    if isinstance(value, Undefined):
        value._fail_with_undefined_error()
    if depth > 5 or isinstance(value, str):
        return
    if isinstance(value, dict):
        items: Iterable[Any] = (x for pair in value.items() for x in pair)
    elif isinstance(value, list | tuple | set | frozenset):
        items = value
    else:
        return
    for item in items:
        _refuse_hidden_undefined(item, depth + 1)


def _finalize(value: Any) -> Any:
    # Every printed value, in the document, a macro or a {% set %} block, counts.
    if not isinstance(value, str):
        _refuse_hidden_undefined(value)
    budget = _BUDGET.get()
    if budget is not None:
        budget.add_output(_weight(value, MAX_OUTPUT))
        budget.check_time()
    return value


class BoundedTemplate(JinjaTemplate):
    """A template whose render counts its output and time against the document's budget."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with render_budget() as budget:
            ctx = self.new_context(dict(*args, **kwargs))
            try:
                chunks = []
                for chunk in self.root_render_func(ctx):
                    budget.add_output(len(chunk))
                    chunks.append(chunk)
                budget.check_time()
                return "".join(chunks)
            except Exception:
                self.environment.handle_exception()


def _refused(value: Any) -> bool:
    return isinstance(value, Undefined) and value._undefined_exception is SecurityError


@pass_environment
def _attr(environment: Environment, obj: Any, name: str) -> Any:
    if _refused(obj):
        return obj
    return do_attr(environment, obj, name)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """Jinja's sandbox, tightened for templates received by email.

    On top of SandboxedEnvironment (no `_`-prefixed attributes, no function internals,
    sandboxed `str.format`), it forbids mutating the context (`list.append`, `dict.pop`),
    bounds what a template may build (texts, lists, integers, format widths), how many
    loop turns, characters and seconds one document may take, and words refusals in
    French.
    """

    intercepted_binops = frozenset({"*", "**", "%"})
    template_class = BoundedTemplate

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("finalize", _finalize)
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _bounded_lipsum
        self.globals["namespace"] = _BoundedNamespace
        self.filters["attr"] = _attr
        for name, check in _FILTER_CHECKS.items():
            self.filters[name] = _checked_filter(self.filters[name], check)

    def _generate(
        self,
        source: nodes.Template,
        name: str | None,
        filename: str | None,
        defer_init: bool = False,
    ) -> str:
        # Every {% for %} iterates through loop_guard, which counts turns, the static text
        # each turn prints, and time. Done at compile time only: `parse` (used by
        # `modeles verifier`) still sees the template as written.
        for loop in source.find_all(nodes.For):
            static = sum(len(d.data) for d in loop.find_all(nodes.TemplateData))
            loop.iter = nodes.Call(
                nodes.EnvironmentAttribute("loop_guard"),
                [loop.iter, nodes.Const(static)],
                [],
                None,
                None,
                lineno=loop.iter.lineno,
            )
        code: str = super()._generate(source, name, filename, defer_init=defer_init)
        return code

    def loop_guard(self, iterable: Iterable[Any], static_size: int = 0) -> Iterator[Any]:
        budget = _budget()
        for item in iterable:
            budget.turn(static_size)
            yield item

    def getattr(self, obj: Any, attribute: str) -> Any:
        # Once refused, stay refused: `x|attr('__class__')|attr('__mro__')` reports the
        # first refusal instead of an obscure "undefined" about the second step.
        if _refused(obj):
            return obj
        if attribute.startswith("_"):
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if _refused(obj):
            return obj
        if isinstance(argument, str) and argument.startswith("_"):
            return self.unsafe_undefined(obj, argument)
        return super().getitem(obj, argument)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        return self.undefined(
            f"accès interdit à l'attribut « {attribute} » (objet {type(obj).__name__}) : "
            "les modèles n'ont accès ni aux objets Python, ni aux fichiers, ni au réseau",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )

    def call(__self, __context: JinjaContext, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if not __self.is_safe_callable(__obj):
            raise SecurityError(f"appel interdit dans un modèle : {__obj!r}")
        if getattr(__obj, "__func__", None) is not TemplateSandbox.loop_guard:
            budget = _BUDGET.get()
            if budget is not None:
                budget.check_time()
            # A recursive macro doubling its argument: bound what is passed around.
            for value in (*args, *kwargs.values()):
                if isinstance(value, str | list | tuple | dict):
                    _too_long(_weight(value))
            _check_str_method(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
        ints = isinstance(left, int) and isinstance(right, int)
        if operator == "**":
            if isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
                raise TemplateLimitError(f"puissance trop grande dans un modèle (exposant {right})")
            if ints and right > 0 and abs(left).bit_length() * right > MAX_INT_BITS:
                raise TemplateLimitError("nombre trop grand construit par le modèle")
        if operator == "*":
            if ints and abs(left).bit_length() + abs(right).bit_length() > MAX_INT_BITS:
                raise TemplateLimitError("nombre trop grand construit par le modèle")
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and not isinstance(seq, bool)
                    and max(_weight(seq), 1) * times > MAX_SEQUENCE
                ):
                    raise TemplateLimitError("texte ou liste trop long construit par le modèle")
        if operator == "%":
            _check_printf(left)
        return super().call_binop(context, operator, left, right)


# French grammar of names for lawyers' templates: `Fait {{ document.lieu|a }}` -> "Fait au
# Mans", `{{ autorite.defendeur_nom|de }}` -> "du département de la Sarthe".
GRAMMAR_FILTERS: dict[str, Callable[..., str]] = {"de": fmt.de, "a": fmt.a}


class FolderLoader(FileSystemLoader):
    """FileSystemLoader that serves only files whose real path is inside its folders.

    A symlink in a templates folder (`entete.html -> /etc/passwd`) would otherwise put
    its target into the document (issue 15 §1); an HTML file that is not UTF-8 gets a
    French message instead of a traceback.
    """

    def get_source(
        self, environment: Environment, template: str
    ) -> tuple[str, str, Callable[[], bool]]:
        for folder in self.searchpath:
            candidate = Path(folder) / template
            if not os.path.lexists(candidate):
                continue
            check_inside(candidate, Path(folder))
            if candidate.is_file() and candidate.stat().st_size > MAX_TEMPLATE_BYTES:
                raise TemplateError(f"{template} : modèle trop volumineux")
            break
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError:
            raise TemplateError(
                f"{template} : le modèle n'est pas encodé en UTF-8 (enregistrez-le en UTF-8)"
            ) from None


def check_inside(path: Path, folder: Path) -> None:
    """Refuse a file whose real path (symlinks followed) leaves the templates folder."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise TemplateError(
            f"{path.name} : lien symbolique cassé ou en boucle dans le dossier des modèles"
        ) from None
    if not real.is_relative_to(folder.resolve()):
        raise TemplateError(
            f"{path.name} : lien symbolique vers un fichier hors du dossier des modèles "
            f"({real}) : refusé"
        )


def make_env(loader: BaseLoader | None = None) -> SandboxedEnvironment:
    env = TemplateSandbox(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(GRAMMAR_FILTERS)
    return env


def html_env(search_path: Sequence[Path]) -> SandboxedEnvironment:
    return make_env(FolderLoader([str(p) for p in search_path], encoding="utf-8"))


_PLAIN = frozenset({str, bool, int, float})


def convert_multiline(value: Any, convert: Callable[[MultiLine], Any]) -> Any:
    """What templates receive: a copy of a context (a context model of
    `documents.models`, or plain data) as plain dicts and lists, every MultiLine turned
    into what one output format needs.

    The one place a context model becomes template data: templates see no model object
    (nothing of pydantic a sandboxed template could explore), only its fields.
    """
    if type(value) in _PLAIN:
        return value  # most values: skip the isinstance checks (BaseModel's is slow)
    if isinstance(value, MultiLine):
        # An empty text stays a plain empty string so that `{% if texte %}` is false.
        return convert(value) if value else ""
    if isinstance(value, BaseModel):
        # The instance's fields, in declaration order (extra fields are forbidden).
        return {k: convert_multiline(v, convert) for k, v in value.__dict__.items()}
    if isinstance(value, dict):
        return {k: convert_multiline(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_multiline(v, convert) for v in value]
    return value


def describe_template_error(exc: BaseException) -> str:
    """French description of an error raised while rendering a template (the renderers'
    messages and the template checker's report)."""
    from jinja2 import UndefinedError

    text = str(exc)
    if isinstance(exc, SecurityError):
        return refusal_reason(exc)
    if isinstance(exc, UndefinedError):
        match = re.search(r"has no attribute '([^']+)'", text) or re.search(
            r"'([^']+)' is undefined", text
        )
        if match:
            return f"variable inconnue « {match.group(1)} » (voir recours modeles variables)"
        return f"variable indéfinie : {text}"
    if isinstance(exc, TemplateError):
        return text
    if isinstance(exc, ZeroDivisionError):
        return "division par zéro"
    return f"{type(exc).__name__} : {text}"
