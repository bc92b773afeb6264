"""From a dossier's decisions to deadlines, competent court and lawyer requirement."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from recours.dossier.models import Decision, Dossier
from recours.formatting import date_longue
from recours.law.deadlines import DeadlineInput, DeadlineReport, compute_deadlines
from recours.law.referentiel import RegleAvocat, load_referentiel


def deadline_input(dossier: Dossier, decision: Decision) -> DeadlineInput:
    etabs = dossier.etablissements_de(decision)
    gracieux = decision.recours_gracieux
    return DeadlineInput(
        notification=decision.date_notification,
        envoi_gracieux=gracieux.date_envoi if gracieux else None,
        reception_gracieux=gracieux.date_reception if gracieux else None,
        # Unknown is treated as compliant: the shorter deadline is the prudent one.
        accuse_reception_conforme=gracieux is None
        or gracieux.accuse_reception_conforme is not False,
        rejet_explicite=decision.rejet_explicite.date_notification
        if decision.rejet_explicite
        else None,
        voies_et_delais_mentionnes=decision.voies_et_delais_mentionnes is not False,
        departement=etabs[0].departement if etabs else None,
        decision_tarifaire=load_referentiel().natures_decision[decision.nature].fixe_un_tarif,
        **_hierarchical_input(dossier, decision),
    )


def _hierarchical_input(dossier: Dossier, decision: Decision) -> dict[str, Any]:
    """The recours hiérarchique the dossier records, for the deadline engine (CRPA L.411-2)."""
    sent = decision.recours_hierarchique
    if sent is None:
        return {}
    return {
        "envoi_hierarchique": sent.date_envoi,
        "reception_hierarchique": sent.date_reception,
        "accuse_hierarchique_conforme": sent.accuse_reception_conforme is not False,
        "rejet_explicite_hierarchique": sent.date_rejet_explicite,
        "type_autorite": dossier.autorite(decision.autorite).type,
    }


def decision_deadlines(dossier: Dossier, decision: Decision, today: date) -> DeadlineReport:
    """Deadlines of a decision; warnings of every département it concerns.

    Local holidays never move a date (they are only warned about), so the dates come from
    the first établissement; the other départements may add warnings (overseas, Alsace-Moselle).
    """
    inp = deadline_input(dossier, decision)
    report = compute_deadlines(inp, today)
    others = sorted(
        {e.departement for e in dossier.etablissements_de(decision)} - {inp.departement}
    )
    extra: list[str] = []
    for departement in others:
        other = compute_deadlines(dataclasses.replace(inp, departement=departement), today)
        extra += [
            w for w in other.avertissements if w not in report.avertissements and w not in extra
        ]
    if extra:
        report = dataclasses.replace(report, avertissements=(*report.avertissements, *extra))
    return report


@dataclass(frozen=True)
class Juridiction:
    """The court a requête goes to, and how sure we are."""

    nom: str
    regle: str
    verifie: bool
    avertissement: str | None


def competent_court(dossier: Dossier, decision: Decision) -> Juridiction:
    """Tariff court of the établissement's département since 2025 for a decision that sets a
    tariff (décret n° 2024-1168); otherwise the court of the authority's seat (CJA R.312-1)."""
    ref = load_referentiel()
    nature = ref.natures_decision[decision.nature]
    autorite = dossier.autorite(decision.autorite)
    etabs = dossier.etablissements_de(decision)
    if nature.fixe_un_tarif and etabs:
        departements = sorted({e.departement for e in etabs})
        rows = [ref.tribunal(d) for d in departements]
        names = sorted({r.ta_tarification for r in rows if r.ta_tarification})
        unverified = [r for r in rows if not r.verifie or not r.ta_tarification]
        regle = (
            f"tribunal de la tarification du lieu d'implantation de l'établissement depuis le "
            f"{date_longue(ref.tribunaux.date_tarification)} "
            f"({ref.article('decret-2024-1168').court})"
        )
        warning = None
        if unverified:
            dep = ", ".join(f"{r.departement} ({r.code})" for r in unverified)
            warning = (
                f"Tribunal de la tarification non confirmé pour : {dep}. Vérifiez-le auprès du "
                "greffe avant de déposer la requête."
            )
        if len(names) > 1:
            warning = (warning + " " if warning else "") + (
                "Les établissements relèvent de plusieurs tribunaux : "
                + ", ".join(names)
                + " ; une requête par tribunal peut être nécessaire."
            )
        if names:
            single = len(names) == 1
            return Juridiction(_ta_name(names[0]), regle, single and not unverified, warning)
        fallback = ref.tribunal(autorite.departement)
        return Juridiction(
            _ta_name(fallback.ta_droit_commun),
            regle + " ; à défaut de correspondance connue, tribunal du siège de l'autorité "
            f"({ref.article('cja-r312-1').court})",
            False,
            warning,
        )
    row = ref.tribunal(autorite.departement)
    warning = None
    if not nature.fixe_un_tarif:
        warning = ref.note_natures
    return Juridiction(
        _ta_name(row.ta_droit_commun),
        f"tribunal du siège de l'autorité qui a pris la décision ({ref.article('cja-r312-1').court})",
        True,
        warning,
    )


def _ta_name(seat: str) -> str:
    """'Lille' -> 'tribunal administratif de Lille'; 'Amiens' -> "tribunal administratif d'Amiens"."""
    if seat[:1] in "AEIOUÉÈaeiou":
        return f"tribunal administratif d'{seat}"
    return f"tribunal administratif de {seat}"


def lawyer_rule(dossier: Dossier, decision: Decision) -> RegleAvocat:
    return load_referentiel().avocat[dossier.autorite(decision.autorite).type]


def indemnity_court(dossier: Dossier, autorite_id: str, finess: set[str]) -> Juridiction:
    """The court of a requête indemnitaire against one authority, never marked verified.

    Indemnity conclusions tied to the tariff power belonged to the juge du tarif (CAA Paris
    n° 16PA00374, [S1]); that the tariff court designated since 2025 hears them is not
    confirmed ([U], voies-de-droit §2 and §9 question 2). The designated tariff court of the
    établissements is named, with the referential's warning; without one, the court of the
    authority's seat (CJA R.312-14 1°, as for the decision that caused the damage).
    """
    ref = load_referentiel()
    autorite = dossier.autorite(autorite_id)
    etabs = [e for e in dossier.etablissements if e.finess in finess]
    rows = [ref.tribunal(d) for d in sorted({e.departement for e in etabs})]
    names = sorted({r.ta_tarification for r in rows if r.ta_tarification})
    seat = (
        _ta_name(names[0])
        if names
        else _ta_name(ref.tribunal(autorite.departement).ta_droit_commun)
    )
    warning = ref.textes_voies["requete_indemnitaire_tribunal"].rendre(
        tribunal=seat, date_tarification=date_longue(ref.tribunaux.date_tarification)
    )
    if len(names) > 1:
        warning += (
            " Les établissements relèvent de plusieurs tribunaux : "
            + ", ".join(_ta_name(n) for n in names)
            + " ; une requête par tribunal peut être nécessaire."
        )
    regle = ref.voies["requete_indemnitaire"].note or ""
    return Juridiction(seat, regle, False, warning)
