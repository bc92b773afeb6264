"""Answers of the question spec, shared by the terminal and the web front-ends.

One answer is validated by the model field's own type (:func:`check_field`); the rules
that span fields (FINESS and département, SIREN or SIRET, dates in order, shares summing
to 100 %) are found for one item of a section by :func:`item_problems`, with neutral
placeholders for what is not answered yet. The bookkeeping both front-ends need after an
answer (an authority's internal id, the financing received from a former funder, the
answers a changed condition hides, adding and removing list items) lives here too.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from recours.dossier.models import Autorite, Decision, Dossier, Etablissement, Organisme
from recours.dossier.validation import context_for, problems_from
from recours.questionnaire import spec

Data = dict[str, Any]
MISSING = "champ obligatoire manquant"


class AnswerError(ValueError):
    """An answer the dossier model refuses; the message is French."""


@functools.cache
def field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """Validator of one model field, with its Annotated validators and constraints."""
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
    return TypeAdapter(annotation)


def messages(exc: ValidationError, keep: Callable[[str], bool] = lambda _: True) -> list[str]:
    return list(dict.fromkeys(p.message for p in problems_from(exc) if keep(p.chemin)))


def check_field(
    model: type[BaseModel], name: str, value: Any, aujourdhui: date | None = None
) -> Any:
    """Validate one answer as ``model.name``; raise AnswerError with the French message.

    ``aujourdhui``: the CLI's today, for the fields that refuse a date after it.
    """
    try:
        return field_adapter(model, name).validate_python(value, context=context_for(aujourdhui))
    except ValidationError as exc:
        raise AnswerError(" ; ".join(messages(exc))) from None


def without_nulls(value: Any) -> Any:
    """The dossier without the ``null`` that record optional questions answered "nothing"."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


# ------------------------------------------------------------------ cross-field rules

_ADRESSE: Data = {"voie": "1 rue de l'Exemple", "code_postal": "75001", "commune": "Paris"}
# Valid placeholders for what the user has not answered yet: cross-field validators
# (model_validator) only run once every field validates.
SKELETONS: dict[type[BaseModel], Data] = {
    Organisme: {
        "raison_sociale": "x",
        "siren": "778899112",
        "siege": _ADRESSE,
        "representant_legal": {"nom": "x", "qualite": "x"},
    },
    Etablissement: {
        "nom": "x",
        "finess": "750000000",
        "categorie": "ime",
        "adresse": _ADRESSE,
        "departement": "75",
        "regime_budgetaire": "cpom_eprd",
        "financeurs": [{"autorite": "x"}],
        "methode": "cout_reel",
        "exercices": [{"annee": 2024, "cout_reel": 0}],
    },
    Decision: {
        "autorite": "x",
        "nature": "autre",
        "date": date(2024, 1, 1),
        "date_notification": date(2024, 1, 1),
    },
}
MODELS: dict[str, type[BaseModel]] = {
    "organisme": Organisme,
    "etablissements": Etablissement,
    "decisions": Decision,
}


def item_problems(
    model: type[BaseModel], item: Data, prefix: str, aujourdhui: date | None = None
) -> list[tuple[str, str]]:
    """Cross-field problems of one item, with placeholders for its unanswered fields
    (a model's cross-field rules run only once all its fields validate)."""
    candidate = {**copy.deepcopy(SKELETONS[model]), **item}
    try:
        model.model_validate(candidate, context=context_for(aujourdhui))
    except ValidationError as exc:
        problems = problems_from(exc, prefix=tuple(spec.split_path(prefix)))
        return [(p.chemin, p.message) for p in problems if _answered(item, p.chemin, prefix)]
    return []


def _answered(item: Data, chemin: str, prefix: str) -> bool:
    """Whether a problem is about the user's answers rather than a placeholder."""
    relative = chemin[len(prefix) :].lstrip(".")
    if not relative:
        return True
    return spec.has_path(item, str(spec.split_path(relative)[0]))


def _root_keys(section: spec.Section) -> set[str]:
    return {q.key.split(".")[0] for q in section.questions}


def page_problems(
    data: Data,
    section: spec.Section,
    indices: tuple[int, ...],
    paths: set[str],
    aujourdhui: date | None = None,
) -> tuple[dict[str, str], list[str]]:
    """Cross-field problems of one item of a section, once its questions are answered:
    the problems at one of ``paths`` (the item's questions), and the item's other ones.

    Missing answers are not problems here (a later page or question asks them), nor are
    the problems of the item's children (their own page).
    """
    prefix = spec.concrete(section.container, indices)
    children = [
        f"{prefix}.{c.container[len(section.container) + 1 :].split('[', 1)[0]}"
        for c in section.children
    ]
    found: list[tuple[str, str]] = []
    model = MODELS.get(section.id)
    item = spec.get_path(data, prefix) if prefix else data
    if model is not None and isinstance(item, dict):
        found += item_problems(model, without_nulls(item), prefix, aujourdhui)
    try:
        Dossier.model_validate(without_nulls(data), context=context_for(aujourdhui))
    except ValidationError as exc:
        found += [(p.chemin, p.message) for p in problems_from(exc)]
    # A rule on the list an item belongs to (two exercises of the same year) is the
    # item's problem.
    the_list = prefix.rsplit("[", 1)[0] if section.repeated else None
    errors: dict[str, str] = {}
    others: list[str] = []
    for chemin, message in found:
        if message == MISSING:
            continue
        if any(chemin.startswith(c + "[") or chemin == c for c in children if c):
            continue
        if chemin in paths:
            errors.setdefault(chemin, message)
        elif (
            chemin == the_list
            or (not prefix and chemin.split(".")[0].split("[")[0] in _root_keys(section))
            or (prefix and (chemin == prefix or chemin.startswith((prefix + ".", prefix + "["))))
        ) and (message not in others and message not in errors.values()):
            others.append(message)
    return errors, others


# ------------------------------------------------------------------- bookkeeping

ID_PREFIX = {
    "ars": "ars",
    "conseil_departemental": "cd",
    "prefet_departement": "prefet",
    "prefet_region": "prefet-region",
}


def ensure_autorite_id(data: Data, index: int) -> None:
    """Give a new authority its internal identifier (never shown): ``cd-72``, ``ars-93``."""
    aut = data["autorites"][index]
    if aut.get("id") or aut.get("type") not in ID_PREFIX or not aut.get("departement"):
        return
    base = f"{ID_PREFIX[aut['type']]}-{str(aut['departement']).lower()}"
    used = {a.get("id") for a in data["autorites"] if isinstance(a, dict)}
    aid, n = base, 1
    while aid in used:
        n += 1
        aid = f"{base}-{n}"
    check_field(Autorite, "id", aid)
    aut["id"] = aid


def prune_received(data: Data, index: int) -> None:
    """Drop the financing received from an authority that no longer funds the établissement."""
    etab = data["etablissements"][index]
    funders = {f.get("autorite") for f in etab.get("financeurs") or [] if isinstance(f, dict)}
    for ex in etab.get("exercices") or []:
        recu = ex.get("financement_recu") if isinstance(ex, dict) else None
        if isinstance(recu, dict):
            for key in [k for k in recu if k not in funders]:
                del recu[key]


def after_item(data: Data, section: spec.Section, indices: tuple[int, ...]) -> None:
    """What an answered item implies elsewhere in the dossier."""
    if section.id == "autorites":
        ensure_autorite_id(data, indices[0])
    if section.id == "etablissements":
        prune_received(data, indices[0])


def drop_hidden(item: Data, key: str) -> bool:
    """Remove the answer of a question its condition now hides (and the groups it
    leaves empty); return whether something was removed."""
    if "[" in key or not spec.has_path(item, key):
        return False
    parts = key.split(".")
    chain: list[Data] = [item]
    for part in parts[:-1]:
        chain.append(chain[-1][part])
    del chain[-1][parts[-1]]
    for box, part in zip(reversed(chain[:-1]), reversed(parts[:-1]), strict=True):
        if box[part] == {}:
            del box[part]
        else:
            break
    return True


def _items(data: Data, key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def add_item(data: Data, section_id: str, indices: tuple[int, ...] = ()) -> tuple[int, ...]:
    """Append an empty item to a repeated section (top-level, or a child section such as
    an établissement's exercises or a funding's payments, in the item ``indices`` name);
    return the new item's indices."""
    section = spec.section(section_id)
    parents = section.container.count("[]") - 1
    owner_path = spec.concrete(section.container.rsplit("[]", 1)[0], indices[:parents])
    parts = spec.split_path(owner_path)
    owner = spec.get_path(data, spec.join_path(parts[:-1])) if len(parts) > 1 else data
    items = owner.setdefault(str(parts[-1]), [])
    item: Data = {}
    if section_id == "exercices":
        years = [int(str(e["annee"])) for e in items if isinstance(e, dict) and "annee" in e]
        item = {"annee": max(years) + 1} if years else {}
    items.append(item)
    return (*indices[:parents], len(items) - 1)


def remove_item(data: Data, section: spec.Section, indices: tuple[int, ...]) -> Any:
    """Remove an item and what pointed at it (an authority's funding and decisions)."""
    prefix = spec.concrete(section.container, indices)
    parts = spec.split_path(prefix)
    items = spec.get_path(data, spec.join_path(parts[:-1]))
    removed = items.pop(parts[-1])
    if section.id == "autorites" and isinstance(removed, dict):
        aid = removed.get("id")
        for i, etab in enumerate(_items(data, "etablissements")):
            if isinstance(etab, dict) and isinstance(etab.get("financeurs"), list):
                etab["financeurs"] = [f for f in etab["financeurs"] if f.get("autorite") != aid]
                prune_received(data, i)
        for dec in _items(data, "decisions"):
            if isinstance(dec, dict) and dec.get("autorite") == aid:
                dec.pop("autorite")
    return removed
