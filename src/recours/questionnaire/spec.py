"""The questions of a dossier, as data: one spec for the terminal and the web front-ends.

Modelled on copier's ``Question`` (``copier/_user_data.py``): each question names the
dossier field it fills (``path``, with ``[]`` for list items), takes its French label and
help from the model's ``Field(description)`` unless the spec words it better, may be
conditional (``when``), offers its choices from the referential (French labels; the
stored value is the referential key, never shown), and is validated by the model field's
own type (:func:`recours.questionnaire.answers.check_field`, a pydantic ``TypeAdapter``).

Sections group the questions by page (web) or by heading (terminal); a repeated section
(``etablissements[]``) is asked once per item.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel

from recours.dossier.identifiers import departement_from_code_postal, departement_from_finess
from recours.dossier.models import (
    Adresse,
    Autorite,
    Avocat,
    Contact,
    Decision,
    DemandeIndemnitaire,
    Dossier,
    Etablissement,
    Exercice,
    FinancementNotifie,
    MiseEnDemeure,
    Organisme,
    PartFinancement,
    Personne,
    RecoursGracieuxEnvoye,
    RecoursHierarchiqueEnvoye,
    RejetDemande,
    RejetExplicite,
    ReponseFait,
    Signataire,
    Versement,
)
from recours.dossier.paths import format_path, parse_path
from recours.law.referentiel import load_referentiel

Data = dict[str, Any]
Kind = Literal["text", "multiline", "date", "select", "checkbox", "group", "lines"]


@dataclass(frozen=True)
class Choice:
    """One choice of a select or checkbox: the stored value and what the user reads."""

    value: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Scope:
    """Where a question is asked: the whole dossier, the item it belongs to, its indices."""

    root: Data
    item: Data
    indices: tuple[int, ...] = ()
    parent: Data | None = None

    def autorites(self) -> list[Data]:
        value = self.root.get("autorites")
        return [a for a in value if isinstance(a, dict)] if isinstance(value, list) else []

    def autorite_nom(self, aid: Any) -> str:
        found = next((a for a in self.autorites() if a.get("id") == aid), None)
        return str(found.get("nom") or _autorite_type_label(found)) if found else "?"


@dataclass(frozen=True)
class Question:
    """One answer of the dossier.

    ``key`` is relative to the section item (``siege.voie``); ``model``/``field`` name the
    pydantic field that validates it. ``expand`` turns one question into one per dynamic
    key (the financing received from each authority), with a label for each.
    """

    key: str
    model: type[BaseModel]
    field: str
    kind: Kind = "text"
    label: str | None = None
    help: str | None = None
    fieldset: str | None = None
    choices: Callable[[Scope], list[Choice]] | None = None
    when: Callable[[Scope], bool] | None = None
    default: Callable[[Scope], Any] | None = None
    expand: Callable[[Scope], list[tuple[str, str]]] | None = None
    optional: bool | None = None

    @property
    def title(self) -> str:
        """The French label: the spec's wording, else the model's description."""
        if self.label:
            return self.label
        description = self.model.model_fields[self.field].description
        return description or self.field

    @property
    def description(self) -> str | None:
        """Help text. Only the spec's: model descriptions name keys (``cout_reel``) that
        users never see."""
        return self.help

    @property
    def is_optional(self) -> bool:
        if self.optional is not None:
            return self.optional
        return not self.model.model_fields[self.field].is_required()

    def applies(self, scope: Scope) -> bool:
        return self.when is None or bool(self.when(scope))

    def options(self, scope: Scope) -> list[Choice]:
        return self.choices(scope) if self.choices else []

    def check(self, value: Any, aujourdhui: date | None = None) -> Any:
        """Validate one answer with the model field's own type (dates: JJ/MM/AAAA too)."""
        from recours.questionnaire.answers import AnswerError, check_field

        if self.kind == "date" and isinstance(value, str) and value.strip():
            from recours.formatting import lire_date

            try:
                value = lire_date(value)
            except ValueError as exc:
                raise AnswerError(str(exc)) from None
        return check_field(self.model, self.field, value, aujourdhui)


@dataclass(frozen=True)
class Section:
    """A page of the web form, a heading of the terminal questionnaire."""

    id: str
    title: str
    container: str  # "" (dossier root), "organisme", "etablissements[]"...
    questions: tuple[Question, ...]
    children: tuple[Section, ...] = ()
    item_noun: str = ""
    item_title: Callable[[Scope], str] | None = None
    intro: str | None = None
    # An optional list (demandes indemnitaires, financements notifiés…): the yes/no question
    # asked before its first item; « non » leaves the list empty and moves on.
    ask_first: str | None = None

    @property
    def repeated(self) -> bool:
        return self.container.endswith("[]")


# ------------------------------------------------------------------------ helpers


def get_path(data: Any, path: str) -> Any:
    """Value at ``a.b[0].c`` in nested dicts/lists, or None."""
    current = data
    for part in split_path(path):
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                return None
            current = current[part]
        else:
            if not isinstance(current, dict):
                return None
            current = current.get(part)
    return current


def has_path(data: Any, path: str) -> bool:
    parts = split_path(path)
    parent = get_path(data, join_path(parts[:-1])) if len(parts) > 1 else data
    last = parts[-1]
    if isinstance(last, int):
        return isinstance(parent, list) and last < len(parent)
    return isinstance(parent, dict) and last in parent


def set_path(data: Data, path: str, value: Any) -> None:
    """Set ``a.b[0].c``, creating the dicts on the way (lists must exist)."""
    parts = split_path(path)
    current: Any = data
    for part, nxt in itertools.pairwise(parts):
        if isinstance(part, int):
            current = current[part]
            continue
        if not isinstance(current.get(part), dict | list):
            current[part] = [] if isinstance(nxt, int) else {}
        current = current[part]
    last = parts[-1]
    if isinstance(last, int):
        current[last] = value
    else:
        current[last] = value


def split_path(path: str) -> list[str | int]:
    return list(parse_path(path))


def join_path(parts: Sequence[str | int]) -> str:
    return format_path(parts)


def generic(path: str) -> str:
    """``etablissements[0].exercices[1].etp`` -> ``etablissements[].exercices[].etp``."""
    return re.sub(r"\[\d+\]", "[]", path)


def concrete(container: str, indices: Sequence[int]) -> str:
    """``etablissements[].exercices[]`` with (0, 1) -> ``etablissements[0].exercices[1]``."""
    it = iter(indices)
    return re.sub(r"\[\]", lambda _: f"[{next(it)}]", container)


def _autorite_type_label(aut: Data | None) -> str:
    ref = load_referentiel()
    info = ref.autorites.get(aut.get("type")) if aut else None  # type: ignore[arg-type]
    return info.libelle if info else "Autorité"


# ------------------------------------------------------------------------ choices

OUI_NON = (Choice("oui", "Oui"), Choice("non", "Non"))
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
DOCUMENT_TITRES = {
    "gracieux": "Recours gracieux (lettre à l'autorité)",
    "requete": "Requête au tribunal administratif",
    "recours_hierarchique": "Recours hiérarchique aux ministres de tutelle",
}
# Stored as Decision.documents: "" is None (the tool's plan), "aucun" is [].
DOCUMENT_CHOICES = (
    Choice("", "Selon l'étape de la procédure (conseillé)"),
    Choice("gracieux", DOCUMENT_TITRES["gracieux"]),
    Choice("requete", DOCUMENT_TITRES["requete"]),
    Choice("gracieux,requete", "Les deux"),
    Choice("aucun", "Aucun document pour l'instant"),
)
# Offered only against a decision of the DG ARS (the referential's recours_hierarchique).
DOCUMENT_CHOICE_HIERARCHIQUE = Choice(
    "gracieux,recours_hierarchique",
    "Recours gracieux et recours hiérarchique aux ministres de tutelle (décision de l'ARS)",
)


def documents_value(answer: str) -> list[str] | None:
    """The ``Decision.documents`` value of a choice of :data:`DOCUMENT_CHOICES`."""
    if answer == "":
        return None
    if answer == "aucun":
        return []
    return answer.split(",")


def documents_answer(value: Any) -> str:
    """The choice of :data:`DOCUMENT_CHOICES` that shows a stored ``documents`` value."""
    if value is None:
        return ""
    if not value:
        return "aucun"
    return ",".join(v for v in ("gracieux", "requete", "recours_hierarchique") if v in value)


def _document_choices(scope: Scope) -> list[Choice]:
    """The choices of a decision's documents; the recours hiérarchique only where the
    referential has a sourced addressee for the decision's authority (the DG ARS)."""
    found = next((a for a in scope.autorites() if a.get("id") == scope.item.get("autorite")), None)
    kind = found.get("type") if found else None
    sup = next((v for k, v in load_referentiel().recours_hierarchique.items() if k == kind), None)
    choices = list(DOCUMENT_CHOICES)
    if sup is not None and sup.possible and sup.verifie and sup.destinataire:
        choices.insert(-1, DOCUMENT_CHOICE_HIERARCHIQUE)
    return choices


def _static(choices: Sequence[Choice]) -> Callable[[Scope], list[Choice]]:
    return lambda _scope: list(choices)


def _categories(_scope: Scope) -> list[Choice]:
    ref = load_referentiel()
    return sorted(
        (Choice(k, c.libelle[:1].upper() + c.libelle[1:]) for k, c in ref.categories.items()),
        key=lambda c: c.title.lower(),
    )


def _regimes(_scope: Scope) -> list[Choice]:
    ref = load_referentiel()
    return [Choice(k, r.libelle, " ".join(r.explication.split())) for k, r in ref.regimes.items()]


def _types_autorite(_scope: Scope) -> list[Choice]:
    ref = load_referentiel()
    return [Choice(k, info.libelle) for k, info in ref.autorites.items()]


def _natures(_scope: Scope) -> list[Choice]:
    ref = load_referentiel()
    return [
        Choice(k, n.libelle[:1].upper() + n.libelle[1:]) for k, n in ref.natures_decision.items()
    ]


def _methodes(_scope: Scope) -> list[Choice]:
    from recours.law.amounts import METHODES

    return [Choice(k, METHODE_TITRES[k], METHODES[k]) for k in METHODES]


def _autorites(scope: Scope) -> list[Choice]:
    return [Choice(str(a.get("id")), scope.autorite_nom(a.get("id"))) for a in scope.autorites()]


def _financeurs_of(item: Data) -> list[Data]:
    value = item.get("financeurs")
    return [f for f in value if isinstance(f, dict)] if isinstance(value, list) else []


def _funded(scope: Scope) -> list[Data]:
    """Établissements funded by the decision's authority."""
    aid = scope.item.get("autorite")
    etabs = scope.root.get("etablissements")
    return [
        e
        for e in (etabs if isinstance(etabs, list) else [])
        if isinstance(e, dict) and aid in {f.get("autorite") for f in _financeurs_of(e)}
    ]


def _funded_choices(scope: Scope) -> list[Choice]:
    return [
        Choice(str(e.get("finess")), str(e.get("nom") or e.get("finess"))) for e in _funded(scope)
    ]


def _years(scope: Scope) -> list[Choice]:
    years = sorted(
        {
            int(str(x.get("annee")))
            for e in _funded(scope)
            for x in (e.get("exercices") or [])
            if isinstance(x, dict) and str(x.get("annee", "")).isdigit()
        }
    )
    return [Choice(str(y), str(y)) for y in years]


def _suggested_exercice(scope: Scope) -> list[str]:
    """The exercise a tariff decision most likely fixes: the year of its date when an
    établissement has it, else the latest exercise entered."""
    years = [c.value for c in _years(scope)]
    year = str(scope.item.get("date", ""))[:4]
    if year in years:
        return [year]
    return years[-1:]


def _regime_of_decision(*regimes: str) -> Callable[[Scope], bool]:
    """Whether an établissement the decision concerns is under one of these budget regimes."""
    return lambda scope: any(e.get("regime_budgetaire") in regimes for e in _funded(scope))


def _fact_answered_yes(fait: str) -> Callable[[Scope], bool]:
    return lambda scope: get_path(scope.item, f"faits.{fait}.reponse") == "oui"


# The facts a legal ground needs (referential « faits »), asked for the regimes whose grounds
# use them: a ground is printed only if its facts are answered « oui ».
_FACT_REGIMES = {
    "propositions_budgetaires_mesure": ("procedure_contradictoire",),
    "abattement_sans_contradictoire": ("procedure_contradictoire",),
    "cpom_clause_revision": ("cpom_eprd",),
    "etablissements_comparables": ("cpom_eprd",),
}


def _fact_questions() -> tuple[Question, ...]:
    faits = load_referentiel().faits
    out: list[Question] = []
    for key, regimes in _FACT_REGIMES.items():
        out.append(
            Question(
                f"faits.{key}.reponse",
                ReponseFait,
                "reponse",
                kind="select",
                label=" ".join(faits[key].question.split()),
                choices=_static(OUI_NON_INCONNU_TEXTE),
                default=lambda _s: "inconnu",
                fieldset="Faits qui fondent les moyens",
                when=_regime_of_decision(*regimes),
            )
        )
        out.append(
            Question(
                f"faits.{key}.piece",
                ReponseFait,
                "piece",
                label="Pièce qui le montre (intitulé, ajouté à l'inventaire)",
                fieldset="Faits qui fondent les moyens",
                when=_fact_answered_yes(key),
            )
        )
    return tuple(out)


OUI_NON_INCONNU_TEXTE = (
    Choice("oui", "Oui"),
    Choice("non", "Non"),
    Choice("inconnu", "Je ne sais pas"),
)


def _is_dict(key: str) -> Callable[[Scope], bool]:
    return lambda scope: isinstance(get_path(scope.item, key), dict)


def _adresse(prefix: str, fieldset: str) -> tuple[Question, ...]:
    return (
        Question(f"{prefix}.voie", Adresse, "voie", fieldset=fieldset),
        Question(
            f"{prefix}.complement",
            Adresse,
            "complement",
            label="Complément (bâtiment, BP…)",
            fieldset=fieldset,
        ),
        Question(f"{prefix}.code_postal", Adresse, "code_postal", fieldset=fieldset),
        Question(f"{prefix}.commune", Adresse, "commune", fieldset=fieldset),
    )


def _personne(
    prefix: str, model: type[BaseModel], fieldset: str, when: Callable[[Scope], bool] | None = None
) -> tuple[Question, ...]:
    return (
        Question(
            f"{prefix}.civilite", model, "civilite", kind="select", label="Civilité",
            choices=_static(CIVILITES), fieldset=fieldset, when=when,
        ),
        Question(f"{prefix}.nom", model, "nom", fieldset=fieldset, when=when),
        Question(
            f"{prefix}.qualite", model, "qualite", label="Qualité (fonction, ex. présidente)",
            fieldset=fieldset, when=when,
        ),
    )  # fmt: skip


def _co_funded(scope: Scope) -> bool:
    return len(_financeurs_of(scope.item)) > 1


def _parts(scope: Scope) -> list[tuple[str, str]]:
    return [
        (f"financeurs[{j}].part", f"Part de {scope.autorite_nom(f.get('autorite'))} (en %)")
        for j, f in enumerate(_financeurs_of(scope.item))
    ]


def _recus(scope: Scope) -> list[tuple[str, str]]:
    parent = scope.parent or {}
    year = scope.item.get("annee", "")
    return [
        (
            f"financement_recu.{f.get('autorite')}",
            f"Financement déjà reçu de {scope.autorite_nom(f.get('autorite'))} pour {year} "
            "(en euros)",
        )
        for f in _financeurs_of(parent)
    ]


def _methode_is(*names: str) -> Callable[[Scope], bool]:
    return lambda scope: (scope.parent or scope.item).get("methode") in names


def _suggested_departement(scope: Scope) -> str | None:
    return departement_from_finess(str(scope.item.get("finess") or "")) or (
        departement_from_code_postal(str(get_path(scope.item, "adresse.code_postal") or ""))
    )


def _next_annee(scope: Scope) -> int:
    """The year after the établissement's other exercises, else the accord's first year."""
    years = [
        int(str(x.get("annee")))
        for x in (scope.parent or {}).get("exercices") or []
        if isinstance(x, dict) and x is not scope.item and str(x.get("annee", "")).isdigit()
    ]
    return max(years) + 1 if years else load_referentiel().accord.date_effet.valeur.year


def _suggested_financeurs(scope: Scope) -> list[str]:
    """The authorities of the types the referential gives for the établissement's category."""
    ref = load_referentiel()
    cat = ref.categories.get(str(scope.item.get("categorie")))
    types = list(cat.autorites) if cat else []
    return [str(a.get("id")) for a in scope.autorites() if a.get("type") in types]


def _suggested_regime(scope: Scope) -> str:
    """A CPOM with an EPRD where the ARS funds the category, else the contradictory
    procedure (the usual regimes; the user says which applies)."""
    cat = load_referentiel().categories.get(str(scope.item.get("categorie")))
    return "cpom_eprd" if cat and "ars" in cat.autorites else "procedure_contradictoire"


def notification_help() -> str:
    """The notification-date rule, from the referential (with the uncertain e-mail case)."""
    rule = load_referentiel().notification
    text = " ".join(rule.regle.valeur.split())
    return f"{text} {' '.join(rule.courriel_simple.valeur.split())}"


def _shown(value: Any) -> str:
    """A value in a title: dates as JJ/MM/AAAA, also when the file was read back as text."""
    from recours.formatting import date_courte

    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        with contextlib.suppress(ValueError):
            value = date.fromisoformat(value.strip())
    return date_courte(value) if isinstance(value, date) else str(value)


# ------------------------------------------------------------------------ the spec

ORGANISME = Section(
    "organisme",
    "Organisme gestionnaire",
    "organisme",
    (
        Question("raison_sociale", Organisme, "raison_sociale"),
        Question("forme_juridique", Organisme, "forme_juridique",
                 default=lambda _s: Organisme.model_fields["forme_juridique"].default),
        Question("siren", Organisme, "siren", help="Facultatif si le SIRET est indiqué."),
        Question("siret", Organisme, "siret", help="Facultatif si le SIREN est indiqué."),
        Question("rna", Organisme, "rna"),
        *_adresse("siege", "Siège social"),
        *_personne("representant_legal", Personne, "Représentant légal"),
        Question("signataire", Organisme, "signataire", kind="group",
                 label="Les documents sont-ils signés par une autre personne que le "
                 "représentant légal, par délégation ?"),
        *_personne("signataire", Signataire, "Signataire", when=_is_dict("signataire")),
        Question("signataire.delegation", Signataire, "delegation", fieldset="Signataire",
                 label="Délégation qui autorise le signataire",
                 when=_is_dict("signataire"), optional=False),
        Question("contact", Organisme, "contact", kind="group",
                 label="Indiquer une personne à contacter pour le suivi du dossier ?"),
        Question("contact.nom", Contact, "nom", fieldset="Contact", when=_is_dict("contact")),
        Question("contact.telephone", Contact, "telephone", fieldset="Contact",
                 when=_is_dict("contact")),
        Question("contact.courriel", Contact, "courriel", fieldset="Contact",
                 when=_is_dict("contact")),
    ),
)  # fmt: skip

AUTORITES = Section(
    "autorites",
    "Autorités de tarification",
    "autorites[]",
    (
        Question("type", Autorite, "type", kind="select", choices=_types_autorite),
        Question("nom", Autorite, "nom",
                 default=lambda s: _autorite_type_label(s.item) if s.item.get("type") else None),
        Question("service", Autorite, "service"),
        Question("civilite_titulaire", Autorite, "civilite_titulaire", kind="select",
                 choices=_static(CIVILITES)),
        *_adresse("adresse", "Adresse de l'autorité"),
        Question("departement", Autorite, "departement",
                 label="Département de son siège",
                 default=lambda s: departement_from_code_postal(
                     str(get_path(s.item, "adresse.code_postal") or ""))),
        # In the Rhône (69), a postal code does not tell the Métropole de Lyon from the
        # département du Rhône (autorites.md): the user says which body took the decision.
        Question("collectivite", Autorite, "collectivite", kind="select",
                 label="Quelle collectivité : la Métropole de Lyon ou le département du Rhône ?",
                 choices=_static((Choice("69M", "Métropole de Lyon"),
                                  Choice("69D", "Département du Rhône (hors Métropole)"))),
                 when=lambda s: s.item.get("type") == "conseil_departemental"
                 and str(s.item.get("departement", "")) == "69"),
    ),
    item_noun="une autorité",
    item_title=lambda s: str(s.item.get("nom") or _autorite_type_label(s.item)),
    intro="Les autorités qui fixent le financement de vos établissements : ARS, département, "
    "préfet. Vous les choisirez ensuite pour chaque établissement.",
)  # fmt: skip

EXERCICES = Section(
    "exercices",
    "Exercices réclamés",
    "etablissements[].exercices[]",
    (
        Question("annee", Exercice, "annee", default=_next_annee),
        Question("mois", Exercice, "mois", label="Nombre de mois éligibles (1 à 12)",
                 default=lambda _s: 12),
        Question("etp", Exercice, "etp", label="ETP éligibles",
                 when=_methode_is("etp", "cout_unitaire"), optional=False),
        Question("cout_reel", Exercice, "cout_reel",
                 label="Coût réel chargé de la mesure, issu de la paie (en euros)",
                 when=_methode_is("cout_reel"), optional=False),
        Question("financement_recu", Exercice, "financement_recu", expand=_recus,
                 default=lambda _s: 0),
    ),
    item_noun="un exercice",
    item_title=lambda s: f"Exercice {s.item.get('annee') or '?'}",
)  # fmt: skip

ETABLISSEMENTS = Section(
    "etablissements",
    "Établissements et services",
    "etablissements[]",
    (
        Question("nom", Etablissement, "nom"),
        Question("finess", Etablissement, "finess",
                 label="Numéro FINESS de l'établissement (9 caractères)"),
        Question("categorie", Etablissement, "categorie", kind="select",
                 label="Catégorie d'établissement", choices=_categories),
        *_adresse("adresse", "Adresse de l'établissement"),
        Question("departement", Etablissement, "departement", default=_suggested_departement),
        Question("regime_budgetaire", Etablissement, "regime_budgetaire", kind="select",
                 choices=_regimes, default=_suggested_regime),
        Question("financeurs", Etablissement, "financeurs", kind="checkbox",
                 label="Autorités de tarification de l'établissement", choices=_autorites,
                 default=_suggested_financeurs),
        Question("financeurs[].part", PartFinancement, "part", expand=_parts, when=_co_funded,
                 fieldset="Établissement cofinancé : part de chaque autorité"),
        Question("methode", Etablissement, "methode", kind="select",
                 label="Méthode de calcul du coût", choices=_methodes,
                 default=lambda _s: "cout_unitaire"),
        Question("coefficient_charges", Etablissement, "coefficient_charges",
                 label="Coefficient de charges patronales (ex. 1,45)",
                 help="Aucun coefficient officiel n'est publié : indiquez le vôtre.",
                 when=_methode_is("etp"), optional=False),
    ),
    children=(EXERCICES,),
    item_noun="un établissement",
    item_title=lambda s: str(s.item.get("nom") or "Établissement sans nom"),
)  # fmt: skip

DECISIONS = Section(
    "decisions",
    "Décisions contestées",
    "decisions[]",
    (
        Question("autorite", Decision, "autorite", kind="select",
                 label="Autorité qui a pris la décision", choices=_autorites,
                 default=lambda s: s.autorites()[0].get("id") if len(s.autorites()) == 1
                 else None),
        Question("nature", Decision, "nature", kind="select", choices=_natures,
                 default=lambda _s: "arrete_tarification"),
        Question("numero", Decision, "numero"),
        Question("date", Decision, "date", kind="date", label="Date de la décision"),
        Question("date_notification", Decision, "date_notification", kind="date",
                 label="Date à laquelle elle vous a été notifiée (réception)",
                 help=notification_help()),
        Question("objet", Decision, "objet",
                 label="Objet de la décision (ex. fixant la dotation globale 2026)"),
        Question("etablissements", Decision, "etablissements", kind="checkbox",
                 label="Établissements concernés par la décision", choices=_funded_choices,
                 when=lambda s: len(_funded(s)) > 1),
        Question("exercices", Decision, "exercices", kind="checkbox",
                 label="Exercice(s) dont la décision fixe le tarif (en principe un seul)",
                 choices=_years, when=lambda s: bool(_years(s)),
                 default=lambda s: _suggested_exercice(s)),
        Question("voies_et_delais_mentionnes", Decision, "voies_et_delais_mentionnes",
                 kind="select", choices=_static(OUI_NON_INCONNU),
                 label="La notification mentionnait-elle les voies et délais de recours ?"),
        *_fact_questions(),
        Question("recours_gracieux", Decision, "recours_gracieux", kind="group",
                 label="Avez-vous déjà envoyé un recours gracieux contre cette décision ?"),
        Question("recours_gracieux.date_envoi", RecoursGracieuxEnvoye, "date_envoi", kind="date",
                 fieldset="Recours gracieux envoyé", when=_is_dict("recours_gracieux")),
        Question("recours_gracieux.date_reception", RecoursGracieuxEnvoye, "date_reception",
                 kind="date", fieldset="Recours gracieux envoyé",
                 label="Date de réception par l'autorité (avis de réception)",
                 when=_is_dict("recours_gracieux")),
        Question("recours_gracieux.accuse_reception_conforme", RecoursGracieuxEnvoye,
                 "accuse_reception_conforme", kind="select", choices=_static(OUI_NON_INCONNU),
                 fieldset="Recours gracieux envoyé",
                 label="L'autorité a-t-elle envoyé un accusé de réception mentionnant les voies "
                 "et délais (CRPA, art. R.112-5) ?", when=_is_dict("recours_gracieux")),
        Question("rejet_explicite", Decision, "rejet_explicite", kind="group",
                 label="L'autorité a-t-elle rejeté ce recours gracieux par une réponse écrite ?",
                 when=_is_dict("recours_gracieux")),
        Question("rejet_explicite.date_notification", RejetExplicite, "date_notification",
                 kind="date", fieldset="Rejet du recours gracieux",
                 label="Date de réception de ce rejet",
                 when=lambda s: _is_dict("recours_gracieux")(s) and _is_dict("rejet_explicite")(s)),
        # A recours hiérarchique already sent: against a decision of the DG ARS only (the
        # only authority whose superior the referential names).
        Question("recours_hierarchique", Decision, "recours_hierarchique", kind="group",
                 label="Avez-vous déjà envoyé un recours hiérarchique aux ministres contre cette "
                 "décision ?", when=lambda s: _is_ars(s)),
        Question("recours_hierarchique.date_envoi", RecoursHierarchiqueEnvoye, "date_envoi",
                 kind="date", fieldset="Recours hiérarchique envoyé",
                 when=lambda s: _is_ars(s) and _is_dict("recours_hierarchique")(s)),
        Question("recours_hierarchique.date_reception", RecoursHierarchiqueEnvoye,
                 "date_reception", kind="date", fieldset="Recours hiérarchique envoyé",
                 label="Date de réception par le ministère (avis de réception)",
                 when=lambda s: _is_ars(s) and _is_dict("recours_hierarchique")(s)),
        Question("recours_hierarchique.accuse_reception_conforme", RecoursHierarchiqueEnvoye,
                 "accuse_reception_conforme", kind="select", choices=_static(OUI_NON_INCONNU),
                 fieldset="Recours hiérarchique envoyé",
                 label="Le ministère a-t-il envoyé un accusé de réception mentionnant les voies "
                 "et délais (CRPA, art. R.112-5) ?",
                 when=lambda s: _is_ars(s) and _is_dict("recours_hierarchique")(s)),
        Question("recours_hierarchique.date_rejet_explicite", RecoursHierarchiqueEnvoye,
                 "date_rejet_explicite", kind="date", fieldset="Recours hiérarchique envoyé",
                 label="Date de réception du rejet écrit du ministère (vide s'il n'a pas répondu)",
                 when=lambda s: _is_ars(s) and _is_dict("recours_hierarchique")(s)),
        Question("documents", Decision, "documents", kind="select",
                 label="Documents à préparer contre cette décision",
                 choices=_document_choices,
                 help="« Selon l'étape » : un recours gracieux tant qu'aucun n'a été envoyé, "
                 "une requête après le recours gracieux. Les délais sont affichés à l'étape "
                 "suivante."),
    ),
    item_noun="une décision",
    item_title=lambda s: " ".join(
        ["Décision", *([str(s.item["numero"])] if s.item.get("numero") else []),
         *([f"du {_shown(s.item['date'])}"] if s.item.get("date") else [])]
    )
    + (f" — {s.autorite_nom(s.item.get('autorite'))}" if s.item.get("autorite") else ""),
)  # fmt: skip

# --- issue 11 routes: demandes indemnitaires, financements notifiés, mises en demeure ---------
# Optional lists, asked after the decisions: a user with none answers « non » once
# (Section.ask_first).


def _single_autorite(scope: Scope) -> Any:
    return scope.autorites()[0].get("id") if len(scope.autorites()) == 1 else None


def _autorite_type_of(scope: Scope) -> str | None:
    found = next((a for a in scope.autorites() if a.get("id") == scope.item.get("autorite")), None)
    return str(found.get("type")) if found else None


def _claimed_years(scope: Scope) -> list[Choice]:
    """The exercises claimed for the item's authority, else for any établissement."""
    found = _years(scope)
    if found:
        return found
    etabs = scope.root.get("etablissements")
    years = sorted(
        {
            int(str(x.get("annee")))
            for e in (etabs if isinstance(etabs, list) else [])
            if isinstance(e, dict)
            for x in (e.get("exercices") or [])
            if isinstance(x, dict) and str(x.get("annee", "")).isdigit()
        }
    )
    return [Choice(str(y), str(y)) for y in years]


def _notified_etablissements(scope: Scope) -> list[Choice]:
    choices = _funded_choices(scope)
    if len(choices) > 1:
        choices.append(Choice("", "Tous les établissements financés par cette autorité"))
    return choices


def _single_funded(scope: Scope) -> Any:
    funded = _funded(scope)
    return funded[0].get("finess") if len(funded) == 1 else None


def _notified_payeur(scope: Scope) -> Any:
    """The payer already named for a funding notified by the same authority."""
    found = scope.root.get("financements_notifies")
    return next(
        (
            f.get("payeur")
            for f in (found if isinstance(found, list) else [])
            if isinstance(f, dict)
            and f.get("autorite") == scope.item.get("autorite")
            and f.get("payeur")
        ),
        None,
    )


def _is_ars(scope: Scope) -> bool:
    return _autorite_type_of(scope) == "ars"


def _sent_title(noun: str) -> Callable[[Scope], str]:
    def title(scope: Scope) -> str:
        text = noun
        if scope.item.get("date_envoi"):
            text += f" du {_shown(scope.item.get('date_envoi'))}"
        if scope.item.get("autorite"):
            text += f" — {scope.autorite_nom(scope.item.get('autorite'))}"
        return text

    return title


def _financement_title(scope: Scope) -> str:
    parts = [f"Financement {scope.item.get('exercice') or ''}".strip()]
    etab = next(
        (e for e in _funded(scope) if e.get("finess") == scope.item.get("etablissement")), None
    )
    if etab is not None:
        parts.append(str(etab.get("nom") or etab.get("finess")))
    if scope.item.get("autorite"):
        parts.append(scope.autorite_nom(scope.item.get("autorite")))
    return " — ".join(parts)


DEMANDES_INDEMNITAIRES = Section(
    "demandes_indemnitaires",
    "Demandes indemnitaires déjà envoyées",
    "demandes_indemnitaires[]",
    (
        Question("autorite", DemandeIndemnitaire, "autorite", kind="select",
                 label="Autorité à qui la demande a été adressée", choices=_autorites,
                 default=_single_autorite),
        Question("exercices", DemandeIndemnitaire, "exercices", kind="checkbox",
                 label="Exercices réclamés dans cette demande", choices=_claimed_years,
                 when=lambda s: bool(_claimed_years(s))),
        Question("date_envoi", DemandeIndemnitaire, "date_envoi", kind="date"),
        Question("date_reception", DemandeIndemnitaire, "date_reception", kind="date",
                 label="Date de réception par l'autorité (avis de réception)"),
        Question("accuse_reception_conforme", DemandeIndemnitaire, "accuse_reception_conforme",
                 kind="select", choices=_static(OUI_NON_INCONNU),
                 label="L'autorité a-t-elle envoyé un accusé de réception mentionnant les voies "
                 "et délais (CRPA, art. R.112-5) ?"),
        Question("rejet_explicite", DemandeIndemnitaire, "rejet_explicite", kind="group",
                 label="L'autorité a-t-elle rejeté cette demande par une réponse écrite ?"),
        Question("rejet_explicite.date_notification", RejetDemande, "date_notification",
                 kind="date", fieldset="Rejet de la demande",
                 label="Date de réception de ce rejet", when=_is_dict("rejet_explicite")),
        Question("rejet_explicite.voies_et_delais_mentionnes", RejetDemande,
                 "voies_et_delais_mentionnes", kind="select", choices=_static(OUI_NON_INCONNU),
                 fieldset="Rejet de la demande",
                 label="Le rejet mentionnait-il les voies et délais de recours ?",
                 when=_is_dict("rejet_explicite")),
    ),
    item_noun="une demande indemnitaire",
    item_title=_sent_title("Demande indemnitaire"),
    intro="Les demandes indemnitaires préalables que vous avez déjà adressées à une autorité : "
    "les délais de la requête indemnitaire et de la prescription en dépendent.",
    ask_first="Avez-vous déjà envoyé une demande indemnitaire préalable à une autorité ?",
)  # fmt: skip

VERSEMENTS = Section(
    "versements",
    "Versements reçus",
    "financements_notifies[].versements[]",
    (
        Question("date", Versement, "date", kind="date"),
        Question("montant", Versement, "montant", label="Montant versé (en euros)"),
    ),
    item_noun="un versement",
    item_title=lambda s: "Versement"
    + (f" du {_shown(s.item.get('date'))}" if s.item.get("date") else ""),
)  # fmt: skip

FINANCEMENTS_NOTIFIES = Section(
    "financements_notifies",
    "Financements notifiés",
    "financements_notifies[]",
    (
        Question("autorite", FinancementNotifie, "autorite", kind="select", choices=_autorites,
                 default=_single_autorite),
        Question("etablissement", FinancementNotifie, "etablissement", kind="select",
                 label="Établissement concerné", choices=_notified_etablissements,
                 default=_single_funded, when=lambda s: bool(_funded(s))),
        Question("exercice", FinancementNotifie, "exercice", kind="select",
                 choices=_claimed_years),
        Question("date_notification", FinancementNotifie, "date_notification", kind="date",
                 label="Date à laquelle il vous a été notifié (réception)"),
        Question("montant_notifie", FinancementNotifie, "montant_notifie",
                 label="Montant notifié pour la mesure (en euros)"),
        Question("reference", FinancementNotifie, "reference",
                 label="Référence de la notification (numéro de l'arrêté, du courrier)"),
        Question("payeur", FinancementNotifie, "payeur",
                 label="Organisme qui verse ce financement (la caisse d'assurance maladie)",
                 help=load_referentiel().message("question_payeur_ars"), when=_is_ars,
                 optional=False),
        Question("payeur", FinancementNotifie, "payeur",
                 label="Organisme qui verse ce financement, s'il n'est pas l'autorité",
                 help=load_referentiel().message("question_payeur"),
                 when=lambda s: bool(s.item.get("autorite")) and not _is_ars(s)),
        Question("payeur_adresse", FinancementNotifie, "payeur_adresse", kind="group",
                 label="Indiquer l'adresse de cet organisme ?",
                 when=lambda s: bool(s.item.get("payeur"))),
        *(replace(q, when=lambda s: bool(s.item.get("payeur")) and _is_dict("payeur_adresse")(s))
          for q in _adresse("payeur_adresse", "Adresse de l'organisme payeur")),
    ),
    children=(VERSEMENTS,),
    item_noun="un financement notifié",
    item_title=_financement_title,
    intro="Les financements de la mesure qu'une autorité vous a notifiés (montant et date), "
    "avec les versements reçus : s'il n'a pas été entièrement versé, une mise en demeure de "
    "payer est préparée.",
    ask_first="Une autorité vous a-t-elle notifié un financement de la mesure, versé ou non ?",
)  # fmt: skip

MISES_EN_DEMEURE = Section(
    "mises_en_demeure",
    "Mises en demeure déjà envoyées",
    "mises_en_demeure[]",
    (
        Question("autorite", MiseEnDemeure, "autorite", kind="select",
                 label="Autorité qui a notifié le financement", choices=_autorites,
                 default=_single_autorite),
        Question("exercices", MiseEnDemeure, "exercices", kind="checkbox",
                 label="Exercices concernés", choices=_claimed_years,
                 when=lambda s: bool(_claimed_years(s))),
        Question("payeur", MiseEnDemeure, "payeur",
                 label="Organisme à qui elle a été adressée", default=_notified_payeur),
        Question("date_envoi", MiseEnDemeure, "date_envoi", kind="date"),
        Question("date_reception", MiseEnDemeure, "date_reception", kind="date",
                 label="Date de réception par l'organisme payeur (avis de réception)"),
    ),
    item_noun="une mise en demeure",
    item_title=_sent_title("Mise en demeure"),
    intro="Les mises en demeure de payer que vous avez déjà envoyées : une seconde n'est pas "
    "préparée par défaut.",
    ask_first="Avez-vous déjà envoyé une mise en demeure de payer ?",
)  # fmt: skip

COMPLEMENTS = Section(
    "complements",
    "Compléments",
    "",
    (
        Question("avocat", Dossier, "avocat", kind="group",
                 label="Êtes-vous représenté par un avocat ?", help=None),
        Question("avocat.nom", Avocat, "nom", fieldset="Avocat", when=_is_dict("avocat")),
        Question("avocat.barreau", Avocat, "barreau", fieldset="Avocat", when=_is_dict("avocat")),
        *(Question(q.key.replace("adresse", "avocat.adresse", 1), q.model, q.field,
                   label=q.label, fieldset="Adresse de l'avocat", when=_is_dict("avocat"))
          for q in _adresse("adresse", "")),
        Question("avocat.telephone", Avocat, "telephone", label="Téléphone", fieldset="Avocat",
                 when=_is_dict("avocat")),
        Question("avocat.courriel", Avocat, "courriel", label="Adresse électronique",
                 fieldset="Avocat", when=_is_dict("avocat")),
        Question("avocat.toque", Avocat, "toque", fieldset="Avocat", when=_is_dict("avocat")),
        Question("faits_complementaires", Dossier, "faits_complementaires", kind="multiline",
                 label="Faits complémentaires à exposer",
                 help="Repris tels quels, avec leurs retours à la ligne, dans l'exposé des "
                 "faits du recours gracieux et de la requête."),
        Question("pieces_complementaires", Dossier, "pieces_complementaires", kind="lines",
                 label="Pièces jointes supplémentaires (intitulés)",
                 help="Une pièce par ligne. Les pièces habituelles (décision contestée, tableau "
                 "des montants…) sont déjà inventoriées."),
        Question("reference", Dossier, "reference",
                 label="Référence interne du dossier (reprise dans les courriers)"),
        Question("lieu_signature", Dossier, "lieu_signature",
                 default=lambda s: get_path(s.root, "organisme.siege.commune")),
        Question("date_document", Dossier, "date_document", kind="date",
                 label="Date des documents",
                 help="Laissez vide pour dater les documents du jour de leur génération."),
    ),
)  # fmt: skip

SECTIONS: tuple[Section, ...] = (
    ORGANISME, AUTORITES, ETABLISSEMENTS, DECISIONS,
    DEMANDES_INDEMNITAIRES, FINANCEMENTS_NOTIFIES, MISES_EN_DEMEURE,
    COMPLEMENTS,
)  # fmt: skip


def all_sections() -> Iterator[Section]:
    def walk(sections: Sequence[Section]) -> Iterator[Section]:
        for section in sections:
            yield section
            yield from walk(section.children)

    yield from walk(SECTIONS)


def full_path(section: Section, question: Question) -> str:
    """Generic dossier path of a question: ``etablissements[].exercices[].etp``."""
    return f"{section.container}.{question.key}" if section.container else question.key


@functools.cache
def questions_by_path() -> dict[str, Question]:
    """Every question by its generic path (``organisme.siege.voie``)."""
    found: dict[str, Question] = {}
    for section in all_sections():
        for question in section.questions:
            found.setdefault(full_path(section, question), question)
    return found


def question(path: str) -> Question:
    """The question of a concrete or generic dossier path (``etablissements[0].nom``)."""
    return questions_by_path()[generic(path)]


def label(path: str, **values: Any) -> str:
    """The French label of a question, with its fieldset: « Siège social : code postal »."""
    q = question(path)
    text = q.title.format(**values) if values else q.title
    if q.fieldset:
        return f"{q.fieldset} : {text[:1].lower() + text[1:]}"
    return text


@dataclass
class Page:
    """One page of the web form: a section, and the item it edits when repeated."""

    section: Section
    indices: tuple[int, ...] = ()
    fields: list[PageField] = field(default_factory=list)

    @property
    def prefix(self) -> str:
        return concrete(self.section.container, self.indices)


@dataclass(frozen=True)
class PageField:
    """A question as asked on a page: its concrete path and label."""

    question: Question
    path: str
    label: str
    section: str = ""
    indices: tuple[int, ...] = ()


def scope_for(root: Data, section: Section, indices: tuple[int, ...]) -> Scope:
    prefix = concrete(section.container, indices)
    item = get_path(root, prefix) if prefix else root
    parent = None
    if section.container.count("[]") > 1:
        parent_prefix = prefix.rsplit(".", 1)[0]
        parent = get_path(root, parent_prefix)
    return Scope(root, item if isinstance(item, dict) else {}, tuple(indices), parent)


def page_fields(root: Data, section: Section, indices: tuple[int, ...] = ()) -> list[PageField]:
    """The questions a section asks for one item, given the answers so far."""
    scope = scope_for(root, section, indices)
    prefix = concrete(section.container, indices)
    fields: list[PageField] = []
    for q in section.questions:
        if not q.applies(scope):
            continue
        if q.expand is not None:
            for key, text in q.expand(scope):
                path = f"{prefix}.{key}" if prefix else key
                fields.append(PageField(q, path, text, section.id, tuple(indices)))
            continue
        path = f"{prefix}.{q.key}" if prefix else q.key
        fields.append(PageField(q, path, q.title, section.id, tuple(indices)))
    return fields


def section(section_id: str) -> Section:
    return next(s for s in all_sections() if s.id == section_id)


def _count(data: Any, path: str) -> int:
    value = get_path(data, path)
    return len(value) if isinstance(value, list) else 0


def pages(data: Data) -> Iterator[tuple[Section, tuple[int, ...]]]:
    """Every (section, item) of the dossier as answered so far, in the order asked."""
    for sec in SECTIONS:
        if not sec.repeated:
            yield sec, ()
            continue
        for i in range(_count(data, sec.container[:-2])):
            yield sec, (i,)
            for child in sec.children:
                key = child.container[len(sec.container) + 1 : -2]
                for j in range(_count(data, f"{concrete(sec.container, (i,))}.{key}")):
                    yield child, (i, j)


def all_fields(data: Data) -> Iterator[tuple[str, PageField]]:
    """Every question the dossier asks now, with where it is (section or item title)."""
    for sec, indices in pages(data):
        scope = scope_for(data, sec, indices)
        where = sec.item_title(scope) if sec.item_title and indices else sec.title
        for pf in page_fields(data, sec, indices):
            yield where, pf


def scope_of(data: Data, pf: PageField) -> Scope:
    return scope_for(data, section(pf.section), pf.indices)


def shown(pf: PageField, data: Data) -> str:
    """A stored answer as a person reads it: choice titles, French dates and numbers."""
    q = pf.question
    value = get_path(data, pf.path)
    if not has_path(data, pf.path):
        return ""
    answer = answer_of(q, value)
    titles = {c.value: c.title for c in q.options(scope_of(data, pf))}
    if q.kind == "group":
        return {"oui": "Oui", "non": "Non"}.get(str(answer), "")
    if q.kind == "checkbox":
        if not answer and q.key != "financeurs":
            return "Tous"
        return ", ".join(titles.get(a, a) for a in answer)
    if q.kind == "select":
        return titles.get(str(answer), str(answer))
    return str(answer).replace("\n", " / ")


def value_for(
    pf: PageField, answer: Any, current: Any, scope: Scope, aujourdhui: date | None = None
) -> Any:
    """:func:`value_of` for a page field (the financing received is one dict entry)."""
    from recours.questionnaire.answers import check_field

    q = pf.question
    if q.field == "financement_recu":
        text = str(answer).strip() or "0"
        aid = pf.path.rsplit(".", 1)[1]
        return check_field(q.model, q.field, {aid: text}, aujourdhui)[aid]
    return value_of(q, answer, current, scope, aujourdhui)


# ------------------------------------------------------------- answers and values


def answer_of(q: Question, value: Any) -> Any:
    """What a front-end shows for a stored value: a choice value, a list, a text."""
    if q.kind == "group":
        return "oui" if isinstance(value, dict) else ("non" if value is None else "")
    if q.field == "documents" and q.model is Decision:
        return documents_answer(value)
    if q.kind == "checkbox":
        if q.key == "financeurs":
            return [str(f.get("autorite")) for f in value or [] if isinstance(f, dict)]
        return [str(v) for v in value or []]
    if q.kind == "lines":
        return "\n".join(str(v) for v in value or [])
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    from recours.formatting import date_courte

    if q.kind == "date" and isinstance(value, str):
        return _shown(value)  # a file read back as text: « 2026-07-20 » -> « 20/07/2026 »
    if isinstance(value, date):
        return date_courte(value)
    from decimal import Decimal

    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return str(value)


def value_of(
    q: Question, answer: Any, current: Any, scope: Scope, aujourdhui: date | None = None
) -> Any:
    """The dossier value of an answer, validated by the model; raise AnswerError.

    ``current`` is the stored value (kept parts when the funders change, the group's
    fields when it stays open).
    """
    if q.kind == "group":
        if answer == "oui":
            return current if isinstance(current, dict) else {}
        if answer == "non":
            return None
        from recours.questionnaire.answers import AnswerError

        raise AnswerError("répondez oui ou non")
    if q.field == "documents" and q.model is Decision:
        return q.check(documents_value(str(answer)), aujourdhui)
    if q.kind == "checkbox":
        chosen = [str(a) for a in answer]
        if q.key == "financeurs":
            old = {f.get("autorite"): f.get("part") for f in current or [] if isinstance(f, dict)}
            value: Any = [
                {"autorite": a, **({"part": old[a]} if old.get(a) is not None else {})}
                for a in chosen
            ]
            if len(value) == 1:
                value[0].pop("part", None)
            q.check(value, aujourdhui)
            return value
        if not chosen:
            from recours.questionnaire.answers import AnswerError

            raise AnswerError("cochez au moins une case")
        # Everything chosen is stored as the model's default, the empty list ("tous") — but
        # not for the exercises of a decision, which must be named (one decision, one
        # exercise).
        if q.key != "exercices" and set(chosen) == {c.value for c in q.options(scope)}:
            return []
        return q.check(chosen, aujourdhui)
    if q.kind == "lines":
        lines = [line.strip() for line in str(answer).splitlines() if line.strip()]
        return q.check(lines, aujourdhui)
    text = str(answer)
    if q.kind != "multiline":
        text = text.strip()
    if not text.strip():
        if q.is_optional:
            return None
        from recours.questionnaire.answers import AnswerError

        raise AnswerError("champ obligatoire")
    return q.check(text, aujourdhui)


def place(data: Data, chemin: str) -> str:
    """Where a problem is, in French: « Établissements et services — MECS : Numéro FINESS ».

    ``chemin`` is a dossier path (``etablissements[1].exercices[0].etp``); the question's
    label and its item's title replace it. Unknown paths are returned as they are.
    """
    fields = {pf.path: (where, pf.label) for where, pf in all_fields(data)}
    probe = chemin
    while probe:
        if probe in fields:
            where, text = fields[probe]
            return f"{where} — {text}"
        parts = split_path(probe)
        probe = join_path(parts[:-1])
    for sec, indices in reversed(list(pages(data))):
        prefix = concrete(sec.container, indices)
        if prefix and (chemin == prefix or chemin.startswith((prefix + ".", prefix + "["))):
            scope = scope_for(data, sec, indices)
            return sec.item_title(scope) if sec.item_title else sec.title
    return chemin
