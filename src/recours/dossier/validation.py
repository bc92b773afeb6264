"""Loading dossiers and turning pydantic errors into French messages with field paths.

Every input (YAML/JSON file, spreadsheet row, questionnaire answer) goes through
:func:`validate_dossier` or, one answer at a time, the model field's own validator
(:func:`recours.questionnaire.answers.check_field`), so the messages are the same everywhere.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from recours.dossier.models import Dossier
from recours.dossier.paths import Loc, format_path, parse_path
from recours.errors import DossierInvalidError, FieldProblem, RecoursError
from recours.files import os_reason

M = TypeVar("M", bound=BaseModel)


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
        if not isinstance(key_node, yaml.ScalarNode):
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "une clé doit être un simple nom (pas une liste ni un ensemble de champs)",
                key_node.start_mark,
            )
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "clé de fusion YAML « << » non prise en charge : recopiez les champs",
                key_node.start_mark,
            )
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


MAX_EXPANDED_NODES = 200_000
"""Values a dossier may hold once YAML aliases are expanded (a large dossier: ~5,000)."""
_LIMIT_TEXT = f"{MAX_EXPANDED_NODES:,}".replace(",", "\u202f")


def _bound_aliases(root: yaml.Node) -> None:
    """Aliases (`*a`, as PyYAML writes for shared data) are allowed, but a 356-byte file of
    nested aliases grew to 24 GB once expanded (issue 15 §13). The expanded size is
    computed on the node graph, each node once (memoised, linear), before anything is
    expanded; beyond MAX_EXPANDED_NODES the file is refused."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk: deep files do not hit the recursion limit here.
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        if not children_done and any(id(c) not in sizes for c in children):
            stack.append((node, True))
            stack.extend((c, False) for c in children if id(c) not in sizes)
            continue
        size = 1 + sum(sizes.get(id(c), 1) for c in children)
        if size > MAX_EXPANDED_NODES:
            raise DossierInvalidError(
                "",
                [
                    FieldProblem(
                        "",
                        "YAML refusé : une fois les alias (« *… ») développés, le fichier "
                        f"compterait plus de {_LIMIT_TEXT} valeurs ; recopiez les valeurs au "
                        "lieu d'alias imbriqués",
                        ligne=node.start_mark.line + 1,
                    )
                ],
            )
        sizes[id(node)] = size


def parse_yaml(text: str) -> tuple[Any, yaml.Node | None]:
    """Data and node tree (for line numbers) in one parse."""
    loader = DossierLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _bound_aliases(node)
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, node


_YAML_PROBLEMS = (
    (
        "mapping values are not allowed here",
        "« : » inattendu (mettez entre guillemets une valeur qui contient « : »)",
    ),
    ("could not find expected ':'", "« : » manquant après une clé"),
    (
        "cannot start any token",
        "caractère interdit en début de valeur (tabulation ? "
        "indentez avec des espaces ; @ ou ` : mettez la valeur entre guillemets)",
    ),
    ("did not find expected ',' or '}'", "accolade non fermée : « } » attendue"),
    ("did not find expected ',' or ']'", "crochet non fermé : « ] » attendu"),
    ("did not find expected key", "indentation incorrecte : clé attendue"),
    (
        "did not find expected '-' indicator",
        "indentation incorrecte : élément de liste « - » attendu",
    ),
    ("expected <block end>", "indentation incorrecte"),
    ("found undefined alias", "alias YAML (« *… ») interdit dans un dossier"),
    ("found unhashable key", "une clé doit être un simple nom"),
    ("could not determine a constructor", "étiquette YAML (« !… ») non prise en charge"),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    ("found unknown escape character", "séquence « \\ » inconnue entre guillemets doubles"),
    ("expected a single document", "un seul document attendu (pas de « --- » au milieu)"),
    ("found duplicate anchor", "ancre YAML (« &… ») en double"),
    ("while scanning", "syntaxe YAML invalide"),
)


def _french_yaml_problem(problem: str) -> str:
    for english, french in _YAML_PROBLEMS:
        if english in problem:
            return french
    return problem


def _no_duplicate_json_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"clé « {key} » en double")
        out[key] = value
    return out


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
    "int_parsing_size": "nombre entier beaucoup trop grand",
    "float_type": "nombre attendu",
    "float_parsing": "nombre attendu",
    "decimal_max_digits": "trop de chiffres",
    "decimal_max_places": "trop de décimales",
    "decimal_whole_digits": "trop de chiffres avant la virgule",
    "string_unicode": "texte invalide (caractères non Unicode)",
    "string_sub_type": "texte attendu",
    "mapping_type": "ensemble de champs attendu",
    "iterable_type": "liste attendue",
    "tuple_type": "liste attendue",
    "set_type": "liste attendue",
    "none_required": "aucune valeur attendue",
    "is_instance_of": "valeur d'un type inattendu",
    "datetime_type": "date attendue au format AAAA-MM-JJ",
    "datetime_parsing": "date invalide ou inexistante (format attendu AAAA-MM-JJ)",
    "date_from_datetime_invalid": "date invalide ou inexistante (format attendu AAAA-MM-JJ)",
    "json_invalid": "JSON invalide",
    "json_type": "JSON attendu",
    "union_tag_invalid": "type de valeur inconnu",
    "union_tag_not_found": "type de valeur manquant",
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
    if kind == "string_too_short":
        return f"au moins {ctx.get('min_length')} caractère(s)"
    if kind == "enum":
        expected = re.sub(r"'([^']*)'", r"« \1 »", str(ctx.get("expected", ""))).replace(
            " or ", " ou "
        )
        return f"valeur non autorisée ; valeurs possibles : {expected}"
    if kind == "assertion_error":
        return str(ctx.get("error", "valeur invalide"))
    # pydantic's own text is English: name the kind of error instead.
    return f"valeur invalide (erreur de type « {kind} »)"


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
                chunk_loc = loc + parse_path(match.group(1))
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
        raise RecoursError(f"{path} : lecture impossible ({os_reason(exc)})") from None
    # One spelling per text (issue 15 §17): « Île » in NFD (macOS) and NFC is one authority.
    text = unicodedata.normalize("NFC", text)
    lines: dict[Loc, int] = {}
    node: yaml.Node | None = None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text, object_pairs_hook=_no_duplicate_json_keys)
        else:
            data, node = parse_yaml(text)
    except DossierInvalidError as exc:
        raise DossierInvalidError(str(path), exc.problemes) from None
    except json.JSONDecodeError as exc:
        raise DossierInvalidError(
            str(path), [FieldProblem("", f"JSON invalide : {exc.msg}", ligne=exc.lineno)]
        ) from None
    except ValueError as exc:  # a duplicate key (object_pairs_hook)
        raise DossierInvalidError(str(path), [FieldProblem("", f"JSON invalide : {exc}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = _french_yaml_problem(getattr(exc, "problem", None) or str(exc))
        raise DossierInvalidError(
            str(path), [FieldProblem("", f"YAML invalide : {problem}", ligne=line)]
        ) from None
    except RecursionError:
        raise DossierInvalidError(
            str(path), [FieldProblem("", "structure trop imbriquée (listes ou champs)")]
        ) from None
    if node is None and path.suffix.lower() == ".json":
        try:
            node = yaml.compose(text, Loader=DossierLoader)
        except yaml.YAMLError:
            node = None  # JSON that YAML cannot compose: no line numbers, paths remain
    if node is not None:
        try:
            _index_lines(node, (), lines)
        except RecursionError:
            lines.clear()  # no line numbers for an absurdly deep file; paths remain
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
