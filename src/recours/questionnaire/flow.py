"""The interactive questionnaire behind ``recours nouveau``.

Pure of any terminal library: every question goes through an injected :class:`Prompter`
(questionary in :mod:`recours.questionnaire.prompter`, a replaying prompter in the tests). Answers build
a plain dict with the dossier's French keys (the shape of ``examples/*.yaml``) and each one
is checked by the same pydantic validators as a dossier file, field by field
(:func:`check_field`) and, for rules that span fields, by validating the section with
neutral placeholders for what is not known yet (:func:`cross_problems`).

Resuming: a key present in the dict is an answered question (``null`` records an optional
question answered "nothing"), so ``--reprendre`` asks only what is missing. A dossier that
validates goes straight to the review, unless its file says that the questions have not all
been asked yet (:func:`is_in_progress`): a valid dossier may still miss optional answers (the
compléments, the signatory).
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import shlex
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Protocol

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from recours.dossier.identifiers import departement_from_code_postal, departement_from_finess
from recours.dossier.models import (
    Adresse,
    Autorite,
    Avocat,
    Contact,
    Decision,
    Dossier,
    Etablissement,
    Exercice,
    Organisme,
    PartFinancement,
    Personne,
    RecoursGracieuxEnvoye,
    RejetExplicite,
    Signataire,
)
from recours.dossier.validation import context_for, problems_from, validate_dossier
from recours.errors import DossierInvalidError
from recours.files import atomic_write_text
from recours.law.referentiel import load_referentiel
from recours.questionnaire.spec import Choice, label
from recours.questionnaire.spec import Scope as spec_scope
from recours.questionnaire.spec import question as spec_question

__all__ = ["Choice"]

if TYPE_CHECKING:
    from recours.documents.generate import GenerationResult

Data = dict[str, Any]
Check = Callable[[Any], Any]

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


# ------------------------------------------------------------------------- validation


class AnswerError(ValueError):
    """An answer the dossier model refuses; the message is French."""


class PreviousQuestion(Exception):
    """The user asked for the previous question (the « précédent » key)."""


BACK_KEY_HELP = (
    "Touche Page précédente (⇞) ou Ctrl-P : revenir à la question précédente. "
    "Ctrl-C : arrêter (vos réponses sont gardées)."
)


@functools.cache
def field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    """Validator of one model field, with its Annotated validators and constraints."""
    info = model.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated.__class_getitem__((annotation, *info.metadata))  # type: ignore[attr-defined]
    return TypeAdapter(annotation)


def _messages(exc: ValidationError, keep: Callable[[str], bool] = lambda _: True) -> list[str]:
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
        raise AnswerError(" ; ".join(_messages(exc))) from None


def field(model: type[BaseModel], name: str, aujourdhui: date | None = None) -> Check:
    return functools.partial(check_field, model, name, aujourdhui=aujourdhui)


def notification_help() -> str:
    """The notification-date rule, from the referential (with the uncertain e-mail case)."""
    rule = load_referentiel().notification
    text = " ".join(rule.regle.valeur.split())
    return f"{text} {' '.join(rule.courriel_simple.valeur.split())}"


_ADRESSE: Data = {"voie": "1 rue de l'Exemple", "code_postal": "75001", "commune": "Paris"}
# Valid placeholders for what the user has not answered yet: cross-field validators
# (model_validator) only run once every field validates.
_SKELETONS: dict[type[BaseModel], Data] = {
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


def cross_problems(model: type[BaseModel], partial: Data, keep: Callable[[str], bool]) -> list[str]:
    """French problems the model's cross-field rules find in ``partial``, at the kept paths."""
    candidate = {**copy.deepcopy(_SKELETONS[model]), **partial}
    try:
        model.model_validate(candidate)
    except ValidationError as exc:
        return _messages(exc, keep)
    return []


def under(path: str) -> Callable[[str], bool]:
    return lambda chemin: chemin == path or chemin.startswith((path + ".", path + "["))


def exactly(*paths: str) -> Callable[[str], bool]:
    return lambda chemin: chemin in paths


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


def without_nulls(value: Any) -> Any:
    """The dossier without the ``null`` that record optional questions answered "nothing"."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(v) for v in value]
    return value


def final_form(data: Data) -> Data:
    """The dossier as written once finished: no ``null`` markers, no empty optional list."""
    final: Data = without_nulls(data)
    if final.get("pieces_complementaires") == []:
        del final["pieces_complementaires"]
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


def _shown(value: Any) -> str:
    """An answer as proposed for editing, in French (recours.formatting)."""
    from recours.formatting import date_courte, nombre

    if value is None:
        return ""
    if isinstance(value, Decimal):
        return nombre(value, 4)
    if isinstance(value, date):
        return date_courte(value)
    return str(value)


def _typed(path: str, raw: str) -> Any:
    """Dates typed as JJ/MM/AAAA or AAAA-MM-JJ (the spec's date questions)."""
    try:
        question = spec_question(path)
    except KeyError:
        return raw
    if question.kind != "date" or not raw:
        return raw
    from recours.formatting import lire_date

    try:
        return lire_date(raw)
    except ValueError as exc:
        raise AnswerError(str(exc)) from None


def _key_of(value: Any) -> str:
    """Select value of a stored answer (True -> "oui", None -> "")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def _fr(value: Decimal) -> str:
    from recours.formatting import montant

    return montant(value)


OUI_NON_INCONNU = (
    Choice("oui", "Oui"),
    Choice("non", "Non"),
    Choice("", "Je ne sais pas (le délai le plus court sera retenu)"),
)
CIVILITES = (Choice("Madame", "Madame"), Choice("Monsieur", "Monsieur"), Choice("", "Non précisée"))
METHODE_TITRES = {
    "etp": "ETP × montant de l'accord × coefficient de charges",
    "cout_unitaire": "ETP × coût unitaire annuel DGCS",
    "cout_reel": "Coût réel chargé issu de la paie",
}
_ID_PREFIX = {
    "ars": "ars",
    "conseil_departemental": "cd",
    "prefet_departement": "prefet",
    "prefet_region": "prefet-region",
}
SECTIONS = {
    "organisme": "Organisme",
    "autorites": "Autorités de tarification",
    "etablissements": "Établissements, financeurs et montants",
    "decisions": "Décisions contestées",
    "etape": "Étape, délais et documents",
    "complements": "Compléments (avocat, faits, pièces jointes, lieu de signature)",
    "signataire": "Signataire",
}
# Dossier keys of the "compléments" section, all optional.
COMPLEMENTS = ("avocat", "faits_complementaires", "pieces_complementaires", "lieu_signature")
INSTRUCTION_LIGNE_VIDE = "(facultatif : Entrée sur une ligne vide pour terminer)"


class Questionnaire:
    """The questions, in the issue's order; ``data`` is the dossier being built."""

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
        self.asked = 0
        # Documents chosen at the "étape" step (not part of the dossier file).
        self.documents: list[str] = []
        self.default_documents: list[str] = []
        # Paths answered in this session, in order (« précédent » goes back along them),
        # and the answered paths to ask again although they are valid.
        self.history: list[str] = []
        self.reask: set[str] = set()

    # -- primitives ------------------------------------------------------------------

    def _save(self) -> None:
        self.store.save(self.data)

    def _where(self, problem: Any) -> str:
        """A problem located by its question's French label, not its dossier path."""
        from recours.questionnaire.spec import place

        return f"{place(self.data, problem.chemin)} : {problem.message}"

    def _skip(self, box: Data, key: str, path: str) -> bool:
        """Whether an answered question is left as it is (resume, not editing, not « précédent »)."""
        return key in box and not self.editing and path not in self.reask

    def _answered(self, path: str) -> None:
        self.reask.discard(path)
        self.history.append(path)

    @contextlib.contextmanager
    def _edit(self, editing: bool = True) -> Iterator[None]:
        previous, self.editing = self.editing, editing
        try:
            yield
        finally:
            self.editing = previous

    @staticmethod
    def _sub(box: Data, key: str) -> Data:
        if not isinstance(box.get(key), dict):
            box[key] = {}
        value: Data = box[key]
        return value

    def _problem(
        self, check: Check, value: Any, optional: bool, cross: Callable[[], list[str]] | None
    ) -> str | None:
        if value is None:
            return None if optional else "champ obligatoire manquant"
        try:
            check(value)
        except AnswerError as exc:
            return str(exc)
        problems = cross() if cross else []
        return "\n".join(problems) or None

    def _text(
        self,
        box: Data,
        key: str,
        check: Check,
        path: str,
        message: str,
        *,
        default: Any = None,
        optional: bool = False,
        cross: Callable[[], list[str]] | None = None,
        instruction: str | None = None,
        multiline: bool = False,
    ) -> Any:
        """Ask one typed answer until the model accepts it; store and save it."""
        if self._skip(box, key, path):
            problem = self._problem(check, box[key], optional, cross)
            if problem is None:
                return box[key]
            self.prompter.error(f"{message} : {problem}")
        if box.get(key) is not None:
            default = box[key]
        if optional and instruction is None:
            instruction = "(facultatif : Entrée pour laisser vide)"
        ask = self.prompter.multiline if multiline else self.prompter.text
        while True:
            self.asked += 1
            raw = ask(message, name=path, default=_shown(default), instruction=instruction).strip()
            try:
                value = None if optional and not raw else check(_typed(path, raw))
            except AnswerError as exc:
                self.prompter.error(str(exc))
                default = raw
                continue
            had, previous = key in box, box.get(key)
            box[key] = value
            problems = cross() if cross else []
            if problems:
                if had:
                    box[key] = previous
                else:
                    del box[key]
                self.prompter.error("\n".join(problems))
                default = raw
                continue
            self._save()
            self._answered(path)
            return value

    def _select(
        self,
        box: Data,
        key: str,
        check: Check,
        path: str,
        message: str,
        choices: Sequence[Choice],
        *,
        default: str | None = None,
    ) -> Any:
        values = [c.value for c in choices]
        if (
            self._skip(box, key, path)
            and _key_of(box[key]) in values
            and (box[key] is None or self._problem(check, box[key], False, None) is None)
        ):
            return box[key]
        if key in box and _key_of(box[key]) in values:
            default = _key_of(box[key])
        self.asked += 1
        answer = self.prompter.select(
            message, choices, name=path, default=default if default in values else None
        )
        value = None if answer == "" else check(answer)
        box[key] = value
        self._save()
        self._answered(path)
        return value

    def _confirm(self, path: str, message: str, default: bool) -> bool:
        self.asked += 1
        return self.prompter.confirm(message, name=path, default=default)

    def _optional_group(self, box: Data, key: str, path: str, message: str) -> Data | None:
        """A yes/no question that opens a group of fields; "no" is stored as null."""
        if self._skip(box, key, path) and (box[key] is None or isinstance(box[key], dict)):
            current: Data | None = box[key]
            return current
        if not self._confirm(path, message, default=isinstance(box.get(key), dict)):
            box[key] = None
            self._save()
            self._answered(path)
            return None
        group = self._sub(box, key)
        self._save()
        self._answered(path)
        return group

    def _list(
        self,
        items: list[Data],
        path: str,
        noun: str,
        heading: str,
        label: Callable[[Data], str],
        ask_item: Callable[[Data, int], None],
        add_by_default: Callable[[], bool] = lambda: False,
    ) -> None:
        """A list section: complete the items, then add / modify / remove until done."""
        before = self.asked
        if not self.editing:
            for index, item in enumerate(items):
                ask_item(item, index)
            if items and self.asked == before:
                return
        if not items:
            items.append({})
            self._save()
            with self._edit(False):
                ask_item(items[-1], len(items) - 1)
        while True:
            choices = [Choice("ajouter", f"Ajouter {noun}")]
            choices += [
                Choice(f"modifier:{i}", f"Modifier : {label(x)}") for i, x in enumerate(items)
            ]
            if len(items) > 1:
                choices += [
                    Choice(f"supprimer:{i}", f"Supprimer : {label(x)}") for i, x in enumerate(items)
                ]
            choices.append(Choice("terminer", "Continuer"))
            self.asked += 1
            answer = self.prompter.select(
                f"{heading} : {', '.join(label(x) for x in items)}. Que voulez-vous faire ?",
                choices,
                name=f"{path}.menu",
                default="ajouter" if add_by_default() else "terminer",
            )
            if answer == "terminer":
                return
            if answer == "ajouter":
                items.append({})
                self._save()
                with self._edit(False):
                    ask_item(items[-1], len(items) - 1)
                continue
            action, _, index_text = answer.partition(":")
            index = int(index_text)
            if action == "modifier":
                with self._edit():
                    ask_item(items[index], index)
            else:
                removed = items.pop(index)
                self._save()
                self.prompter.say(f"Supprimé : {label(removed)}")

    def _adresse(self, parent: Data, key: str, path: str, title: str) -> Data:
        box = self._sub(parent, key)
        self._text(box, "voie", field(Adresse, "voie"), f"{path}.voie", f"{title} : numéro et voie")
        self._text(
            box,
            "complement",
            field(Adresse, "complement"),
            f"{path}.complement",
            f"{title} : complément (bâtiment, BP…)",
            optional=True,
        )
        self._text(
            box,
            "code_postal",
            field(Adresse, "code_postal"),
            f"{path}.code_postal",
            f"{title} : code postal",
        )
        self._text(
            box, "commune", field(Adresse, "commune"), f"{path}.commune", f"{title} : commune"
        )
        return box

    def _personne(self, box: Data, path: str, who: str, model: type[BaseModel]) -> None:
        self._select(
            box,
            "civilite",
            field(model, "civilite"),
            f"{path}.civilite",
            f"{who} : civilité",
            CIVILITES,
        )
        self._text(box, "nom", field(model, "nom"), f"{path}.nom", f"{who} : prénom et nom")
        self._text(
            box,
            "qualite",
            field(model, "qualite"),
            f"{path}.qualite",
            f"{who} : qualité (fonction, ex. présidente)",
        )

    # -- sections --------------------------------------------------------------------

    def organisme(self) -> None:
        self.prompter.say("\n— Organisme gestionnaire —")
        org = self._sub(self.data, "organisme")
        p = "organisme"
        self._text(
            org,
            "raison_sociale",
            field(Organisme, "raison_sociale"),
            f"{p}.raison_sociale",
            "Raison sociale de l'organisme gestionnaire",
        )
        self._text(
            org,
            "forme_juridique",
            field(Organisme, "forme_juridique"),
            f"{p}.forme_juridique",
            "Forme juridique",
            default=Organisme.model_fields["forme_juridique"].default,
        )
        self._text(
            org,
            "siren",
            field(Organisme, "siren"),
            f"{p}.siren",
            "SIREN (9 chiffres)",
            optional=True,
            instruction="(Entrée pour indiquer plutôt le SIRET)",
        )
        self._text(
            org,
            "siret",
            field(Organisme, "siret"),
            f"{p}.siret",
            "SIRET du siège (14 chiffres)",
            optional=True,
            instruction="(facultatif si le SIREN est indiqué)",
            cross=lambda: cross_problems(Organisme, org, exactly("", "siren", "siret")),
        )
        self._text(
            org,
            "rna",
            field(Organisme, "rna"),
            f"{p}.rna",
            "Numéro RNA (W suivi de 9 caractères)",
            optional=True,
        )
        self._adresse(org, "siege", f"{p}.siege", "Siège social")
        self._personne(
            self._sub(org, "representant_legal"),
            f"{p}.representant_legal",
            "Représentant légal",
            Personne,
        )
        contact = self._optional_group(
            org,
            "contact",
            f"{p}.contact",
            "Indiquer une personne à contacter pour le suivi du dossier ?",
        )
        if contact is not None:
            for key, message in (
                ("nom", "Contact : nom"),
                ("telephone", "Contact : téléphone"),
                ("courriel", "Contact : adresse électronique"),
            ):
                self._text(
                    contact, key, field(Contact, key), f"{p}.contact.{key}", message, optional=True
                )

    # établissements -----------------------------------------------------------------

    def etablissements(self) -> None:
        self.prompter.say("\n— Établissements et services —")
        self.data.setdefault("autorites", [])
        items = self.data.setdefault("etablissements", [])
        self._list(
            items,
            "etablissements",
            "un établissement",
            "Établissements saisis",
            lambda e: str(e.get("nom") or "(sans nom)"),
            self._etablissement,
        )
        self._prune_autorites()

    def _prune_autorites(self) -> None:
        used = {
            f.get("autorite")
            for e in self.data.get("etablissements", [])
            for f in e.get("financeurs") or []
        }
        used |= {d.get("autorite") for d in self.data.get("decisions", [])}
        kept = [a for a in self.data.get("autorites", []) if a.get("id") in used]
        if len(kept) != len(self.data.get("autorites", [])):
            self.data["autorites"] = kept
            self._save()

    def _etablissement(self, etab: Data, i: int) -> None:
        ref = load_referentiel()
        p = f"etablissements[{i}]"
        self._text(
            etab,
            "nom",
            field(Etablissement, "nom"),
            f"{p}.nom",
            "Nom de l'établissement ou du service",
        )
        self._text(
            etab,
            "finess",
            field(Etablissement, "finess"),
            f"{p}.finess",
            "Numéro FINESS de l'établissement (9 caractères)",
        )
        self._categorie(etab, p)
        adresse = self._adresse(etab, "adresse", f"{p}.adresse", "Adresse de l'établissement")
        suggested = departement_from_finess(str(etab["finess"])) or departement_from_code_postal(
            str(adresse.get("code_postal", ""))
        )
        self._departement(etab, p, suggested)
        cat = ref.categories[etab["categorie"]]
        self.prompter.say("Régimes budgétaires :")
        for regime in ref.regimes.values():
            self.prompter.say(f"  • {regime.libelle} : {' '.join(regime.explication.split())}")
        self._select(
            etab,
            "regime_budgetaire",
            field(Etablissement, "regime_budgetaire"),
            f"{p}.regime_budgetaire",
            "Régime budgétaire de l'établissement",
            [Choice(k, r.libelle, " ".join(r.explication.split())) for k, r in ref.regimes.items()],
            default="cpom_eprd" if "ars" in cat.autorites else "procedure_contradictoire",
        )
        self._financeurs(etab, i)
        self._methode(etab, p)
        items = etab.setdefault("exercices", [])
        self._list(
            items,
            f"{p}.exercices",
            "un exercice",
            f"Exercices de {etab.get('nom')}",
            lambda e: f"exercice {e.get('annee', '?')}",
            lambda ex, j: self._exercice(etab, ex, i, j),
            add_by_default=lambda: all(
                int(str(e.get("annee", 0))) < self.today.year for e in items
            ),
        )

    def _departement(self, etab: Data, p: str, suggested: str | None) -> None:
        """The département, checked against the FINESS; on a mismatch either can change."""
        self._text(
            etab,
            "departement",
            field(Etablissement, "departement"),
            f"{p}.departement",
            "Département d'implantation",
            default=suggested,
        )
        while problems := cross_problems(Etablissement, etab, under("finess")):
            self.prompter.error("\n".join(problems))
            self.asked += 1
            answer = self.prompter.select(
                "Le numéro FINESS et le département ne concordent pas : que corriger ?",
                [
                    Choice("departement", f"Le département (saisi : {etab['departement']})"),
                    Choice("finess", f"Le numéro FINESS (saisi : {etab['finess']})"),
                ],
                name=f"{p}.corriger",
                default="departement",
            )
            with self._edit():
                self._text(
                    etab,
                    answer,
                    field(Etablissement, answer),
                    f"{p}.{answer}",
                    "Département d'implantation"
                    if answer == "departement"
                    else "Numéro FINESS de l'établissement (9 caractères)",
                )

    def _categorie(self, etab: Data, p: str) -> None:

        def check(value: Any) -> Any:
            return check_field(Etablissement, "categorie", value)

        def cross() -> list[str]:
            return cross_problems(Etablissement, etab, under("categorie"))

        if self._skip(etab, "categorie", f"{p}.categorie") and not cross():
            return
        choices = spec_question("etablissements[].categorie").options(spec_scope(self.data, etab))
        while True:
            self.asked += 1
            answer = self.prompter.autocomplete(
                "Catégorie d'établissement (tapez pour chercher)",
                choices,
                name=f"{p}.categorie",
                default=etab.get("categorie"),
            )
            etab["categorie"] = check(answer.strip())
            problems = cross()
            if not problems:
                self._save()
                self._answered(f"{p}.categorie")
                return
            self.prompter.error("\n".join(problems))

    def _financeurs(self, etab: Data, i: int) -> None:
        ref = load_referentiel()
        p = f"etablissements[{i}].financeurs"
        autorites: list[Data] = self.data.setdefault("autorites", [])
        ids = {a.get("id") for a in autorites}
        current = etab.get("financeurs")
        valid = (
            isinstance(current, list)
            and bool(current)
            and all(isinstance(f, dict) and f.get("autorite") in ids for f in current)
        )
        if not valid or self.editing:
            cat = ref.categories[etab["categorie"]]
            self.prompter.say(
                f"Autorité(s) de tarification proposée(s) pour la catégorie « {cat.libelle} » : "
                + " + ".join(ref.autorites[t].libelle for t in cat.autorites)
                + f" ({cat.fondement})."
            )
            by_id = {a.get("id"): a for a in autorites}
            current_types = [
                by_id[f["autorite"]].get("type")
                for f in (current if valid and isinstance(current, list) else [])
            ]
            while True:
                self.asked += 1
                types = self.prompter.checkbox(
                    "Autorités de tarification de l'établissement",
                    [Choice(t, info.libelle) for t, info in ref.autorites.items()],
                    name=f"{p}.types",
                    default=[str(t) for t in current_types] or list(cat.autorites),
                )
                if types:
                    break
                self.prompter.error(
                    check_error(Etablissement, "financeurs", []) or "au moins une autorité"
                )
            old_parts = {
                f.get("autorite"): f.get("part")
                for f in (current if isinstance(current, list) else [])
            }
            chosen: list[str] = []
            for t in types:
                chosen.append(self._choose_autorite(etab, t, current_types, current, p))
            financeurs: list[Data] = []
            for aid in chosen:
                entry: Data = {"autorite": aid}
                if len(chosen) > 1 and old_parts.get(aid) is not None:
                    entry["part"] = old_parts[aid]
                financeurs.append(entry)
            etab["financeurs"] = financeurs
            for ex in etab.get("exercices") or []:
                recu = ex.get("financement_recu")
                if isinstance(recu, dict):
                    for key in [k for k in recu if k not in chosen]:
                        del recu[key]
            self._save()
        for fin in etab["financeurs"]:
            index = next(j for j, a in enumerate(autorites) if a.get("id") == fin["autorite"])
            self._autorite(autorites[index], index, etab)
        self._parts(etab, p)

    def _choose_autorite(
        self, etab: Data, type_: str, current_types: list[Any], current: Any, p: str
    ) -> str:
        ref = load_referentiel()
        autorites: list[Data] = self.data["autorites"]
        existing = [a for a in autorites if a.get("type") == type_]
        libelle = ref.autorites[type_].libelle  # type: ignore[index]
        if existing:
            default = existing[0]["id"]
            if type_ in current_types and isinstance(current, list):
                default = current[current_types.index(type_)]["autorite"]
            self.asked += 1
            answer = self.prompter.select(
                f"{libelle} : quelle autorité ?",
                [Choice(str(a["id"]), str(a.get("nom") or libelle)) for a in existing]
                + [Choice("", "Une autre autorité (nouvelle)")],
                name=f"{p}.{type_}",
                default=default,
            )
            if answer:
                return answer
        dep = str(etab["departement"])
        base = f"{_ID_PREFIX[type_]}-{dep.lower()}"
        ids = {a.get("id") for a in autorites}
        aid, n = base, 1
        while aid in ids:
            n += 1
            aid = f"{base}-{n}"
        check_field(Autorite, "id", aid)
        autorites.append({"id": aid, "type": type_})
        self._save()
        return aid

    def _autorite(self, aut: Data, index: int, etab: Data | None = None) -> None:
        ref = load_referentiel()
        p = f"autorites[{index}]"
        type_ = aut.get("type")
        info = ref.autorites.get(type_)  # type: ignore[arg-type]
        libelle = info.libelle if info else "Autorité"
        dep = str(etab["departement"]) if etab else None
        suggested = libelle
        known = ref.departements.get(dep) if dep else None
        if known and type_ in ("conseil_departemental", "prefet_departement"):
            suggested = f"{libelle} ({known.departement})"
        self._text(
            aut, "nom", field(Autorite, "nom"), f"{p}.nom", f"{libelle} : nom", default=suggested
        )
        self._text(
            aut,
            "service",
            field(Autorite, "service"),
            f"{p}.service",
            f"{libelle} : service destinataire",
            optional=True,
        )
        self._select(
            aut,
            "civilite_titulaire",
            field(Autorite, "civilite_titulaire"),
            f"{p}.civilite_titulaire",
            f"{libelle} : civilité du titulaire (formule d'appel)",
            CIVILITES,
        )
        adresse = self._adresse(aut, "adresse", f"{p}.adresse", f"{libelle} : adresse")
        self._text(
            aut,
            "departement",
            field(Autorite, "departement"),
            f"{p}.departement",
            f"{libelle} : département de son siège",
            default=departement_from_code_postal(str(adresse.get("code_postal", ""))) or dep,
        )
        # Département 69: the Métropole de Lyon or the département du Rhône (autorites.csv).
        bodies = ref.annuaire_autorites.collectivites_multiples.get(str(aut["departement"]))
        if type_ == "conseil_departemental" and bodies:
            self._select(
                aut,
                "collectivite",
                field(Autorite, "collectivite"),
                f"{p}.collectivite",
                f"{libelle} : collectivité compétente (d'après la commune de l'établissement)",
                [Choice(code, ref.annuaire[code].collectivite) for code in bodies],
            )

    def _parts(self, etab: Data, p: str) -> None:
        financeurs: list[Data] = etab["financeurs"]
        if len(financeurs) < 2:
            return
        sum_ok = not cross_problems(Etablissement, etab, exactly("financeurs"))
        if not self.editing and all("part" in f for f in financeurs) and sum_ok:
            return
        names = {a["id"]: a.get("nom", a["id"]) for a in self.data["autorites"]}
        self.prompter.say("Établissement cofinancé : indiquez la part de chaque autorité.")
        while True:
            for j, fin in enumerate(financeurs):
                default = fin.get("part")
                if default is None:
                    done = sum(
                        (Decimal(str(f.get("part") or 0)) for f in financeurs[:j]), Decimal(0)
                    )
                    default = 100 - done if j == len(financeurs) - 1 else None
                with self._edit():
                    self._text(
                        fin,
                        "part",
                        field(PartFinancement, "part"),
                        f"{p}[{j}].part",
                        f"Part de {names[fin['autorite']]} (en %)",
                        default=default,
                    )
            problems = cross_problems(Etablissement, etab, exactly("financeurs"))
            if not problems:
                return
            self.prompter.error("\n".join(problems))

    def _methode(self, etab: Data, p: str) -> None:
        from recours.law.amounts import METHODES

        ref = load_referentiel()
        self.prompter.say(
            "Méthodes de calcul du coût de la mesure "
            f"({ref.accord.montant_mensuel_brut.valeur} € bruts par mois et par ETP) :"
        )
        for key, title in METHODES.items():
            self.prompter.say(f"  • {METHODE_TITRES[key]} : {title}")
        methode = self._select(
            etab,
            "methode",
            field(Etablissement, "methode"),
            f"{p}.methode",
            "Méthode de calcul",
            [Choice(k, METHODE_TITRES[k], METHODES[k]) for k in METHODES],
            default="cout_unitaire",
        )
        if methode == "etp":
            self._text(
                etab,
                "coefficient_charges",
                field(Etablissement, "coefficient_charges"),
                f"{p}.coefficient_charges",
                "Coefficient de charges patronales (ex. 1,45)",
                instruction="(aucun coefficient officiel n'est publié : indiquez le vôtre)",
            )
        elif "coefficient_charges" in etab:
            del etab["coefficient_charges"]
            self._save()

    def _exercice(self, etab: Data, ex: Data, i: int, j: int) -> None:
        ref = load_referentiel()
        p = f"etablissements[{i}].exercices[{j}]"
        others = [int(str(e["annee"])) for e in etab["exercices"] if e is not ex and "annee" in e]
        first = ref.accord.date_effet.valeur.year
        self._text(
            ex,
            "annee",
            field(Exercice, "annee", self.today),
            f"{p}.annee",
            "Exercice (année)",
            default=max(others) + 1 if others else first,
            cross=lambda: cross_problems(Etablissement, etab, exactly("exercices")),
        )
        self._text(
            ex,
            "mois",
            field(Exercice, "mois"),
            f"{p}.mois",
            f"Nombre de mois éligibles en {ex['annee']} (1 à 12)",
            default=12,
        )
        if etab["methode"] == "cout_reel":
            self._text(
                ex,
                "cout_reel",
                field(Exercice, "cout_reel"),
                f"{p}.cout_reel",
                f"Coût réel chargé de la mesure en {ex['annee']}, issu de la paie (en euros)",
            )
        else:
            self._text(
                ex,
                "etp",
                field(Exercice, "etp"),
                f"{p}.etp",
                f"ETP éligibles en {ex['annee']}",
            )
        recu = self._sub(ex, "financement_recu")
        names = {a["id"]: a.get("nom", a["id"]) for a in self.data["autorites"]}
        for fin in etab["financeurs"]:
            aid = fin["autorite"]

            def check(value: Any, aid: str = aid) -> Any:
                return check_field(Exercice, "financement_recu", {aid: value})[aid]

            self._text(
                recu,
                aid,
                check,
                f"{p}.financement_recu.{aid}",
                f"Financement déjà reçu de {names.get(aid, aid)} pour {ex['annee']} (en euros)",
                default=0,
            )
        self._show_cost(etab, ex)

    def _show_cost(self, etab: Data, ex: Data) -> None:
        from recours.formatting import pourcentage
        from recours.law.amounts import cost_of, split_shares

        try:
            exercice = Exercice.model_validate(ex)
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
        except (ValidationError, AnswerError, AssertionError, KeyError):
            return
        self.prompter.say(f"  → Coût {exercice.annee} : {formule} = {_fr(cout)}")
        names = {a["id"]: a.get("nom", a["id"]) for a in self.data["autorites"]}
        for part in parts:
            self.prompter.say(
                f"    {names.get(part.autorite, part.autorite)} ({pourcentage(part.pourcentage)}) : "
                f"dû {_fr(part.du)}, reçu {_fr(part.recu)}, écart {_fr(part.ecart)}"
            )

    # décisions ----------------------------------------------------------------------

    def decisions(self) -> None:
        self.prompter.say("\n— Décision(s) contestée(s) —")
        items = self.data.setdefault("decisions", [])
        names = {a.get("id"): a.get("nom") for a in self.data.get("autorites", [])}
        self._list(
            items,
            "decisions",
            "une décision",
            "Décisions saisies",
            lambda d: (
                f"décision {d.get('numero') or d.get('date') or ''} de "
                f"{names.get(d.get('autorite'), '?')}".replace("  ", " ")
            ),
            self._decision,
        )

    def _decision(self, dec: Data, i: int) -> None:
        ref = load_referentiel()
        p = f"decisions[{i}]"
        autorites: list[Data] = self.data["autorites"]
        ids = [str(a["id"]) for a in autorites]
        if dec.get("autorite") not in ids:
            dec.pop("autorite", None)
        if len(ids) == 1 and "autorite" not in dec:
            dec["autorite"] = ids[0]
            self._save()
            self.prompter.say(f"Autorité qui a pris la décision : {autorites[0].get('nom')}")
        else:
            self._select(
                dec,
                "autorite",
                field(Decision, "autorite"),
                f"{p}.autorite",
                "Autorité qui a pris la décision",
                spec_question("decisions[].autorite").options(spec_scope(self.data, dec)),
            )
        self._select(
            dec,
            "nature",
            field(Decision, "nature"),
            f"{p}.nature",
            "Nature de la décision",
            [Choice(k, n.libelle.capitalize()) for k, n in ref.natures_decision.items()],
            default="arrete_tarification",
        )
        self._text(
            dec,
            "numero",
            field(Decision, "numero"),
            f"{p}.numero",
            "Numéro de la décision",
            optional=True,
        )
        self._text(
            dec,
            "date",
            field(Decision, "date", self.today),
            f"{p}.date",
            "Date de la décision (JJ/MM/AAAA)",
            default=self.today,
        )
        self._text(
            dec,
            "date_notification",
            field(Decision, "date_notification", self.today),
            f"{p}.date_notification",
            "Date à laquelle elle vous a été notifiée (réception, JJ/MM/AAAA)",
            default=dec["date"],
            cross=lambda: cross_problems(Decision, dec, under("date_notification")),
            instruction=notification_help(),
        )
        self._text(
            dec,
            "objet",
            field(Decision, "objet"),
            f"{p}.objet",
            "Objet de la décision (ex. fixant la dotation globale 2026)",
            optional=True,
        )
        funded = [
            e
            for e in self.data.get("etablissements", [])
            if dec["autorite"] in {f.get("autorite") for f in e.get("financeurs") or []}
        ]
        if len(funded) > 1:
            self._subset(
                dec,
                "etablissements",
                field(Decision, "etablissements"),
                f"{p}.etablissements",
                "Établissements concernés par la décision",
                [Choice(str(e["finess"]), str(e.get("nom"))) for e in funded],
            )
        years = sorted({int(str(x["annee"])) for e in funded for x in e.get("exercices") or []})
        if len(years) == 1:
            # The only exercise entered: a tariff decision fixes one exercise.
            dec["exercices"] = years
            self.prompter.say(f"  → Exercice fixé par la décision : {years[0]}")
        elif years:
            self._subset(
                dec,
                "exercices",
                field(Decision, "exercices", self.today),
                f"{p}.exercices",
                "Exercice(s) dont la décision fixe le tarif (en principe un seul)",
                [Choice(str(y), str(y)) for y in years],
                everything_as_empty=False,
                suggested=str(dec.get("date", ""))[:4],
            )
        self._select(
            dec,
            "voies_et_delais_mentionnes",
            field(Decision, "voies_et_delais_mentionnes"),
            f"{p}.voies_et_delais_mentionnes",
            "La notification mentionnait-elle les voies et délais de recours ?",
            OUI_NON_INCONNU,
            default="oui",
        )
        gracieux = self._optional_group(
            dec,
            "recours_gracieux",
            f"{p}.recours_gracieux",
            "Avez-vous déjà envoyé un recours gracieux contre cette décision ?",
        )
        if gracieux is None:
            if dec.get("rejet_explicite") is not None:
                dec["rejet_explicite"] = None
                self._save()
            return
        q = f"{p}.recours_gracieux"
        self._text(
            gracieux,
            "date_envoi",
            field(RecoursGracieuxEnvoye, "date_envoi", self.today),
            f"{q}.date_envoi",
            "Date d'envoi du recours gracieux (cachet de la poste, JJ/MM/AAAA)",
            default=self.today,
            cross=lambda: cross_problems(Decision, dec, under("recours_gracieux")),
        )
        self._text(
            gracieux,
            "date_reception",
            field(RecoursGracieuxEnvoye, "date_reception", self.today),
            f"{q}.date_reception",
            "Date de réception par l'autorité (avis de réception, JJ/MM/AAAA)",
            optional=True,
            cross=lambda: cross_problems(Decision, dec, under("recours_gracieux")),
        )
        self._select(
            gracieux,
            "accuse_reception_conforme",
            field(RecoursGracieuxEnvoye, "accuse_reception_conforme"),
            f"{q}.accuse_reception_conforme",
            "L'autorité a-t-elle envoyé un accusé de réception mentionnant les voies et délais "
            "(CRPA, art. R.112-5) ?",
            OUI_NON_INCONNU,
            default="",
        )
        rejet = self._optional_group(
            dec,
            "rejet_explicite",
            f"{p}.rejet_explicite",
            "L'autorité a-t-elle rejeté ce recours gracieux par une réponse écrite ?",
        )
        if rejet is not None:
            self._text(
                rejet,
                "date_notification",
                field(RejetExplicite, "date_notification", self.today),
                f"{p}.rejet_explicite.date_notification",
                "Date de réception de ce rejet (JJ/MM/AAAA)",
                default=self.today,
                cross=lambda: cross_problems(Decision, dec, under("rejet_explicite")),
            )

    def _subset(
        self,
        box: Data,
        key: str,
        check: Check,
        path: str,
        message: str,
        choices: Sequence[Choice],
        everything_as_empty: bool = True,
        suggested: str | None = None,
    ) -> None:
        """A checkbox where "everything" is stored as an empty list (the model's default),
        unless ``everything_as_empty`` is false (then ``suggested`` is the default choice)."""
        values = [c.value for c in choices]
        current = box.get(key)
        if (
            self._skip(box, key, path)
            and isinstance(current, list)
            and all(str(v) in values for v in current)
        ):
            return
        if current:
            default = [str(v) for v in current]
        elif everything_as_empty:
            default = values
        else:
            default = [suggested if suggested in values else values[-1]]
        while True:
            self.asked += 1
            answer = self.prompter.checkbox(message, choices, name=path, default=default)
            if answer:
                break
            self.prompter.error("cochez au moins une case")
        everything = everything_as_empty and set(answer) == set(values)
        box[key] = [] if everything else check(answer)
        self._save()
        self._answered(path)

    # étape --------------------------------------------------------------------------

    def etape(self) -> None:
        """Deadlines of each decision, and the documents that still make sense."""

        self.prompter.say("\n— Étape de la procédure et délais —")
        try:
            dossier = validate_dossier(
                without_nulls(self._before_etape()), str(self.store.path), aujourdhui=self.today
            )
        except DossierInvalidError as exc:
            self.prompter.error("Délais non calculables tant que le dossier est incomplet :")
            for problem in exc.problemes:
                self.prompter.error(f"  {self._where(problem)}")
            self.documents = []
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
        gracieux_ok = "gracieux" in stage.possibles
        requete_ok = "requete" in stage.possibles
        offered: list[Choice] = []
        if gracieux_ok:
            offered.append(Choice("gracieux", "Recours gracieux (lettre à l'autorité)"))
        if requete_ok:
            offered.append(Choice("requete", "Requête au tribunal administratif"))
        self.default_documents = list(stage.conseilles)
        if not offered:
            self.prompter.say(
                "Tous les délais sont expirés : aucun document ne peut plus être utilement "
                "préparé. Le dossier sera seulement enregistré."
            )
            self.documents = []
            return
        saved = [d.get("documents") for d in self.data.get("decisions", [])]
        chosen = next((d for d in saved if isinstance(d, list)), None)
        default = (
            [v for v in chosen if v in {c.value for c in offered}]
            if chosen is not None
            else self.default_documents or [offered[0].value]
        )
        self.asked += 1
        self.documents = self.prompter.checkbox(
            "Documents à préparer", offered, name="etape.documents", default=default
        )
        # Saved in the dossier (Decision.documents), so that `recours generer` prepares
        # the same documents later; None keeps the tool's plan.
        stored = (
            None if sorted(self.documents) == sorted(self.default_documents) else self.documents
        )
        for dec in self.data.get("decisions", []):
            dec["documents"] = None if stored is None else list(stored)
        self._save()

    def _before_etape(self) -> Data:
        """The dossier without the sections asked after the étape (the deadlines do not
        depend on them): a lawyer or a signatory half answered does not hide the deadlines."""
        data = {k: v for k, v in self.data.items() if k not in COMPLEMENTS}
        org = data.get("organisme")
        if isinstance(org, dict) and "signataire" in org:
            data["organisme"] = {k: v for k, v in org.items() if k != "signataire"}
        return data

    # compléments --------------------------------------------------------------------

    def complements(self) -> None:
        self.prompter.say("\n— Compléments (facultatifs) —")
        avocat = self._optional_group(
            self.data, "avocat", "avocat", "Êtes-vous représenté par un avocat ?"
        )
        if avocat is not None:
            self._text(
                avocat,
                "nom",
                field(Avocat, "nom"),
                "avocat.nom",
                "Avocat : nom de l'avocat ou du cabinet (ex. Maître Camille Fontaine)",
            )
            self._text(
                avocat,
                "barreau",
                field(Avocat, "barreau"),
                "avocat.barreau",
                "Avocat : barreau (ex. Lyon)",
            )
            self._adresse(avocat, "adresse", "avocat.adresse", "Adresse de l'avocat")
            for key, message in (
                ("telephone", "Avocat : téléphone"),
                ("courriel", "Avocat : adresse électronique"),
                ("toque", "Avocat : numéro de toque ou de case"),
            ):
                self._text(avocat, key, field(Avocat, key), f"avocat.{key}", message, optional=True)
        if "faits_complementaires" not in self.data or self.editing:
            self.prompter.say(
                "Faits complémentaires : ils sont repris tels quels, avec leurs retours à la "
                "ligne, dans l'exposé des faits du recours gracieux et de la requête."
            )
        self._text(
            self.data,
            "faits_complementaires",
            field(Dossier, "faits_complementaires"),
            "faits_complementaires",
            # Short enough for 80 columns: prompt_toolkit shows nothing of a multi-line
            # question whose prompt wraps.
            label("faits_complementaires"),
            optional=True,
            instruction="(facultatif ; ligne vide : fin)",
            multiline=True,
        )
        self._pieces()
        siege = self._sub(self.data, "organisme").get("siege") or {}
        self._text(
            self.data,
            "lieu_signature",
            field(Dossier, "lieu_signature"),
            "lieu_signature",
            "Lieu de signature",
            default=siege.get("commune"),
            optional=True,
        )
        self._text(
            self.data,
            "date_document",
            field(Dossier, "date_document"),
            "date_document",
            "Date des documents (JJ/MM/AAAA)",
            optional=True,
            instruction="(facultatif : vide = date du jour de la génération)",
        )

    def _pieces(self) -> None:
        """Titles of extra enclosures, one per question, until an empty answer.

        The list is saved after each title; once present it counts as answered (like the
        other lists). Editing proposes each title again: emptied, it is removed.
        """
        key = "pieces_complementaires"
        current = self.data.get(key)

        def check(value: Any) -> str:
            return str(check_field(Dossier, key, [value])[0])

        if (
            key in self.data
            and not self.editing
            and isinstance(current, list)
            and all(check_error(Dossier, key, [v]) is None for v in current)
        ):
            return
        self.prompter.say(
            "Pièces jointes supplémentaires : les pièces habituelles (décision contestée, "
            "tableau des montants…) sont déjà inventoriées ; ajoutez ici les autres, une par "
            "question."
        )
        pieces: list[Any] = list(current) if isinstance(current, list) else []
        self.data[key] = pieces
        index = 0
        while True:
            existing = index < len(pieces)
            default = _shown(pieces[index]) if existing else ""
            problem = check_error(Dossier, key, [pieces[index]]) if existing else None
            if problem is not None:
                self.prompter.error(f"Pièce jointe supplémentaire n° {index + 1} : {problem}")
            instruction = (
                "(videz le champ pour retirer cette pièce)" if existing else INSTRUCTION_LIGNE_VIDE
            )
            while True:
                self.asked += 1
                raw = self.prompter.text(
                    f"Pièce jointe supplémentaire n° {index + 1} : intitulé",
                    name=f"{key}[{index}]",
                    default=default,
                    instruction=instruction,
                ).strip()
                try:
                    title = check(raw) if raw else None
                except AnswerError as exc:
                    self.prompter.error(str(exc))
                    default = raw
                    continue
                break
            if title is None:
                if existing:
                    del pieces[index]
                    self._save()
                    continue
                self._save()
                return
            if existing:
                pieces[index] = title
            else:
                pieces.append(title)
            self._save()
            index += 1

    # signataire ---------------------------------------------------------------------

    def signataire(self) -> None:
        self.prompter.say("\n— Signataire —")
        org = self._sub(self.data, "organisme")
        rep = org.get("representant_legal") or {}
        p = "organisme.signataire"
        current = org.get("signataire")
        if (
            "signataire" not in org
            or self.editing
            or not (current is None or isinstance(current, dict))
        ):
            self.asked += 1
            answer = self.prompter.select(
                "Qui signe les documents ?",
                [
                    Choice(
                        "representant",
                        f"{rep.get('nom', 'le représentant légal')}, {rep.get('qualite', '')} "
                        "(représentant légal)",
                    ),
                    Choice("delegation", "Une autre personne, par délégation"),
                ],
                name=p,
                default="delegation" if isinstance(current, dict) else "representant",
            )
            org["signataire"] = self._sub(org, "signataire") if answer == "delegation" else None
            self._save()
        signataire = org["signataire"]
        if isinstance(signataire, dict):
            self._personne(signataire, p, "Signataire", Signataire)
            self._text(
                signataire,
                "delegation",
                field(Signataire, "delegation"),
                f"{p}.delegation",
                "Délégation qui autorise le signataire (ex. délégation du conseil "
                "d'administration du 12 mars 2025)",
                cross=lambda: cross_problems(Organisme, org, under("signataire")),
            )

    def autorites(self) -> None:
        """Review edit: every authority's details (their choice is made per établissement)."""
        for index, aut in enumerate(self.data.get("autorites", [])):
            self._autorite(aut, index)

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
        if not complete:
            self.organisme()
            self.etablissements()
            self.decisions()
        self.etape()
        if not complete:
            self.complements()
            self.signataire()
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
            choices += [Choice(k, f"Modifier : {v}") for k, v in SECTIONS.items()]
            choices.append(Choice("champ", "Modifier une seule réponse (recherche par intitulé)"))
            choices.append(Choice("quitter", "Enregistrer et quitter sans générer"))
            self.asked += 1
            try:
                answer = self.prompter.select(
                    "Que voulez-vous faire ?",
                    choices,
                    name="revue",
                    default="generer" if valid else "organisme",
                )
                if answer in ("generer", "quitter"):
                    return answer
                if answer == "champ":
                    self.edit_one()
                    continue
                with self._edit():
                    getattr(self, answer)()
                if answer in ("etablissements", "decisions"):
                    with self._edit(False):
                        self.etape()
            except PreviousQuestion:
                continue  # back to the review menu

    def edit_one(self) -> None:
        """Change one answer chosen by its label, then ask what the change makes missing."""
        from recours.questionnaire import spec

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
        self.ask_field(pf)
        # A group opened, a method changed: ask what the change left unanswered.
        with self._edit(False):
            self.organisme()
            self.etablissements()
            self.decisions()
            if pf.path.startswith(("decisions", "etablissements")):
                self.etape()
            self.complements()
            self.signataire()

    def ask_field(self, pf: Any) -> None:
        """Ask one question of the spec (:mod:`recours.questionnaire.spec`) and store it."""
        from recours.questionnaire import spec

        q = pf.question
        scope = spec.scope_of(self.data, pf)
        current = spec.get_path(self.data, pf.path)
        shown = spec.answer_of(q, current)
        while True:
            self.asked += 1
            answer: Any
            if q.kind == "group":
                answer = (
                    "oui"
                    if self.prompter.confirm(pf.label, name=pf.path, default=shown == "oui")
                    else "non"
                )
            elif q.kind == "select":
                answer = self.prompter.select(
                    pf.label, q.options(scope), name=pf.path, default=str(shown)
                )
            elif q.kind == "checkbox":
                options = q.options(scope)
                answer = self.prompter.checkbox(
                    pf.label, options, name=pf.path,
                    default=list(shown) or [c.value for c in options],
                )  # fmt: skip
            elif q.kind in ("multiline", "lines"):
                answer = self.prompter.multiline(pf.label, name=pf.path, default=str(shown))
            else:
                suffix = " (JJ/MM/AAAA)" if q.kind == "date" else ""
                answer = self.prompter.text(pf.label + suffix, name=pf.path, default=str(shown))
            try:
                value = spec.value_for(pf, answer, current, scope)
            except AnswerError as exc:
                self.prompter.error(str(exc))
                continue
            spec.set_path(self.data, pf.path, value)
            self._save()
            self._answered(pf.path)
            return

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
        labels = {"gracieux": "recours gracieux", "requete": "requête"}
        lines.append(
            "Documents à générer : "
            + (", ".join(labels[d] for d in self.documents) or "aucun (dossier seulement)")
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

    def documents_for_generation(self) -> list[str] | None:
        """``documents`` for :func:`recours.documents.generate.generate`: None keeps its own plan."""
        if sorted(self.documents) == sorted(self.default_documents):
            return None
        return list(self.documents)


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


def check_error(model: type[BaseModel], name: str, value: Any) -> str | None:
    try:
        check_field(model, name, value)
    except AnswerError as exc:
        return str(exc)
    return None


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
        if not questionnaire.documents:
            prompter.say(
                f"Aucun document demandé. Pour les générer plus tard : recours generer "
                f"{shlex.quote(str(store.path))}"
            )
            return Outcome("enregistre", dossier)
        from recours.documents.generate import generate

        prompter.say("Génération des documents…")
        result = generate(
            dossier,
            sortie=sortie,
            today=today,
            documents=questionnaire.documents_for_generation(),
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
