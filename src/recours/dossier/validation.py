"""Loading dossiers and turning pydantic errors into French messages with field paths.

Every input (YAML/JSON file, spreadsheet row, questionnaire answer) goes through
:func:`validate_dossier` or :func:`validate_value`, so the messages are the same everywhere.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from recours.dossier.models import Dossier
from recours.errors import DossierInvalidError, FieldProblem, RecoursError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


# libyaml's parser when present (about 10x faster); the pure-Python one otherwise.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DossierLoader(_BaseLoader):  # type: ignore[misc]
    """SafeLoader that keeps numbers and dates as the text the user typed.

    Identifiers keep their leading zeros (code postal 07500, FINESS 010000000), an invalid
    date such as 2026-02-30 gets a French message instead of a crash, and pydantic does
    the conversions, so files, spreadsheets and prompts share the same rules.
    """


def _construct_mapping_no_duplicates(
    loader: Any, node: yaml.MappingNode, deep: bool = False
) -> Any:
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"clé « {key} » en double (déjà présente ligne {seen[key]})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.constructor.SafeConstructor.construct_mapping(loader, node, deep=deep)


DossierLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: dict(_construct_mapping_no_duplicates(loader, node, deep=True)),
)

_KEPT_AS_TEXT = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
}
DossierLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _KEPT_AS_TEXT]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Data and node tree (for line numbers) in one parse."""
    loader = DossierLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


def load_yaml(text: str) -> Any:
    return parse_yaml(text)[0]


_SUBPATH_RE = re.compile(r"^([a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*) : (.*)$", re.DOTALL)

_MESSAGES: dict[str, str] = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ inconnu (vérifiez l'orthographe)",
    "string_type": "texte attendu",
    "int_type": "nombre entier attendu",
    "int_parsing": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_type": "oui ou non attendu (true / false)",
    "bool_parsing": "oui ou non attendu (true / false)",
    "decimal_type": "nombre attendu",
    "decimal_parsing": "nombre attendu",
    "date_type": "date attendue au format AAAA-MM-JJ",
    "date_parsing": "date invalide ou inexistante (format attendu AAAA-MM-JJ)",
    "date_from_datetime_parsing": "date invalide ou inexistante (format attendu AAAA-MM-JJ)",
    "date_from_datetime_inexact": "date sans heure attendue (AAAA-MM-JJ)",
    "list_type": "liste attendue",
    "dict_type": "ensemble de champs attendu",
    "model_type": "ensemble de champs attendu",
    "model_attributes_type": "ensemble de champs attendu",
    "finite_number": "nombre fini attendu",
}


def _bound_message(kind: str, ctx: Mapping[str, Any]) -> str | None:
    bounds = {
        "greater_than": ("doit être supérieur à", "gt"),
        "greater_than_equal": ("doit être supérieur ou égal à", "ge"),
        "less_than": ("doit être inférieur à", "lt"),
        "less_than_equal": ("doit être inférieur ou égal à", "le"),
    }
    if kind in bounds:
        text, key = bounds[kind]
        return f"{text} {ctx.get(key)}"
    return None


def french_message(error: ErrorDetails) -> str:
    """French message for one pydantic error."""
    kind = error["type"]
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    bound = _bound_message(kind, ctx)
    if bound:
        return bound
    if kind == "literal_error":
        expected = re.sub(r"'([^']*)'", r"« \1 »", str(ctx.get("expected", ""))).replace(
            " or ", " ou "
        )
        return f"valeur non autorisée ; valeurs possibles : {expected}"
    if kind == "string_pattern_mismatch":
        return "format invalide"
    if kind == "too_short":
        return f"au moins {ctx.get('min_length')} élément(s) attendu(s)"
    if kind == "too_long":
        return f"au plus {ctx.get('max_length')} élément(s) ou caractère(s)"
    if kind == "string_too_long":
        return f"au plus {ctx.get('max_length')} caractères"
    return f"valeur invalide ({error['msg']})"


def format_path(loc: Iterable[str | int]) -> str:
    """('etablissements', 0, 'finess') -> 'etablissements[0].finess'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _parse_path(path: str) -> Loc:
    loc: list[str | int] = []
    for name, index in re.findall(r"([a-z_$]+)|\[(\d+)\]", path):
        loc.append(int(index) if index else name)
    return tuple(loc)


def _drop_union_tags(loc: Sequence[str | int]) -> Loc:
    """pydantic adds validator names (e.g. 'function-after[...]') to locations; drop them."""
    return tuple(p for p in loc if not (isinstance(p, str) and "[" in p))


def problems_from(
    exc: ValidationError,
    lines: Mapping[Loc, int] | None = None,
    prefix: Loc = (),
) -> list[FieldProblem]:
    """All problems of a ValidationError, in French, with paths and YAML lines."""
    problems: list[FieldProblem] = []
    for error in exc.errors(include_url=False):
        loc = prefix + _drop_union_tags(error["loc"])
        message = french_message(error)
        # Cross-field validators name the sub-field in their message: "finess : ...".
        for chunk in message.split("\n"):
            chunk_loc = loc
            match = _SUBPATH_RE.match(chunk)
            if match:
                chunk_loc = loc + _parse_path(match.group(1))
                chunk = match.group(2)
            problems.append(
                FieldProblem(
                    chemin=format_path(chunk_loc),
                    message=chunk,
                    ligne=_line_for(chunk_loc, lines),
                )
            )
    return problems


def _line_for(loc: Loc, lines: Mapping[Loc, int] | None) -> int | None:
    if not lines:
        return None
    probe = loc
    while probe:
        if probe in lines:
            return lines[probe]
        probe = probe[:-1]
    return None


def _index_lines(node: yaml.Node, loc: Loc, out: dict[Loc, int]) -> None:
    out[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            out[(*loc, key)] = key_node.start_mark.line + 1
            _index_lines(value_node, (*loc, key), out)
            out[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, (*loc, i), out)


def read_dossier_file(path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse a YAML or JSON dossier; return the data and a path -> line index."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecoursError(f"{path} : fichier introuvable") from None
    except UnicodeDecodeError:
        raise RecoursError(f"{path} : le fichier n'est pas encodé en UTF-8") from None
    except OSError as exc:
        raise RecoursError(f"{path} : lecture impossible ({exc.strerror})") from None
    lines: dict[Loc, int] = {}
    node: yaml.Node | None = None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            data, node = parse_yaml(text)
    except json.JSONDecodeError as exc:
        raise DossierInvalidError(
            str(path), [FieldProblem("", f"JSON invalide : {exc.msg}", ligne=exc.lineno)]
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DossierInvalidError(
            str(path), [FieldProblem("", f"YAML invalide : {problem}", ligne=line)]
        ) from None
    if node is None and path.suffix.lower() == ".json":
        try:
            node = yaml.compose(text, Loader=DossierLoader)
        except yaml.YAMLError:
            node = None  # JSON that YAML cannot compose: no line numbers, paths remain
    if node is not None:
        _index_lines(node, (), lines)
    return data, lines


def context_for(aujourdhui: date | None) -> dict[str, Any] | None:
    """The pydantic validation context: today's date, read by the CLI and passed down.

    With it, dates after today and exercises after the current year are refused.
    """
    return {"aujourdhui": aujourdhui} if aujourdhui is not None else None


def validate_dossier(
    data: Any,
    source: str,
    lines: Mapping[Loc, int] | None = None,
    aujourdhui: date | None = None,
) -> Dossier:
    """Validate raw data as a dossier; raise DossierInvalidError with every problem."""
    if not isinstance(data, dict):
        raise DossierInvalidError(
            source, [FieldProblem("", "le dossier doit être un ensemble de champs (clé : valeur)")]
        )
    try:
        return Dossier.model_validate(data, context=context_for(aujourdhui))
    except ValidationError as exc:
        raise DossierInvalidError(source, problems_from(exc, lines)) from None


def load_dossier(path: Path, aujourdhui: date | None = None) -> Dossier:
    data, lines = read_dossier_file(path)
    return validate_dossier(data, str(path), lines, aujourdhui=aujourdhui)


def validate_value(annotation: Any, value: Any, aujourdhui: date | None = None) -> Any:
    """Validate one answer against a field type; raise ValueError with a French message.

    The questionnaire uses this so that typed answers and files share one source of truth.
    """
    try:
        return TypeAdapter(annotation).validate_python(value, context=context_for(aujourdhui))
    except ValidationError as exc:
        raise ValueError("; ".join(p.message for p in problems_from(exc))) from None


def validate_model(
    model: type[M], data: Any, source: str, prefix: Loc = (), aujourdhui: date | None = None
) -> M:
    try:
        return model.model_validate(data, context=context_for(aujourdhui))
    except ValidationError as exc:
        raise DossierInvalidError(source, problems_from(exc, prefix=prefix)) from None


Validator = Callable[[Any], Any]
