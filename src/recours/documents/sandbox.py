"""The one Jinja environment policy for every template: sandboxed, autoescaped, strict.

Templates travel by email (lawyers adapt them): they are untrusted code. The sandbox
blocks access to Python internals, autoescape keeps `&` and `<` from breaking Word's XML
or the HTML, and StrictUndefined turns a misspelt variable into an error instead of a
silent blank in a legal letter.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, FileSystemLoader, StrictUndefined, pass_environment
from jinja2.exceptions import SecurityError
from jinja2.filters import do_attr
from jinja2.runtime import Context as JinjaContext
from jinja2.runtime import Undefined
from jinja2.sandbox import MAX_RANGE, ImmutableSandboxedEnvironment, SandboxedEnvironment

from recours import formatting as fmt
from recours.documents.context import MultiLine

TEMPLATE_FILES = {
    ("gracieux", "docx"): "recours_gracieux.docx",
    ("gracieux", "pdf"): "recours_gracieux.html",
    ("requete", "docx"): "requete.docx",
    ("requete", "pdf"): "requete.html",
    ("demande_indemnitaire", "docx"): "demande_indemnitaire.docx",
    ("demande_indemnitaire", "pdf"): "demande_indemnitaire.html",
    ("mise_en_demeure", "docx"): "mise_en_demeure.docx",
    ("mise_en_demeure", "pdf"): "mise_en_demeure.html",
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


# Bounds on what one template expression may build: a letter never needs more, and a
# template with `'x' * 10**10` or `10 ** 10**8` would otherwise exhaust memory or CPU.
MAX_SEQUENCE = 1_000_000
MAX_EXPONENT = 1_000


def _bounded_range(*args: int) -> range:
    rng = range(*args)
    if len(rng) > MAX_RANGE:
        raise SecurityError(f"range() trop grand dans un modèle (plus de {MAX_RANGE} éléments)")
    return rng


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
    bounds string and number blow-ups, and words refusals in French.
    """

    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals["range"] = _bounded_range
        self.filters["attr"] = _attr

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
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context: JinjaContext, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"puissance trop grande dans un modèle (exposant {right})")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > MAX_SEQUENCE
                ):
                    raise SecurityError("texte ou liste trop long construit par le modèle")
        return super().call_binop(context, operator, left, right)


# French grammar of names for lawyers' templates: `Fait {{ document.lieu|a }}` -> "Fait au
# Mans", `{{ autorite.defendeur_nom|de }}` -> "du département de la Sarthe".
GRAMMAR_FILTERS: dict[str, Callable[..., str]] = {"de": fmt.de, "a": fmt.a}


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
    return make_env(FileSystemLoader([str(p) for p in search_path], encoding="utf-8"))


def convert_multiline(value: Any, convert: Callable[[MultiLine], Any]) -> Any:
    """Copy a context, turning every MultiLine into what one output format needs."""
    if isinstance(value, MultiLine):
        # An empty text stays a plain empty string so that `{% if texte %}` is false.
        return convert(value) if value else ""
    if isinstance(value, dict):
        return {k: convert_multiline(v, convert) for k, v in value.items()}
    if isinstance(value, list):
        return [convert_multiline(v, convert) for v in value]
    return value


def heavy_modules_loaded() -> list[str]:
    """Which heavy engines this process has imported (for diagnostics and tests)."""
    return [m for m in ("weasyprint", "docxtpl", "questionary") if m in sys.modules]


def describe_template_error(exc: BaseException) -> str:
    """French description of an error raised while rendering a template."""
    import re

    from jinja2 import UndefinedError

    text = str(exc)
    if isinstance(exc, UndefinedError):
        match = re.search(r"has no attribute '([^']+)'", text) or re.search(
            r"'([^']+)' is undefined", text
        )
        if match:
            return f"variable inconnue « {match.group(1)} » (voir recours modeles variables)"
    if isinstance(exc, ZeroDivisionError):
        return "division par zéro"
    return f"{type(exc).__name__} : {text}"
