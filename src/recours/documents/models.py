"""The document context models: everything a template sees, typed and described once.

Each document kind has one top-level model (`ContexteGracieux`, `ContexteRequete`...)
composed of the shared sub-models below; the builders of `documents.context` construct
them from the Analysis. The field names are the variables lawyers write in their templates
(`{{ organisme.raison_sociale }}`) and each `Field(description=...)` is the French text of
the variable reference (`recours modeles variables`, docs/variables-modeles.md), which is
derived from these models.

Templates never receive the models themselves: `sandbox.convert_multiline` copies a
context into plain dicts and lists (no Python object a sandboxed template could explore).

To add a document kind: a subclass of `ContexteDocument` with its own fields (reusing the
shared sub-models and annotated fields), its `kind`, `libelle` and `libelle_de`, and an
entry in `CONTEXT_MODELS`; then its builder in `documents.context`.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import core_schema


class MultiLine(str):
    """User text whose line breaks must survive in Word and PDF."""

    __slots__ = ()

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> core_schema.CoreSchema:
        # A plain `str` field would turn a MultiLine into a str and lose the line breaks.
        return core_schema.no_info_after_validator_function(
            lambda v: v if isinstance(v, cls) else cls(v), core_schema.str_schema()
        )


class ModeleContexte(BaseModel):
    """Base of every context model: no field a template does not know."""

    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------ shared sub-models


class Adresse(ModeleContexte):
    voie: str = Field(description="Numéro et voie")
    complement: str = Field(description="Complément d'adresse (vide s'il n'y en a pas)")
    code_postal: str = Field(description="Code postal")
    commune: str = Field(description="Commune")
    lignes: list[str] = Field(
        description="Lignes de l'adresse, prêtes à imprimer l'une sous l'autre"
    )
    une_ligne: str = Field(description="Adresse sur une ligne, lignes séparées par des virgules")


class Personne(ModeleContexte):
    civilite: str = Field(description="Civilité (Madame, Monsieur ou vide)")
    nom: str = Field(description="Prénom et nom")
    qualite: str = Field(description="Qualité (fonction)")
    nom_complet: str = Field(description="Civilité, prénom et nom")


class Signataire(Personne):
    delegation: str = Field(
        description="Référence de la délégation de signature (vide sans délégation)"
    )
    est_representant_legal: bool = Field(description="Le signataire est-il le représentant légal ?")


class Contact(ModeleContexte):
    nom: str = Field(description="Nom du contact (vide s'il n'y en a pas)")
    telephone: str = Field(description="Téléphone du contact (vide s'il n'y en a pas)")
    courriel: str = Field(description="Courriel du contact (vide s'il n'y en a pas)")


class Organisme(ModeleContexte):
    raison_sociale: str = Field(description="Raison sociale")
    forme_juridique: str = Field(description="Forme juridique")
    siren: str = Field(description="SIREN (déduit du SIRET s'il n'est pas saisi)")
    siret: str = Field(description="SIRET du siège (vide s'il n'est pas saisi)")
    rna: str = Field(description="Numéro RNA (vide s'il n'est pas saisi)")
    siege: Adresse = Field(description="Adresse du siège social")
    representant_legal: Personne = Field(description="Représentant légal")
    signataire: Signataire = Field(
        description="Signataire du document (le représentant légal s'il n'y a pas de délégation)"
    )
    contact: Contact = Field(description="Personne à contacter pour le suivi du dossier")


class Document(ModeleContexte):
    type: str = Field(
        description="Type de document : « gracieux », « requete », « demande_indemnitaire », "
        "« mise_en_demeure », « recours_hierarchique » ou « requete_indemnitaire »"
    )
    titre: str = Field(
        description="Titre du document (Recours gracieux, Requête, Demande indemnitaire "
        "préalable, Mise en demeure de payer, Recours hiérarchique, Requête indemnitaire)"
    )
    date: str = Field(description="Date du document, en toutes lettres")
    date_iso: str = Field(description="Date du document au format AAAA-MM-JJ")
    lieu: str = Field(description="Lieu de signature (par défaut : commune du siège)")
    reference: str = Field(description="Référence interne du dossier (vide s'il n'y en a pas)")
    dans_le_delai: bool = Field(
        description="Vrai si le document est établi dans le délai (sinon, il ne doit pas le "
        "dire : document généré hors délai à la demande de l'utilisateur)"
    )
    a_faire_signer_par_avocat: bool = Field(
        description="Vrai pour une requête générée sans avocat là où l'obligation d'avocat est "
        "incertaine, ou pour une requête indemnitaire où elle est obligatoire (--sans-avocat) : "
        "la requête doit le signaler"
    )


class Regles(ModeleContexte):
    recours: str = Field(description="Délai de recours contentieux, en toutes lettres")
    rejet_implicite: str = Field(
        description="Durée du silence valant rejet implicite, en toutes lettres"
    )
    delai_raisonnable: str = Field(
        description="Délai raisonnable sans mention des voies et délais, en toutes lettres"
    )


class Accord(ModeleContexte):
    titre: str = Field(
        description="Titre de l'accord, en minuscule initiale (« L'{{ accord.titre }} »)"
    )
    date: str = Field(description="Date de signature, en toutes lettres")
    montant_mensuel: str = Field(
        description="Montant mensuel brut de l'indemnité pour un temps plein"
    )
    date_effet: str = Field(description="Date d'effet, en toutes lettres")
    agrement: str = Field(description="Arrêté d'agrément et sa publication")
    extension: str = Field(description="Arrêté d'extension et sa publication")
    cout_unitaire_dgcs: str = Field(description="Coût unitaire retenu par la DGCS")
    instruction_dgcs: str = Field(description="Instruction de la DGCS qui fixe ce coût unitaire")


class Avocat(ModeleContexte):
    present: bool = Field(description="Un avocat est-il indiqué ?")
    nom: str = Field(description="Nom de l'avocat ou du cabinet (vide sans avocat)")
    barreau: str = Field(description="Barreau (vide sans avocat)")
    adresse: Adresse = Field(description="Adresse de l'avocat (vide sans avocat)")
    telephone: str = Field(description="Téléphone de l'avocat (vide s'il n'y en a pas)")
    courriel: str = Field(description="Courriel de l'avocat (vide s'il n'y en a pas)")
    toque: str = Field(description="Numéro de toque ou de case (vide s'il n'y en a pas)")


class Telerecours(ModeleContexte):
    pieces: str = Field(
        description="Une pièce par fichier, intitulé commençant par son numéro (CJA R.414-5)"
    )
    non_obligatoire: str = Field(
        description="Télérecours non obligatoire pour l'association sans avocat"
    )


class Autorite(ModeleContexte):
    id: str = Field(description="Identifiant court de l'autorité dans le dossier")
    type: str = Field(description="Type d'autorité (code du référentiel)")
    type_libelle: str = Field(description="Type d'autorité, en clair")
    nom: str = Field(description="Nom de l'autorité")
    service: str = Field(description="Service destinataire (vide s'il n'y en a pas)")
    adresse: Adresse = Field(description="Adresse de l'autorité")
    titre_titulaire: str = Field(
        description="Titre du chef de l'autorité pour l'adresse, selon sa civilité (« Madame "
        "la Présidente du conseil départemental de la Sarthe », « Madame la Maire de Paris »)"
    )
    formule_appel: str = Field(
        description="Formule d'appel (« Madame la Présidente », « Monsieur le Préfet de région »…)"
    )
    titre_autorite: str = Field(
        description="La fonction, sans article ni genre (« président du conseil départemental "
        "de la Sarthe »)"
    )
    titre: str = Field(
        description="Le chef de l'autorité dans une phrase, selon sa civilité (« la présidente "
        "du conseil départemental de la Sarthe »)"
    )
    titre_de: str = Field(description="Le même, précédé de « de » (« du président du conseil… »)")
    titre_a: str = Field(description="Le même, précédé de « à » (« au président du conseil… »)")
    defendeur: str = Field(
        description="Défendeur et son représentant (« le département de la Sarthe, représenté "
        "par… »)"
    )
    defendeur_nom: str = Field(
        description="Nom du défendeur dans une phrase (« le département de la Sarthe », « la "
        "Métropole de Lyon », « l'État »)"
    )
    defendeur_de: str = Field(
        description="Le même, précédé de « de » (« du département de la Sarthe »)"
    )
    defendeur_a: str = Field(
        description="Le même, précédé de « à » (« au département de la Sarthe »)"
    )
    collectivite: str = Field(
        description="Collectivité qui exerce les compétences départementales, d'après "
        "l'annuaire des autorités (vide pour l'État et l'ARS)"
    )
    region: str = Field(description="Région du département de l'autorité (annuaire des autorités)")
    ars: str = Field(
        description="Agence régionale de santé de cette région (annuaire des autorités)"
    )
    a_verifier: bool = Field(
        description="L'annuaire des autorités marque-t-il cette autorité « à vérifier » ?"
    )
    departement: str = Field(description="Département du siège de l'autorité")
    collectivite_territoriale: bool = Field(
        description="L'autorité est-elle une collectivité territoriale ?"
    )


class Etablissement(ModeleContexte):
    nom: str = Field(description="Nom de l'établissement ou du service")
    finess: str = Field(description="Numéro FINESS")
    categorie: str = Field(description="Catégorie d'ESMS (code du référentiel)")
    categorie_libelle: str = Field(description="Catégorie d'ESMS, en clair")
    adresse: Adresse = Field(description="Adresse de l'établissement")
    departement: str = Field(description="Département d'implantation (code)")
    departement_nom: str = Field(description="Département d'implantation (nom)")
    regime_budgetaire: str = Field(description="Régime budgétaire (code du référentiel)")
    regime_libelle: str = Field(description="Régime budgétaire, en clair")
    methode: str = Field(description="Méthode de calcul du coût (code)")
    methode_libelle: str = Field(description="Méthode de calcul du coût, en clair")


class RecoursGracieux(ModeleContexte):
    envoye: bool = Field(description="Un recours gracieux a-t-il été envoyé ?")
    date_envoi: str = Field(description="Date d'envoi du recours gracieux (vide sinon)")
    date_reception: str = Field(
        description="Date de réception du recours gracieux (vide si inconnue)"
    )


class Decision(ModeleContexte):
    id: str = Field(
        description="Identifiant court de la décision dans le dossier (vide s'il n'y en a pas)"
    )
    nature: str = Field(description="Nature de la décision (code du référentiel)")
    nature_libelle: str = Field(description="Nature de la décision, en clair")
    numero: str = Field(description="Numéro de la décision (vide s'il n'y en a pas)")
    date: str = Field(description="Date de la décision, en toutes lettres")
    date_notification: str = Field(description="Date de notification, en toutes lettres")
    objet: str = Field(description="Objet de la décision (vide s'il n'y en a pas)")
    intitule: str = Field(description="Intitulé complet : nature, numéro, date et objet")
    fixe_un_tarif: bool = Field(description="La décision fixe-t-elle un tarif ?")
    conclusions: str = Field(
        description="Conclusions à prendre : « reformation » ou « annulation »"
    )
    exercices: list[str] = Field(description="Exercices concernés (années ; vide : tous)")
    etablissements: list[str] = Field(description="Établissements concernés, « nom (FINESS n°) »")
    voies_et_delais_mentionnes: bool = Field(
        description="La notification mentionnait-elle les voies et délais de recours ?"
    )
    recours_gracieux: RecoursGracieux = Field(
        description="Recours gracieux déjà envoyé contre cette décision"
    )
    rejet_explicite: str = Field(
        description="Date de notification du rejet explicite du recours gracieux (vide sinon)"
    )


class LigneMontant(ModeleContexte):
    etablissement: str = Field(description="Nom de l'établissement")
    finess: str = Field(description="FINESS de l'établissement")
    annee: str = Field(description="Exercice")
    formule: str = Field(description="Détail du calcul du coût")
    cout_total: str = Field(description="Coût total de la mesure pour l'exercice")
    part: str = Field(description="Part de l'autorité dans le financement")
    du: str = Field(description="Montant dû par l'autorité")
    recu: str = Field(description="Montant reçu de l'autorité")
    ecart: str = Field(description="Reste dû (dû moins reçu)")


class TotalExercice(ModeleContexte):
    annee: str = Field(description="Exercice")
    du: str = Field(description="Total dû pour l'exercice")
    recu: str = Field(description="Total reçu pour l'exercice")
    ecart: str = Field(description="Reste dû pour l'exercice")


class Montants(ModeleContexte):
    lignes: list[LigneMontant] = Field(description="Une ligne par établissement et par exercice")
    par_exercice: list[TotalExercice] = Field(description="Totaux par exercice")
    total_du: str = Field(description="Total dû")
    total_recu: str = Field(description="Total reçu")
    total_ecart: str = Field(description="Total restant dû")
    total_ecart_en_lettres: str = Field(description="Total restant dû, en toutes lettres")
    total_ecart_valeur: str = Field(
        description="Total restant dû, nombre brut (1234.50) pour les comparaisons"
    )
    exercices: str = Field(description="Exercices concernés, séparés par des virgules")


class Moyen(ModeleContexte):
    code: str = Field(description="Clé du moyen dans le référentiel")
    intitule: str = Field(description="Intitulé du moyen")
    expose: str = Field(description="Exposé du moyen")
    references: list[str] = Field(description="Références abrégées des textes invoqués")
    a_verifier: bool = Field(description="Le moyen est-il encore à vérifier par un juriste ?")
    note: str = Field(description="Note interne du référentiel (vide s'il n'y en a pas)")


class Regimes(ModeleContexte):
    procedure_contradictoire: bool = Field(
        description="Au moins un établissement en procédure contradictoire ?"
    )
    cpom_eprd: bool = Field(description="Au moins un établissement sous CPOM / EPRD ?")
    libelles: list[str] = Field(description="Libellés des régimes présents")


class Delais(ModeleContexte):
    gracieux_date_limite: str = Field(description="Date limite du recours gracieux")
    gracieux_statut: str = Field(
        description="Statut du délai de recours gracieux (ouvert, dernier_jour, expire…)"
    )
    rejet_implicite: str = Field(description="Date de naissance du rejet implicite (vide sinon)")
    contentieux_point_de_depart: str = Field(
        description="Point de départ du délai de recours contentieux"
    )
    contentieux_evenement: str = Field(
        description="Événement qui fait courir le délai (notification, rejet_implicite…)"
    )
    contentieux_date_limite: str = Field(description="Date limite du recours contentieux")
    contentieux_statut: str = Field(
        description="Statut du délai de recours contentieux (ouvert, dernier_jour, expire…)"
    )
    delai_raisonnable: bool = Field(
        description="Le délai raisonnable (jurisprudence Czabaj) s'applique-t-il ?"
    )
    avertissements: list[str] = Field(description="Avertissements sur les délais")


class Piece(ModeleContexte):
    numero: str = Field(description="Numéro de la pièce")
    intitule: str = Field(description="Intitulé de la pièce")
    generee: bool = Field(
        description="La pièce est-elle produite par recours (tableau des montants) ?"
    )
    fichier: str = Field(
        description="Nom de fichier de la pièce dans le dossier Télérecours (numéro, puis intitulé)"
    )
    source: str = Field(
        description="Fichier PDF de la pièce indiqué dans le dossier (vide s'il n'est pas fourni)"
    )
    obligatoire: bool = Field(
        description="La pièce est-elle obligatoire pour le dépôt Télérecours (décision attaquée) ?"
    )


class Tribunal(ModeleContexte):
    nom: str = Field(description="Nom du tribunal")
    regle: str = Field(description="Règle de compétence appliquée")
    a_verifier: bool = Field(description="La compétence est-elle à vérifier ?")
    avertissement: str = Field(
        description="Avertissement sur la compétence (vide s'il n'y en a pas)"
    )


class AvocatRequis(ModeleContexte):
    obligatoire: bool = Field(description="Le ministère d'avocat est-il obligatoire ?")
    certain: bool = Field(description="Cette conclusion est-elle certaine ?")
    explication: str = Field(description="Explication de la règle")


class Situation(ModeleContexte):
    etablissement: str = Field(description="Nom de l'établissement")
    finess: str = Field(description="FINESS de l'établissement")
    montant: str = Field(description="Coût resté à la charge de l'organisme pour l'exercice")
    sans_decision: bool = Field(
        description="Vrai si aucune décision de l'autorité n'est enregistrée pour cet exercice"
    )
    decision_intitule: str = Field(
        description="Intitulé de la décision devenue définitive (vide sans décision)"
    )
    decision_notification: str = Field(
        description="Date de notification de cette décision (vide sans décision)"
    )


class ExerciceReclame(ModeleContexte):
    annee: str = Field(description="Exercice")
    situations: list[Situation] = Field(
        description="Établissements de l'exercice et leur situation"
    )


class Faute(ModeleContexte):
    refus: bool = Field(description="Vrai si une décision a refusé le financement (refus illégal)")
    carence: bool = Field(
        description="Vrai si un exercice n'a fait l'objet d'aucune décision (carence)"
    )


class Payeur(ModeleContexte):
    nom: str = Field(description="Nom du payeur")
    lignes: list[str] = Field(description="Lignes du bloc destinataire (titre et nom)")
    adresse: Adresse = Field(description="Adresse du payeur")
    est_autorite: bool = Field(
        description="Vrai si la lettre est adressée à l'autorité elle-même (aucun payeur "
        "indiqué) : pas de copie à l'autorité"
    )
    formule_appel: str = Field(description="Formule d'appel de la lettre")


class Versement(ModeleContexte):
    date: str = Field(description="Date du versement")
    montant: str = Field(description="Montant du versement")


class Financement(ModeleContexte):
    exercice: str = Field(description="Exercice du financement")
    date_notification: str = Field(description="Date de la notification, en toutes lettres")
    reference: str = Field(description="Référence de la notification (vide s'il n'y en a pas)")
    montant_notifie: str = Field(description="Montant notifié")
    montant_verse: str = Field(description="Total des versements reçus")
    reste_du: str = Field(description="Reste dû")
    reste_du_en_lettres: str = Field(description="Reste dû, en toutes lettres")
    versements: list[Versement] = Field(description="Versements reçus, par date")


# ------------------------------------------------------------------ top-level fields

# Fields shared by several document kinds, with their description: a kind declares
# `moyens: Moyens` and gets the same variable as the others.
ARTICLE_KEYS = "articles"
"""`json_schema_extra["cles"]` of a dict field keyed by the referential's articles."""

Textes = Annotated[
    dict[str, str],
    Field(
        description="Références complètes des textes, par clé (textes.crpa_l411_2)",
        json_schema_extra={"cles": ARTICLE_KEYS, "description_cle": "Référence complète — {objet}"},
    ),
]
TextesCourts = Annotated[
    dict[str, str],
    Field(
        description="Références abrégées des textes, par clé (textes_courts.crpa_l411_2)",
        json_schema_extra={"cles": ARTICLE_KEYS, "description_cle": "Référence abrégée — {objet}"},
    ),
]
Etablissements = Annotated[
    list[Etablissement], Field(description="Établissements et services concernés par le document")
]
Decisions = Annotated[
    list[Decision], Field(description="Décisions contestées (une seule dans la requête)")
]
MontantsReclames = Annotated[
    Montants,
    Field(
        description="Montants dus, reçus et restant dus pour l'autorité et les établissements "
        "concernés"
    ),
]
Moyens = Annotated[
    list[Moyen],
    Field(description="Moyens de droit retenus d'après les régimes budgétaires et l'autorité"),
]
RegimesPresents = Annotated[
    Regimes, Field(description="Régimes budgétaires des établissements concernés")
]
DelaisCalcules = Annotated[
    Delais, Field(description="Délais de recours calculés à la date du document")
]
DecisionAttaquee = Annotated[
    Decision, Field(description="La décision attaquée (requête et recours hiérarchique)")
]
TribunalCompetent = Annotated[
    Tribunal, Field(description="Le tribunal administratif compétent (requêtes seulement)")
]
AvocatObligatoire = Annotated[
    AvocatRequis, Field(description="Obligation de recourir à un avocat (requêtes seulement)")
]
ExercicesReclames = Annotated[
    list[ExerciceReclame],
    Field(description="Exercices réclamés, année par année (demande et requête indemnitaires)"),
]
FauteInvoquee = Annotated[
    Faute, Field(description="Fondement de la faute invoquée (demande et requête indemnitaires)")
]


class ContexteDocument(ModeleContexte):
    """What every document's template sees."""

    kind: ClassVar[str] = ""
    libelle: ClassVar[str] = ""
    """The kind as the variable reference names it (« recours gracieux »)."""
    libelle_de: ClassVar[str] = ""
    """The same after « de » (« du recours gracieux »), for the checker's messages."""

    document: Document = Field(description="Le document produit")
    regles: Regles = Field(
        description="Durées du référentiel écrites en toutes lettres, pour les phrases des modèles"
    )
    organisme: Organisme = Field(description="L'organisme gestionnaire qui forme le recours")
    accord: Accord = Field(description="L'accord « Ségur pour tous », d'après le référentiel")
    textes: Textes
    textes_courts: TextesCourts
    faits_complementaires: MultiLine = Field(
        description="Faits complémentaires saisis dans le dossier, sur plusieurs lignes"
    )
    avocat: Avocat = Field(description="L'avocat, s'il est indiqué dans le dossier")
    telerecours: Telerecours = Field(
        description="Règles de dépôt par Télérecours, d'après le référentiel"
    )
    autorite: Autorite = Field(
        description="L'autorité de tarification destinataire (ou défenderesse)"
    )
    etablissements: Etablissements
    pieces: list[Piece] = Field(description="Pièces jointes, numérotées")


class ContexteGracieux(ContexteDocument):
    """The recours gracieux to one authority."""

    kind: ClassVar[str] = "gracieux"
    libelle: ClassVar[str] = "recours gracieux"
    libelle_de: ClassVar[str] = "du recours gracieux"

    decisions: Decisions
    montants: MontantsReclames
    moyens: Moyens
    regimes: RegimesPresents
    delais: DelaisCalcules


class ContexteRequete(ContexteDocument):
    """The requête against one decision (also the inventory and the amounts table)."""

    kind: ClassVar[str] = "requete"
    libelle: ClassVar[str] = "requête"
    libelle_de: ClassVar[str] = "de la requête"

    decision: DecisionAttaquee
    decisions: Decisions
    montants: MontantsReclames
    moyens: Moyens
    regimes: RegimesPresents
    delais: DelaisCalcules
    tribunal: TribunalCompetent
    avocat_requis: AvocatObligatoire


class ContexteDemandeIndemnitaire(ContexteDocument):
    """The demande indemnitaire préalable to one authority."""

    kind: ClassVar[str] = "demande_indemnitaire"
    libelle: ClassVar[str] = "demande indemnitaire préalable"
    libelle_de: ClassVar[str] = "de la demande indemnitaire préalable"

    decisions: Decisions
    exercices: ExercicesReclames
    faute: FauteInvoquee
    montants: MontantsReclames
    moyens: Moyens
    regimes: RegimesPresents


class ContexteMiseEnDemeure(ContexteDocument):
    """The mise en demeure de payer of one notified funding."""

    kind: ClassVar[str] = "mise_en_demeure"
    libelle: ClassVar[str] = "mise en demeure de payer"
    libelle_de: ClassVar[str] = "de la mise en demeure de payer"

    payeur: Payeur = Field(
        description="Destinataire de la mise en demeure : l'organisme qui verse le financement"
    )
    financement: Financement = Field(
        description="Le financement notifié mais non entièrement versé"
    )


class Superieur(ModeleContexte):
    designation: str = Field(
        description="Supérieur hiérarchique, désigné comme dans le référentiel (« les "
        "ministres de tutelle de l'agence régionale de santé »)"
    )
    titre: str = Field(
        description="Ligne du destinataire de la lettre (vide si les sources ne permettent pas "
        "de l'écrire : la lettre n'est alors pas rédigée)"
    )
    formule_appel: str = Field(description="Formule d'appel de la lettre")
    pouvoir: str = Field(
        description="Phrase du référentiel qui fonde le recours : le pouvoir hiérarchique du "
        "supérieur sur l'auteur de la décision"
    )
    confiance: str = Field(
        description="Fiabilité de la désignation du supérieur dans le référentiel (C2, S1 ou U)"
    )
    a_verifier: bool = Field(
        description="Vrai si la désignation du supérieur est marquée incertaine"
    )
    fondement: str = Field(description="Article qui fonde ce pouvoir hiérarchique (référentiel)")
    regle_double: str = Field(
        description="Règle de l'article L.411-2, second alinéa, du CRPA (référentiel), "
        "commençant par une minuscule : le délai ne recommence à courir qu'après le rejet du "
        "recours gracieux et du recours hiérarchique"
    )


class ContexteRecoursHierarchique(ContexteDocument):
    """The recours hiérarchique against one decision of a DG ARS, to the ministers."""

    kind: ClassVar[str] = "recours_hierarchique"
    libelle: ClassVar[str] = "recours hiérarchique"
    libelle_de: ClassVar[str] = "du recours hiérarchique"

    superieur: Superieur = Field(
        description="Destinataire du recours hiérarchique : le supérieur hiérarchique de "
        "l'auteur de la décision, tel que le référentiel le désigne"
    )
    decision: DecisionAttaquee
    decisions: Decisions
    montants: MontantsReclames
    moyens: Moyens
    regimes: RegimesPresents
    delais: DelaisCalcules


class DemandeRejetee(ModeleContexte):
    date_envoi: str = Field(description="Date d'envoi de la demande, en toutes lettres")
    date_reception: str = Field(
        description="Date de réception de la demande par l'autorité (à compléter si elle est "
        "inconnue)"
    )
    reception_connue: bool = Field(
        description="La date de réception de la demande est-elle indiquée ?"
    )
    exercices: str = Field(
        description="Exercices réclamés par la requête, séparés par des virgules"
    )
    rejet_explicite: bool = Field(
        description="Vrai si la demande a été rejetée par une décision expresse"
    )
    date_rejet_explicite: str = Field(
        description="Date de notification du rejet exprès (vide sinon)"
    )
    rejet_implicite: str = Field(
        description="Date de naissance du rejet implicite (vide en cas de rejet exprès)"
    )
    date_limite: str = Field(
        description="Dernier jour pour saisir le tribunal (vide si aucun délai ne court : seule "
        "la prescription quadriennale limite alors l'action)"
    )
    sans_delai: bool = Field(description="Vrai si aucun délai de recours ne court contre le rejet")


class Recevabilite(ModeleContexte):
    liaison: str = Field(description="La demande préalable et son rejet lient le contentieux")
    rejet: str = Field(description="Comment la demande a été rejetée (rejet exprès ou silence)")
    delai: str = Field(
        description="Le délai de recours qui court contre ce rejet, ou l'absence de délai"
    )


class Interets(ModeleContexte):
    expose: str = Field(description="Exposé du droit aux intérêts et à leur capitalisation")
    conclusions: str = Field(description="Conclusions sur les intérêts et leur capitalisation")


class ContexteRequeteIndemnitaire(ContexteDocument):
    """The requête indemnitaire after the rejection of one demande préalable."""

    kind: ClassVar[str] = "requete_indemnitaire"
    libelle: ClassVar[str] = "requête indemnitaire"
    libelle_de: ClassVar[str] = "de la requête indemnitaire"

    decisions: Decisions
    exercices: ExercicesReclames
    faute: FauteInvoquee
    montants: MontantsReclames
    moyens: Moyens
    regimes: RegimesPresents
    demande: DemandeRejetee = Field(
        description="La demande indemnitaire préalable rejetée (requête indemnitaire seulement)"
    )
    recevabilite: Recevabilite = Field(
        description="Phrases de recevabilité de la requête indemnitaire, tirées du référentiel"
    )
    interets: Interets = Field(
        description="Intérêts moratoires et capitalisation, phrases du référentiel"
    )
    tribunal: TribunalCompetent
    avocat_requis: AvocatObligatoire


CONTEXT_MODELS: dict[str, type[ContexteDocument]] = {
    model.kind: model
    for model in (
        ContexteGracieux,
        ContexteRequete,
        ContexteDemandeIndemnitaire,
        ContexteMiseEnDemeure,
        ContexteRecoursHierarchique,
        ContexteRequeteIndemnitaire,
    )
}
"""The context model of each document kind, in the order the reference lists them."""
