"""The web form over the question spec: pages, their order, and posted answers.

Pure of any web framework: a page is a section of :mod:`recours.questionnaire.spec` (and
the item it edits); :func:`apply_answers` turns posted fields into dossier values through
the spec (the model's own validation), and finds the cross-field problems to show next to
the fields of the page.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from recours.dossier.models import Autorite, Decision, Dossier, Etablissement, Organisme
from recours.dossier.validation import problems_from
from recours.questionnaire import spec
from recours.questionnaire.flow import AnswerError, check_field, without_nulls

Data = dict[str, Any]
StepKind = Literal["page", "liste", "etape", "revue"]

SECTIONS = {s.id: s for s in spec.all_sections()}
MISSING = "champ obligatoire manquant"
# The optional lists asked after the decisions (demandes indemnitaires, financements
# notifiés, mises en demeure): a list page that may stay empty.
OPTIONAL_LISTS = tuple(s for s in spec.SECTIONS if s.ask_first is not None)


def child_key(child: spec.Section) -> str:
    """The list key of a child section: ``financements_notifies[].versements[]`` -> versements."""
    return child.container.rsplit(".", 1)[1][:-2]


def parent_of(section_id: str) -> spec.Section | None:
    """The section a child section's items belong to (None for a top-level section)."""
    return next((s for s in SECTIONS.values() if any(c.id == section_id for c in s.children)), None)


@dataclass(frozen=True)
class Step:
    """One screen of the form, in the order « suivant » follows."""

    kind: StepKind
    section: str = ""
    indices: tuple[int, ...] = ()

    @property
    def url(self) -> str:
        if self.kind in ("etape", "revue"):
            return f"/{self.kind}"
        tail = "".join(f"/{i}" for i in self.indices)
        return f"/{self.kind}/{self.section}{tail}"


def _items(data: Data, key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def steps(data: Data) -> list[Step]:
    """Every screen for the dossier as answered so far."""
    result = [Step("page", "organisme"), Step("liste", "autorites")]
    result += [Step("page", "autorites", (i,)) for i in range(len(_items(data, "autorites")))]
    result.append(Step("liste", "etablissements"))
    for i, etab in enumerate(_items(data, "etablissements")):
        result.append(Step("page", "etablissements", (i,)))
        exercices = etab.get("exercices") if isinstance(etab, dict) else None
        count = len(exercices) if isinstance(exercices, list) else 0
        result += [Step("page", "exercices", (i, j)) for j in range(count)]
    result.append(Step("liste", "decisions"))
    result += [Step("page", "decisions", (i,)) for i in range(len(_items(data, "decisions")))]
    for sec in OPTIONAL_LISTS:
        result.append(Step("liste", sec.id))
        for i, item in enumerate(_items(data, sec.id)):
            result.append(Step("page", sec.id, (i,)))
            for child in sec.children:
                sub = item.get(child_key(child)) if isinstance(item, dict) else None
                count = len(sub) if isinstance(sub, list) else 0
                result += [Step("page", child.id, (i, j)) for j in range(count)]
    result += [Step("etape"), Step("page", "complements"), Step("revue")]
    return result


def neighbours(data: Data, step: Step) -> tuple[Step | None, Step | None]:
    """The screens before and after ``step`` (« précédent », « suivant »)."""
    order = steps(data)
    if step not in order:
        return None, order[0]
    at = order.index(step)
    return (order[at - 1] if at else None), (order[at + 1] if at + 1 < len(order) else None)


@dataclass
class Outcome:
    """What a posted page did: inline errors by field path, page-level errors."""

    errors: dict[str, str] = field(default_factory=dict)
    page_errors: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    fields_changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors and not self.page_errors


def answer_from_form(q: spec.Question, form: Mapping[str, Sequence[str]], path: str) -> Any:
    values = list(form.get(path, []))
    if q.kind == "checkbox":
        return values
    return values[0] if values else ""


def apply_answers(
    data: Data, section: spec.Section, indices: tuple[int, ...], form: Mapping[str, Sequence[str]]
) -> Outcome:
    """Store every valid answer of the page in ``data``; report the others."""
    outcome = Outcome()
    shown = spec.page_fields(data, section, indices)
    for pf in shown:
        answer = answer_from_form(pf.question, form, pf.path)
        current = spec.get_path(data, pf.path)
        scope = spec.scope_for(data, section, indices)
        try:
            value = _value(pf, answer, current, scope)
        except AnswerError as exc:
            outcome.errors[pf.path] = str(exc)
            outcome.raw[pf.path] = answer
            continue
        spec.set_path(data, pf.path, value)
    if section.id == "autorites":
        _ensure_autorite_id(data, indices[0])
    if section.id == "etablissements":
        _prune_received(data, indices[0])
    after = spec.page_fields(data, section, indices)
    outcome.fields_changed = [f.path for f in after] != [f.path for f in shown]
    _cross_check(data, section, indices, after, outcome)
    return outcome


def _value(pf: spec.PageField, answer: Any, current: Any, scope: spec.Scope) -> Any:
    return spec.value_for(pf, answer, current, scope)


def _ensure_autorite_id(data: Data, index: int) -> None:
    """Give a new authority its internal identifier (never shown)."""
    from recours.questionnaire.flow import _ID_PREFIX

    aut = data["autorites"][index]
    if aut.get("id") or aut.get("type") not in _ID_PREFIX or not aut.get("departement"):
        return
    base = f"{_ID_PREFIX[aut['type']]}-{str(aut['departement']).lower()}"
    used = {a.get("id") for a in data["autorites"] if isinstance(a, dict)}
    aid, n = base, 1
    while aid in used:
        n += 1
        aid = f"{base}-{n}"
    check_field(Autorite, "id", aid)
    aut["id"] = aid


def _prune_received(data: Data, index: int) -> None:
    """Drop the financing received from an authority that no longer funds the établissement."""
    etab = data["etablissements"][index]
    funders = {f.get("autorite") for f in etab.get("financeurs") or [] if isinstance(f, dict)}
    for ex in etab.get("exercices") or []:
        recu = ex.get("financement_recu") if isinstance(ex, dict) else None
        if isinstance(recu, dict):
            for key in [k for k in recu if k not in funders]:
                del recu[key]


_MODELS: dict[str, type[BaseModel]] = {
    "organisme": Organisme,
    "etablissements": Etablissement,
    "decisions": Decision,
}


def _cross_check(
    data: Data,
    section: spec.Section,
    indices: tuple[int, ...],
    fields: list[spec.PageField],
    outcome: Outcome,
) -> None:
    """Cross-field rules of the models (FINESS and département, SIREN or SIRET…)."""
    prefix = spec.concrete(section.container, indices)
    paths = {f.path for f in fields}
    children = [
        f"{prefix}.{c.container[len(section.container) + 1 :].split('[', 1)[0]}"
        for c in section.children
    ]
    found: list[tuple[str, str]] = []
    model = _MODELS.get(section.id)
    item = spec.get_path(data, prefix) if prefix else data
    if model is not None and isinstance(item, dict):
        found += _item_problems(model, without_nulls(item), prefix)
    try:
        Dossier.model_validate(without_nulls(data))
    except ValidationError as exc:
        found += [(p.chemin, p.message) for p in problems_from(exc)]
    for chemin, message in found:
        if message == MISSING:
            continue
        if any(chemin.startswith(c + "[") or chemin == c for c in children if c):
            continue
        if chemin in paths:
            outcome.errors.setdefault(chemin, message)
        elif (
            (not prefix and chemin.split(".")[0].split("[")[0] in _root_keys(section))
            or (prefix and (chemin == prefix or chemin.startswith((prefix + ".", prefix + "["))))
        ) and (message not in outcome.page_errors and message not in outcome.errors.values()):
            outcome.page_errors.append(message)


def _item_problems(model: type[BaseModel], item: Data, prefix: str) -> list[tuple[str, str]]:
    """Cross-field problems of one item, with placeholders for its unanswered fields
    (a model's cross-field rules run only once all its fields validate)."""
    from recours.questionnaire.flow import _SKELETONS

    candidate = {**copy.deepcopy(_SKELETONS[model]), **item}
    try:
        model.model_validate(candidate)
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


# ---------------------------------------------------------------- list operations


def add_item(data: Data, section_id: str, indices: tuple[int, ...] = ()) -> tuple[int, ...]:
    """Append an empty item; return the new item's indices."""
    if section_id == "exercices":
        etab = data["etablissements"][indices[0]]
        items = etab.setdefault("exercices", [])
        years = [int(str(e["annee"])) for e in items if isinstance(e, dict) and "annee" in e]
        items.append({"annee": max(years) + 1} if years else {})
        return (indices[0], len(items) - 1)
    parent = parent_of(section_id)
    if parent is not None:
        owner = data[parent.id][indices[0]]
        children = owner.setdefault(child_key(SECTIONS[section_id]), [])
        children.append({})
        return (indices[0], len(children) - 1)
    items = data.setdefault(section_id, [])
    items.append({})
    return (len(items) - 1,)


def remove_item(data: Data, section_id: str, indices: tuple[int, ...]) -> None:
    """Remove an item and what pointed at it (an authority's funding and decisions)."""
    if section_id == "exercices":
        del data["etablissements"][indices[0]]["exercices"][indices[1]]
        return
    parent = parent_of(section_id)
    if parent is not None:
        del data[parent.id][indices[0]][child_key(SECTIONS[section_id])][indices[1]]
        return
    removed = data[section_id].pop(indices[0])
    if section_id == "autorites" and isinstance(removed, dict):
        aid = removed.get("id")
        for i, etab in enumerate(_items(data, "etablissements")):
            if isinstance(etab, dict) and isinstance(etab.get("financeurs"), list):
                etab["financeurs"] = [f for f in etab["financeurs"] if f.get("autorite") != aid]
                _prune_received(data, i)
        for dec in _items(data, "decisions"):
            if isinstance(dec, dict) and dec.get("autorite") == aid:
                dec.pop("autorite")


def item_title(data: Data, section: spec.Section, indices: tuple[int, ...]) -> str:
    scope = spec.scope_for(data, section, indices)
    return section.item_title(scope) if section.item_title else section.title


def shown_value(q: spec.Question, value: Any, scope: spec.Scope, answered: bool = True) -> str:
    """A stored answer as the review shows it: choice titles, French dates and numbers."""
    answer = spec.answer_of(q, value)
    titles = {c.value: c.title for c in q.options(scope)}
    if q.kind == "group":
        return {"oui": "Oui", "non": "Non"}.get(str(answer), "")
    if q.kind == "checkbox":
        if not answer and q.key not in ("financeurs", "exercices"):
            return "Tous"
        return ", ".join(titles.get(a, a) for a in answer)
    if q.kind == "select":
        return titles.get(str(answer), str(answer)) if answered else ""
    return str(answer)
