"""The template variable reference: every variable a template can use, as a dotted path.

The reference is generated, not written: the document context builders run on the example
dossiers (examples/*.yaml) and their output is walked (lists become `[]`). Descriptions
come from one table, DESCRIPTIONS, that a test keeps complete; when a variable comes
straight from a dossier field, the field and its model description are shown too.
`recours modeles variables` prints it; docs/variables-modeles.md is its Markdown form.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from recours.documents.context import Context, MultiLine
from recours.documents.sandbox import TEMPLATE_FILES
from recours.dossier import models
from recours.errors import RecoursError
from recours.law.referentiel import load_referentiel

# A fixed date (the examples' document date) keeps deadline statuses reproducible.
EXAMPLE_TODAY = date(2026, 11, 20)
KINDS = ("gracieux", "requete", "demande_indemnitaire", "mise_en_demeure")
KIND_LABELS = {
    "gracieux": "recours gracieux",
    "requete": "requête",
    "demande_indemnitaire": "demande indemnitaire préalable",
    "mise_en_demeure": "mise en demeure de payer",
}

# Which context each template file is rendered with: the inventory and the amounts table
# are pièces of the requête.
TEMPLATE_KINDS = {
    name: (document if document in KINDS else "requete")
    for (document, _fmt), name in TEMPLATE_FILES.items()
}

_ADRESSE = {
    "": "Adresse",
    "voie": "Numéro et voie",
    "complement": "Complément d'adresse (vide s'il n'y en a pas)",
    "code_postal": "Code postal",
    "commune": "Commune",
    "lignes": "Lignes de l'adresse, prêtes à imprimer l'une sous l'autre",
    "une_ligne": "Adresse sur une ligne, lignes séparées par des virgules",
}
_PERSONNE = {
    "civilite": "Civilité (Madame, Monsieur ou vide)",
    "nom": "Prénom et nom",
    "qualite": "Qualité (fonction)",
    "nom_complet": "Civilité, prénom et nom",
}
_DECISION = {
    "": "Décision contestée",
    "id": "Identifiant court de la décision dans le dossier (vide s'il n'y en a pas)",
    "nature": "Nature de la décision (code du référentiel)",
    "nature_libelle": "Nature de la décision, en clair",
    "numero": "Numéro de la décision (vide s'il n'y en a pas)",
    "date": "Date de la décision, en toutes lettres",
    "date_notification": "Date de notification, en toutes lettres",
    "objet": "Objet de la décision (vide s'il n'y en a pas)",
    "intitule": "Intitulé complet : nature, numéro, date et objet",
    "fixe_un_tarif": "La décision fixe-t-elle un tarif ?",
    "conclusions": "Conclusions à prendre : « reformation » ou « annulation »",
    "exercices": "Exercices concernés (années ; vide : tous)",
    "etablissements": "Établissements concernés, « nom (FINESS n°) »",
    "voies_et_delais_mentionnes": "La notification mentionnait-elle les voies et délais de recours ?",
    "recours_gracieux": "Recours gracieux déjà envoyé contre cette décision",
    "recours_gracieux.envoye": "Un recours gracieux a-t-il été envoyé ?",
    "recours_gracieux.date_envoi": "Date d'envoi du recours gracieux (vide sinon)",
    "recours_gracieux.date_reception": "Date de réception du recours gracieux (vide si inconnue)",
    "rejet_explicite": "Date de notification du rejet explicite du recours gracieux (vide sinon)",
}


def _prefixed(prefix: str, table: dict[str, str]) -> dict[str, str]:
    return {(f"{prefix}.{k}" if k else prefix): v for k, v in table.items()}


DESCRIPTIONS: dict[str, str] = {
    "document": "Le document produit",
    "document.type": "Type de document : « gracieux », « requete », « demande_indemnitaire » "
    "ou « mise_en_demeure »",
    "document.titre": "Titre du document (Recours gracieux, Requête, Demande indemnitaire "
    "préalable, Mise en demeure de payer)",
    "document.date": "Date du document, en toutes lettres",
    "document.date_iso": "Date du document au format AAAA-MM-JJ",
    "document.lieu": "Lieu de signature (par défaut : commune du siège)",
    "document.reference": "Référence interne du dossier (vide s'il n'y en a pas)",
    "document.dans_le_delai": "Vrai si le document est établi dans le délai (sinon, il ne doit "
    "pas le dire : document généré hors délai à la demande de l'utilisateur)",
    "document.a_faire_signer_par_avocat": "Vrai pour une requête générée sans avocat là où "
    "l'obligation d'avocat est incertaine (--sans-avocat) : la requête doit le signaler",
    "regles": "Durées du référentiel écrites en toutes lettres, pour les phrases des modèles",
    "regles.recours": "Délai de recours contentieux, en toutes lettres",
    "regles.rejet_implicite": "Durée du silence valant rejet implicite, en toutes lettres",
    "regles.delai_raisonnable": "Délai raisonnable sans mention des voies et délais, en toutes lettres",
    "organisme": "L'organisme gestionnaire qui forme le recours",
    "organisme.raison_sociale": "Raison sociale",
    "organisme.forme_juridique": "Forme juridique",
    "organisme.siren": "SIREN (déduit du SIRET s'il n'est pas saisi)",
    "organisme.siret": "SIRET du siège (vide s'il n'est pas saisi)",
    "organisme.rna": "Numéro RNA (vide s'il n'est pas saisi)",
    **_prefixed("organisme.siege", {**_ADRESSE, "": "Adresse du siège social"}),
    "organisme.representant_legal": "Représentant légal",
    **_prefixed("organisme.representant_legal", _PERSONNE),
    "organisme.signataire": "Signataire du document (le représentant légal s'il n'y a pas de délégation)",
    **_prefixed("organisme.signataire", _PERSONNE),
    "organisme.signataire.delegation": "Référence de la délégation de signature (vide sans délégation)",
    "organisme.signataire.est_representant_legal": "Le signataire est-il le représentant légal ?",
    "organisme.contact": "Personne à contacter pour le suivi du dossier",
    "organisme.contact.nom": "Nom du contact (vide s'il n'y en a pas)",
    "organisme.contact.telephone": "Téléphone du contact (vide s'il n'y en a pas)",
    "organisme.contact.courriel": "Courriel du contact (vide s'il n'y en a pas)",
    "accord": "L'accord « Ségur pour tous », d'après le référentiel",
    "accord.titre": "Titre de l'accord, en minuscule initiale (« L'{{ accord.titre }} »)",
    "accord.date": "Date de signature, en toutes lettres",
    "accord.montant_mensuel": "Montant mensuel brut de l'indemnité pour un temps plein",
    "accord.date_effet": "Date d'effet, en toutes lettres",
    "accord.agrement": "Arrêté d'agrément et sa publication",
    "accord.extension": "Arrêté d'extension et sa publication",
    "accord.cout_unitaire_dgcs": "Coût unitaire retenu par la DGCS",
    "accord.instruction_dgcs": "Instruction de la DGCS qui fixe ce coût unitaire",
    "textes": "Références complètes des textes, par clé (textes.crpa_l411_2)",
    "textes.*": "Référence complète — {objet}",
    "textes_courts": "Références abrégées des textes, par clé (textes_courts.crpa_l411_2)",
    "textes_courts.*": "Référence abrégée — {objet}",
    "faits_complementaires": "Faits complémentaires saisis dans le dossier, sur plusieurs lignes",
    "avocat": "L'avocat, s'il est indiqué dans le dossier",
    "avocat.present": "Un avocat est-il indiqué ?",
    "avocat.nom": "Nom de l'avocat ou du cabinet (vide sans avocat)",
    "avocat.barreau": "Barreau (vide sans avocat)",
    **_prefixed("avocat.adresse", {**_ADRESSE, "": "Adresse de l'avocat (vide sans avocat)"}),
    "avocat.telephone": "Téléphone de l'avocat (vide s'il n'y en a pas)",
    "avocat.courriel": "Courriel de l'avocat (vide s'il n'y en a pas)",
    "avocat.toque": "Numéro de toque ou de case (vide s'il n'y en a pas)",
    "autorite": "L'autorité de tarification destinataire (ou défenderesse)",
    "autorite.id": "Identifiant court de l'autorité dans le dossier",
    "autorite.type": "Type d'autorité (code du référentiel)",
    "autorite.type_libelle": "Type d'autorité, en clair",
    "autorite.nom": "Nom de l'autorité",
    "autorite.service": "Service destinataire (vide s'il n'y en a pas)",
    **_prefixed("autorite.adresse", {**_ADRESSE, "": "Adresse de l'autorité"}),
    "autorite.titre_titulaire": "Titre du chef de l'autorité pour l'adresse, selon sa civilité "
    "(« Madame la Présidente du conseil départemental de la Sarthe », « Madame la Maire de "
    "Paris »)",
    "autorite.formule_appel": "Formule d'appel (« Madame la Présidente », « Monsieur le Préfet "
    "de région »…)",
    "autorite.titre_autorite": "La fonction, sans article ni genre (« président du conseil "
    "départemental de la Sarthe »)",
    "autorite.titre": "Le chef de l'autorité dans une phrase, selon sa civilité (« la présidente "
    "du conseil départemental de la Sarthe »)",
    "autorite.titre_de": "Le même, précédé de « de » (« du président du conseil… »)",
    "autorite.titre_a": "Le même, précédé de « à » (« au président du conseil… »)",
    "autorite.defendeur": "Défendeur et son représentant (« le département de la Sarthe, "
    "représenté par… »)",
    "autorite.defendeur_nom": "Nom du défendeur dans une phrase (« le département de la Sarthe », "
    "« la Métropole de Lyon », « l'État »)",
    "autorite.defendeur_de": "Le même, précédé de « de » (« du département de la Sarthe »)",
    "autorite.defendeur_a": "Le même, précédé de « à » (« au département de la Sarthe »)",
    "autorite.collectivite": "Collectivité qui exerce les compétences départementales, d'après "
    "l'annuaire des autorités (vide pour l'État et l'ARS)",
    "autorite.region": "Région du département de l'autorité (annuaire des autorités)",
    "autorite.ars": "Agence régionale de santé de cette région (annuaire des autorités)",
    "autorite.a_verifier": "L'annuaire des autorités marque-t-il cette autorité « à vérifier » ?",
    "autorite.departement": "Département du siège de l'autorité",
    "autorite.collectivite_territoriale": "L'autorité est-elle une collectivité territoriale ?",
    "etablissements": "Établissements et services concernés par le document",
    "etablissements[].nom": "Nom de l'établissement ou du service",
    "etablissements[].finess": "Numéro FINESS",
    "etablissements[].categorie": "Catégorie d'ESMS (code du référentiel)",
    "etablissements[].categorie_libelle": "Catégorie d'ESMS, en clair",
    **_prefixed("etablissements[].adresse", {**_ADRESSE, "": "Adresse de l'établissement"}),
    "etablissements[].departement": "Département d'implantation (code)",
    "etablissements[].departement_nom": "Département d'implantation (nom)",
    "etablissements[].regime_budgetaire": "Régime budgétaire (code du référentiel)",
    "etablissements[].regime_libelle": "Régime budgétaire, en clair",
    "etablissements[].methode": "Méthode de calcul du coût (code)",
    "etablissements[].methode_libelle": "Méthode de calcul du coût, en clair",
    **_prefixed("decision", {**_DECISION, "": "La décision attaquée (requête seulement)"}),
    **_prefixed("decisions[]", {k: v for k, v in _DECISION.items() if k}),
    "decisions": "Décisions contestées (une seule dans la requête)",
    "montants": "Montants dus, reçus et restant dus pour l'autorité et les établissements concernés",
    "montants.lignes": "Une ligne par établissement et par exercice",
    "montants.lignes[].etablissement": "Nom de l'établissement",
    "montants.lignes[].finess": "FINESS de l'établissement",
    "montants.lignes[].annee": "Exercice",
    "montants.lignes[].formule": "Détail du calcul du coût",
    "montants.lignes[].cout_total": "Coût total de la mesure pour l'exercice",
    "montants.lignes[].part": "Part de l'autorité dans le financement",
    "montants.lignes[].du": "Montant dû par l'autorité",
    "montants.lignes[].recu": "Montant reçu de l'autorité",
    "montants.lignes[].ecart": "Reste dû (dû moins reçu)",
    "montants.par_exercice": "Totaux par exercice",
    "montants.par_exercice[].annee": "Exercice",
    "montants.par_exercice[].du": "Total dû pour l'exercice",
    "montants.par_exercice[].recu": "Total reçu pour l'exercice",
    "montants.par_exercice[].ecart": "Reste dû pour l'exercice",
    "montants.total_du": "Total dû",
    "montants.total_recu": "Total reçu",
    "montants.total_ecart": "Total restant dû",
    "montants.total_ecart_en_lettres": "Total restant dû, en toutes lettres",
    "montants.total_ecart_valeur": "Total restant dû, nombre brut (1234.50) pour les comparaisons",
    "montants.exercices": "Exercices concernés, séparés par des virgules",
    "moyens": "Moyens de droit retenus d'après les régimes budgétaires et l'autorité",
    "moyens[].code": "Clé du moyen dans le référentiel",
    "moyens[].intitule": "Intitulé du moyen",
    "moyens[].expose": "Exposé du moyen",
    "moyens[].references": "Références abrégées des textes invoqués",
    "moyens[].a_verifier": "Le moyen est-il encore à vérifier par un juriste ?",
    "moyens[].note": "Note interne du référentiel (vide s'il n'y en a pas)",
    "regimes": "Régimes budgétaires des établissements concernés",
    "regimes.procedure_contradictoire": "Au moins un établissement en procédure contradictoire ?",
    "regimes.cpom_eprd": "Au moins un établissement sous CPOM / EPRD ?",
    "regimes.libelles": "Libellés des régimes présents",
    "delais": "Délais de recours calculés à la date du document",
    "delais.gracieux_date_limite": "Date limite du recours gracieux",
    "delais.gracieux_statut": "Statut du délai de recours gracieux (ouvert, dernier_jour, expire…)",
    "delais.rejet_implicite": "Date de naissance du rejet implicite (vide sinon)",
    "delais.contentieux_point_de_depart": "Point de départ du délai de recours contentieux",
    "delais.contentieux_evenement": "Événement qui fait courir le délai (notification, rejet_implicite…)",
    "delais.contentieux_date_limite": "Date limite du recours contentieux",
    "delais.contentieux_statut": "Statut du délai de recours contentieux (ouvert, dernier_jour, expire…)",
    "delais.delai_raisonnable": "Le délai raisonnable (jurisprudence Czabaj) s'applique-t-il ?",
    "delais.avertissements": "Avertissements sur les délais",
    "pieces": "Pièces jointes, numérotées",
    "pieces[].numero": "Numéro de la pièce",
    "pieces[].intitule": "Intitulé de la pièce",
    "pieces[].generee": "La pièce est-elle produite par recours (tableau des montants) ?",
    "pieces[].fichier": "Nom de fichier de la pièce dans le dossier Télérecours (numéro, puis intitulé)",
    "pieces[].source": "Fichier PDF de la pièce indiqué dans le dossier (vide s'il n'est pas fourni)",
    "pieces[].obligatoire": "La pièce est-elle obligatoire pour le dépôt Télérecours (décision attaquée) ?",
    "telerecours": "Règles de dépôt par Télérecours, d'après le référentiel",
    "telerecours.pieces": "Une pièce par fichier, intitulé commençant par son numéro (CJA R.414-5)",
    "telerecours.non_obligatoire": "Télérecours non obligatoire pour l'association sans avocat",
    "tribunal": "Le tribunal administratif compétent (requête seulement)",
    "tribunal.nom": "Nom du tribunal",
    "tribunal.regle": "Règle de compétence appliquée",
    "tribunal.a_verifier": "La compétence est-elle à vérifier ?",
    "tribunal.avertissement": "Avertissement sur la compétence (vide s'il n'y en a pas)",
    "avocat_requis": "Obligation de recourir à un avocat (requête seulement)",
    "avocat_requis.obligatoire": "Le ministère d'avocat est-il obligatoire ?",
    "avocat_requis.certain": "Cette conclusion est-elle certaine ?",
    "avocat_requis.explication": "Explication de la règle",
    # Demande indemnitaire préalable.
    "exercices": "Exercices réclamés, année par année (demande indemnitaire seulement)",
    "exercices[].annee": "Exercice",
    "exercices[].situations": "Établissements de l'exercice et leur situation",
    "exercices[].situations[].etablissement": "Nom de l'établissement",
    "exercices[].situations[].finess": "FINESS de l'établissement",
    "exercices[].situations[].montant": "Coût resté à la charge de l'organisme pour l'exercice",
    "exercices[].situations[].sans_decision": "Vrai si aucune décision de l'autorité n'est "
    "enregistrée pour cet exercice",
    "exercices[].situations[].decision_intitule": "Intitulé de la décision devenue définitive "
    "(vide sans décision)",
    "exercices[].situations[].decision_notification": "Date de notification de cette décision "
    "(vide sans décision)",
    "faute": "Fondement de la faute invoquée (demande indemnitaire seulement)",
    "faute.refus": "Vrai si une décision a refusé le financement (refus illégal)",
    "faute.carence": "Vrai si un exercice n'a fait l'objet d'aucune décision (carence)",
    # Mise en demeure de payer.
    "payeur": "Destinataire de la mise en demeure : l'organisme qui verse le financement",
    "payeur.nom": "Nom du payeur",
    "payeur.lignes": "Lignes du bloc destinataire (titre et nom)",
    **_prefixed("payeur.adresse", {**_ADRESSE, "": "Adresse du payeur"}),
    "payeur.est_autorite": "Vrai si la lettre est adressée à l'autorité elle-même (aucun "
    "payeur indiqué) : pas de copie à l'autorité",
    "payeur.formule_appel": "Formule d'appel de la lettre",
    "financement": "Le financement notifié mais non entièrement versé",
    "financement.exercice": "Exercice du financement",
    "financement.date_notification": "Date de la notification, en toutes lettres",
    "financement.reference": "Référence de la notification (vide s'il n'y en a pas)",
    "financement.montant_notifie": "Montant notifié",
    "financement.montant_verse": "Total des versements reçus",
    "financement.reste_du": "Reste dû",
    "financement.reste_du_en_lettres": "Reste dû, en toutes lettres",
    "financement.versements": "Versements reçus, par date",
    "financement.versements[].date": "Date du versement",
    "financement.versements[].montant": "Montant du versement",
}

# Context objects that mirror a dossier model: (model, path of the field in the dossier).
MODEL_SOURCES: dict[str, tuple[type[BaseModel], str]] = {
    "organisme": (models.Organisme, "organisme"),
    "organisme.siege": (models.Adresse, "organisme.siege"),
    "organisme.representant_legal": (models.Personne, "organisme.representant_legal"),
    "organisme.signataire": (models.Signataire, "organisme.signataire"),
    "organisme.contact": (models.Contact, "organisme.contact"),
    "autorite": (models.Autorite, "autorites[]"),
    "autorite.adresse": (models.Adresse, "autorites[].adresse"),
    "etablissements[]": (models.Etablissement, "etablissements[]"),
    "etablissements[].adresse": (models.Adresse, "etablissements[].adresse"),
    "decision": (models.Decision, "decisions[]"),
    "decisions[]": (models.Decision, "decisions[]"),
    "decision.recours_gracieux": (models.RecoursGracieuxEnvoye, "decisions[].recours_gracieux"),
    "decisions[].recours_gracieux": (models.RecoursGracieuxEnvoye, "decisions[].recours_gracieux"),
    "avocat": (models.Avocat, "avocat"),
    "avocat.adresse": (models.Adresse, "avocat.adresse"),
    "document": (models.Dossier, ""),
    "": (models.Dossier, ""),
}


@dataclass(frozen=True)
class Variable:
    """One variable of the reference."""

    chemin: str
    type: str
    description: str
    exemple: str
    documents: tuple[str, ...]
    champ_dossier: str = ""
    aide_champ: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "chemin": self.chemin,
            "type": self.type,
            "description": self.description,
            "exemple": self.exemple,
            "documents": list(self.documents),
            "champ_dossier": self.champ_dossier or None,
            "aide_champ": self.aide_champ or None,
        }


@dataclass
class _Node:
    type: str
    documents: set[str] = field(default_factory=set)
    example: Any = None


@dataclass(frozen=True)
class ExampleContext:
    """A document context built from an example dossier."""

    exemple: str
    kind: str
    libelle: str
    context: Context


def examples_dir() -> Path | None:
    """The example dossiers: inside the wheel (recours/examples) or examples/ of a checkout."""
    packaged = Path(__file__).resolve().parents[1] / "examples"
    if packaged.is_dir():
        return packaged
    folder = Path(__file__).resolve().parents[3] / "examples"
    return folder if folder.is_dir() else None


def example_contexts(today: date = EXAMPLE_TODAY) -> list[ExampleContext]:
    """Every document context the example dossiers give: each gracieux, each requête."""
    from recours.dossier.validation import load_dossier

    folder = examples_dir()
    if folder is None or not any(folder.glob("*.yaml")):
        raise RecoursError("dossiers d'exemple introuvables (examples/*.yaml)")
    from recours.documents.generate import build_context
    from recours.law.analysis import analyse
    from recours.law.referentiel import load_referentiel

    out = []
    for path in sorted(folder.glob("*.yaml")):
        analysis = analyse(load_dossier(path), today, load_referentiel())
        for doc in analysis.documents:
            # Every document the dossier can have, written now or not: each is a context
            # a template must render.
            label = (
                f"requête — {analysis.decision(doc.decisions[0]).ident}"
                if doc.kind == "requete"
                else doc.libelle
            )
            out.append(ExampleContext(path.stem, doc.kind, label, build_context(analysis, doc)))
    return out


def _type_of(value: Any) -> str:
    if isinstance(value, MultiLine):
        return "texte multiligne"
    if isinstance(value, bool):
        return "booléen"
    if isinstance(value, int | float):
        return "nombre"
    if isinstance(value, dict):
        return "objet"
    if isinstance(value, list):
        return "liste"
    return "texte"


def _walk(value: Any, path: str, kind: str, nodes: dict[str, _Node]) -> None:
    node = nodes.get(path)
    if node is None:
        node = nodes[path] = _Node(_type_of(value))
    node.documents.add(kind)
    if isinstance(value, BaseModel):
        value = value.__dict__
        node.type = "objet"
    if isinstance(value, dict):
        for key, item in value.items():
            _walk(item, f"{path}.{key}" if path else key, kind, nodes)
    elif isinstance(value, list):
        for item in value:
            _walk(item, f"{path}[]", kind, nodes)
    elif node.example in (None, "") and value != "":
        node.example = value


def description_of(path: str) -> str | None:
    """The French description of a variable path, from DESCRIPTIONS (or the referential)."""
    if path in DESCRIPTIONS:
        return DESCRIPTIONS[path]
    head, _, key = path.rpartition(".")
    pattern = DESCRIPTIONS.get(f"{head}.*")
    if pattern is None:
        return None
    articles = {
        k.replace("-", "_").replace(".", "_"): a for k, a in load_referentiel().articles.items()
    }
    article = articles.get(key)
    return pattern.format(objet=article.objet.rstrip(".")) if article else None


def _model_field(path: str) -> tuple[str, str]:
    parent, _, name = path.rpartition(".")
    source = MODEL_SOURCES.get(parent)
    if source is None:
        return "", ""
    model, prefix = source
    info = model.model_fields.get(name)
    if info is None:
        return "", ""
    return (f"{prefix}.{name}" if prefix else name), info.description or ""


def _example_text(node: _Node) -> str:
    value = node.example
    if node.type in ("objet", "liste") or value is None:
        return ""
    if isinstance(value, bool):
        return "vrai" if value else "faux"
    text = " ".join(str(value).split())
    return text if len(text) <= 70 else text[:69] + "…"


@dataclass(frozen=True)
class Reference:
    """All template variables, by path (lists as `[]`), in context order."""

    variables: tuple[Variable, ...]
    types: dict[str, str]
    documents: dict[str, frozenset[str]]

    def children(self, path: str) -> list[str]:
        """Names directly under an object path ("" for the top level)."""
        prefix = f"{path}." if path else ""
        names = (p[len(prefix) :] for p in self.types if p.startswith(prefix))
        return [n for n in names if n and "." not in n and "[" not in n]


def build_reference(contexts: list[ExampleContext]) -> Reference:
    nodes: dict[str, _Node] = {}
    for example in contexts:
        for key, value in example.context.__dict__.items():
            _walk(value, key, example.kind, nodes)
    variables = []
    for path, node in nodes.items():
        shown = node.type
        if node.type == "liste":
            item = nodes.get(f"{path}[]")
            shown = "liste d'objets" if item and item.type == "objet" else "liste de textes"
        champ, aide = _model_field(path)
        if path.endswith("[]"):
            continue
        variables.append(
            Variable(
                chemin=path,
                type=shown,
                description=description_of(path) or "",
                exemple=_example_text(node) if node.type != "liste" else _list_example(path, nodes),
                documents=tuple(k for k in KINDS if k in node.documents),
                champ_dossier=champ,
                aide_champ=aide,
            )
        )
    return Reference(
        variables=tuple(variables),
        types={p: n.type for p, n in nodes.items()},
        documents={p: frozenset(n.documents) for p, n in nodes.items()},
    )


def _list_example(path: str, nodes: dict[str, _Node]) -> str:
    item = nodes.get(f"{path}[]")
    return _example_text(item) if item is not None and item.type != "objet" else ""


@functools.cache
def template_reference() -> Reference:
    """The reference built from the example dossiers (once per process)."""
    return build_reference(example_contexts())


def undescribed(reference: Reference) -> list[str]:
    """Variable paths with no French description (the table must stay complete)."""
    return [v.chemin for v in reference.variables if not v.description]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def reference_markdown(reference: Reference) -> str:
    """docs/variables-modeles.md."""
    lines = [
        "# Variables des modèles",
        "",
        "<!-- Généré par `recours modeles variables --format md` : ne pas modifier à la main. -->",
        "",
        "Les modèles Word (`.docx`) et HTML (`.html`) utilisent ces variables entre doubles "
        "accolades : `{{ organisme.raison_sociale }}`. Un chemin avec `[]` désigne les "
        "éléments d'une liste, à parcourir avec une boucle : "
        "`{% for l in montants.lignes %}{{ l.du }}{% endfor %}`. La colonne « Documents » "
        "indique le contexte où la variable existe : le recours gracieux "
        "(`recours_gracieux.*`) ou la requête (`requete.*`, `inventaire.html`, "
        "`tableau_montants.html`). Les exemples viennent des dossiers `examples/*.yaml`.",
        "",
        "Vérifiez un modèle modifié avec `recours modeles verifier DOSSIER`.",
    ]
    section = None
    for var in reference.variables:
        top = var.chemin.split(".")[0].split("[")[0]
        if top != section:
            section = top
            lines += [
                "",
                f"## `{top}`",
                "",
                "| Variable | Type | Description | Exemple | Documents | Champ du dossier |",
                "|---|---|---|---|---|---|",
            ]
        docs = ", ".join(KIND_LABELS[k] for k in var.documents)
        example = f"`{_cell(var.exemple)}`" if var.exemple else ""
        champ = f"`{var.champ_dossier}`" if var.champ_dossier else ""
        lines.append(
            f"| `{var.chemin}` | {var.type} | {_cell(var.description)} | {example} | {docs} "
            f"| {champ} |"
        )
    lines += ["", "## Filtres de grammaire", "", FILTERS_INTRO, ""]
    lines += ["| Filtre | Effet | Exemples |", "|---|---|---|"]
    lines += [f"| `{name}` | {effect} | {examples} |" for name, effect, examples in FILTERS]
    return "\n".join(lines) + "\n"


FILTERS_INTRO = (
    "Contraction et élision des noms de lieux et d'autorités : `Fait {{ document.lieu|a }}` "
    "donne « Fait au Mans », `à la charge {{ autorite.defendeur_nom|de }}` donne « à la charge "
    "du département de la Sarthe ». L'article est lu en tête du nom (« le département », "
    "« Le Mans », « La Rochelle ») ; pour un nom de département sans article, donnez-le : "
    "`{{ 'Haut-Rhin'|de('le') }}` donne « du Haut-Rhin »."
)
FILTERS = (
    (
        "de",
        "précède le nom de « de », contracté ou élidé",
        "« du Mans », « de la Métropole de Lyon », « de l'Ain », « d'Eure-et-Loir », "
        "« de Paris », « de La Réunion », « des Hautes-Alpes »",
    ),
    (
        "a",
        "précède le nom de « à », contracté",
        "« au Mans », « aux Sables-d'Olonne », « à La Rochelle », « à la Métropole de Lyon »",
    ),
)


def reference_json(reference: Reference) -> str:
    return json.dumps([v.to_json() for v in reference.variables], ensure_ascii=False, indent=2)


def docs_path() -> Path:
    return Path(__file__).resolve().parents[3] / "docs" / "variables-modeles.md"
