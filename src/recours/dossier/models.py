"""The dossier model: the one contract between input (file, spreadsheet, questionnaire)
and everything downstream (amounts, deadlines, documents).

Field names are French: they are the YAML keys and the template variables.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    model_validator,
)

from recours.dossier import identifiers
from recours.law.referentiel import (
    NatureDecision,
    RegimeBudgetaire,
    TypeAutorite,
    load_referentiel,
)

# C0 controls except \n, DEL and C1 controls: they break Word's XML or are invisible.
_CONTROL_RE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
# What XML 1.0 cannot hold at all (issue 15 §14): lone surrogates, U+FFFE and U+FFFF.
_NON_XML_RE = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _refuse_controls(value: str) -> str:
    match = _CONTROL_RE.search(value)
    if match:
        code = f"U+{ord(match.group()):04X}"
        raise ValueError(
            f"caractère de contrôle interdit ({code}) à la position {match.start() + 1}"
        )
    match = _NON_XML_RE.search(value)
    if match:
        code = f"U+{ord(match.group()):04X}"
        raise ValueError(
            f"caractère interdit ({code}) à la position {match.start() + 1} : il ne peut pas "
            "figurer dans un document Word ou PDF"
        )
    # One spelling per text: « Île » typed on a Mac (NFD) and on Windows (NFC) is one name.
    return unicodedata.normalize("NFC", value)


def _single_line(value: str) -> str:
    # Tabs come from text pasted out of Word or a spreadsheet: a space is what was meant.
    value = value.replace("\t", " ").strip()
    if "\n" in value or "\r" in value:
        raise ValueError("une seule ligne attendue (pas de retour à la ligne)")
    return _refuse_controls(value)


def _multi_line(value: str) -> str:
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()
    return _refuse_controls(value)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError("ne doit pas être vide")
    return value


def _french_decimal(value: Any) -> Any:
    """Accept 1234.5, "1234,50", "1 234,50 €" as typed by French users."""
    if isinstance(value, bool):
        raise ValueError("nombre attendu")
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        cleaned = re.sub(r"[\s\u00a0\u202f€]", "", value).replace(",", ".")
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            raise ValueError(f"nombre invalide : « {value} »") from None
    return value


def _max_places(places: int, maximum: int) -> AfterValidator:
    # The maximum keeps every computation inside Decimal's 28 digits (1e26 €, an ETP of
    # 5,000 digits): a plausibility bound, far above any real establishment.
    def check(value: Decimal) -> Decimal:
        if not value.is_finite():
            raise ValueError("nombre fini attendu")
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            raise ValueError(f"au plus {places} décimales")
        if value > maximum:
            raise ValueError(f"valeur invraisemblable : au plus {maximum:,}".replace(",", " "))
        return value

    return AfterValidator(check)


def _plausible_date(value: dt.date) -> dt.date:
    # 31/12/9999 would overflow every deadline computed from it.
    if not 1990 <= value.year <= 2100:
        raise ValueError(f"date invraisemblable ({value.strftime('%d/%m/%Y')})")
    return value


DateDossier = Annotated[dt.date, AfterValidator(_plausible_date)]


def _oui_non(value: Any) -> Any:
    """French users answer oui/non; YAML and JSON give true/false."""
    if isinstance(value, str) and value.strip().lower() in ("oui", "non"):
        return value.strip().lower() == "oui"
    return value


OuiNon = Annotated[bool, BeforeValidator(_oui_non)]
Ligne = Annotated[str, AfterValidator(_single_line), AfterValidator(_non_empty)]
Texte = Annotated[str, AfterValidator(_multi_line)]
# Path of a pièce's PDF file, relative to the dossier file's folder (or absolute).
Chemin = Annotated[str, AfterValidator(_single_line), AfterValidator(_non_empty)]
FICHIER_PIECE = "chemin du fichier PDF (relatif au dossier du fichier YAML)"
Identifiant = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=60)]
Montant = Annotated[Decimal, BeforeValidator(_french_decimal), Field(ge=0), _max_places(2, 10**12)]
Etp = Annotated[Decimal, BeforeValidator(_french_decimal), Field(ge=0), _max_places(4, 100_000)]
Pourcentage = Annotated[Decimal, BeforeValidator(_french_decimal), Field(gt=0, le=100)]
Coefficient = Annotated[Decimal, BeforeValidator(_french_decimal), Field(ge=1), _max_places(4, 100)]
Departement = Annotated[
    str, BeforeValidator(lambda v: str(v)), AfterValidator(identifiers.check_departement)
]


def _code_postal(value: str) -> str:
    if not identifiers.CODE_POSTAL_RE.match(value):
        raise ValueError("code postal invalide : 5 chiffres attendus (ex. 07500)")
    if value.startswith("00"):
        # No French postal code starts with 00 (départements 01 to 98).
        raise ValueError(f"code postal « {value} » inexistant (aucun code ne commence par 00)")
    return value


def today_of(info: ValidationInfo) -> dt.date | None:
    """Today's date, passed by the entry points as validation context {"aujourdhui": date}.

    The models never read the clock: without a context (library use, tests), the checks
    against today are skipped.
    """
    context = info.context
    if isinstance(context, dict):
        value = context.get("aujourdhui")
        if isinstance(value, dt.date):
            return value
    return None


def _exercice(value: int, info: ValidationInfo) -> int:
    start = load_referentiel().accord.date_effet.valeur
    if value < start.year:
        raise ValueError(
            f"exercice {value} antérieur à l'entrée en vigueur de l'accord ({start.year})"
        )
    if value > 2100:
        raise ValueError(f"exercice {value} invraisemblable")
    today = today_of(info)
    if today is not None and value > today.year:
        raise ValueError(f"exercice {value} postérieur à l'année en cours ({today.year})")
    return value


def _not_future(value: dt.date, info: ValidationInfo) -> dt.date:
    today = today_of(info)
    if today is not None and value > today:
        raise ValueError(
            f"date du {value:%d/%m/%Y} postérieure à la date du jour ({today:%d/%m/%Y}) : "
            "indiquez une date passée"
        )
    return value


CodePostal = Annotated[str, BeforeValidator(lambda v: str(v).strip()), AfterValidator(_code_postal)]
Annee = Annotated[int, AfterValidator(_exercice)]
Finess = Annotated[str, BeforeValidator(lambda v: str(v)), AfterValidator(identifiers.check_finess)]
# A date of something that has happened (decision, notification, sending, receipt).
DatePassee = Annotated[dt.date, AfterValidator(_plausible_date), AfterValidator(_not_future)]
Civilite = Literal["Madame", "Monsieur"]
Methode = Literal["etp", "cout_unitaire", "cout_reel"]


class Modele(BaseModel):
    """Base of every dossier model: unknown fields are refused, by name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, validate_default=True)


class Adresse(Modele):
    voie: Ligne = Field(description="Numéro et voie", examples=["12 rue des Tilleuls"])
    complement: Ligne | None = Field(None, description="Complément d'adresse (bâtiment, BP…)")
    code_postal: CodePostal = Field(description="Code postal", examples=["93100"])
    commune: Ligne = Field(description="Commune", examples=["Montreuil"])


class Personne(Modele):
    civilite: Civilite | None = Field(None, description="Madame ou Monsieur")
    nom: Ligne = Field(description="Prénom et nom", examples=["Claire Martin"])
    qualite: Ligne = Field(description="Qualité (fonction)", examples=["présidente"])


class Signataire(Personne):
    delegation: Ligne | None = Field(
        None,
        description="Référence de la délégation de pouvoir ou de signature (obligatoire si le "
        "signataire n'est pas le représentant légal)",
        examples=["délégation du conseil d'administration du 12 mars 2025"],
    )


class Contact(Modele):
    nom: Ligne | None = Field(None, description="Personne à contacter")
    telephone: Ligne | None = Field(None, description="Téléphone")
    courriel: Ligne | None = Field(None, description="Adresse électronique")


class Organisme(Modele):
    raison_sociale: Ligne = Field(description="Raison sociale de l'organisme gestionnaire")
    forme_juridique: Ligne = Field(
        "association déclarée (loi du 1er juillet 1901)", description="Forme juridique"
    )
    siren: Annotated[str, AfterValidator(identifiers.check_siren)] | None = Field(
        None, description="SIREN (9 chiffres)"
    )
    siret: Annotated[str, AfterValidator(identifiers.check_siret)] | None = Field(
        None, description="SIRET du siège (14 chiffres)"
    )
    rna: Annotated[str, AfterValidator(identifiers.check_rna)] | None = Field(
        None, description="Numéro RNA (W suivi de 9 caractères)"
    )
    siege: Adresse = Field(description="Adresse du siège social")
    representant_legal: Personne = Field(description="Représentant légal")
    signataire: Signataire | None = Field(
        None, description="Signataire, s'il n'est pas le représentant légal"
    )
    contact: Contact | None = Field(None, description="Contact pour le suivi du dossier")
    fichier_statuts: Chemin | None = Field(
        None, description=f"Statuts de l'association : {FICHIER_PIECE}"
    )
    fichier_pouvoir: Chemin | None = Field(
        None,
        description="Délégation du signataire ou pièce justifiant la qualité pour agir du "
        f"représentant légal : {FICHIER_PIECE}",
    )

    @model_validator(mode="after")
    def _check(self) -> Organisme:
        # Collect every problem: the user fixes them all in one pass (see Dossier).
        problems: list[str] = []
        if self.siren is None and self.siret is None:
            problems.append("indiquez le SIREN ou le SIRET de l'organisme")
        if self.siren and self.siret and not self.siret.startswith(self.siren):
            problems.append("le SIRET ne commence pas par le SIREN indiqué")
        if self.signataire is not None and not self.signataire.delegation:
            problems.append(
                "signataire.delegation : indiquez la délégation qui autorise le signataire "
                "(il n'est pas le représentant légal)"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @property
    def siren_effectif(self) -> str:
        return self.siren or (self.siret or "")[:9]


class Autorite(Modele):
    id: Identifiant = Field(
        description="Identifiant court, utilisé dans le dossier", examples=["ars-idf"]
    )
    type: TypeAutorite = Field(description="Type d'autorité de tarification")
    nom: Ligne = Field(
        description="Nom de l'autorité", examples=["Agence régionale de santé Île-de-France"]
    )
    civilite_titulaire: Civilite | None = Field(
        None, description="Civilité du titulaire (pour la formule d'appel)"
    )
    service: Ligne | None = Field(None, description="Service destinataire")
    adresse: Adresse = Field(description="Adresse de l'autorité")
    departement: Departement = Field(description="Département du siège de l'autorité (CJA R.312-1)")
    collectivite: Literal["69D", "69M"] | None = Field(
        None,
        description="Collectivité qui exerce les compétences départementales quand le "
        "département ne suffit pas à la désigner (conseil départemental, département 69) : "
        "69D (département du Rhône) ou 69M (Métropole de Lyon), d'après la commune de "
        "l'établissement",
    )

    @model_validator(mode="after")
    def _check(self) -> Autorite:
        problems: list[str] = []
        ref = load_referentiel()
        refusal = ref.hors_champ(self.departement)
        if refusal:
            problems.append(f"departement : {refusal}")
        if self.collectivite is not None:
            row = ref.annuaire.get(self.collectivite)
            if self.type != "conseil_departemental":
                problems.append(
                    "collectivite : ne s'indique que pour un conseil départemental "
                    "(type conseil_departemental)"
                )
            elif row is None or row.code_departement != self.departement:
                problems.append(
                    f"collectivite : {self.collectivite} ne relève pas du département "
                    f"{self.departement}"
                )
        row = ref.autorite_locale(self.departement)
        if self.type == "ars" and row is not None and row.ars.startswith("(aucune"):
            problems.append(
                f"type : pas d'agence régionale de santé pour {row.departement} ; "
                "ses compétences sont exercées par le représentant de l'État (choisissez un type "
                "préfet)"
            )
        if problems:
            raise ValueError("\n".join(problems))
        return self


class PartFinancement(Modele):
    autorite: Identifiant = Field(description="Identifiant de l'autorité (autorites[].id)")
    part: Pourcentage = Field(Decimal(100), description="Part du financement, en %")


class Exercice(Modele):
    annee: Annee = Field(description="Exercice (année)", examples=[2024])
    mois: int = Field(12, ge=1, le=12, description="Nombre de mois éligibles dans l'exercice")
    etp: Etp | None = Field(None, description="ETP éligibles (méthodes etp et cout_unitaire)")
    cout_reel: Montant | None = Field(
        None, description="Coût réel chargé issu de la paie (méthode cout_reel), en euros"
    )
    financement_recu: dict[Identifiant, Montant] = Field(
        default_factory=dict,
        description="Financement reçu pour la mesure, par autorité (identifiant : montant)",
    )


class Etablissement(Modele):
    nom: Ligne = Field(description="Nom de l'établissement ou du service")
    finess: Finess = Field(description="Numéro FINESS (9 caractères ; seul le format est contrôlé)")
    categorie: str = Field(description="Catégorie d'ESMS (clé du référentiel)", examples=["ime"])
    adresse: Adresse
    departement: Departement = Field(description="Département d'implantation")
    regime_budgetaire: RegimeBudgetaire = Field(description="Régime budgétaire")
    financeurs: list[PartFinancement] = Field(
        min_length=1, description="Autorités de tarification et parts"
    )
    methode: Methode = Field(
        description="Méthode de calcul du coût : etp, cout_unitaire (DGCS) ou cout_reel (paie)"
    )
    coefficient_charges: Coefficient | None = Field(
        None, description="Coefficient de charges patronales saisi (méthode etp), ex. 1,45"
    )
    exercices: list[Exercice] = Field(min_length=1, description="Exercices réclamés")

    @model_validator(mode="after")
    def _check(self) -> Etablissement:
        # Collect every problem: the user fixes them all in one pass (see Dossier).
        problems: list[str] = []
        ref = load_referentiel()
        refusal = ref.hors_champ(self.departement)
        if refusal:
            problems.append(f"departement : {refusal}")
        if self.categorie not in ref.categories:
            problems.append(
                f"categorie : catégorie inconnue « {self.categorie} » ; valeurs possibles : "
                + ", ".join(sorted(ref.categories))
            )
        if not identifiers.finess_matches_departement(self.finess, self.departement):
            problems.append(
                f"finess : le FINESS {self.finess} ne correspond pas au département "
                f"{self.departement}"
            )
        ids = [f.autorite for f in self.financeurs]
        if len(set(ids)) != len(ids):
            problems.append("financeurs : une même autorité figure deux fois")
        total = sum((f.part for f in self.financeurs), Decimal(0))
        if total != 100:
            shown = format(total.normalize(), "f").replace(".", ",")
            problems.append(f"financeurs : la somme des parts fait {shown} % au lieu de 100 %")
        years = [e.annee for e in self.exercices]
        if len(set(years)) != len(years):
            problems.append("exercices : un même exercice figure deux fois")
        if self.methode == "etp" and self.coefficient_charges is None:
            problems.append(
                "coefficient_charges : obligatoire avec la méthode etp (aucun coefficient "
                "officiel n'est publié : saisissez le vôtre)"
            )
        for i, ex in enumerate(self.exercices):
            if self.methode in ("etp", "cout_unitaire") and ex.etp is None:
                problems.append(f"exercices[{i}].etp : obligatoire avec la méthode {self.methode}")
            if self.methode == "cout_reel" and ex.cout_reel is None:
                problems.append(f"exercices[{i}].cout_reel : obligatoire avec la méthode cout_reel")
            unknown = sorted(set(ex.financement_recu) - set(ids))
            # A typo in a financeur (cd-27 for cd-72) is reported on the financeur, where
            # the mistake is, not on the amounts received that are right.
            for received in list(unknown):
                close = difflib.get_close_matches(received, ids, n=1, cutoff=0.6)
                if close:
                    j = ids.index(close[0])
                    problems.append(
                        f"financeurs[{j}].autorite : « {close[0]} » ne correspond à aucune "
                        f"autorité des montants reçus (exercices[{i}].financement_recu : "
                        f"« {received} ») : faute de frappe ?"
                    )
                    unknown.remove(received)
            if unknown:
                problems.append(
                    f"exercices[{i}].financement_recu : autorité(s) qui ne finance(nt) pas "
                    f"l'établissement : {', '.join(unknown)}"
                )
        if problems:
            raise ValueError("\n".join(problems))
        return self


class RecoursGracieuxEnvoye(Modele):
    date_envoi: DatePassee = Field(description="Date d'envoi (cachet de la poste)")
    date_reception: DatePassee | None = Field(None, description="Date de réception par l'autorité")
    accuse_reception_conforme: OuiNon | None = Field(
        None,
        description="L'accusé de réception comportait-il les mentions de l'article R.112-5 du "
        "CRPA ? (inconnu : le délai le plus court est retenu)",
    )
    fichier: Chemin | None = Field(
        None, description=f"Recours gracieux et preuve de son envoi : {FICHIER_PIECE}"
    )
    fichier_avis_reception: Chemin | None = Field(
        None, description=f"Avis de réception du recours gracieux : {FICHIER_PIECE}"
    )

    @model_validator(mode="after")
    def _check(self) -> RecoursGracieuxEnvoye:
        if self.date_reception is not None and self.date_reception < self.date_envoi:
            raise ValueError("date_reception : antérieure à la date d'envoi")
        return self


# A recours hiérarchique already sent (CRPA L.411-2 al. 2, beside the recours gracieux); no
# docstring: it would become the (English) description of the JSON Schema.
class RecoursHierarchiqueEnvoye(Modele):
    date_envoi: DatePassee = Field(description="Date d'envoi (cachet de la poste)")
    date_reception: DatePassee | None = Field(
        None, description="Date de réception par le ministre (supérieur hiérarchique)"
    )
    accuse_reception_conforme: OuiNon | None = Field(
        None,
        description="L'accusé de réception comportait-il les mentions de l'article R.112-5 du "
        "CRPA ? (inconnu : le délai le plus court est retenu)",
    )
    date_rejet_explicite: DatePassee | None = Field(
        None, description="Date de notification du rejet explicite du recours hiérarchique"
    )
    fichier: Chemin | None = Field(
        None, description=f"Recours hiérarchique et preuve de son envoi : {FICHIER_PIECE}"
    )

    @model_validator(mode="after")
    def _check(self) -> RecoursHierarchiqueEnvoye:
        problems: list[str] = []
        if self.date_reception is not None and self.date_reception < self.date_envoi:
            problems.append("date_reception : antérieure à la date d'envoi")
        if self.date_rejet_explicite is not None and self.date_rejet_explicite < self.date_envoi:
            problems.append("date_rejet_explicite : antérieure à la date d'envoi")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class RejetExplicite(Modele):
    date_notification: DatePassee = Field(description="Date de notification du rejet explicite")
    fichier: Chemin | None = Field(None, description=f"Décision de rejet : {FICHIER_PIECE}")


class ReponseFait(Modele):
    """The user's answer about a fact a legal ground needs (see the referential's faits)."""

    reponse: Literal["oui", "non", "inconnu"] = Field(
        description="oui, non ou inconnu (seul « oui » fait imprimer le moyen qui en dépend)"
    )
    piece: Ligne | None = Field(
        None, description="Pièce qui établit ce fait (intitulé, ajouté à l'inventaire)"
    )


class Decision(Modele):
    id: Identifiant | None = Field(None, description="Identifiant court (facultatif)")
    autorite: Identifiant = Field(description="Autorité qui a pris la décision (autorites[].id)")
    nature: NatureDecision = Field(description="Nature de la décision")
    numero: Ligne | None = Field(None, description="Numéro de la décision")
    date: DatePassee = Field(description="Date de la décision")
    # The rule is worded once, in the referential (notification.regle, with its source).
    date_notification: DatePassee = Field(
        description=" ".join(load_referentiel().notification.regle.valeur.split())
    )
    objet: Ligne | None = Field(
        None, description="Objet", examples=["fixant la dotation globale de financement 2025"]
    )
    etablissements: list[Finess] = Field(
        default_factory=list,
        description="FINESS des établissements concernés (vide : tous ceux financés par l'autorité)",
    )
    exercices: list[Annee] = Field(
        default_factory=list,
        json_schema_extra={"minItems": 1},
        description="Exercice(s) dont la décision fixe le tarif ou le financement (une décision "
        "de tarification fixe en principe un seul exercice : enregistrez une décision par "
        "exercice ; les lettres contre cette décision ne réclament que ces exercices)",
        examples=[[2026]],
    )
    voies_et_delais_mentionnes: OuiNon | None = Field(
        None,
        description="La notification mentionnait-elle les voies et délais de recours ? "
        "(inconnu : le délai le plus court est retenu)",
    )
    recours_gracieux: RecoursGracieuxEnvoye | None = Field(
        None, description="Recours gracieux déjà envoyé"
    )
    rejet_explicite: RejetExplicite | None = Field(
        None, description="Rejet explicite du recours gracieux"
    )
    recours_hierarchique: RecoursHierarchiqueEnvoye | None = Field(
        None,
        description="Recours hiérarchique déjà envoyé (décision du directeur général de l'ARS : "
        "aux ministres de tutelle)",
    )
    faits: dict[str, ReponseFait] = Field(
        default_factory=dict,
        description="Faits qui fondent certains moyens (clés du référentiel : "
        "propositions_budgetaires_mesure, abattement_sans_contradictoire, "
        "etablissements_comparables, cpom_clause_revision) ; un moyen n'est imprimé que si "
        "ses faits sont confirmés « oui »",
    )
    fichier: Chemin | None = Field(
        None,
        description=f"Copie de la décision (pièce obligatoire de la requête) : {FICHIER_PIECE}",
    )
    documents: list[Literal["gracieux", "requete", "recours_hierarchique"]] | None = Field(
        None,
        description="Documents à préparer contre cette décision : gracieux (recours gracieux "
        "à l'autorité), requete (requête au tribunal administratif), recours_hierarchique "
        "(recours hiérarchique aux ministres, décision du directeur général de l'ARS, en plus "
        "du recours gracieux) ; liste vide : aucun ; absent : ceux que l'outil retient selon "
        "l'étape de la procédure",
    )

    @model_validator(mode="after")
    def _check(self) -> Decision:
        # Collect every problem: the user fixes them all in one pass (see Dossier).
        problems: list[str] = []
        known = load_referentiel().faits
        for key in sorted(set(self.faits) - set(known)):
            problems.append(
                f"faits.{key} : fait inconnu ; valeurs possibles : " + ", ".join(sorted(known))
            )
        years = list(self.exercices)
        if not years:
            # Checked here rather than by min_length, so that the other problems of the
            # decision are reported with it (and the questionnaire can ask in any order).
            problems.append(
                "exercices : indiquez l'exercice dont la décision fixe le tarif (une décision "
                "par exercice)"
            )
        if len(set(years)) != len(years):
            problems.append("exercices : un même exercice figure deux fois")
        if self.date_notification < self.date:
            problems.append("date_notification : antérieure à la date de la décision")
        if self.recours_gracieux and self.recours_gracieux.date_envoi < self.date:
            problems.append("recours_gracieux.date_envoi : antérieure à la date de la décision")
        if self.recours_hierarchique and self.recours_hierarchique.date_envoi < self.date:
            problems.append("recours_hierarchique.date_envoi : antérieure à la date de la décision")
        if self.rejet_explicite is not None:
            if self.recours_gracieux is None:
                problems.append(
                    "rejet_explicite : indiquez aussi le recours gracieux (recours_gracieux) "
                    "auquel ce rejet répond"
                )
            elif self.rejet_explicite.date_notification < self.recours_gracieux.date_envoi:
                problems.append(
                    "rejet_explicite.date_notification : antérieure à l'envoi du recours"
                )
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Avocat(Modele):
    nom: Ligne = Field(description="Nom de l'avocat ou du cabinet")
    barreau: Ligne = Field(description="Barreau", examples=["Paris"])
    adresse: Adresse
    telephone: Ligne | None = None
    courriel: Ligne | None = None
    toque: Ligne | None = Field(None, description="Numéro de toque ou de case")


TypeEvenement = Literal["envoi", "reponse", "requete_deposee", "jugement", "paiement"]
ModeEnvoi = Literal["lrar", "lettre_simple", "remise_en_main_propre", "courriel", "plateforme"]
SensEvenement = Literal[
    "acceptee", "partielle", "favorable", "partiellement_favorable", "defavorable"
]

# Which fields each kind of event takes: (required, optional). The facts the dossier
# already holds are not repeated here: the date a recours gracieux was sent and received
# and the acknowledgment are in decisions[].recours_gracieux, an explicit rejection in
# decisions[].rejet_explicite (`recours suivi noter` writes them there).
_EVENT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "envoi": (("autorite", "mode"), ("numero_lrar", "note")),
    "reponse": (("autorite", "date", "sens"), ("montant", "note")),
    "requete_deposee": (("decision", "date", "juridiction"), ("numero", "note")),
    "jugement": (("decision", "date", "sens"), ("montant", "numero", "note")),
    "paiement": (("autorite", "date", "montant"), ("note",)),
}
_EVENT_SENS: dict[str, tuple[str, ...]] = {
    "reponse": ("acceptee", "partielle"),
    "jugement": ("favorable", "partiellement_favorable", "defavorable"),
}


class Evenement(Modele):
    """One dated event of the follow-up of a dossier (journal)."""

    type: TypeEvenement = Field(
        description="envoi (du recours gracieux), reponse (de l'autorité : acceptée ou "
        "partielle), requete_deposee, jugement, paiement"
    )
    date: dt.date | None = Field(
        None,
        description="Date de l'événement (sauf envoi : la date d'envoi est "
        "decisions[].recours_gracieux.date_envoi)",
    )
    autorite: Identifiant | None = Field(None, description="Autorité concernée (autorites[].id)")
    decision: Ligne | None = Field(
        None,
        description="Décision concernée (decisions[].id, ou decision-1, decision-2…) ; "
        "pour une requête indemnitaire : demande-indemnitaire-1, demande-indemnitaire-2…",
    )
    mode: ModeEnvoi | None = Field(None, description="Mode d'envoi du recours gracieux")
    numero_lrar: Ligne | None = Field(None, description="Numéro de la lettre recommandée")
    sens: SensEvenement | None = Field(
        None,
        description="Réponse : acceptee ou partielle (un rejet s'inscrit dans "
        "decisions[].rejet_explicite) ; jugement : favorable, partiellement_favorable, "
        "defavorable",
    )
    montant: Montant | None = Field(None, description="Montant accordé ou payé, en euros")
    juridiction: Ligne | None = Field(None, description="Tribunal saisi")
    numero: Ligne | None = Field(None, description="Numéro d'enregistrement (greffe)")
    note: Ligne | None = Field(None, description="Remarque libre")

    @model_validator(mode="after")
    def _check(self) -> Evenement:
        required, optional = _EVENT_FIELDS[self.type]
        problems: list[str] = []
        for name in required:
            if getattr(self, name) is None:
                problems.append(f"{name} : obligatoire pour un événement « {self.type} »")
        for name in ("date", "autorite", "decision", "mode", "numero_lrar", "sens", "montant"):
            if name not in required + optional and getattr(self, name) is not None:
                hint = (
                    " (la date d'envoi s'inscrit dans decisions[].recours_gracieux.date_envoi)"
                    if self.type == "envoi" and name == "date"
                    else ""
                )
                problems.append(f"{name} : sans objet pour un événement « {self.type} »{hint}")
        for name in ("juridiction", "numero"):
            if name not in required + optional and getattr(self, name) is not None:
                problems.append(f"{name} : sans objet pour un événement « {self.type} »")
        allowed = _EVENT_SENS.get(self.type)
        if allowed and self.sens is not None and self.sens not in allowed:
            hint = " (un rejet s'inscrit dans decisions[].rejet_explicite)"
            problems.append(
                f"sens : valeurs possibles pour un événement « {self.type} » : "
                + ", ".join(allowed)
                + (hint if self.type == "reponse" else "")
            )
        if self.type == "reponse" and self.sens == "partielle" and self.montant is None:
            problems.append("montant : indiquez le montant accordé par la réponse partielle")
        if self.numero_lrar is not None and self.mode not in (None, "lrar"):
            problems.append("numero_lrar : seulement pour un envoi en recommandé (mode lrar)")
        if problems:
            raise ValueError("\n".join(problems))
        return self


# --- voies de droit au-delà du recours tarifaire (demande indemnitaire, mise en demeure,
# financement notifié non versé) ----------------------------------------------------------


class RejetDemande(Modele):
    date_notification: DatePassee = Field(description="Date de notification du rejet explicite")
    voies_et_delais_mentionnes: OuiNon | None = Field(
        None,
        description="Le rejet mentionnait-il les voies et délais de recours ? "
        "(inconnu : le délai le plus court est retenu)",
    )


class DemandeIndemnitaire(Modele):
    autorite: Identifiant = Field(description="Autorité à qui la demande a été adressée")
    exercices: list[Annee] = Field(
        default_factory=list, description="Exercices réclamés (vide : tous)"
    )
    date_envoi: DatePassee = Field(description="Date d'envoi (cachet de la poste)")
    date_reception: DatePassee | None = Field(None, description="Date de réception par l'autorité")
    accuse_reception_conforme: OuiNon | None = Field(
        None,
        description="L'accusé de réception comportait-il les mentions de l'article R.112-5 du "
        "CRPA ? (inconnu : le délai le plus court est retenu)",
    )
    rejet_explicite: RejetDemande | None = Field(None, description="Rejet explicite de la demande")

    @model_validator(mode="after")
    def _check(self) -> DemandeIndemnitaire:
        problems: list[str] = []
        if self.date_reception is not None and self.date_reception < self.date_envoi:
            problems.append("date_reception : antérieure à la date d'envoi")
        if self.rejet_explicite and self.rejet_explicite.date_notification < self.date_envoi:
            problems.append("rejet_explicite.date_notification : antérieure à l'envoi")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class MiseEnDemeure(Modele):
    autorite: Identifiant = Field(description="Autorité de tarification concernée")
    payeur: Ligne = Field(
        description="Organisme payeur destinataire (caisse, paierie départementale, service "
        "de l'État)",
        examples=["Caisse primaire d'assurance maladie de la Seine-Saint-Denis"],
    )
    exercices: list[Annee] = Field(
        default_factory=list, description="Exercices concernés (vide : tous)"
    )
    date_envoi: DatePassee = Field(description="Date d'envoi (cachet de la poste)")
    date_reception: DatePassee | None = Field(None, description="Date de réception par le payeur")

    @model_validator(mode="after")
    def _check(self) -> MiseEnDemeure:
        if self.date_reception is not None and self.date_reception < self.date_envoi:
            raise ValueError("date_reception : antérieure à la date d'envoi")
        return self


class Versement(Modele):
    date: DatePassee = Field(description="Date du versement")
    montant: Montant = Field(description="Montant versé, en euros")


class FinancementNotifie(Modele):
    autorite: Identifiant = Field(description="Autorité qui a notifié le financement")
    etablissement: Finess | None = Field(
        None, description="FINESS de l'établissement (vide : tous ceux de l'autorité)"
    )
    exercice: Annee = Field(description="Exercice du financement notifié")
    date_notification: DatePassee = Field(description="Date de notification du financement")
    montant_notifie: Montant = Field(description="Montant notifié pour la mesure, en euros")
    versements: list[Versement] = Field(
        default_factory=list, description="Versements reçus au titre de ce financement"
    )
    reference: Ligne | None = Field(
        None, description="Référence de la notification (numéro de l'arrêté, du courrier)"
    )
    payeur: Ligne | None = Field(
        None,
        description="Organisme qui verse le financement, destinataire de la mise en demeure "
        "(pour un établissement financé par l'ARS : la caisse d'assurance maladie)",
        examples=["Caisse primaire d'assurance maladie de la Seine-Saint-Denis"],
    )
    payeur_adresse: Adresse | None = Field(None, description="Adresse du payeur")

    @property
    def montant_verse(self) -> Decimal:
        return sum((v.montant for v in self.versements), Decimal(0))

    @property
    def reste_du(self) -> Decimal:
        return max(self.montant_notifie - self.montant_verse, Decimal(0))


class PieceJointe(Modele):
    intitule: Ligne = Field(description="Intitulé explicite de la pièce")
    fichier: Chemin | None = Field(None, description=f"La pièce : {FICHIER_PIECE}")


def _piece_kind(value: Any) -> str:
    return "[objet]" if isinstance(value, dict | PieceJointe) else "[intitule]"


# A plain title (as before) or {intitule, fichier}; the discriminator keeps the error of
# the form the user wrote, not of both (tags with « [ » are left out of error paths).
PieceOuIntitule = Annotated[
    Annotated[Ligne, Tag("[intitule]")] | Annotated[PieceJointe, Tag("[objet]")],
    Discriminator(_piece_kind),
]


class Dossier(Modele):
    schema_: str | None = Field(
        None, alias="$schema", description="Schéma JSON (pour les éditeurs)"
    )
    reference: Ligne | None = Field(None, description="Référence interne du dossier")
    organisme: Organisme
    autorites: list[Autorite] = Field(min_length=1)
    etablissements: list[Etablissement] = Field(min_length=1)
    decisions: list[Decision] = Field(min_length=1)
    avocat: Avocat | None = None
    lieu_signature: Ligne | None = Field(
        None, description="Lieu de signature (défaut : commune du siège)"
    )
    date_document: DateDossier | None = Field(
        None, description="Date des documents (défaut : date du jour de la génération)"
    )
    faits_complementaires: Texte | None = Field(
        None, description="Faits complémentaires, texte libre sur plusieurs lignes"
    )
    pieces_complementaires: list[PieceOuIntitule] = Field(
        default_factory=list,
        description="Pièces jointes supplémentaires : un intitulé, ou un intitulé et le "
        "chemin de son fichier PDF ({intitule: …, fichier: …})",
    )
    journal: list[Evenement] = Field(
        default_factory=list,
        description="Suivi : événements datés (envoi, réponse, requête déposée, jugement, "
        "paiement), écrits par « recours suivi noter »",
    )
    demandes_indemnitaires: list[DemandeIndemnitaire] = Field(
        default_factory=list, description="Demandes indemnitaires préalables déjà envoyées"
    )
    mises_en_demeure: list[MiseEnDemeure] = Field(
        default_factory=list, description="Mises en demeure de payer déjà envoyées"
    )
    financements_notifies: list[FinancementNotifie] = Field(
        default_factory=list,
        description="Financements de la mesure notifiés par une autorité (versés ou non)",
    )

    model_config = ConfigDict(extra="forbid", populate_by_name=True, validate_default=True)

    @property
    def pieces_jointes(self) -> list[PieceJointe]:
        """The extra pièces, a plain title read as a pièce without a file."""
        return [
            PieceJointe(intitule=p) if isinstance(p, str) else p
            for p in self.pieces_complementaires
        ]

    @model_validator(mode="after")
    def _check_links(self) -> Dossier:
        problems: list[str] = []
        auth_ids = [a.id for a in self.autorites]
        if len(set(auth_ids)) != len(auth_ids):
            problems.append("autorites : deux autorités ont le même identifiant")
        finess = [e.finess for e in self.etablissements]
        if len(set(finess)) != len(finess):
            problems.append("etablissements : deux établissements ont le même FINESS")
        for i, etab in enumerate(self.etablissements):
            for j, fin in enumerate(etab.financeurs):
                if fin.autorite not in auth_ids:
                    problems.append(
                        f"etablissements[{i}].financeurs[{j}].autorite : autorité inconnue "
                        f"« {fin.autorite} » (déclarez-la dans autorites)"
                    )
        decision_ids = [d.id for d in self.decisions if d.id]
        if len(set(decision_ids)) != len(decision_ids):
            problems.append("decisions : deux décisions ont le même identifiant")
        for i, dec in enumerate(self.decisions):
            if dec.autorite not in auth_ids:
                problems.append(f"decisions[{i}].autorite : autorité inconnue « {dec.autorite} »")
                continue
            unknown = False
            for code in dec.etablissements:
                concerned = next((e for e in self.etablissements if e.finess == code), None)
                if concerned is None:
                    unknown = True
                    problems.append(f"decisions[{i}].etablissements : FINESS inconnu {code}")
                elif dec.autorite not in {f.autorite for f in concerned.financeurs}:
                    problems.append(
                        f"decisions[{i}].etablissements : {concerned.nom} n'est pas financé par "
                        f"« {dec.autorite} »"
                    )
            if not unknown and not self.etablissements_de(dec):
                problems.append(
                    f"decisions[{i}] : aucun établissement n'est financé par « {dec.autorite} »"
                )
        # One decision fixes one exercise of an établissement for an authority: two decisions
        # on the same one would claim the same money twice.
        seen: dict[tuple[str, str, int], int] = {}
        for i, dec in enumerate(self.decisions):
            if dec.autorite not in auth_ids:
                continue
            for etab in self.etablissements_de(dec):
                for annee in dec.exercices:
                    key = (dec.autorite, etab.finess, annee)
                    if key in seen and seen[key] != i:
                        problems.append(
                            f"decisions[{i}].exercices : l'exercice {annee} de {etab.nom} est déjà "
                            f"couvert par decisions[{seen[key]}] ; une seule décision par exercice"
                        )
                    else:
                        seen[key] = i
        problems += self._check_claims(auth_ids, finess)
        if problems:
            raise ValueError("\n".join(problems))
        return self

    @model_validator(mode="after")
    def _check_journal(self) -> Dossier:
        problems: list[str] = []
        auth_ids = {a.id for a in self.autorites}
        decision_ids = {self.decision_id(i) for i in range(len(self.decisions))}
        # A requête indemnitaire (and its judgment) is filed after a demande, not a decision.
        decision_ids |= {self.demande_id(i) for i in range(len(self.demandes_indemnitaires))}
        for i, event in enumerate(self.journal):
            if event.autorite is not None and event.autorite not in auth_ids:
                problems.append(f"journal[{i}].autorite : autorité inconnue « {event.autorite} »")
            if event.decision is not None and event.decision not in decision_ids:
                problems.append(
                    f"journal[{i}].decision : décision inconnue « {event.decision} » ; "
                    f"décisions du dossier : {', '.join(sorted(decision_ids))}"
                )
            if event.type == "envoi" and event.autorite in auth_ids:
                sent = [
                    d for d in self.decisions if d.autorite == event.autorite and d.recours_gracieux
                ]
                if not sent:
                    problems.append(
                        f"journal[{i}] : aucun recours gracieux envoyé à « {event.autorite} » "
                        "(decisions[].recours_gracieux.date_envoi)"
                    )
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def _check_claims(self, auth_ids: list[str], finess: list[str]) -> list[str]:
        """Claims, mises en demeure and notified funding name known authorities and FINESS."""
        problems: list[str] = []
        named = [
            *(
                ("demandes_indemnitaires", i, d.autorite)
                for i, d in enumerate(self.demandes_indemnitaires)
            ),
            *(("mises_en_demeure", i, m.autorite) for i, m in enumerate(self.mises_en_demeure)),
            *(
                ("financements_notifies", i, f.autorite)
                for i, f in enumerate(self.financements_notifies)
            ),
        ]
        for where, i, autorite in named:
            if autorite not in auth_ids:
                problems.append(f"{where}[{i}].autorite : autorité inconnue « {autorite} »")
        for i, fin in enumerate(self.financements_notifies):
            if fin.etablissement is not None and fin.etablissement not in finess:
                problems.append(
                    f"financements_notifies[{i}].etablissement : FINESS inconnu {fin.etablissement}"
                )
        return problems

    def autorite(self, autorite_id: str) -> Autorite:
        return next(a for a in self.autorites if a.id == autorite_id)

    def etablissements_de(self, decision: Decision) -> list[Etablissement]:
        """Établissements a decision concerns (explicit list, else all the authority funds)."""
        funded = [
            e
            for e in self.etablissements
            if decision.autorite in {f.autorite for f in e.financeurs}
        ]
        if decision.etablissements:
            return [e for e in funded if e.finess in decision.etablissements]
        return funded

    def decision_id(self, index: int) -> str:
        return self.decisions[index].id or f"decision-{index + 1}"

    def demande_id(self, index: int) -> str:
        """How the journal names ``demandes_indemnitaires[index]`` (its requête, its judgment)."""
        return f"demande-indemnitaire-{index + 1}"
