"""Which routes remain possible for one exercise, from the facts of the dossier.

Pure: the route table lives in the referential (``voies``, from voies-de-droit.md §8); this
module only decides which rows the facts make relevant, and attaches the warnings of
:mod:`recours.law.indemnity` (prescription, Lafon) and of the recours hiérarchique.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from recours.law.indemnity import (
    ACTE_DEMANDE_INDEMNITAIRE,
    STATUT_PRESCRIT,
    Avertissement,
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
