"""The indemnity routes: prescription quadriennale, the chain after a demande indemnitaire
préalable, and the Lafon risk.

Pure: no I/O and no clock (``today`` is a parameter). Every rule and sentence comes from the
legal referential (``prescription``, ``textes_voies``, ``articles``); the date primitives
(délai franc, roll-forward to a working day, months) are those of :mod:`recours.law.deadlines`.
Where the research digest could not settle a point, the engine keeps the earlier date and
returns a warning whose confidence is ``U`` instead of deciding.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Final

from recours.errors import DossierInvalidError, FieldProblem
from recours.formatting import date_longue as date_fr
from recours.law.deadlines import (
    EVENEMENT_REJET_EXPLICITE,
    EVENEMENT_REJET_IMPLICITE,
    STATUT_EXPIRE,
    add_months,
    last_day,
    status_on,
)
from recours.law.referentiel import article_label, load_referentiel

# A tool setting, not law: the warning that an exercise will soon be prescribed comes this
# many days before its last day (31 December), leaving time to write the claim, send it by
# registered post and have it received before the end of the year.
PRESCRIPTION_ALERT_DAYS: Final = 180

STATUT_PRESCRIPTION_OUVERT: Final = "ouvert"
STATUT_BIENTOT_PRESCRIT: Final = "bientot_prescrit"
STATUT_PRESCRIT: Final = "prescrit"
STATUT_ACTION_EN_COURS: Final = "action_en_cours"  # a requête interrupted it: no date

STATUT_EN_ATTENTE: Final = "en_attente"  # no decision yet on the claim: requête not admissible
STATUT_SANS_DELAI: Final = "sans_delai"  # no contentious delay runs: prescription only

ACTE_RECOURS_GRACIEUX: Final = "recours_gracieux"
ACTE_DEMANDE_INDEMNITAIRE: Final = "demande_indemnitaire"
ACTE_MISE_EN_DEMEURE: Final = "mise_en_demeure"
ACTE_REQUETE: Final = "requete"

# French names of the acts, as they appear in the sentences ("la mise en demeure du …").
ACTES: Final = {
    ACTE_RECOURS_GRACIEUX: "le recours gracieux",
    ACTE_DEMANDE_INDEMNITAIRE: "la demande indemnitaire préalable",
    ACTE_MISE_EN_DEMEURE: "la mise en demeure",
    ACTE_REQUETE: "la requête",
}


@dataclass(frozen=True)
class Avertissement:
    """A warning: its code (the key of its sentence in ``textes_voies``), text and confidence."""

    code: str
    texte: str
    confiance: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "texte": self.texte, "confiance": self.confiance}


def avertissement(code: str, **champs: object) -> Avertissement:
    """The referential sentence ``code`` with its placeholders filled."""
    texte = load_referentiel().textes_voies[code]
    return Avertissement(code, texte.rendre(**champs), texte.confiance)


def _unique(items: Iterable[Avertissement]) -> tuple[Avertissement, ...]:
    return tuple(dict.fromkeys(items))


# --- prescription quadriennale -----------------------------------------------------------


@dataclass(frozen=True)
class Reclamation:
    """A written act that interrupts the prescription (loi n° 68-1250, art. 2).

    ``nature`` is one of ``ACTES``. For a requête, ``envoi`` is its registration date.
    ``exercices`` lists the exercises the act claims (empty: all of them).
    """

    nature: str
    envoi: date | None
    reception: date | None = None
    exercices: frozenset[int] = field(default_factory=frozenset)

    def covers(self, annee: int) -> bool:
        return not self.exercices or annee in self.exercices


@dataclass(frozen=True)
class Prescription:
    """The prescription of one exercise on ``aujourdhui``."""

    annee: int
    debut: date  # 1 January of the current four-year period
    date_limite: date | None  # last day (31 December); None while a requête is pending
    statut: str
    jours_restants: int | None
    interruptions: tuple[Reclamation, ...]
    avertissements: tuple[Avertissement, ...]
    fondements: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "exercice": self.annee,
            "debut": self.debut.isoformat(),
            "date_limite": None if self.date_limite is None else self.date_limite.isoformat(),
            "statut": self.statut,
            "jours_restants": self.jours_restants,
            "interruptions": [
                {
                    "nature": r.nature,
                    "date_envoi": None if r.envoi is None else r.envoi.isoformat(),
                    "date_reception": None if r.reception is None else r.reception.isoformat(),
                }
                for r in self.interruptions
            ],
            "avertissements": [w.to_json() for w in self.avertissements],
            "fondements": [article_label(key) for key in self.fondements],
            "fondements_cles": list(self.fondements),
        }


def period_from(year_of_fact: int) -> tuple[date, date]:
    """First and last day of the four-year period after the year of a fact.

    Loi n° 68-1250, art. 1er: from the first day of the following year; art. 2: after an
    interruption, a new period from the first day of the year after it. The last day is
    always 31 December.
    """
    years = load_referentiel().prescription.duree_annees
    return date(year_of_fact + 1, 1, 1), date(year_of_fact + years, 12, 31)


def _validate_reclamations(reclamations: Sequence[Reclamation]) -> None:
    problems: list[FieldProblem] = []
    for i, rec in enumerate(reclamations):
        if rec.nature not in ACTES:
            problems.append(FieldProblem(f"reclamations[{i}].nature", f"inconnue : {rec.nature}"))
        if rec.envoi is None and rec.reception is None:
            problems.append(FieldProblem(f"reclamations[{i}]", "date d'envoi ou de réception"))
        if rec.envoi and rec.reception and rec.reception < rec.envoi:
            problems.append(
                FieldProblem(f"reclamations[{i}].reception", "antérieure à la date d'envoi")
            )
    if problems:
        raise DossierInvalidError("réclamations", problems)


def compute_prescription(
    annee: int,
    reclamations: Sequence[Reclamation],
    today: date,
    type_autorite: str | None = None,
) -> Prescription:
    """Prescription quadriennale of the rights of exercise ``annee`` on ``today``.

    Rights of year Y run from 1 January Y+1 to 31 December Y+4 (loi n° 68-1250, art. 1er).
    Each written claim received before the last day starts a new period from 1 January of the
    year after it (art. 2); a requête suspends the computation until the judgment is final.
    Whether the interruption dates from the sending or the receipt is not settled: the claim
    counts only if received in time, and the new period runs from the year it was sent. A
    claim sent after ``today`` is not counted.
    """
    _validate_reclamations(reclamations)
    debut, fin = period_from(annee)
    warnings = [avertissement("prescription_point_de_depart")]
    if type_autorite == "ars":
        warnings.append(avertissement("prescription_personne_publique"))
    fondements = ["loi-1968-art1"]
    interruptions: list[Reclamation] = []
    # A claim dated after today has not been made yet: it interrupts nothing.
    ordered = sorted(
        (r for r in reclamations if r.covers(annee) and (r.envoi or r.reception or today) <= today),
        key=lambda r: r.reception or r.envoi or date.max,
    )
    for rec in ordered:
        acte = ACTES[rec.nature]
        arrived = rec.reception or rec.envoi
        sent = rec.envoi or rec.reception
        assert arrived is not None and sent is not None  # checked by _validate_reclamations
        if arrived > fin:
            warnings.append(
                avertissement(
                    "prescription_interruption_tardive",
                    annee=annee,
                    acte=acte,
                    date=date_fr(arrived),
                    fin=date_fr(fin),
                )
            )
            continue
        interruptions.append(rec)
        if "loi-1968-art2" not in fondements:
            fondements.append("loi-1968-art2")
        if rec.nature == ACTE_REQUETE:
            warnings.append(
                avertissement("prescription_action_en_justice", annee=annee, date=date_fr(sent))
            )
            return Prescription(
                annee, debut, None, STATUT_ACTION_EN_COURS, None, tuple(interruptions),
                _unique(warnings), tuple(fondements),
            )  # fmt: skip
        if rec.nature == ACTE_RECOURS_GRACIEUX:
            warnings.append(
                avertissement("prescription_interruption_gracieux", annee=annee, date=date_fr(sent))
            )
        receipt_unknown_in_last_year = rec.reception is None and sent.year == fin.year
        years_differ = rec.reception is not None and sent.year != rec.reception.year
        if receipt_unknown_in_last_year or years_differ:
            warnings.append(
                avertissement(
                    "prescription_date_interruption",
                    acte=acte[0].upper() + acte[1:],
                    envoi=date_fr(rec.envoi) if rec.envoi else "inconnu",
                    reception=date_fr(rec.reception) if rec.reception else "inconnue",
                )
            )
        new_debut, new_fin = period_from(sent.year)
        # An interruption never shortens the period (a claim made before it started).
        if new_fin > fin:
            debut, fin = new_debut, new_fin
        warnings.append(
            avertissement(
                "prescription_interruption",
                annee=annee,
                acte=acte,
                date=date_fr(sent),
                debut=date_fr(debut),
                fin=date_fr(fin),
            )
        )
    statut, remaining = status_on(fin, today)
    if statut == STATUT_EXPIRE:
        statut = STATUT_PRESCRIT
        warnings.append(
            avertissement(
                "prescription_acquise",
                annee=annee,
                lendemain=date_fr(date(fin.year + 1, 1, 1)),
                fin=date_fr(fin),
            )
        )
        fondements += ["loi-1968-art3", "loi-1968-art7"]
    elif remaining <= PRESCRIPTION_ALERT_DAYS:
        statut = STATUT_BIENTOT_PRESCRIT
        warnings.append(
            avertissement("prescription_bientot", annee=annee, fin=date_fr(fin), jours=remaining)
        )
        if "loi-1968-art2" not in fondements:
            fondements.append("loi-1968-art2")
    else:
        statut = STATUT_PRESCRIPTION_OUVERT
    if statut == STATUT_PRESCRIPTION_OUVERT and not interruptions:
        warnings.insert(
            0,
            avertissement(
                "prescription_cours", annee=annee, debut=date_fr(debut), fin=date_fr(fin)
            ),
        )
    return Prescription(
        annee, debut, fin, statut, remaining, tuple(interruptions), _unique(warnings),
        tuple(fondements),
    )  # fmt: skip


# --- the chain after a demande indemnitaire préalable --------------------------------------


@dataclass(frozen=True)
class DemandeIndemnitaireInput:
    """The dates of one demande indemnitaire préalable, as known to the association."""

    envoi: date  # postmark
    reception: date | None = None  # authority's receipt (CRPA L.114-3)
    accuse_reception_conforme: bool | None = None  # R.112-5 mentions; None: unknown
    rejet_explicite: date | None = None  # notification of an express rejection
    rejet_voies_et_delais: bool = True  # the express rejection mentioned voies et délais
    departement: str | None = None
    type_autorite: str | None = None  # defendant's authority type (lawyer rule)
    rejet_anterieur: date | None = None  # an earlier identical claim rejected on this date


@dataclass(frozen=True)
class IndemnityChain:
    """Where a demande indemnitaire stands on ``aujourdhui``, and the requête that follows."""

    aujourdhui: date
    entree: DemandeIndemnitaireInput
    reception_retenue: date
    rejet_implicite: date | None  # None when an express rejection came first
    evenement: str | None  # "rejet_implicite" | "rejet_explicite" | None (no decision yet)
    point_de_depart: date | None
    date_limite: date | None  # None: no contentious delay (prescription only)
    statut: str  # "en_attente" | "ouvert" | "dernier_jour" | "expire" | "sans_delai"
    jours_restants: int | None
    avocat_obligatoire: bool | None  # None when the defendant's type is unknown
    avertissements: tuple[Avertissement, ...]
    fondements: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        inp = self.entree
        return {
            "date_envoi": inp.envoi.isoformat(),
            "date_reception": _iso(inp.reception),
            "reception_retenue": self.reception_retenue.isoformat(),
            "accuse_reception_conforme": inp.accuse_reception_conforme,
            "rejet_explicite": _iso(inp.rejet_explicite),
            "rejet_voies_et_delais_mentionnes": inp.rejet_voies_et_delais,
            "rejet_implicite": _iso(self.rejet_implicite),
            "evenement": self.evenement,
            "point_de_depart": _iso(self.point_de_depart),
            "date_limite": _iso(self.date_limite),
            "statut": self.statut,
            "jours_restants": self.jours_restants,
            "delai_raisonnable": False,  # never for an indemnity action (CE Vichy)
            "avocat_obligatoire": self.avocat_obligatoire,
            "avertissements": [w.to_json() for w in self.avertissements],
            "fondements": [article_label(key) for key in self.fondements],
            "fondements_cles": list(self.fondements),
        }


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _validate_demande(inp: DemandeIndemnitaireInput) -> None:
    problems: list[FieldProblem] = []
    if inp.reception is not None and inp.reception < inp.envoi:
        problems.append(FieldProblem("reception", "antérieure à la date d'envoi de la demande"))
    if inp.rejet_explicite is not None and inp.rejet_explicite < inp.envoi:
        problems.append(FieldProblem("rejet_explicite", "antérieur à l'envoi de la demande"))
    if problems:
        raise DossierInvalidError("dates de la demande indemnitaire", problems)


def _lawyer(type_autorite: str | None) -> tuple[bool | None, list[Avertissement], list[str]]:
    """CJA R.431-2 (money claims: lawyer), unless the defendant is a collectivité (R.431-3 5°)."""
    if type_autorite is None:
        return None, [], []
    info = load_referentiel().autorites.get(type_autorite)  # type: ignore[call-overload]
    if info is not None and info.collectivite_territoriale:
        return False, [avertissement("indemnitaire_avocat_collectivite")], ["cja-r431-3"]
    return True, [avertissement("indemnitaire_avocat_obligatoire")], ["cja-r431-2"]


def compute_indemnity_chain(inp: DemandeIndemnitaireInput, today: date) -> IndemnityChain:
    """Deadline of the requête indemnitaire after a demande préalable, on ``today``.

    Silence for two months after receipt is a rejection (CRPA L.231-4 3°, L.114-3). The
    requête is admissible only after that decision (CJA R.421-1 al. 2). Its two-month délai
    franc runs from an express rejection notified with voies et délais (R.421-1, R.421-5), or
    from the implicit rejection only if the acknowledgment carried the R.112-5 mentions
    (R.421-2; CE avis 30 Jan. 2019 n° 420797); an express rejection within that delay
    restarts it. Otherwise no delay runs and the one-year Czabaj limit does not apply (CE
    17 June 2019, Vichy, n° 413097): only the prescription quadriennale remains.
    """
    _validate_demande(inp)
    rules = load_referentiel().delais
    warnings: list[Avertissement] = []
    fondements: list[str] = ["cja-r421-1-al2", "crpa-l231-4-3", "crpa-l114-3"]
    if inp.rejet_anterieur is not None and inp.rejet_anterieur <= inp.envoi:
        warnings.append(
            avertissement("indemnitaire_confirmative", date=date_fr(inp.rejet_anterieur))
        )
        fondements.append("caa-paris-23pa04085")
    receipt = inp.reception
    if receipt is None:
        receipt = inp.envoi
        warnings.append(avertissement("indemnitaire_reception_inconnue", envoi=date_fr(inp.envoi)))
    compliant = inp.accuse_reception_conforme
    if compliant is None:
        compliant = True  # the shorter reading
        warnings.append(avertissement("indemnitaire_ar_inconnu"))
    implicit = add_months(receipt, rules.rejet_implicite_mois)
    implicit_limit: date | None = None
    day_after_warning: Avertissement | None = None
    if compliant:
        implicit_limit, extra = last_day(implicit, rules.recours_mois, inp.departement)
        warnings += [Avertissement("calendrier", w, "U") for w in extra]
        # Whether the implicit decision arises on that day or the next is not settled.
        day_after = implicit + timedelta(days=1)
        other, _ = last_day(day_after, rules.recours_mois, inp.departement)
        if other != implicit_limit:
            day_after_warning = avertissement(
                "indemnitaire_rejet_implicite_lendemain",
                rejet_implicite=date_fr(implicit),
                lendemain=date_fr(day_after),
                autre_date=date_fr(other),
                date_limite=date_fr(implicit_limit),
            )

    explicit = inp.rejet_explicite
    evenement: str | None
    start: date | None
    limit: date | None
    born: date | None = implicit
    if explicit is not None and explicit < implicit:
        born = None  # the express decision came first: no implicit one arises
    if explicit is not None and (
        born is None or implicit_limit is None or explicit <= implicit_limit
    ):
        evenement, start = EVENEMENT_REJET_EXPLICITE, explicit
        if inp.rejet_voies_et_delais:
            limit, extra = last_day(explicit, rules.recours_mois, inp.departement)
            warnings += [Avertissement("calendrier", w, "U") for w in extra]
            warnings.append(
                avertissement(
                    "indemnitaire_rejet_explicite",
                    date=date_fr(explicit),
                    date_limite=date_fr(limit),
                )
            )
            fondements += ["cja-r421-1", "cja-r421-5", "ce-delai-franc"]
            if born is not None:
                fondements.append("cja-r421-2")
        else:
            limit = None
            warnings.append(
                avertissement("indemnitaire_rejet_sans_mentions", date=date_fr(explicit))
            )
            fondements += ["cja-r421-5", "ce-vichy-413097"]
    else:
        evenement, start = EVENEMENT_REJET_IMPLICITE, implicit
        fondements.append("cja-r421-2")
        if today < implicit and explicit is None:
            warnings.append(
                avertissement(
                    "indemnitaire_attente",
                    reception=date_fr(receipt),
                    rejet_implicite=date_fr(implicit),
                )
            )
        if implicit_limit is not None:
            limit = implicit_limit
            if day_after_warning is not None and explicit is None:
                warnings.append(day_after_warning)
            warnings.append(
                avertissement(
                    "indemnitaire_delai_implicite",
                    rejet_implicite=date_fr(implicit),
                    date_limite=date_fr(implicit_limit),
                )
            )
            fondements += ["crpa-r112-5", "cja-r421-3", "ce-avis-420797", "ce-delai-franc"]
            if explicit is not None:
                warnings.append(
                    avertissement(
                        "indemnitaire_rejet_apres_delai",
                        date=date_fr(explicit),
                        date_limite=date_fr(implicit_limit),
                    )
                )
        else:
            limit = None
            warnings.append(
                avertissement("indemnitaire_sans_delai", rejet_implicite=date_fr(implicit))
            )
            fondements += ["crpa-r112-5", "crpa-l112-6", "ce-avis-420797", "ce-vichy-413097"]

    decided = explicit is not None or today >= implicit
    remaining: int | None = None
    if not decided:
        statut = STATUT_EN_ATTENTE
        if limit is not None:
            remaining = (limit - today).days
    elif limit is None:
        statut = STATUT_SANS_DELAI
    else:
        statut, remaining = status_on(limit, today)
    avocat, lawyer_warnings, lawyer_grounds = _lawyer(inp.type_autorite)
    return IndemnityChain(
        aujourdhui=today,
        entree=inp,
        reception_retenue=receipt,
        rejet_implicite=born,
        evenement=evenement if decided else None,
        point_de_depart=start if decided else None,
        date_limite=limit,
        statut=statut,
        jours_restants=remaining,
        avocat_obligatoire=avocat,
        avertissements=_unique([*warnings, *lawyer_warnings]),
        fondements=tuple(dict.fromkeys([*fondements, *lawyer_grounds])),
    )


# --- the Lafon risk -----------------------------------------------------------------------


@dataclass(frozen=True)
class LafonRisk:
    """Whether a final express decision may bar an indemnity claim for one exercise."""

    annee: int
    risque: bool
    avertissement: Avertissement | None

    def to_json(self) -> dict[str, object]:
        return {
            "exercice": self.annee,
            "risque": self.risque,
            "avertissement": None if self.avertissement is None else self.avertissement.to_json(),
        }


def lafon_risk(annee: int, decision_expresse: date | None, definitive: bool) -> LafonRisk:
    """The Lafon risk of one exercise (CE Sect. 2 May 1959; CE 9 March 2018 n° 405355).

    A final express decision: risk flagged, never asserted away (whether a tariff arrêté has
    a purely pecuniary object is not settled). No express decision: the bar seems not to
    apply (an inference, marked uncertain). An express decision still open: no risk yet, the
    decision itself can be contested.
    """
    if decision_expresse is None:
        return LafonRisk(annee, False, avertissement("lafon_sans_decision", annee=annee))
    if definitive:
        warning = avertissement("lafon_risque", annee=annee, date=date_fr(decision_expresse))
        return LafonRisk(annee, True, warning)
    return LafonRisk(annee, False, None)


# --- one report for `recours delais` ------------------------------------------------------


@dataclass(frozen=True)
class IndemnityReport:
    """The indemnity chain of one claim and the prescription of each exercise, on one day."""

    aujourdhui: date
    demande: IndemnityChain | None
    prescriptions: tuple[Prescription, ...]

    @property
    def avertissements(self) -> tuple[Avertissement, ...]:
        """Every warning once, the claim's first, then each exercise's."""
        items = list(self.demande.avertissements) if self.demande is not None else []
        for item in self.prescriptions:
            items += item.avertissements
        return _unique(items)


def compute_indemnity_report(
    today: date,
    demande: DemandeIndemnitaireInput | None = None,
    exercices: Sequence[int] = (),
    reclamations: Sequence[Reclamation] = (),
    type_autorite: str | None = None,
) -> IndemnityReport:
    """Chain of ``demande`` and prescription of each of ``exercices`` on ``today``.

    The demande itself (its postmark and receipt) is a written claim that interrupts the
    prescription of every exercise (loi n° 68-1250, art. 2), as is each of ``reclamations``.
    """
    chain = None if demande is None else compute_indemnity_chain(demande, today)
    claims = list(reclamations)
    if demande is not None:
        claims.append(Reclamation(ACTE_DEMANDE_INDEMNITAIRE, demande.envoi, demande.reception))
    prescriptions = tuple(
        compute_prescription(year, claims, today, type_autorite=type_autorite)
        for year in sorted(set(exercices))
    )
    return IndemnityReport(today, chain, prescriptions)
