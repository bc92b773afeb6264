"""The legal referential: every legal fact the tool uses, with its source and confidence.

Loaded once from ``data/referentiel.yaml`` and ``data/tribunaux.csv`` and validated by
pydantic, so that a lawyer can update the law without touching Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from decimal import Decimal
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from recours.errors import ReferentielError

Confiance = Literal["C2", "S1", "U"]
TypeAutorite = Literal["ars", "conseil_departemental", "prefet_departement", "prefet_region"]
RegimeBudgetaire = Literal["procedure_contradictoire", "cpom_eprd"]
NatureDecision = Literal[
    "arrete_tarification", "notification_budgetaire", "refus_explicite", "autre"
]

CONFIANCE_LIBELLES: dict[str, str] = {
    "C2": "confirmé (au moins deux sources)",
    "S1": "une seule source",
    "U": "incertain, à vérifier",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Sourced(_Strict):
    source: str
    confiance: Confiance
    note: str | None = None

    @property
    def verifie(self) -> bool:
        """A fact is presented as settled only when its sources are not uncertain."""
        return self.confiance != "U"


class FaitTexte(Sourced):
    valeur: str


class FaitDate(Sourced):
    valeur: dt.date


class FaitMontant(Sourced):
    valeur: Decimal
    unite: str


class Arrete(Sourced):
    date: dt.date
    publication: dt.date
    fondement: str
    libelle: str
    nor: str | None = None


class Accord(_Strict):
    titre: FaitTexte
    date_signature: FaitDate
    branche: FaitTexte
    montant_mensuel_brut: FaitMontant
    date_effet: FaitDate
    beneficiaires: FaitTexte
    proratisation: FaitTexte
    agrement: Arrete
    extension: Arrete


class CoutUnitaire(FaitMontant):
    instruction: str
    usage: str


class FormuleDestinataire(_Strict):
    madame: str
    monsieur: str
    inconnu: str


class TypeAutoriteInfo(_Strict):
    libelle: str
    titre_autorite: str
    formule_destinataire: FormuleDestinataire
    defendeur: str
    collectivite_territoriale: bool
    source_destinataire: str


class Categorie(Sourced):
    libelle: str
    point_l312_1: str
    autorites: list[TypeAutorite] = Field(min_length=1)
    cofinance: bool
    fondement: str


class Regime(Sourced):
    libelle: str
    explication: str
    moyens: list[str]


class Moyen(Sourced):
    intitule: str
    expose: str
    references: list[str]
    # Authority types the ground applies to (all when empty), e.g. ARS-only credits.
    autorites: list[TypeAutorite] = Field(default_factory=list)


class NatureInfo(_Strict):
    libelle: str
    fixe_un_tarif: bool
    conclusions: Literal["reformation", "annulation"]


class TribunauxInfo(_Strict):
    fichier: str
    source_droit_commun: str
    confiance_droit_commun: Confiance
    source_tarification: str
    confiance_tarification: Confiance
    date_tarification: dt.date
    cour_appel_tarification: str


class ReglesDelais(_Strict):
    recours_mois: int = Field(gt=0)
    recours_mois_tarification_avant_reforme: int = Field(gt=0)
    rejet_implicite_mois: int = Field(gt=0)
    delai_raisonnable_annees: int = Field(gt=0)
    departements_alsace_moselle: list[str]
    departements_outre_mer: list[str]


class Article(Sourced):
    reference: str
    court: str
    objet: str


class RegleAvocat(_Strict):
    obligatoire: bool
    certain: bool
    explication: str
    references: list[str]


class Possibilite(_Strict):
    texte: str
    references: list[str]


class Tribunal(_Strict):
    """One row of tribunaux.csv."""

    code: str
    departement: str
    ta_droit_commun: str
    ta_tarification: str | None
    verifie: bool


class NomPiece(Sourced):
    longueur_max: int
    regle: str


class Telerecours(_Strict):
    nom_piece: NomPiece
    taille_max_fichier: FaitMontant


class Referentiel(_Strict):
    version: str
    avertissement: str
    accord: Accord
    cout_unitaire_dgcs: CoutUnitaire
    autorites: dict[TypeAutorite, TypeAutoriteInfo]
    categories: dict[str, Categorie]
    regimes: dict[RegimeBudgetaire, Regime]
    moyens: dict[str, Moyen]
    natures_decision: dict[NatureDecision, NatureInfo]
    note_natures: str
    tribunaux: TribunauxInfo
    delais: ReglesDelais
    articles: dict[str, Article]
    avocat: dict[TypeAutorite, RegleAvocat]
    apres_expiration: list[Possibilite]
    telerecours: Telerecours
    departements: dict[str, Tribunal] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check_references(self) -> Referentiel:
        """Every cross-reference inside the referential must resolve."""
        missing: list[str] = []
        for regime_key, regime in self.regimes.items():
            missing += [f"regimes.{regime_key}: {m}" for m in regime.moyens if m not in self.moyens]
        refs: list[tuple[str, str]] = []
        for key, moyen in self.moyens.items():
            refs += [(f"moyens.{key}", r) for r in moyen.references]
        for type_key, regle in self.avocat.items():
            refs += [(f"avocat.{type_key}", r) for r in regle.references]
        for i, poss in enumerate(self.apres_expiration):
            refs += [(f"apres_expiration[{i}]", r) for r in poss.references]
        refs += [("accord.agrement", self.accord.agrement.fondement)]
        refs += [("accord.extension", self.accord.extension.fondement)]
        missing += [f"{where}: {ref}" for where, ref in refs if ref not in self.articles]
        if missing:
            raise ValueError("références introuvables : " + ", ".join(missing))
        return self

    def article(self, key: str) -> Article:
        try:
            return self.articles[key]
        except KeyError:
            raise ReferentielError(f"article inconnu du référentiel : {key}") from None

    def tribunal(self, departement: str) -> Tribunal:
        try:
            return self.departements[departement]
        except KeyError:
            raise ReferentielError(f"département inconnu : {departement}") from None


def _read_tribunaux(text: str) -> dict[str, Tribunal]:
    rows: dict[str, Tribunal] = {}
    for row in csv.DictReader(text.splitlines()):
        rows[row["code"]] = Tribunal(
            code=row["code"],
            departement=row["departement"],
            ta_droit_commun=row["ta_droit_commun"],
            ta_tarification=row["ta_tarification"] or None,
            verifie=row["verifie"] == "oui",
        )
    return rows


@functools.cache
def load_referentiel() -> Referentiel:
    """Load and validate the bundled referential (once per process)."""
    data_dir = resources.files("recours") / "data"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((data_dir / "referentiel.yaml").read_text(encoding="utf-8"), Loader=loader)
    try:
        ref = Referentiel.model_validate(raw)
        csv_text = (data_dir / ref.tribunaux.fichier).read_text(encoding="utf-8")
        return ref.model_copy(update={"departements": _read_tribunaux(csv_text)})
    except (ValidationError, OSError) as exc:
        raise ReferentielError(f"référentiel juridique invalide : {exc}") from exc


def article_label(key: str) -> str:
    """Short citation of a referential article, e.g. ``CRPA, art. L.411-2``."""
    return load_referentiel().article(key).court
