"""The interactive questionnaire behind ``recours nouveau``: a terminal interpreter of the
question spec (:mod:`recours.questionnaire.spec`).

Pure of any terminal library: every question goes through an injected :class:`Prompter`
(questionary in :mod:`recours.questionnaire.prompter`, a replaying prompter in the tests).
The questions are not written here: :class:`Questionnaire` walks ``spec.SECTIONS`` (their
conditions, defaults, choices, repeated items and fieldsets) and asks each by its kind;
each answer is validated by the model field's own type and, once an item is answered, by
the model's cross-field rules (:mod:`recours.questionnaire.answers`, shared with the web
form). What is not a question stays here: the cost shown after an exercise, the stage
step (deadlines, then the document choice, which is a question of the spec), the review.

Answers build a plain dict with the dossier's French keys (the shape of
``examples/*.yaml``). Resuming: a key present in the dict is an answered question
(``null`` records an optional question answered "nothing"), so ``--reprendre`` asks only
what is missing. A dossier that validates goes straight to the review, unless its file
says that the questions have not all been asked yet (:func:`is_in_progress`).
"""

from __future__ import annotations

import contextlib
import os
import shlex
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

import yaml
from pydantic import BaseModel, ValidationError

from recours.dossier.models import Dossier, Etablissement, Exercice, PartFinancement
from recours.dossier.validation import validate_dossier
from recours.errors import DossierInvalidError
from recours.files import atomic_write_text
from recours.law.referentiel import load_referentiel
from recours.questionnaire import answers, spec
from recours.questionnaire.answers import AnswerError, check_field, field_adapter, without_nulls
from recours.questionnaire.spec import METHODE_TITRES, Choice, PageField, notification_help

__all__ = [
    "AnswerError",
    "Choice",
    "check_field",
    "field_adapter",
    "notification_help",
    "without_nulls",
]

if TYPE_CHECKING:
    from recours.documents.generate import GenerationResult

Data = dict[str, Any]

# --------------------------------------------------------------------------- prompter


class Prompter(Protocol):
    """What the questionnaire needs from a terminal. Ctrl-C raises KeyboardInterrupt.

    ``name`` is the dossier path of the answer (``organisme.siren``); terminals ignore it,
    the tests use it to script and check the questions.
    """

    def text(
        self, message: str, *, name: str, default: str = "", instruction: str | None = None
    ) -> str: ...

    def select(
        self, message: str, choices: Sequence[Choice], *, name: str, default: str | None = None
    ) -> str: ...

    def autocomplete(
        self, message: str, choices: Sequence[Choice], *, name: str, default: str | None = None
    ) -> str: ...

    def checkbox(
        self, message: str, choices: Sequence[Choice], *, name: str, default: Sequence[str] = ()
    ) -> list[str]: ...

    def multiline(
        self, message: str, *, name: str, default: str = "", instruction: str | None = None
    ) -> str:
        """Free text over several lines (line breaks kept as "\\n")."""
        ...

    def confirm(self, message: str, *, name: str, default: bool = True) -> bool: ...

    def say(self, text: str = "") -> None: ...

    def error(self, text: str) -> None: ...


class PreviousQuestion(Exception):
    """The user asked for the previous question (the « précédent » key)."""


BACK_KEY_HELP = (
    "Touche Page précédente (⇞) ou Ctrl-P : revenir à la question précédente. "
    "Ctrl-C : arrêter (vos réponses sont gardées)."
)

# ---------------------------------------------------------------------------- storage


class _Dumper(yaml.SafeDumper):
    pass


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text (faits complémentaires) as a readable "|" block; PyYAML falls back to
    # a quoted scalar when the block style cannot represent the text exactly.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_representer(str, _represent_str)

IN_PROGRESS = "# Dossier en cours de saisie (recours nouveau)"
REVIEWED = "# Dossier enregistré par recours nouveau, documents non générés"


def final_form(data: Data) -> Data:
    """The dossier as written once finished: no ``null`` markers, no empty optional list
    (an optional list answered "none" is kept as ``[]`` while the questions go on)."""
    final: Data = without_nulls(data)
    for key in [k for k, v in final.items() if v == []]:
        info = Dossier.model_fields.get(key)
        if info is not None and not info.is_required():
            del final[key]
    return final


def is_in_progress(path: Path) -> bool:
    """Whether the file is a dossier the questionnaire was still filling in (its header)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace") as handle:
            for line in handle:
                if not line.startswith("#"):
                    return False
                if line.startswith(IN_PROGRESS):
                    return True
    except OSError:
        return False
    return False


def _schema_comment(path: Path) -> str:
    """Editor schema modeline, when the project's schemas/ folder is found near the file."""
    folder = path.resolve().parent
    for parent in (folder, *list(folder.parents)[:3]):
        schema = parent / "schemas" / "dossier.schema.json"
        if schema.is_file():
            rel = os.path.relpath(schema, folder).replace(os.sep, "/")
            return f"# yaml-language-server: $schema={rel}\n"
    return ""


def dump_dossier(data: Data, path: Path, final: bool = False, in_progress: bool = True) -> str:
    """The file's text. Not final: a header says how to resume and, while the questions have
    not all been asked (``in_progress``), that the dossier is still being answered."""
    header = _schema_comment(path)
    if not final:
        state = IN_PROGRESS if in_progress else REVIEWED
        header += (
            f"{state}. Pour reprendre :\n#   recours nouveau --reprendre {shlex.quote(str(path))}\n"
            f"#   ou, dans le navigateur : recours web {shlex.quote(str(path))}\n"
        )
    body = yaml.dump(
        final_form(data) if final else data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return header + body


class DossierStore:
    """Where the answers go: the whole dossier, rewritten atomically after each answer."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.saved = False
        # Until the review, some questions may not have been asked yet.
        self.in_progress = True

    def save(self, data: Data, final: bool = False) -> None:
        text = dump_dossier(data, self.path, final, self.in_progress)
        atomic_write_text(self.path, text, force=True)
        self.saved = True


def resume_hint(path: Path) -> str:
    return f"recours nouveau --reprendre {shlex.quote(str(path))}"


# ------------------------------------------------------------------------ the flow


def _fr(value: Decimal) -> str:
    from recours.formatting import montant

    return montant(value)


OPTIONAL_HELP = "(facultatif : Entrée pour laisser vide)"
# Searchable select from this many choices on (the établissement categories).
SEARCH_FROM = 12
# Asked at the stage step, once the deadlines are shown, rather than with their section.
AT_STAGE = frozenset({"decisions[].documents"})


def _list_required(section: spec.Section) -> bool:
    """Whether the dossier needs at least one item of a repeated section (its list field
    in the owning model has no default)."""
    names = section.container[:-2].split("[].")
    owner: type[BaseModel] = Dossier
    if len(names) > 1:
        parent = next(s for s in spec.all_sections() if section in s.children)
        owner = parent.questions[0].model
    info = owner.model_fields.get(names[-1])
    return info is None or info.is_required()


def _another(noun: str) -> str:
    """« un établissement » -> « un autre établissement »."""
    article, _, rest = noun.partition(" ")
    return f"{article} autre {rest}" if rest else noun


class Questionnaire:
    """The spec's questions in the terminal; ``data`` is the dossier being built."""

    def __init__(
        self,
        prompter: Prompter,
        store: DossierStore,
        today: date,
        data: Data | None = None,
        in_progress: bool = False,
    ) -> None:
        self.prompter = prompter
        self.store = store
        self.today = today
        self.data: Data = data if data is not None else {}
        # The resumed file was being answered: a valid dossier may still miss answers.
        self.in_progress = in_progress
        self.editing = False
        self.at_stage = False
        self.asked = 0
        # Paths answered in this session, in order (« précédent » goes back along them),
        # and the answered paths to ask again although they are valid.
        self.history: list[str] = []
        self.reask: set[str] = set()
        # Printed before the first question actually asked under it (resuming skips
        # whole sections silently).
        self.heading: str | None = None

    # -- primitives ------------------------------------------------------------------

    def _save(self) -> None:
        self.store.save(self.data)

    def _where(self, problem: Any) -> str:
        """A problem located by its question's French label, not its dossier path."""
        return f"{spec.place(self.data, problem.chemin)} : {problem.message}"

    def _answered(self, path: str) -> None:
        self.reask.discard(path)
        self.history.append(path)

    def _say_heading(self) -> None:
        if self.heading is not None:
            self.prompter.say(self.heading)
            self.heading = None

    @contextlib.contextmanager
    def _edit(self, editing: bool = True) -> Iterator[None]:
        previous, self.editing = self.editing, editing
        try:
            yield
        finally:
            self.editing = previous

    @staticmethod
    def message(pf: PageField) -> str:
        """The French prompt: the question's label, after its fieldset."""
        q, text = pf.question, pf.label
        if q.fieldset and q.expand is None:
            return f"{q.fieldset} : {text[:1].lower()}{text[1:]}"
        return text

    # -- one question ----------------------------------------------------------------

    def _stored_problem(self, pf: PageField, current: Any, options: list[Choice]) -> str | None:
        """Why a stored answer must be asked again (None: it stands)."""
        q = pf.question
        answer = spec.answer_of(q, current)
        values = {c.value for c in options}
        if q.kind == "select" and options and str(answer) not in values:
            return "réponse à choisir de nouveau"
        if q.kind == "checkbox" and options and not set(answer) <= values:
            return "réponse à choisir de nouveau"
        try:
            spec.value_for(pf, answer, current, spec.scope_of(self.data, pf), self.today)
        except AnswerError as exc:
            return str(exc)
        return None

    def _default(self, pf: PageField, present: bool, current: Any, options: list[Choice]) -> Any:
        q = pf.question
        values = [c.value for c in options]
        if q.kind == "group":
            return isinstance(current, dict)
        if present:
            shown = spec.answer_of(q, current)
        elif (
            q.default is not None and (value := q.default(spec.scope_of(self.data, pf))) is not None
        ):
            is_list = isinstance(value, list)
            shown = [str(v) for v in value] if is_list else spec.answer_of(q, value)
        else:
            shown = [] if q.kind == "checkbox" else ""
        if q.kind == "checkbox":
            # The empty list stores "every one" (the model's default).
            return list(shown) or ([] if q.key == "financeurs" else values)
        if q.kind == "select" and shown not in values:
            return values[0] if values else None
        return shown

    def _prompt(self, pf: PageField, default: Any, options: list[Choice]) -> Any:
        q, name, message = pf.question, pf.path, self.message(pf)
        if q.kind == "group":
            return "oui" if self.prompter.confirm(message, name=name, default=default) else "non"
        if q.kind == "select":
            ask = (
                self.prompter.autocomplete if len(options) >= SEARCH_FROM else self.prompter.select
            )
            return ask(message, options, name=name, default=default)
        if q.kind == "checkbox":
            return self.prompter.checkbox(message, options, name=name, default=default)
        instruction = None
        if q.is_optional:
            instruction = "(facultatif)" if default else OPTIONAL_HELP
        if q.kind in ("multiline", "lines"):
            return self.prompter.multiline(
                message, name=name, default=str(default),
                instruction="(facultatif ; ligne vide : fin)" if q.is_optional else None,
            )  # fmt: skip
        if q.kind == "date":
            message += " (JJ/MM/AAAA)"
        return self.prompter.text(message, name=name, default=str(default), instruction=instruction)

    def ask(self, pf: PageField) -> None:
        """Ask one question of the spec until the model accepts the answer; store, save."""
        q, path = pf.question, pf.path
        present = spec.has_path(self.data, path)
        current = spec.get_path(self.data, path)
        scope = spec.scope_of(self.data, pf)
        options = q.options(scope)
        if present and not self.editing and path not in self.reask:
            problem = self._stored_problem(pf, current, options)
            if problem is None:
                return
            self._say_heading()
            self.prompter.error(f"{self.message(pf)} : {problem}")
        if q.kind in ("select", "checkbox") and len(options) <= 1:
            self._only_choice(pf, options, current)
            return
        self._say_heading()
        default = self._default(pf, present, current, options)
        if q.description and not self.at_stage:
            self.prompter.say(q.description)
        while True:
            self.asked += 1
            answer = self._prompt(pf, default, options)
            try:
                value = spec.value_for(pf, answer, current, scope, self.today)
            except AnswerError as exc:
                self.prompter.error(str(exc))
                if q.kind not in ("select", "group"):
                    default = answer
                continue
            break
        spec.set_path(self.data, path, value)
        self._save()
        self._answered(path)

    def _only_choice(self, pf: PageField, options: list[Choice], current: Any) -> None:
        """A choice with one possible answer is not asked; none: left for later."""
        q = pf.question
        if not options:
            self.prompter.error(f"{self.message(pf)} : aucun choix possible pour l'instant.")
            return
        only = options[0]
        value = spec.value_for(
            pf, only.value if q.kind == "select" else [only.value], current,
            spec.scope_of(self.data, pf), self.today,
        )  # fmt: skip
        if spec.has_path(self.data, pf.path) and current == value:
            return
        spec.set_path(self.data, pf.path, value)
        self._save()
        self._say_heading()
        self.prompter.say(f"{self.message(pf)} : {only.title}")

    # -- sections --------------------------------------------------------------------

    def fields(self, section: spec.Section, indices: tuple[int, ...]) -> Iterator[PageField]:
        """The item's questions in order, their conditions read as the answers come in;
        the answers a condition now hides are removed."""
        prefix = spec.concrete(section.container, indices)
        for q in section.questions:
            scope = spec.scope_for(self.data, section, indices)
            if not q.applies(scope):
                # Two wordings of one answer (the payer of an ARS funding, of another one):
                # the hidden wording does not remove what the shown one asked.
                shown_twin = any(
                    o is not q and o.key == q.key and o.applies(scope) for o in section.questions
                )
                if q.expand is None and not shown_twin and answers.drop_hidden(scope.item, q.key):
                    self._save()
                continue
            if spec.full_path(section, q) in AT_STAGE and not self.at_stage:
                continue
            pairs = q.expand(scope) if q.expand is not None else [(q.key, q.title)]
            for key, text in pairs:
                yield PageField(q, f"{prefix}.{key}" if prefix else key, text, section.id, indices)

    def ask_section(self, section: spec.Section, parent: tuple[int, ...] = ()) -> None:
        if section.repeated:
            self.ask_list(section, parent)
        else:
            self.ask_item(section, ())

    def _title(self, section: spec.Section, indices: tuple[int, ...]) -> str:
        scope = spec.scope_for(self.data, section, indices)
        if section.item_title and indices and scope.item:
            return section.item_title(scope)
        return section.title

    def ask_item(self, section: spec.Section, indices: tuple[int, ...]) -> None:
        """Every question of one item, its cross-field check, then its child sections."""
        title = section.title
        if indices and spec.scope_for(self.data, section, indices).item:
            title = f"{section.title} — {self._title(section, indices)}"
        if len(indices) > 1:
            parent = next(s for s in spec.all_sections() if section in s.children)
            title = f"{self._title(parent, indices[:-1])} — {title}"
        self.heading = f"\n— {title} —"
        if section.intro and (not indices or indices[-1] == 0):
            self.heading += f"\n{section.intro}"
        before = self.asked
        while True:
            for pf in self.fields(section, indices):
                self.ask(pf)
            if not self._check_item(section, indices):
                break
        answered = self.asked > before
        answers.after_item(self.data, section, indices)
        self._save()
        for child in section.children:
            self.ask_list(child, indices)
        if section.id == "exercices" and answered:
            self._show_cost(*indices)
        self.heading = None

    def _check_item(self, section: spec.Section, indices: tuple[int, ...]) -> bool:
        """The model's cross-field rules on the answered item. On a problem, any answer
        of the item can be changed (no dead end); return whether one was."""
        fields = list(self.fields(section, indices))
        paths = {f.path for f in fields}
        errors, others = answers.page_problems(self.data, section, indices, paths, self.today)
        if not errors and not others:
            return False
        self._say_heading()
        labels = {f.path: self.message(f) for f in fields}
        for path, text in errors.items():
            self.prompter.error(f"{labels[path]} : {text}")
        for text in others:
            self.prompter.error(text)
        choices = [
            Choice(f.path, f"{labels[f.path]} : {spec.shown(f, self.data) or '—'}") for f in fields
        ]
        choices.append(Choice("", "Continuer sans corriger (le récapitulatif le signalera)"))
        self.asked += 1
        picked = self.prompter.select(
            "Quelle réponse corriger ?",
            choices,
            name=f"{spec.concrete(section.container, indices) or section.id}.corriger",
            default=next(iter(errors), fields[0].path if fields else ""),
        )
        if not picked:
            return False
        with self._edit():
            self.ask(next(f for f in fields if f.path == picked))
        return True

    def ask_list(self, section: spec.Section, parent: tuple[int, ...] = ()) -> None:
        """A repeated section: complete the items, then add / modify / remove until done."""
        list_path = spec.concrete(section.container[:-2], parent)
        answered = isinstance(spec.get_path(self.data, list_path), list)
        if not answered:
            spec.set_path(self.data, list_path, [])
        items: list[Any] = spec.get_path(self.data, list_path)
        required = _list_required(section)
        before = self.asked
        if not self.editing:
            for index in range(len(items)):
                self.ask_item(section, (*parent, index))
            # An optional list left empty is an answer too (kept as []).
            if (items or (answered and not required)) and self.asked == before:
                return
        if not items and required:
            self._add(section, parent, items)
        elif not items and section.ask_first and not self.editing:
            # An optional list most dossiers leave empty: one yes/no question, not a menu.
            self.asked += 1
            if not self.prompter.confirm(section.ask_first, name=f"{list_path}.oui", default=False):
                self._save()
                return
            self._add(section, parent, items)
        noun = section.item_noun or "un élément"
        while True:
            titles = [self._title(section, (*parent, i)) for i in range(len(items))]
            choices = [Choice("ajouter", f"Ajouter {_another(noun) if items else noun}")]
            choices += [Choice(f"modifier:{i}", f"Modifier : {t}") for i, t in enumerate(titles)]
            if len(items) > int(required):
                choices += [
                    Choice(f"supprimer:{i}", f"Supprimer : {t}") for i, t in enumerate(titles)
                ]
            choices.append(Choice("terminer", "Continuer"))
            heading = section.title
            if parent:
                owner = next(s for s in spec.all_sections() if section in s.children)
                heading = f"{heading} ({self._title(owner, parent)})"
            self.asked += 1
            answer = self.prompter.select(
                f"{heading} : {', '.join(titles) or 'aucun'}. Que voulez-vous faire ?",
                choices,
                name=f"{list_path}.menu",
                default="terminer",
            )
            if answer == "terminer":
                self._save()
                return
            if answer == "ajouter":
                self._add(section, parent, items)
                continue
            action, _, index_text = answer.partition(":")
            indices = (*parent, int(index_text))
            if action == "modifier":
                with self._edit():
                    self.ask_item(section, indices)
            else:
                title = titles[indices[-1]]
                answers.remove_item(self.data, section, indices)
                self._save()
                self.prompter.say(f"Supprimé : {title}")

    def _add(self, section: spec.Section, parent: tuple[int, ...], items: list[Any]) -> None:
        items.append({})
        self._save()
        with self._edit(False):
            self.ask_item(section, (*parent, len(items) - 1))

    def walk(self, stage: bool = True) -> None:
        """Every section of the spec, in order, asking what is missing; the stage step
        comes after the decisions (it needs them, the compléments do not)."""
        for section in spec.SECTIONS:
            self.ask_section(section)
            if stage and section.id == "decisions":
                self.etape()

    def _show_cost(self, i: int, j: int) -> None:
        """The cost of an exercise and each authority's share, once it is answered."""
        from recours.formatting import pourcentage
        from recours.law.amounts import cost_of, split_shares

        etab = self.data["etablissements"][i]
        try:
            exercice = Exercice.model_validate(without_nulls(etab["exercices"][j]))
            known: Data = {
                "methode": etab["methode"],
                "coefficient_charges": check_field(
                    Etablissement, "coefficient_charges", etab.get("coefficient_charges")
                ),
                "financeurs": [PartFinancement.model_validate(f) for f in etab["financeurs"]],
            }
            # cost_of reads only these fields; the others are not all answered yet.
            model = Etablissement.model_construct(**known)
            cout, formule = cost_of(model, exercice)
            parts = split_shares(cout, model, exercice)
        except (ValidationError, AnswerError, AssertionError, KeyError, TypeError):
            return
        self.prompter.say(f"  → Coût {exercice.annee} : {formule} = {_fr(cout)}")
        names = {a.get("id"): a.get("nom") for a in self.data.get("autorites", [])}
        for part in parts:
            self.prompter.say(
                f"    {names.get(part.autorite) or part.autorite} "
                f"({pourcentage(part.pourcentage)}) : "
                f"dû {_fr(part.du)}, reçu {_fr(part.recu)}, écart {_fr(part.ecart)}"
            )

    # -- the stage step ----------------------------------------------------------------

    def etape(self) -> None:
        """Deadlines of each decision, then the documents to prepare against each."""
        self.prompter.say("\n— Étape de la procédure et délais —")
        try:
            dossier = validate_dossier(
                without_nulls(self._before_etape()), str(self.store.path), aujourdhui=self.today
            )
        except DossierInvalidError as exc:
            self.prompter.error("Délais non calculables tant que le dossier est incomplet :")
            for problem in exc.problemes:
                self.prompter.error(f"  {self._where(problem)}")
            return
        from recours.law.analysis import analyse
        from recours.questionnaire.stage import dossier_stage

        # The tool's own plan for this stage: the analysis of the dossier without the
        # choices already saved in it (they are the answer being asked for).
        undecided = dossier.model_copy(
            update={
                "decisions": [d.model_copy(update={"documents": None}) for d in dossier.decisions]
            }
        )
        stage = dossier_stage(analyse(undecided, self.today, load_referentiel()))
        for decision_stage in stage.decisions:
            self.prompter.say(decision_stage.titre)
            for line in decision_stage.lignes:
                self.prompter.say(f"    {line}" if line.startswith("- ") else f"  {line}")
            for warning in decision_stage.avertissements:
                self.prompter.say(f"  ! {warning}")
        if not stage.possibles:
            self.prompter.say(
                "Tous les délais sont expirés : aucun document ne peut plus être utilement "
                "préparé. Le dossier sera seulement enregistré."
            )
            return
        section = spec.section("decisions")
        self.heading = None
        self.at_stage = True
        try:
            for i in range(len(dossier.decisions)):
                for pf in self.fields(section, (i,)):
                    if spec.generic(pf.path) in AT_STAGE:
                        if len(dossier.decisions) > 1:
                            pf = PageField(
                                pf.question, pf.path,
                                f"{pf.label} ({self._title(section, (i,))})", pf.section,
                                pf.indices,
                            )  # fmt: skip
                        self.ask(pf)
        finally:
            self.at_stage = False

    def _before_etape(self) -> Data:
        """The dossier without the sections asked after the stage step (the deadlines do
        not depend on them): a lawyer half answered does not hide the deadlines."""
        ids = [s.id for s in spec.SECTIONS]
        later = spec.SECTIONS[ids.index("decisions") + 1 :] if "decisions" in ids else ()
        keys: set[str] = set()
        for section in later:
            if section.container:
                keys.add(str(spec.split_path(section.container.replace("[]", ""))[0]))
            else:
                keys |= {str(spec.split_path(q.key)[0]) for q in section.questions}
        return {k: v for k, v in self.data.items() if k not in keys}

    # -- whole interview -----------------------------------------------------------------

    def interview(self) -> str:
        """Ask what is missing, then the review; return "generer" or "quitter".

        « précédent » (:class:`PreviousQuestion`) marks the last answer to be asked again
        and starts over: every other answered question is skipped, so the user lands on it.
        """
        self.prompter.say(BACK_KEY_HELP)
        while True:
            try:
                return self._interview()
            except PreviousQuestion:
                if not self.history:
                    self.prompter.error("Pas de question précédente : c'est la première.")
                    continue
                self.reask.add(self.history.pop())

    def _interview(self) -> str:
        complete = False
        try:
            validate_dossier(without_nulls(self.data), "reprise", aujourdhui=self.today)
            complete = not self.in_progress
        except DossierInvalidError:
            pass
        if complete:
            self.etape()
        else:
            self.walk()
        return self.review()

    def review(self) -> str:
        # Every question has been asked: from now on a saved file is no longer "en cours".
        self.store.in_progress = False
        while True:
            lines, valid = self.summary()
            for line in lines:
                self.prompter.say(line)
            choices = []
            if valid:
                choices.append(
                    Choice("generer", "Tout est exact : enregistrer et générer les documents")
                )
            choices += [Choice(s.id, f"Modifier : {s.title}") for s in spec.SECTIONS]
            choices.append(Choice("etape", "Modifier : Documents à préparer"))
            choices.append(Choice("champ", "Modifier une seule réponse (recherche par intitulé)"))
            choices.append(Choice("quitter", "Enregistrer et quitter sans générer"))
            self.asked += 1
            try:
                answer = self.prompter.select(
                    "Que voulez-vous faire ?",
                    choices,
                    name="revue",
                    default="generer" if valid else spec.SECTIONS[0].id,
                )
                if answer in ("generer", "quitter"):
                    return answer
                if answer == "champ":
                    self.edit_one()
                    continue
                with self._edit():
                    if answer == "etape":
                        self.etape()
                    else:
                        self.ask_section(spec.section(answer))
                with self._edit(False):
                    self.walk(stage=answer in ("autorites", "etablissements", "decisions"))
            except PreviousQuestion:
                continue  # back to the review menu

    def edit_one(self) -> None:
        """Change one answer chosen by its label, then ask what the change makes missing."""
        fields = list(spec.all_fields(self.data))
        choices = [
            Choice(pf.path, f"{where} — {pf.label} : {spec.shown(pf, self.data) or '—'}")
            for where, pf in fields
        ]
        self.asked += 1
        picked = self.prompter.autocomplete(
            "Quelle réponse modifier ? (tapez une partie de l'intitulé)",
            choices,
            name="revue.champ",
        )
        pf = next(pf for _where, pf in fields if pf.path == picked)
        with self._edit():
            self.ask(pf)
        # A group opened, a method changed: ask what the change left unanswered.
        with self._edit(False):
            self.walk(stage=pf.path.startswith(("decisions", "etablissements", "autorites")))

    def summary(self) -> tuple[list[str], bool]:
        """Review screen: every section with its key figures; and whether the dossier is valid."""
        from recours.cli.report import deadline_status
        from recours.formatting import date_avec_jour, date_longue, pourcentage
        from recours.law.analysis import analyse
        from recours.law.categories import category_warnings
        from recours.law.deadlines import next_deadline

        lines = ["", "════ Récapitulatif du dossier ════"]
        try:
            dossier = validate_dossier(
                without_nulls(self.data), str(self.store.path), aujourdhui=self.today
            )
        except DossierInvalidError as exc:
            lines.append("Le dossier est incomplet ou contient des erreurs, à corriger :")
            lines += [f"  - {self._where(p)}" for p in exc.problemes]
            return lines, False
        ref = load_referentiel()
        org = dossier.organisme
        ident = f"SIREN {org.siren}" if org.siren else f"SIRET {org.siret}"
        rep = org.representant_legal
        lines.append(
            f"Organisme : {org.raison_sociale} ({ident}), {org.siege.code_postal} "
            f"{org.siege.commune} ; représenté par {rep.nom}, {rep.qualite}"
        )
        lines.append("Autorités de tarification :")
        for aut in dossier.autorites:
            lines.append(
                f"  - {aut.nom} ({ref.autorites[aut.type].libelle}, {aut.adresse.commune})"
            )
        names = {a.id: a.nom for a in dossier.autorites}
        lines.append("Établissements :")
        for etab in dossier.etablissements:
            fins = ", ".join(f"{names[f.autorite]} {pourcentage(f.part)}" for f in etab.financeurs)
            years = ", ".join(str(e.annee) for e in etab.exercices)
            lines.append(
                f"  - {etab.nom} (FINESS {etab.finess}, {ref.categories[etab.categorie].libelle}, "
                f"département {etab.departement}) — {ref.regimes[etab.regime_budgetaire].libelle} — "
                f"financeurs : {fins} — méthode : {METHODE_TITRES[etab.methode]} — exercices : {years}"
            )
            lines += [f"  ! {w}" for w in category_warnings(etab, ref)]
        analysis = analyse(dossier, self.today, ref)
        amounts = analysis.montants
        lines.append("Montants par autorité :")
        for aid, tot in amounts.par_autorite.items():
            lines.append(
                f"  - {names[aid]} : dû {_fr(tot.du)}, reçu {_fr(tot.recu)}, écart {_fr(tot.ecart)}"
            )
        tot = amounts.total
        lines.append(f"  Total : dû {_fr(tot.du)}, reçu {_fr(tot.recu)}, écart {_fr(tot.ecart)}")
        for warning in amounts.avertissements:
            lines.append(f"  ! {warning}")
        lines.append("Décisions et délais :")
        for index, dec in enumerate(dossier.decisions):
            report = analysis.decision(index).delais
            state = (
                f"recours gracieux envoyé le {date_longue(dec.recours_gracieux.date_envoi)}"
                if dec.recours_gracieux
                else f"recours gracieux : {deadline_status(report.recours_gracieux)} "
                f"(jusqu'au {date_longue(report.recours_gracieux.date_limite)})"
            )
            lines.append(
                f"  - {dossier.decision_id(index)} : {ref.natures_decision[dec.nature].libelle} de "
                f"{names[dec.autorite]} du {date_longue(dec.date)}, notifiée le "
                f"{date_longue(dec.date_notification)} — {state} ; requête : "
                f"{deadline_status(report.recours_contentieux)} (jusqu'au "
                f"{date_longue(report.recours_contentieux.date_limite)})"
            )
            found = next_deadline(report)
            if found is not None:
                lines.append(f"    prochaine échéance : {date_avec_jour(found.date_limite)}")
        if analysis.exercices:
            lines.append("Exercice par exercice :")
            lines += [f"  - {status.texte}" for status in analysis.exercices]
        from recours.questionnaire.stage import DOCUMENT_LABELS

        lines.append(
            "Documents à générer : "
            + (
                ", ".join(dict.fromkeys(DOCUMENT_LABELS[d.kind] for d in planned(analysis)))
                or "aucun (dossier seulement)"
            )
        )
        lines += complements_summary(dossier)
        sig = org.signataire
        who = (
            f"{sig.nom}, {sig.qualite} ({sig.delegation})"
            if sig
            else f"{rep.nom}, {rep.qualite} (représentant légal)"
        )
        lines.append(f"Signataire : {who}")
        return lines, True


def planned(analysis: Any) -> list[Any]:
    """The documents the questionnaire prepares: those of the analysis's plan (each
    decision's choice followed) that the stage step offers, still in time."""
    return [
        doc for doc in analysis.plan() if doc.kind in spec.DOCUMENT_TITRES and doc.dans_le_delai
    ]


FAITS_SHOWN = 6  # lines of the faits complémentaires shown in the review


def complements_summary(dossier: Dossier) -> list[str]:
    """Review lines of the "compléments" section."""
    lines: list[str] = []
    av = dossier.avocat
    if av is None:
        lines.append("Avocat : aucun")
    else:
        extra = "".join(
            f", {label}{value}"
            for label, value in (("toque ", av.toque), ("tél. ", av.telephone), ("", av.courriel))
            if value
        )
        lines.append(
            f"Avocat : {av.nom}, barreau de {av.barreau}, {av.adresse.code_postal} "
            f"{av.adresse.commune}{extra}"
        )
    faits = (dossier.faits_complementaires or "").splitlines()
    if not any(line.strip() for line in faits):
        lines.append("Faits complémentaires : aucun")
    else:
        lines.append(f"Faits complémentaires ({len(faits)} ligne{'s' if len(faits) > 1 else ''}) :")
        for line in faits[:FAITS_SHOWN]:
            lines.append(f"  | {line if len(line) <= 100 else line[:99] + '…'}")
        if len(faits) > FAITS_SHOWN:
            lines.append(f"  | … ({len(faits) - FAITS_SHOWN} ligne(s) de plus)")
    if dossier.pieces_complementaires:
        lines.append("Pièces jointes supplémentaires :")
        lines += [f"  - {piece.intitule}" for piece in dossier.pieces_jointes]
    else:
        lines.append("Pièces jointes supplémentaires : aucune")
    lieu = dossier.lieu_signature or f"{dossier.organisme.siege.commune} (commune du siège)"
    lines.append(f"Lieu de signature : {lieu}")
    return lines


# ------------------------------------------------------------------------ entry point


@dataclass
class Outcome:
    statut: Literal["genere", "enregistre", "interrompu"]
    dossier: Dossier | None = None
    result: GenerationResult | None = None


def run(
    prompter: Prompter,
    store: DossierStore,
    *,
    today: date,
    sortie: Path,
    data: Data | None = None,
    formats: Sequence[str] = ("docx", "pdf"),
    force: bool = False,
    modeles: Path | None = None,
    in_progress: bool = False,
) -> Outcome:
    """The whole ``recours nouveau``: questions, review, final dossier, documents.

    ``in_progress``: ``data`` comes from a file the questionnaire was filling in
    (:func:`is_in_progress`), so its missing optional answers are asked even if it is valid.
    Ctrl-C (KeyboardInterrupt) or Ctrl-D (EOFError) stops cleanly: every answer given so
    far is already saved, and the way to resume is printed.
    """
    questionnaire = Questionnaire(prompter, store, today, data, in_progress)
    try:
        if data is not None:
            prompter.say(
                f"Reprise du dossier {store.path} : seules les questions manquantes sont posées."
            )
        choice = questionnaire.interview()
        if choice == "quitter":
            store.save(questionnaire.data)
            prompter.say(
                f"Dossier enregistré dans {store.path}. Pour le reprendre : "
                f"{resume_hint(store.path)}"
            )
            return Outcome("enregistre")
        dossier = validate_dossier(
            without_nulls(questionnaire.data), str(store.path), aujourdhui=today
        )
        store.save(questionnaire.data, final=True)
        prompter.say(f"Dossier enregistré : {store.path}")
        from recours.law.analysis import analyse

        analysis = analyse(dossier, today, load_referentiel())
        documents = planned(analysis)
        if not documents:
            prompter.say(
                f"Aucun document demandé. Pour les générer plus tard : recours generer "
                f"{shlex.quote(str(store.path))}"
            )
            return Outcome("enregistre", dossier)
        from recours.documents.generate import generate

        prompter.say("Génération des documents…")
        # The plan of the analysis, which follows each decision's choice
        # (Decision.documents), as `recours generer` will.
        result = generate(
            dossier,
            sortie=sortie,
            today=today,
            analysis=analysis,
            only={doc.stem for doc in documents},
            formats=formats,
            force=force,
            modeles=modeles,
        )
        return Outcome("genere", dossier, result)
    except (KeyboardInterrupt, EOFError):
        prompter.say("")
        if store.saved or store.path.exists():
            prompter.say(
                f"Interrompu. Vos réponses sont enregistrées dans {store.path}.\n"
                f"Pour reprendre : {resume_hint(store.path)}"
            )
        else:
            prompter.say("Interrompu : aucune réponse n'a été enregistrée.")
        return Outcome("interrompu")
