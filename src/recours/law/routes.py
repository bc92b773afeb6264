"""Which routes remain possible for one exercise, from the facts of the dossier.

Pure: the route table lives in the referential (``voies``, from voies-de-droit.md §8); this
module only decides which rows the facts make relevant, and attaches the warnings of
:mod:`recours.law.indemnity` (prescription, Lafon) and of the recours hiérarchique.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from recours.dossier.models import Dossier
from recours.law.deadlines import add_months
from recours.law.indemnity import (
    ACTE_DEMANDE_INDEMNITAIRE,
    ACTE_MISE_EN_DEMEURE,
    ACTE_RECOURS_GRACIEUX,
    STATUT_PRESCRIT,
    Avertissement,
    DemandeIndemnitaireInput,
    LafonRisk,
    Prescription,
    Reclamation,
    avertissement,
    compute_prescription,
    lafon_risk,
)
from recours.law.referentiel import RegimeBudgetaire, TypeAutorite, article_label, load_referentiel


@dataclass(frozen=True)
class ExerciseFacts:
    """What the dossier says about one exercise of one établissement and authority."""

    annee: int
    type_autorite: TypeAutorite
    regime: RegimeBudgetaire
    decision_expresse: date | None  # express decision on the Ségur cost (None: none)
    decision_definitive: bool = False  # its contentious delay has expired
    notifie_non_verse: bool = False  # funding notified but not (fully) paid
    tarif_fixe: bool = True  # False: the authority never fixed the year's tariff
    acte_general: bool = False  # a general act (deliberation, circular) refuses the funding
    rejet_implicite_ouvert: bool = False  # an implicit rejection whose delay is still open
    reclamations: tuple[Reclamation, ...] = ()


@dataclass(frozen=True)
class RouteOffer:
    """One route that remains possible, with its conditions and sources (referential)."""

    cle: str
    libelle: str
    quand: str
    donnees: str
    document: str
    delai: str
    avocat: str
    redige: bool
    confiance: str
    fondements: tuple[str, ...]
    avertissements: tuple[Avertissement, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "cle": self.cle,
            "libelle": self.libelle,
            "quand": self.quand,
            "donnees": self.donnees,
            "document": self.document,
            "delai": self.delai,
            "avocat": self.avocat,
            "redige": self.redige,
            "confiance": self.confiance,
            "fondements": [article_label(key) for key in self.fondements],
            "fondements_cles": list(self.fondements),
            "avertissements": [w.to_json() for w in self.avertissements],
        }


@dataclass(frozen=True)
class ExerciseRoutes:
    """The routes of one exercise, with its prescription and Lafon risk."""

    annee: int
    prescription: Prescription
    lafon: LafonRisk
    voies: tuple[RouteOffer, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "exercice": self.annee,
            "prescription": self.prescription.to_json(),
            "lafon": self.lafon.to_json(),
            "voies": [v.to_json() for v in self.voies],
        }


def _offer(key: str, warnings: Sequence[Avertissement] = ()) -> RouteOffer:
    voie = load_referentiel().voies[key]
    return RouteOffer(
        cle=key,
        libelle=voie.libelle,
        quand=voie.quand,
        donnees=voie.donnees,
        document=voie.document,
        delai=voie.delai,
        avocat=voie.avocat,
        redige=voie.redige,
        confiance=voie.confiance,
        fondements=tuple(voie.references),
        avertissements=tuple(warnings),
    )


def hierarchical_warnings(type_autorite: TypeAutorite) -> list[Avertissement]:
    """Why a recours hiérarchique is (or is not) offered against this authority (§5.1)."""
    if type_autorite == "ars":
        return [avertissement("hierarchique_ars")]
    if type_autorite == "conseil_departemental":
        return [avertissement("hierarchique_pcd")]
    return []


def possible_routes(facts: ExerciseFacts, today: date, experts: bool = False) -> ExerciseRoutes:
    """The routes that remain possible for one exercise on ``today`` (voies-de-droit §1.3, §8).

    An open express decision: recours gracieux, recours hiérarchique where the authority has
    a superior, requête, médiation. A final one or none on the Ségur cost: reprise du déficit
    (BP/CA only), demande indemnitaire préalable while the exercise is not prescribed (with
    the Lafon risk), then the requête indemnitaire once a claim was sent. Référé-provision
    and mise en demeure only for notified-but-unpaid funding; REP only against a general act;
    demande de motifs only with an open implicit rejection; demande de DM only for the current
    year under BP/CA; demande de fixation only when no tariff was fixed. Expert options
    (référé-suspension, déféré) only when ``experts`` is true.
    """
    ref = load_referentiel()
    prescription = compute_prescription(
        facts.annee, facts.reclamations, today, type_autorite=facts.type_autorite
    )
    lafon = lafon_risk(facts.annee, facts.decision_expresse, facts.decision_definitive)
    offers: list[RouteOffer] = []
    open_decision = facts.decision_expresse is not None and not facts.decision_definitive

    if open_decision:
        offers.append(_offer("recours_gracieux"))
        superior = ref.recours_hierarchique[facts.type_autorite]
        if superior.possible:
            warnings = hierarchical_warnings(facts.type_autorite)
            if superior.confiance == "U":
                warnings.append(
                    avertissement(
                        "hierarchique_destinataire_incertain",
                        autorite=f"du {ref.autorites[facts.type_autorite].titre_autorite}",
                        superieur=superior.superieur or "inconnu",
                    )
                )
            offers.append(_offer("recours_hierarchique", warnings))
        elif experts:
            offers.append(_offer("demande_defere", hierarchical_warnings(facts.type_autorite)))
        offers.append(_offer("requete_tarif"))
        if experts:
            offers.append(_offer("refere_suspension"))
    if open_decision or facts.rejet_implicite_ouvert:
        offers.append(_offer("mediation"))
    if facts.rejet_implicite_ouvert:
        offers.append(_offer("demande_motifs"))

    final_or_none = facts.decision_expresse is None or facts.decision_definitive
    if final_or_none and facts.decision_definitive and facts.regime == "procedure_contradictoire":
        offers.append(_offer("reprise_deficit"))
    if final_or_none and prescription.statut != STATUT_PRESCRIT:
        lafon_warnings = [lafon.avertissement] if lafon.avertissement is not None else []
        offers.append(
            _offer("demande_indemnitaire", [*lafon_warnings, *prescription.avertissements])
        )
        claimed = any(r.nature == ACTE_DEMANDE_INDEMNITAIRE for r in facts.reclamations)
        if claimed:
            offers.append(_offer("requete_indemnitaire"))

    if facts.notifie_non_verse:
        offers.append(_offer("mise_en_demeure"))
        offers.append(_offer("refere_provision"))
    if facts.acte_general:
        offers.append(_offer("rep_acte_general"))
    if not facts.tarif_fixe:
        offers.append(_offer("demande_fixation"))
    if facts.annee == today.year and facts.regime == "procedure_contradictoire":
        offers.append(_offer("demande_dm"))
    return ExerciseRoutes(facts.annee, prescription, lafon, tuple(offers))


# --- from a dossier ----------------------------------------------------------------------


def dossier_reclamations(dossier: Dossier, autorite_id: str) -> tuple[Reclamation, ...]:
    """The written claims a dossier records about one authority's funding (loi 68-1250 art. 2).

    Demandes indemnitaires and mises en demeure (even sent to the payer: art. 2 counts a claim
    sent to the wrong administration), and the recours gracieux already sent, which claim
    the amount of the exercises of their decision (an application marked uncertain).
    """
    claims: list[Reclamation] = []
    for demande in dossier.demandes_indemnitaires:
        if demande.autorite == autorite_id:
            claims.append(
                Reclamation(
                    ACTE_DEMANDE_INDEMNITAIRE,
                    demande.date_envoi,
                    demande.date_reception,
                    frozenset(demande.exercices),
                )
            )
    for relance in dossier.mises_en_demeure:
        if relance.autorite == autorite_id:
            claims.append(
                Reclamation(
                    ACTE_MISE_EN_DEMEURE,
                    relance.date_envoi,
                    relance.date_reception,
                    frozenset(relance.exercices),
                )
            )
    for decision in dossier.decisions:
        sent = decision.recours_gracieux
        if decision.autorite == autorite_id and sent is not None:
            claims.append(
                Reclamation(
                    ACTE_RECOURS_GRACIEUX,
                    sent.date_envoi,
                    sent.date_reception,
                    frozenset(decision.exercices),
                )
            )
    return tuple(claims)


def demande_input(dossier: Dossier, index: int) -> DemandeIndemnitaireInput:
    """The chain input of ``dossier.demandes_indemnitaires[index]``.

    An earlier claim to the same authority about a common exercise, rejected (expressly, or
    implicitly two months after its receipt) before this one was sent, is passed on as
    ``rejet_anterieur``: the engine then warns that the new claim may be confirmative.
    Unknown answers stay unknown (the engine takes the shorter reading and says so). The
    calendar (local holidays, overseas) is that of the authority's département.
    """
    demande = dossier.demandes_indemnitaires[index]
    autorite = dossier.autorite(demande.autorite)
    months = load_referentiel().delais.rejet_implicite_mois
    earlier: list[date] = []
    for other in (
        dossier.demandes_indemnitaires[:index] + dossier.demandes_indemnitaires[index + 1 :]
    ):
        common = (
            not other.exercices
            or not demande.exercices
            or set(other.exercices) & set(demande.exercices)
        )
        if (
            other.autorite != demande.autorite
            or not common
            or other.date_envoi >= demande.date_envoi
        ):
            continue
        if other.rejet_explicite is not None:
            rejected = other.rejet_explicite.date_notification
        else:
            rejected = add_months(other.date_reception or other.date_envoi, months)
        if rejected <= demande.date_envoi:
            earlier.append(rejected)
    rejet = demande.rejet_explicite
    return DemandeIndemnitaireInput(
        envoi=demande.date_envoi,
        reception=demande.date_reception,
        accuse_reception_conforme=demande.accuse_reception_conforme,
        rejet_explicite=None if rejet is None else rejet.date_notification,
        rejet_voies_et_delais=rejet is None or rejet.voies_et_delais_mentionnes is not False,
        departement=autorite.departement,
        type_autorite=autorite.type,
        rejet_anterieur=max(earlier) if earlier else None,
    )


def notified_unpaid(dossier: Dossier, autorite_id: str, annee: int) -> bool:
    """Whether funding notified by the authority for the exercise is not fully paid (§7.1)."""
    return any(
        f.autorite == autorite_id and f.exercice == annee and f.reste_du > 0
        for f in dossier.financements_notifies
    )
