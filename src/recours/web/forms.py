"""The web form over the question spec: pages, their order, and posted answers.

Pure of any web framework: a page is a section of :mod:`recours.questionnaire.spec` (and
the item it edits); :func:`apply_answers` turns posted fields into dossier values through
the spec (the model's own validation), and finds the cross-field problems to show next to
the fields of the page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from recours.questionnaire import answers, spec
from recours.questionnaire.answers import AnswerError

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
    answers.after_item(data, section, indices)
    after = spec.page_fields(data, section, indices)
    outcome.fields_changed = [f.path for f in after] != [f.path for f in shown]
    _cross_check(data, section, indices, after, outcome)
    return outcome


def _value(pf: spec.PageField, answer: Any, current: Any, scope: spec.Scope) -> Any:
    return spec.value_for(pf, answer, current, scope)


def _cross_check(
    data: Data,
    section: spec.Section,
    indices: tuple[int, ...],
    fields: list[spec.PageField],
    outcome: Outcome,
) -> None:
    """Cross-field rules of the models (FINESS and département, SIREN or SIRET…)."""
    errors, others = answers.page_problems(data, section, indices, {f.path for f in fields})
    for chemin, message in errors.items():
        outcome.errors.setdefault(chemin, message)
    for message in others:
        if message not in outcome.page_errors and message not in outcome.errors.values():
            outcome.page_errors.append(message)


# ---------------------------------------------------------------- list operations

add_item = answers.add_item


def remove_item(data: Data, section_id: str, indices: tuple[int, ...]) -> None:
    """Remove an item and what pointed at it (an authority's funding and decisions)."""
    answers.remove_item(data, SECTIONS[section_id], indices)


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
