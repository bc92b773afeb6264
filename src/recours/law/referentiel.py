"""The legal referential: every legal fact the tool uses, with its source and confidence.

Loaded once from ``data/referentiel.yaml`` and ``data/tribunaux.csv`` and validated by
pydantic, so that a lawyer can update the law without touching Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import re
from decimal import Decimal
from importlib import resources
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

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
    # The defendant's name and who represents it, apart, so that the annuaire can name the
    # body ("le département de la Sarthe") and its head.
    defendeur_nom: str
    represente_par: str
    collectivite_territoriale: bool
    source_destinataire: str


class HorsAccord(Sourced):
    """Why a category is outside the accord in principle (a warning, never a refusal)."""

    motif: str


class Categorie(Sourced):
    libelle: str
    point_l312_1: str
    autorites: list[TypeAutorite] = Field(min_length=1)
    cofinance: bool
    fondement: str
    hors_accord: HorsAccord | None = None


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
    # Facts the dossier must confirm ("oui") for the ground to be printed.
    faits: list[str] = Field(default_factory=list)


class FaitDossier(_Strict):
    """A fact a ground needs, asked of the user decision by decision."""

    question: str
    piece: str | None  # the pièce that usually shows it (None: none unless the user names one)


class Message(_Strict):
    """A warning or refusal worded with placeholders ({name}; {art_<key>} cites an article)."""

    texte: str


class NatureInfo(_Strict):
    libelle: str
    fixe_un_tarif: bool
    conclusions: Literal["reformation", "annulation"]
    # Set when the competence of the tariff judge for this nature is not settled.
    competence_a_verifier: str | None = None


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


class HorsChamp(Sourced):
    codes: list[str]
    message: str


class Changement(Sourced):
    """A body renamed on a date: decisions before it were taken by the former head."""

    depuis: dt.date
    avant: str


class AnnuaireInfo(_Strict):
    fichier: str
    source: str
    confiance: Confiance
    hors_champ: HorsChamp
    changements: dict[str, Changement] = Field(default_factory=dict)
    collectivites_multiples: dict[str, list[str]]
    source_collectivites_multiples: str
    confiance_collectivites_multiples: Confiance


class Notification(_Strict):
    regle: FaitTexte
    courriel_simple: FaitTexte


# "le Président / la Présidente du conseil départemental de l'Ain": masculine and feminine
# heads, then the shared complement.
_TITRE_RE = re.compile(r"^(le \S+) / (la \S+) (\S.*)$")
# 69D / 69M: INSEE CTCD codes of the bodies sharing département 69.
_CTCD_RE = re.compile(r"^(\d{2})[A-Z]$")


class AutoriteLocale(Sourced):
    """One row of autorites.csv: the body holding departmental powers and the State services.

    ``titre_chef`` is neutral ("le Président / la Présidente du conseil…"); the letter picks
    the form from the authority's ``civilite_titulaire``.
    """

    code: str
    departement: str
    collectivite: str
    titre_chef: str
    genre_variable: bool
    article_defendeur: str
    region: str
    ars: str
    ars_siege: str
    remarque: str

    @field_validator("confiance", mode="before")
    @classmethod
    def _strip_brackets(cls, value: object) -> object:
        return value.strip("[] ") if isinstance(value, str) else value

    @property
    def code_departement(self) -> str:
        """The département code of tribunaux.csv (69D and 69M join 69)."""
        match = _CTCD_RE.match(self.code)
        return match.group(1) if match else self.code

    @property
    def titres(self) -> tuple[str, str, str] | None:
        """(masculine head, feminine head, complement), or None when not determined."""
        match = _TITRE_RE.match(self.titre_chef)
        return (match.group(1), match.group(2), match.group(3)) if match else None

    def titre(self, civilite: str | None) -> str:
        """'le Président du conseil départemental de l'Ain', 'la Maire de Paris'.

        Without a known civilité, the masculine form, which is the one the texts use for
        the office.
        """
        parts = self.titres
        if parts is None:
            raise ReferentielError(f"titre non déterminé pour {self.departement} ({self.code})")
        masculin, feminin, complement = parts
        head = feminin if civilite == "Madame" and self.genre_variable else masculin
        return f"{head} {complement}"


class ReglesPrescription(Sourced):
    """Prescription quadriennale (loi n° 68-1250): its length and its articles."""

    duree_annees: int = Field(gt=0)
    references: list[str]


class SuperieurHierarchique(Sourced):
    """To whom a recours hiérarchique goes, for one authority type."""

    possible: bool
    superieur: str | None
    # How the letter addresses the superior (only where the sources support a wording).
    destinataire: str | None = None
    formule_appel: str | None = None
    pouvoir: str | None = None  # the sentence of the letter that founds the recours


class TexteJuridique(Sourced):
    """A legal sentence printed by an engine; ``{champ}`` placeholders are filled in code."""

    texte: str
    references: list[str]

    def rendre(self, **champs: object) -> str:
        return self.texte.format(**champs)


class Voie(Sourced):
    """One route of the route table (voies-de-droit.md §8)."""

    libelle: str
    quand: str
    donnees: str
    document: str
    delai: str
    avocat: str
    redige: bool
    par_defaut: bool = True
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
    pieces: FaitTexte
    non_obligatoire: FaitTexte
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
    faits: dict[str, FaitDossier]
    messages: dict[str, Message]
    annuaire_autorites: AnnuaireInfo
    notification: Notification
    telerecours: Telerecours
    prescription: ReglesPrescription
    recours_hierarchique: dict[TypeAutorite, SuperieurHierarchique]
    textes_voies: dict[str, TexteJuridique]
    voies: dict[str, Voie]
    departements: dict[str, Tribunal] = Field(default_factory=dict)
    annuaire: dict[str, AutoriteLocale] = Field(default_factory=dict)

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
        for key, moyen in self.moyens.items():
            missing += [f"moyens.{key}.faits: {f}" for f in moyen.faits if f not in self.faits]
        for i, poss in enumerate(self.apres_expiration):
            refs += [(f"apres_expiration[{i}]", r) for r in poss.references]
        refs += [("prescription", r) for r in self.prescription.references]
        for key, texte in self.textes_voies.items():
            refs += [(f"textes_voies.{key}", r) for r in texte.references]
        for key, voie in self.voies.items():
            refs += [(f"voies.{key}", r) for r in voie.references]
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

    def message(self, code: str, **params: object) -> str:
        """The text of message ``code`` with its placeholders filled (values already French)."""
        try:
            template = self.messages[code].texte
        except KeyError:
            raise ReferentielError(f"message inconnu du référentiel : {code}") from None
        # Only the template's own layout is folded: the values keep their no-break spaces.
        return " ".join(template.split()).format_map({**self._citations, **params})

    @functools.cached_property
    def _citations(self) -> dict[str, str]:
        """{art_<key>} placeholders: the short citation of every article (built once)."""
        return {
            "art_" + key.replace("-", "_").replace(".", "_"): art.court
            for key, art in self.articles.items()
        }

    def autorite_locale(
        self, departement: str, collectivite: str | None = None
    ) -> AutoriteLocale | None:
        """The annuaire row for a département (or its 69D/69M body); None if ambiguous."""
        if collectivite:
            return self.annuaire.get(collectivite)
        if departement in self.annuaire_autorites.collectivites_multiples:
            return None
        return self.annuaire.get(departement)

    def hors_champ(self, departement: str) -> str | None:
        """The French refusal for a collectivité outside the CASF tariff rules, else None."""
        info = self.annuaire_autorites.hors_champ
        if departement not in info.codes:
            return None
        row = self.annuaire.get(departement)
        name = row.departement if row else departement
        return " ".join(info.message.format(departement=name, code=departement).split())

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


def _read_annuaire(text: str) -> dict[str, AutoriteLocale]:
    rows: dict[str, AutoriteLocale] = {}
    for line, row in enumerate(csv.DictReader(text.splitlines()), start=2):
        try:
            rows[row["code"]] = AutoriteLocale.model_validate(
                {**row, "genre_variable": row["genre_variable"] == "oui"}
            )
        except ValidationError as exc:
            raise ReferentielError(f"autorites.csv, ligne {line} : {exc}") from exc
    return rows


def _check_annuaire(ref: Referentiel) -> None:
    """Cross-check autorites.csv against tribunaux.csv and the referential."""
    problems: list[str] = []
    info = ref.annuaire_autorites
    for code, row in ref.annuaire.items():
        tribunal = ref.departements.get(row.code_departement)
        if tribunal is None:
            problems.append(f"{code} : département absent de tribunaux.csv")
        elif row.code == row.code_departement and tribunal.departement != row.departement:
            problems.append(
                f"{code} : « {row.departement} » ici, « {tribunal.departement} » dans tribunaux.csv"
            )
        if code not in info.hors_champ.codes and row.titres is None:
            problems.append(f"{code} : titre_chef illisible « {row.titre_chef} »")
    for code in info.hors_champ.codes:
        if code not in ref.annuaire:
            problems.append(f"hors_champ : {code} absent de autorites.csv")
    for code, bodies in info.collectivites_multiples.items():
        problems += [
            f"collectivites_multiples : {b} absent de autorites.csv ou ne relève pas de {code}"
            for b in bodies
            if b not in ref.annuaire or ref.annuaire[b].code_departement != code
        ]
        if code in ref.annuaire:
            problems.append(f"collectivites_multiples : {code} ne doit pas avoir de ligne propre")
    if problems:
        raise ReferentielError("annuaire des autorités invalide : " + " ; ".join(problems))


@functools.cache
def load_referentiel() -> Referentiel:
    """Load and validate the bundled referential (once per process)."""
    data_dir = resources.files("recours") / "data"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load((data_dir / "referentiel.yaml").read_text(encoding="utf-8"), Loader=loader)
    try:
        ref = Referentiel.model_validate(raw)
        csv_text = (data_dir / ref.tribunaux.fichier).read_text(encoding="utf-8")
        annuaire_text = (data_dir / ref.annuaire_autorites.fichier).read_text(encoding="utf-8")
    except (ValidationError, OSError) as exc:
        raise ReferentielError(f"référentiel juridique invalide : {exc}") from exc
    ref = ref.model_copy(
        update={
            "departements": _read_tribunaux(csv_text),
            "annuaire": _read_annuaire(annuaire_text),
        }
    )
    _check_annuaire(ref)
    return ref


def article_label(key: str) -> str:
    """Short citation of a referential article, e.g. ``CRPA, art. L.411-2``."""
    return load_referentiel().article(key).court


def texte_voie(key: str, **champs: object) -> str:
    """A sentence of ``textes_voies`` with its placeholders filled (dates already in French)."""
    try:
        texte = load_referentiel().textes_voies[key]
    except KeyError:
        raise ReferentielError(f"texte inconnu du référentiel : {key}") from None
    return texte.rendre(**champs)
