"""One legal analysis per dossier, computed once and read by every consumer.

Pure: no I/O and no clock (``today`` is a parameter). From a validated dossier it decides,
decision by decision, the exercises claimed, the amounts, the deadline chain, the court, the
lawyer rule and the grounds that the dossier's facts back up; document by document, whether
it may be written now and, if not, why and how to go on; exercise by exercise, whether its
decision can still be contested and what remains. The documents, the CLI (``verifier``,
``calculer``, ``generer``), the questionnaire and the batch read this object and never
recompute it. Every sentence comes from the referential (``messages``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Literal

from recours.dossier.models import Autorite, Decision, Dossier, Etablissement
from recours.files import slug
from recours.formatting import date_longue, montant
from recours.law.amounts import AmountsReport, compute_amounts
from recours.law.checks import dossier_warnings
from recours.law.deadlines import (
    STATUT_EXPIRE,
    STATUTS_OUVERTS,
    Deadline,
    DeadlineReport,
)
from recours.law.deadlines import next_deadline as next_of
from recours.law.indemnity import (
    STATUT_EN_ATTENTE,
    STATUT_PRESCRIT,
    STATUT_SANS_DELAI,
    IndemnityChain,
    avertissement,
    compute_indemnity_chain,
    compute_prescription,
    lafon_risk,
)
from recours.law.procedure import (
    Juridiction,
    competent_court,
    decision_deadlines,
    indemnity_court,
    lawyer_rule,
)
from recours.law.referentiel import Moyen, Referentiel, RegleAvocat
from recours.law.routes import (
    ExerciseFacts,
    demande_input,
    dossier_reclamations,
    notified_unpaid,
    possible_routes,
)

GRACIEUX: Literal["gracieux"] = "gracieux"
REQUETE: Literal["requete"] = "requete"
DEMANDE_INDEMNITAIRE: Literal["demande_indemnitaire"] = "demande_indemnitaire"
MISE_EN_DEMEURE: Literal["mise_en_demeure"] = "mise_en_demeure"
RECOURS_HIERARCHIQUE: Literal["recours_hierarchique"] = "recours_hierarchique"
REQUETE_INDEMNITAIRE: Literal["requete_indemnitaire"] = "requete_indemnitaire"
DocumentKind = Literal[
    "gracieux",
    "requete",
    "demande_indemnitaire",
    "mise_en_demeure",
    "recours_hierarchique",
    "requete_indemnitaire",
]
DOCUMENTS: tuple[DocumentKind, ...] = (
    GRACIEUX,
    REQUETE,
    DEMANDE_INDEMNITAIRE,
    MISE_EN_DEMEURE,
    RECOURS_HIERARCHIQUE,
    REQUETE_INDEMNITAIRE,
)

# What lifts a blocker: the CLI option of the same meaning, or nothing.
OPTION_HORS_DELAI: Literal["hors_delai"] = "hors_delai"
OPTION_SANS_AVOCAT: Literal["sans_avocat"] = "sans_avocat"
Option = Literal["hors_delai", "sans_avocat"]


@dataclass(frozen=True)
class ClaimLine:
    """What one authority owes for one établissement and one exercise."""

    finess: str
    etablissement: str
    annee: int
    formule: str
    cout: Decimal
    autorite: str
    pourcentage: Decimal
    du: Decimal
    recu: Decimal
    reclame: Decimal


@dataclass(frozen=True)
class Claim:
    """The lines a document claims, in établissement then exercise order."""

    lignes: tuple[ClaimLine, ...]

    @property
    def du(self) -> Decimal:
        return sum((ligne.du for ligne in self.lignes), Decimal("0.00"))

    @property
    def recu(self) -> Decimal:
        return sum((ligne.recu for ligne in self.lignes), Decimal("0.00"))

    @property
    def reclame(self) -> Decimal:
        return sum((ligne.reclame for ligne in self.lignes), Decimal("0.00"))

    @property
    def exercices(self) -> tuple[int, ...]:
        return tuple(sorted({ligne.annee for ligne in self.lignes}))


@dataclass(frozen=True)
class Ground:
    """A legal ground the regime calls for, and whether the dossier's facts back it."""

    code: str
    moyen: Moyen
    imprime: bool
    faits_manquants: tuple[str, ...]


@dataclass(frozen=True)
class DecisionAnalysis:
    index: int
    decision: Decision
    autorite: Autorite
    etablissements: tuple[Etablissement, ...]
    exercices: tuple[int, ...]
    claim: Claim
    delais: DeadlineReport
    juridiction: Juridiction
    avocat: RegleAvocat
    moyens: tuple[Ground, ...]

    @property
    def ident(self) -> str:
        return self.decision.id or self.decision.numero or f"decision-{self.index + 1}"

    @property
    def gracieux_envoye(self) -> bool:
        return self.decision.recours_gracieux is not None

    @property
    def gracieux_ouvert(self) -> bool:
        """A recours gracieux can still be posted in time (and none was sent)."""
        return not self.gracieux_envoye and self.delais.recours_gracieux.statut in STATUTS_OUVERTS

    @property
    def contentieux_ouvert(self) -> bool:
        return self.delais.recours_contentieux.statut in STATUTS_OUVERTS


@dataclass(frozen=True)
class Blocker:
    """Why a document is not written now; ``option`` lifts it (None: nothing does)."""

    code: str
    texte: str
    option: Option | None


@dataclass(frozen=True)
class PlannedDocument:
    """One document the dossier can call for, and where it stands today."""

    kind: DocumentKind
    autorite: str
    decisions: tuple[int, ...]  # indices in dossier.decisions, in file order
    libelle: str
    stem: str
    par_defaut: bool  # part of the plan when the user does not choose
    claim: Claim
    bloquants: tuple[Blocker, ...]
    avertissements: tuple[str, ...]
    dans_le_delai: bool  # the document may say it is formed in time
    pending_expired: bool = False  # recours gracieux whose every pending decision expired
    financement: int | None = None  # mise en demeure: index in dossier.financements_notifies
    moyens: tuple[Ground, ...] = ()  # demande indemnitaire: grounds of the fault
    demande: int | None = None  # requête indemnitaire: index in dossier.demandes_indemnitaires
    chaine: IndemnityChain | None = None  # requête indemnitaire: the claim's deadline chain
    juridiction: Juridiction | None = None  # requête indemnitaire: its court

    def refus(self, options: Iterable[Option] = ()) -> tuple[Blocker, ...]:
        """Blockers that the given options do not lift."""
        given = set(options)
        return tuple(b for b in self.bloquants if b.option is None or b.option not in given)

    def leves(self, options: Iterable[Option] = ()) -> tuple[Blocker, ...]:
        given = set(options)
        return tuple(b for b in self.bloquants if b.option is not None and b.option in given)


Etat = Literal["conteste", "contestable", "definitif", "sans_decision"]


@dataclass(frozen=True)
class ExerciseStatus:
    """One établissement x exercise x authority with money still owed."""

    finess: str
    etablissement: str
    annee: int
    autorite: str
    reclame: Decimal
    etat: Etat
    decision: int | None
    texte: str
    restes: str  # what remains possible ("" while the decision can be contested)
    voies: tuple[str, ...] = ()  # routes explained but not drafted (referential voies keys)


@dataclass(frozen=True)
class Analysis:
    """The analysis of one dossier on one day.

    The decisions (claims, deadlines, court, lawyer rule, grounds) are computed at once;
    the documents, the exercise statuses and the warnings on first use, once: a consumer
    that needs only the deadlines (the follow-up of hundreds of dossiers) does not pay for
    the wording of every letter.
    """

    aujourdhui: date
    dossier: Dossier
    montants: AmountsReport
    decisions: tuple[DecisionAnalysis, ...]
    ref: Referentiel = field(repr=False, compare=False)

    def decision(self, index: int) -> DecisionAnalysis:
        return self.decisions[index]

    @property
    def documents(self) -> tuple[PlannedDocument, ...]:
        return self._outcomes[0]

    @property
    def exercices(self) -> tuple[ExerciseStatus, ...]:
        return self._outcomes[1]

    @property
    def avertissements(self) -> tuple[str, ...]:
        return self._outcomes[2]

    @functools.cached_property
    def prochaine_echeance(self) -> tuple[str, Deadline] | None:
        best = _next_deadline(self.decisions)
        claim = _next_indemnity_deadline(self.dossier, self.aujourdhui)
        if claim is not None and (best is None or claim[1].date_limite < best[1].date_limite):
            return claim
        return best

    @functools.cached_property
    def _outcomes(
        self,
    ) -> tuple[tuple[PlannedDocument, ...], tuple[ExerciseStatus, ...], tuple[str, ...]]:
        return _outcomes(self.dossier, self.montants, self.decisions, self.aujourdhui, self.ref)

    def plan(self, documents: Iterable[str] | None = None) -> list[PlannedDocument]:
        """The documents of the default plan, or every document of the kinds asked for.

        A decision's own choice (``decisions[].documents``) narrows the default plan.
        """
        if documents is None:
            return [doc for doc in self.documents if doc.par_defaut]
        wanted = set(documents)
        return [doc for doc in self.documents if doc.kind in wanted]

    @property
    def total_reclame(self) -> Decimal:
        return self.montants.total.reclame


def analyse(dossier: Dossier, today: date, ref: Referentiel) -> Analysis:
    """The legal analysis of a valid dossier on ``today``."""
    amounts = compute_amounts(dossier)
    decisions = tuple(
        _decision(dossier, index, decision, amounts, today, ref)
        for index, decision in enumerate(dossier.decisions)
    )
    return Analysis(today, dossier, amounts, decisions, ref)


def _outcomes(
    dossier: Dossier,
    amounts: AmountsReport,
    decisions: tuple[DecisionAnalysis, ...],
    today: date,
    ref: Referentiel,
) -> tuple[tuple[PlannedDocument, ...], tuple[ExerciseStatus, ...], tuple[str, ...]]:
    """The documents the dossier can call for, the exercise statuses and the warnings."""
    used: set[str] = set()
    gracieux = [_gracieux(dossier, a, decisions, ref, used) for a in dossier.autorites]
    requetes = [_requete(dossier, d, ref, used) for d in decisions]
    hierarchiques = [_hierarchique(dossier, d, ref, used) for d in decisions]
    exercices = _exercises(dossier, amounts, decisions, today, ref)
    tariff = [doc for doc in [*gracieux, *requetes] if doc is not None]
    demandes = [
        _demande_indemnitaire(dossier, a, amounts, exercices, tariff, today, ref, used)
        for a in dossier.autorites
    ]
    relances = [_mise_en_demeure(dossier, i, ref, used) for i in _unpaid(dossier)]
    indemnitaires = [
        _requete_indemnitaire(dossier, i, amounts, exercices, today, ref, used)
        for i, d in enumerate(dossier.demandes_indemnitaires)
        if d.date_envoi <= today
    ]
    documents = _default_gracieux_when_nothing_else(
        [*tariff, *hierarchiques, *demandes, *relances, *indemnitaires]
    )
    documents = [_with_journal(dossier, doc, ref) for doc in documents]
    warnings = [*dossier_warnings(dossier, today), *amounts.avertissements]
    busy = {doc.autorite for doc in tariff if doc.par_defaut}
    warnings += [
        ref.message(
            "indemnitaire_possible",
            document=doc.libelle,
            exercices=", ".join(map(str, doc.claim.exercices)),
            montant=montant(doc.claim.reclame),
        )
        for doc in documents
        if doc.kind == DEMANDE_INDEMNITAIRE and doc.autorite in busy and not doc.refus()
    ]
    warnings += [s.texte for s in exercices if s.restes]
    warnings += remaining_routes(exercices, ref)
    return tuple(documents), exercices, tuple(dict.fromkeys(warnings))


# --- decisions ------------------------------------------------------------------------


def _decision(
    dossier: Dossier,
    index: int,
    decision: Decision,
    amounts: AmountsReport,
    today: date,
    ref: Referentiel,
) -> DecisionAnalysis:
    etabs = tuple(dossier.etablissements_de(decision))
    pairs = {(e.finess, annee) for e in etabs for annee in decision.exercices}
    return DecisionAnalysis(
        index=index,
        decision=decision,
        autorite=dossier.autorite(decision.autorite),
        etablissements=etabs,
        exercices=tuple(sorted(decision.exercices)),
        claim=_claim(amounts, decision.autorite, pairs),
        delais=decision_deadlines(dossier, decision, today),
        juridiction=competent_court(dossier, decision),
        avocat=lawyer_rule(dossier, decision),
        moyens=_grounds(decision, etabs, dossier.autorite(decision.autorite), ref),
    )


def _claim(amounts: AmountsReport, autorite: str, pairs: set[tuple[str, int]]) -> Claim:
    lignes = [
        ClaimLine(
            finess=ligne.finess,
            etablissement=ligne.etablissement,
            annee=ligne.annee,
            formule=ligne.formule,
            cout=ligne.cout,
            autorite=part.autorite,
            pourcentage=part.pourcentage,
            du=part.du,
            recu=part.recu,
            reclame=part.reclame,
        )
        for ligne, part in amounts.lignes_de(autorite)
        if (ligne.finess, ligne.annee) in pairs
    ]
    return Claim(tuple(lignes))


def _grounds(
    decision: Decision, etabs: Sequence[Etablissement], autorite: Autorite, ref: Referentiel
) -> tuple[Ground, ...]:
    """Grounds called for by the budget regimes and the authority type, with their facts."""
    keys: list[str] = []
    for etab in etabs:
        for key in ref.regimes[etab.regime_budgetaire].moyens:
            applies = not ref.moyens[key].autorites or autorite.type in ref.moyens[key].autorites
            if applies and key not in keys:
                keys.append(key)
    grounds = []
    for key in keys:
        moyen = ref.moyens[key]
        missing = tuple(
            f
            for f in moyen.faits
            if (answer := decision.faits.get(f)) is None or answer.reponse != "oui"
        )
        grounds.append(Ground(key, moyen, not missing, missing))
    return tuple(grounds)


# --- documents ------------------------------------------------------------------------


def _unique_stem(stem: str, distinct: str, used: set[str]) -> str:
    """``stem``, or ``stem_<distinct>`` when a document of the dossier already has that name.

    Slugs are cut at a word boundary, so two long names sharing their beginning give the
    same slug: without this, the second document would silently replace the first.
    """
    candidate = stem if stem not in used else f"{stem}_{slug(distinct, 40)}"
    counter = 2
    while candidate in used:
        candidate = f"{stem}_{counter}"
        counter += 1
    used.add(candidate)
    return candidate


def _label(decisions: Iterable[DecisionAnalysis]) -> str:
    return ", ".join(
        f"{d.ident} (exercice{'s' if len(d.exercices) > 1 else ''} "
        f"{', '.join(map(str, d.exercices))})"
        for d in decisions
    )


def _gracieux(
    dossier: Dossier,
    autorite: Autorite,
    decisions: Sequence[DecisionAnalysis],
    ref: Referentiel,
    used: set[str],
) -> PlannedDocument | None:
    """The recours gracieux to one authority, against its decisions that can still be contested.

    A decision whose recours gracieux was already sent, or whose deadline has expired, is
    left out: its letter would not interrupt the contentious deadline (CRPA L.411-2).
    """
    own = [d for d in decisions if d.decision.autorite == autorite.id]
    if not own:
        return None
    libelle = f"recours gracieux — {autorite.nom}"
    pending = [d for d in own if not d.gracieux_envoye]
    open_ = [d for d in pending if d.gracieux_ouvert]
    covered = open_ or pending or own
    blockers: list[Blocker] = []
    warnings: list[str] = []
    if not pending:
        sent = min(
            d.decision.recours_gracieux.date_envoi for d in own if d.decision.recours_gracieux
        )
        blockers.append(
            Blocker(
                "deja_envoye",
                ref.message("gracieux_deja_envoye", document=libelle, date_envoi=date_longue(sent))
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    elif not open_:
        limit = max(d.delais.recours_gracieux.date_limite for d in pending)
        restes = _restes_texte(ref)
        blockers.append(
            Blocker(
                "hors_delai",
                ref.message("gracieux_expire", document=libelle, date_limite=date_longue(limit))
                + (" " + restes if restes else "")
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    elif len(open_) < len(pending):
        expired = [d for d in pending if d not in open_]
        warnings.append(
            ref.message("gracieux_decisions_expirees", document=libelle, decisions=_label(expired))
        )
    claim = Claim(tuple(line for d in covered for line in d.claim.lignes))
    blockers += _nothing_to_claim(libelle, claim, ref)
    return PlannedDocument(
        kind=GRACIEUX,
        autorite=autorite.id,
        decisions=tuple(d.index for d in covered),
        libelle=libelle,
        stem=_unique_stem(f"recours-gracieux_{slug(autorite.nom)}", autorite.id, used),
        par_defaut=any(_wants(d, GRACIEUX, d in open_) for d in pending),
        claim=claim,
        bloquants=tuple(blockers),
        avertissements=tuple(warnings),
        dans_le_delai=bool(open_),
        pending_expired=bool(pending)
        and not open_
        and any(_wants(d, GRACIEUX, True) for d in pending),
    )


def _hierarchique(
    dossier: Dossier, d: DecisionAnalysis, ref: Referentiel, used: set[str]
) -> PlannedDocument | None:
    """The recours hiérarchique against one decision, beside its recours gracieux.

    Within the same initial delay, CRPA L.411-2 al. 2: the delay restarts only once both are
    rejected. Offered against a DG ARS (the ministers of tutelle, one source); held back for
    a préfet (superior not established) and impossible for a président du conseil
    départemental. Never in the default plan unless the decision's ``documents`` ask for it.
    """
    superieur = ref.recours_hierarchique.get(d.autorite.type)
    if superieur is None:
        return None
    libelle = f"recours hiérarchique — {d.autorite.nom} ({d.ident})"
    titre_autorite = ref.autorites[d.autorite.type].titre_autorite
    initial = d.delais.recours_gracieux.date_limite
    in_time = d.delais.aujourdhui <= initial
    sent = d.decision.recours_hierarchique
    blockers: list[Blocker] = []
    warnings: list[str] = []
    if not superieur.possible:
        raison = superieur.note or superieur.source
        blockers.append(
            Blocker(
                "impossible",
                ref.message(
                    "hierarchique_impossible",
                    document=libelle,
                    titre_autorite=titre_autorite,
                    raison=" ".join(raison.split()),
                ),
                None,
            )
        )
    elif not superieur.verifie or superieur.destinataire is None:
        blockers.append(
            Blocker(
                "destinataire_incertain",
                ref.message(
                    "hierarchique_superieur_incertain",
                    document=libelle,
                    titre_autorite=titre_autorite,
                    superieur=superieur.superieur or "inconnu",
                ),
                None,
            )
        )
    # Against an authority without a sourced superior, that blocker already says it all.
    if sent is not None and not blockers:
        blockers.append(
            Blocker(
                "deja_envoye",
                ref.message(
                    "hierarchique_deja_envoye",
                    document=libelle,
                    date_envoi=date_longue(sent.date_envoi),
                    index=d.index,
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    elif sent is None and not in_time:
        blockers.append(
            Blocker(
                "hors_delai",
                ref.message(
                    "hierarchique_expire", document=libelle, date_limite=date_longue(initial)
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    if superieur.possible and superieur.destinataire is not None:
        warnings.append(
            ref.message(
                "hierarchique_destinataire_a_completer",
                document=libelle,
                destinataire=superieur.destinataire,
            )
        )
        if in_time and sent is None and not d.gracieux_envoye:
            warnings.append(
                ref.message(
                    "hierarchique_avec_gracieux",
                    document=libelle,
                    date_limite=date_longue(initial),
                    index=d.index,
                )
            )
    blockers += _nothing_to_claim(libelle, d.claim, ref)
    return PlannedDocument(
        kind=RECOURS_HIERARCHIQUE,
        autorite=d.autorite.id,
        decisions=(d.index,),
        libelle=libelle,
        stem=_unique_stem(
            f"recours-hierarchique_{slug(d.ident, 40)}_{slug(d.autorite.nom, 40)}",
            f"decision-{d.index + 1}",
            used,
        ),
        # Once sent (recorded), it leaves the plan, as a sent recours gracieux does.
        par_defaut=sent is None and _wants(d, RECOURS_HIERARCHIQUE, False),
        claim=d.claim,
        bloquants=tuple(blockers),
        avertissements=tuple(warnings),
        dans_le_delai=in_time and sent is None,
    )


def _default_gracieux_when_nothing_else(
    documents: Sequence[PlannedDocument | None],
) -> list[PlannedDocument]:
    """An expired recours gracieux joins the default plan only when nothing else is due for
    its authority, so that the user is told why, rather than "nothing to generate"."""
    docs = [doc for doc in documents if doc is not None]
    busy = {doc.autorite for doc in docs if doc.par_defaut}
    # A requête indemnitaire already filed: the case is before the court, nothing to explain.
    busy |= {doc.autorite for doc in docs if any(b.code == "deja_deposee" for b in doc.bloquants)}
    return [
        replace(doc, par_defaut=True)
        if doc.kind == GRACIEUX and doc.autorite not in busy and doc.pending_expired
        else doc
        for doc in docs
    ]


def _wants(d: DecisionAnalysis, kind: DocumentKind, by_default: bool) -> bool:
    """Whether the plan has this document for the decision: the user's choice saved in the
    dossier (``decisions[].documents``) when there is one, else the tool's default."""
    chosen = d.decision.documents
    return by_default if chosen is None else kind in chosen


def _requete(
    dossier: Dossier, d: DecisionAnalysis, ref: Referentiel, used: set[str]
) -> PlannedDocument:
    """The requête against one decision (and the rejection of its recours gracieux).

    The journal of the dossier says what happened since: a requête already filed, or the
    authority's acceptance, takes the requête out of the default plan (with a warning).
    """
    libelle = f"requête — {d.autorite.nom} ({d.ident})"
    delais = d.delais
    blockers: list[Blocker] = []
    warnings: list[str] = []
    followed = False
    ident = dossier.decision_id(d.index)
    filed = [e for e in dossier.journal if e.type == "requete_deposee" and e.decision == ident]
    judged = [e for e in dossier.journal if e.type == "jugement" and e.decision == ident]
    accepted = [
        e
        for e in dossier.journal
        if e.type == "reponse" and e.autorite == d.autorite.id and e.sens == "acceptee"
    ]
    if judged:
        event = max(judged, key=lambda e: e.date or date.min)
        followed = True
        warnings.append(
            ref.message(
                "decision_jugee",
                document=libelle,
                date=date_longue(event.date) if event.date else "",
                sens=SENS_JUGEMENT.get(event.sens or "", ""),
            )
        )
    elif filed:
        event = max(filed, key=lambda e: e.date or date.min)
        followed = True
        warnings.append(
            ref.message(
                "requete_deja_deposee",
                document=libelle,
                date=date_longue(event.date) if event.date else "",
                precisions=", ".join(
                    [
                        *([event.juridiction] if event.juridiction else []),
                        *([f"n° {event.numero}"] if event.numero else []),
                        "d'après le journal du dossier",
                    ]
                ),
            )
        )
    elif accepted:
        event = max(accepted, key=lambda e: e.date or date.min)
        followed = True
        warnings.append(
            ref.message(
                "recours_accepte",
                document=libelle,
                date=date_longue(event.date) if event.date else "",
            )
        )
    gracieux = d.decision.recours_gracieux
    awaiting = (
        gracieux is not None
        and delais.gracieux_interruptif
        and d.decision.rejet_explicite is None
        and delais.rejet_implicite is not None
        and delais.rejet_implicite > delais.aujourdhui
    )
    if awaiting:
        assert gracieux is not None and delais.rejet_implicite is not None
        blockers.append(
            Blocker(
                "rejet_a_naitre",
                ref.message(
                    "requete_sans_rejet",
                    document=libelle,
                    date_reception=date_longue(gracieux.date_reception or gracieux.date_envoi),
                    date_rejet=date_longue(delais.rejet_implicite),
                    date_limite=date_longue(delais.recours_contentieux.date_limite),
                ),
                None,
            )
        )
    elif delais.recours_contentieux.statut == STATUT_EXPIRE:
        restes = " ".join(delais.possibilites)
        blockers.append(
            Blocker(
                "hors_delai",
                ref.message(
                    "requete_expiree",
                    document=libelle,
                    date_limite=date_longue(delais.recours_contentieux.date_limite),
                    restes=restes,
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    explanation = " ".join(d.avocat.explication.split())
    if d.avocat.obligatoire and dossier.avocat is None:
        blockers.append(
            Blocker(
                "avocat",
                ref.message("avocat_incertain", document=libelle, explication=explanation),
                OPTION_SANS_AVOCAT,
            )
        )
    elif dossier.avocat is None:
        warnings.append(f"{libelle} : {explanation}")
    nature = ref.natures_decision[d.decision.nature]
    if nature.competence_a_verifier:
        warnings.append(
            ref.message(
                "refus_competence",
                document=libelle,
                explication=" ".join(nature.competence_a_verifier.split()),
            )
        )
    if d.juridiction.avertissement:
        warnings.append(f"{libelle} : {d.juridiction.avertissement}")
    blockers += _nothing_to_claim(libelle, d.claim, ref)
    return PlannedDocument(
        kind=REQUETE,
        autorite=d.autorite.id,
        decisions=(d.index,),
        libelle=libelle,
        stem=_unique_stem(
            f"requete_{slug(d.ident, 40)}_{slug(d.autorite.nom, 40)}",
            f"decision-{d.index + 1}",
            used,
        ),
        par_defaut=_wants(d, REQUETE, gracieux is not None) and not followed,
        claim=d.claim,
        bloquants=tuple(blockers),
        avertissements=tuple(warnings),
        dans_le_delai=d.contentieux_ouvert,
    )


SENS_JUGEMENT = {
    "favorable": "favorable",
    "partiellement_favorable": "partiellement favorable",
    "defavorable": "défavorable",
}


def _with_journal(dossier: Dossier, doc: PlannedDocument, ref: Referentiel) -> PlannedDocument:
    """Warn of the payments and partial answers the journal records from the document's
    authority: its amounts come from the exercises' financing received, not from the journal."""
    warnings: list[str] = []
    for event in dossier.journal:
        if event.autorite != doc.autorite or event.montant is None:
            continue
        if event.type == "paiement" or (event.type == "reponse" and event.sens == "partielle"):
            warnings.append(
                ref.message(
                    "journal_paiement" if event.type == "paiement" else "journal_reponse_partielle",
                    document=doc.libelle,
                    date=date_longue(event.date) if event.date else "",
                    montant=montant(event.montant),
                )
            )
    if not warnings:
        return doc
    return replace(doc, avertissements=(*doc.avertissements, *warnings))


def _nothing_to_claim(libelle: str, claim: Claim, ref: Referentiel) -> list[Blocker]:
    if claim.reclame > 0:
        return []
    exercices = ", ".join(map(str, claim.exercices)) or "les exercices de la décision"
    return [
        Blocker(
            "rien_a_reclamer",
            ref.message(
                "rien_a_reclamer",
                document=libelle,
                exercices=exercices,
                du=montant(claim.du),
                recu=montant(claim.recu),
            ),
            None,
        )
    ]


def _restes_texte(ref: Referentiel) -> str:
    return " ".join(" ".join(p.texte.split()) for p in ref.apres_expiration)


# --- exercises ------------------------------------------------------------------------


def _exercises(
    dossier: Dossier,
    amounts: AmountsReport,
    decisions: Sequence[DecisionAnalysis],
    today: date,
    ref: Referentiel,
) -> tuple[ExerciseStatus, ...]:
    """Every établissement x exercise x authority with money owed, and its route."""
    claims = {a.id: dossier_reclamations(dossier, a.id) for a in dossier.autorites}
    covering: dict[tuple[str, str, int], DecisionAnalysis] = {}
    for da in decisions:
        for etab in da.etablissements:
            for annee in da.exercices:
                covering[(da.autorite.id, etab.finess, annee)] = da
    etabs = {e.finess: e for e in dossier.etablissements}
    out: list[ExerciseStatus] = []
    for ligne in amounts.lignes:
        for part in ligne.parts:
            if part.reclame <= 0:
                continue
            autorite = dossier.autorite(part.autorite)
            found = covering.get((part.autorite, ligne.finess, ligne.annee))
            common = {
                "etablissement": ligne.etablissement,
                "finess": ligne.finess,
                "annee": str(ligne.annee),
                "montant": montant(part.reclame),
                "autorite": autorite.nom,
            }
            d = found
            etat: Etat
            if d is None:
                etat = "sans_decision"
                texte = ref.message("exercice_sans_decision", **common)
            else:
                limit = date_longue(d.delais.recours_contentieux.date_limite)
                if not d.contentieux_ouvert:
                    etat = "definitif"
                    texte = ref.message(
                        "exercice_definitif", decision=d.ident, date_limite=limit, **common
                    )
                else:
                    sent = d.gracieux_envoye and bool(d.delais.gracieux_interruptif)
                    etat = "conteste" if sent else "contestable"
                    code = "exercice_en_cours" if sent else "exercice_contestable"
                    texte = ref.message(
                        "exercice_conteste",
                        decision=d.ident,
                        etat=ref.message(code, date_limite=limit),
                        **common,
                    )
            final = etat in ("definitif", "sans_decision")
            restes = _restes(etabs[ligne.finess], ref) if final else ""
            unpaid = notified_unpaid(dossier, part.autorite, ligne.annee)
            if final and unpaid:
                restes = ref.message("reste_mise_en_demeure")
            facts = ExerciseFacts(
                annee=ligne.annee,
                type_autorite=autorite.type,
                regime=etabs[ligne.finess].regime_budgetaire,
                decision_expresse=None if d is None else d.decision.date_notification,
                decision_definitive=etat == "definitif",
                notifie_non_verse=unpaid,
                rejet_implicite_ouvert=d is not None and _implicit_rejection_open(d),
                reclamations=claims[part.autorite],
            )
            voies = tuple(
                offer.cle
                for offer in possible_routes(facts, today).voies
                if not offer.redige and offer.cle not in _ROUTES_IN_RESTES
            )
            out.append(
                ExerciseStatus(
                    finess=ligne.finess,
                    etablissement=ligne.etablissement,
                    annee=ligne.annee,
                    autorite=part.autorite,
                    reclame=part.reclame,
                    etat=etat,
                    decision=None if d is None else d.index,
                    texte=texte,
                    restes=restes,
                    voies=voies,
                )
            )
    return tuple(out)


# Routes the "restes" texts already explain (reprise du déficit: ``_restes``).
_ROUTES_IN_RESTES = frozenset({"reprise_deficit"})


def _implicit_rejection_open(d: DecisionAnalysis) -> bool:
    """A recours gracieux implicitly rejected, whose contentious delay still runs."""
    born = d.delais.rejet_implicite
    return (
        d.contentieux_ouvert
        and d.decision.rejet_explicite is None
        and born is not None
        and born <= d.delais.aujourdhui
    )


def remaining_routes(exercices: Iterable[ExerciseStatus], ref: Referentiel) -> list[str]:
    """What remains possible, said once for all the exercises it concerns."""
    groups: dict[str, list[str]] = {}
    for status in exercices:
        if status.restes:
            groups.setdefault(status.restes, []).append(f"{status.etablissement} {status.annee}")
    routes: dict[str, list[str]] = {}
    for status in exercices:
        for key in status.voies:
            routes.setdefault(key, []).append(f"{status.etablissement} {status.annee}")
    return [
        *(
            ref.message(
                "restes_exercices", exercices=", ".join(dict.fromkeys(names)), restes=restes
            )
            for restes, names in groups.items()
        ),
        *(_explained_route(key, names, ref) for key, names in routes.items()),
    ]


def _explained_route(key: str, names: list[str], ref: Referentiel) -> str:
    """One route recours explains but does not draft, with its conditions and sources."""
    voie = ref.voies[key]
    return ref.message(
        "voie_expliquee",
        exercices=", ".join(dict.fromkeys(names)),
        libelle=voie.libelle,
        quand=voie.quand,
        document=voie.document,
        delai=voie.delai,
        avocat=voie.avocat,
        fondements=" ; ".join(ref.article(k).court for k in voie.references) or "aucun",
        note=f" {voie.note}" if voie.note else "",
        a_verifier="" if voie.verifie else " " + ref.message("voie_a_verifier", source=voie.source),
    )


def _restes(etab: Etablissement, ref: Referentiel) -> str:
    """What remains for an exercise whose decision is final or missing (digest §1.3)."""
    first = (
        "reste_reprise_deficit"
        if etab.regime_budgetaire == "procedure_contradictoire"
        else "reste_cpom"
    )
    return ref.message(first) + " " + ref.message("reste_indemnitaire")


# --- demande indemnitaire préalable and mise en demeure (voies-de-droit §2, §7.1) -------


def _demande_indemnitaire(
    dossier: Dossier,
    autorite: Autorite,
    amounts: AmountsReport,
    exercices: Sequence[ExerciseStatus],
    tariff: Sequence[PlannedDocument],
    today: date,
    ref: Referentiel,
    used: set[str],
) -> PlannedDocument | None:
    """The demande indemnitaire préalable to one authority (voies-de-droit §1.3, §2).

    It claims the exercises whose decision is final or that no decision covers, with money
    still owed and not prescribed (loi n° 68-1250). It joins the default plan only when no
    other document is due for the authority and no demande was already sent for these
    exercises. The Lafon risk of each exercise with a final express decision, a repeat claim
    after a rejection and the prescription soon to be acquired are warnings for the user;
    the letter itself asserts none of them.
    """
    statuses = [
        s
        for s in exercices
        if s.autorite == autorite.id and s.etat in ("definitif", "sans_decision")
    ]
    if not statuses:
        return None
    libelle = f"demande indemnitaire préalable — {autorite.nom}"
    reclamations = dossier_reclamations(dossier, autorite.id)
    warnings: list[str] = []
    kept: set[int] = set()
    for annee in sorted({s.annee for s in statuses}):
        if notified_unpaid(dossier, autorite.id, annee):
            warnings.append(ref.message("indemnitaire_notifie", document=libelle, annee=annee))
            continue
        presc = compute_prescription(annee, reclamations, today, type_autorite=autorite.type)
        if presc.statut == STATUT_PRESCRIT:
            texte = " ".join(
                w.texte for w in presc.avertissements if w.code == "prescription_acquise"
            )
            warnings.append(
                ref.message("indemnitaire_prescrit", document=libelle, annee=annee, texte=texte)
            )
            continue
        kept.add(annee)
        # The last day to claim the exercise, and any interruption the dossier records.
        shown = {"prescription_cours", "prescription_interruption", "prescription_bientot"}
        warnings += [f"{libelle} : {w.texte}" for w in presc.avertissements if w.code in shown]
    for status in statuses:
        if status.annee not in kept:
            continue
        if status.etat == "definitif" and status.decision is not None:
            decision = dossier.decisions[status.decision]
            risk = lafon_risk(status.annee, decision.date_notification, True)
        else:
            risk = lafon_risk(status.annee, None, False)
        if risk.avertissement is not None:
            warnings.append(
                ref.message("indemnitaire_lafon", document=libelle, texte=risk.avertissement.texte)
            )
    sent_indices = [
        i
        for i, d in enumerate(dossier.demandes_indemnitaires)
        if d.autorite == autorite.id
        and d.date_envoi <= today
        and (not d.exercices or kept & set(d.exercices))
    ]
    sent = [dossier.demandes_indemnitaires[i] for i in sent_indices]
    for index in sent_indices:
        # A rejection whose delay to go to court has run out: a new identical claim would
        # get a confirmative refusal (CAA Paris n° 23PA04085). While the delay is open, or
        # when none runs (acknowledgment without the mentions), the next step is the requête.
        chain = compute_indemnity_chain(demande_input(dossier, index), today)
        if chain.statut == STATUT_EXPIRE and chain.point_de_depart is not None:
            warnings.append(
                f"{libelle} : "
                + avertissement(
                    "indemnitaire_confirmative", date=date_longue(chain.point_de_depart)
                ).texte
            )
    already = {a for d in sent for a in (d.exercices or kept)}
    if sent:
        warnings.append(
            ref.message(
                "indemnitaire_deja_envoyee",
                document=libelle,
                date_envoi=date_longue(max(d.date_envoi for d in sent)),
                exercices=", ".join(map(str, sorted(already & kept))),
            )
        )
    warnings.append(ref.message("indemnitaire_faute", document=libelle))
    pairs = {(s.finess, s.annee) for s in statuses if s.annee in kept}
    regimes = {e.regime_budgetaire for e in dossier.etablissements if e.finess in dict(pairs)}
    if "cpom_eprd" in regimes:
        warnings.append(ref.message("indemnitaire_faute_cpom", document=libelle))
    claim = _claim(amounts, autorite.id, pairs)
    blockers = _nothing_to_claim(libelle, claim, ref)
    busy = any(doc.autorite == autorite.id and doc.par_defaut for doc in tariff)
    etabs = [e for e in dossier.etablissements if e.finess in {f for f, _ in pairs}]
    return PlannedDocument(
        kind=DEMANDE_INDEMNITAIRE,
        autorite=autorite.id,
        decisions=(),
        libelle=libelle,
        stem=_unique_stem(f"demande-indemnitaire_{slug(autorite.nom)}", autorite.id, used),
        par_defaut=not busy and not blockers and not (kept <= already),
        claim=claim,
        bloquants=tuple(blockers),
        avertissements=tuple(dict.fromkeys(warnings)),
        dans_le_delai=True,
        moyens=_indemnity_grounds(etabs, autorite, ref),
    )


def _indemnity_grounds(
    etabs: Sequence[Etablissement], autorite: Autorite, ref: Referentiel
) -> tuple[Ground, ...]:
    """Grounds of the fault: those of the regimes that need no fact of a decision."""
    keys: list[str] = []
    for etab in etabs:
        for key in ref.regimes[etab.regime_budgetaire].moyens:
            moyen = ref.moyens[key]
            applies = not moyen.autorites or autorite.type in moyen.autorites
            if applies and not moyen.faits and key not in keys:
                keys.append(key)
    return tuple(Ground(key, ref.moyens[key], True, ()) for key in keys)


def _requete_indemnitaire(
    dossier: Dossier,
    index: int,
    amounts: AmountsReport,
    exercices: Sequence[ExerciseStatus],
    today: date,
    ref: Referentiel,
    used: set[str],
) -> PlannedDocument:
    """The requête indemnitaire after the rejection of one demande préalable (voies-de-droit
    §2, §8).

    It claims the exercises of the demande (all the final or undecided ones when it names
    none) that are not prescribed. Held back while the rejection is not born (CJA R.421-1
    al. 2), once the delay to go to court has run (only when one runs: CE avis n° 420797, CE
    Vichy n° 413097), when every exercise is prescribed, and when the journal records the
    requête already filed (``requete_deposee`` naming ``demande-indemnitaire-N``). A lawyer
    is required unless the defendant is a collectivité territoriale (CJA R.431-2, R.431-3
    5°). The court is named with the referential's "à vérifier". The Lafon risk and the
    fault are warnings for the user; the requête itself asserts neither away.
    """
    demande = dossier.demandes_indemnitaires[index]
    autorite = dossier.autorite(demande.autorite)
    libelle = (
        f"requête indemnitaire — {autorite.nom} (demande du {date_longue(demande.date_envoi)})"
    )
    chain = compute_indemnity_chain(demande_input(dossier, index), today)
    blockers: list[Blocker] = []
    warnings: list[str] = []
    named = set(demande.exercices)
    statuses = [
        s
        for s in exercices
        if s.autorite == autorite.id
        and (
            s.annee in named
            if named
            else s.etat in ("definitif", "sans_decision")
            and not notified_unpaid(dossier, autorite.id, s.annee)
        )
    ]
    reclamations = dossier_reclamations(dossier, autorite.id)
    years = sorted({s.annee for s in statuses})
    prescribed: dict[int, str] = {}
    for annee in years:
        presc = compute_prescription(annee, reclamations, today, type_autorite=autorite.type)
        if presc.statut == STATUT_PRESCRIT:
            prescribed[annee] = " ".join(
                w.texte for w in presc.avertissements if w.code == "prescription_acquise"
            )
    kept = {a for a in years if a not in prescribed} or set(years)
    if years and not set(years) - set(prescribed):
        blockers.append(
            Blocker(
                "prescrit",
                ref.message(
                    "requete_indemnitaire_prescrite",
                    document=libelle,
                    exercices=", ".join(map(str, years)),
                    texte=" ".join(prescribed.values()),
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    else:
        warnings += [
            ref.message("indemnitaire_prescrit", document=libelle, annee=annee, texte=texte)
            for annee, texte in prescribed.items()
        ]
    # Where the claim stands: no requête before the rejection; a delay only if one runs.
    lawyer_codes = {"indemnitaire_avocat_collectivite", "indemnitaire_avocat_obligatoire"}
    lawyer_text = " ".join(w.texte for w in chain.avertissements if w.code in lawyer_codes)
    if chain.statut == STATUT_EN_ATTENTE:
        waiting = [w.texte for w in chain.avertissements if w.code == "indemnitaire_attente"]
        blockers.append(Blocker("rejet_a_naitre", f"{libelle} : {' '.join(waiting)}", None))
    elif chain.statut == STATUT_EXPIRE and chain.date_limite is not None:
        blockers.append(
            Blocker(
                "hors_delai",
                ref.message(
                    "requete_indemnitaire_expiree",
                    document=libelle,
                    date_limite=date_longue(chain.date_limite),
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    warnings += [
        f"{libelle} : {w.texte}"
        for w in chain.avertissements
        if w.code not in lawyer_codes and w.code != "indemnitaire_attente"
    ]
    ident = dossier.demande_id(index)
    filed = [e for e in dossier.journal if e.type == "requete_deposee" and e.decision == ident]
    if filed:
        event = max(filed, key=lambda e: e.date or date.min)
        blockers.append(
            Blocker(
                "deja_deposee",
                ref.message(
                    "requete_indemnitaire_deja_deposee",
                    document=libelle,
                    date=date_longue(event.date) if event.date else "",
                    precisions=", ".join(
                        [
                            *([event.juridiction] if event.juridiction else []),
                            *([f"n° {event.numero}"] if event.numero else []),
                            "d'après le journal du dossier",
                        ]
                    ),
                )
                + " "
                + ref.message("hors_delai_possible"),
                OPTION_HORS_DELAI,
            )
        )
    if chain.avocat_obligatoire and dossier.avocat is None:
        blockers.append(
            Blocker(
                "avocat",
                ref.message(
                    "requete_indemnitaire_avocat", document=libelle, explication=lawyer_text
                ),
                OPTION_SANS_AVOCAT,
            )
        )
    elif dossier.avocat is None and lawyer_text:
        warnings.append(f"{libelle} : {lawyer_text}")
    for status in statuses:
        if status.annee not in kept:
            continue
        if status.etat == "definitif" and status.decision is not None:
            decision = dossier.decisions[status.decision]
            risk = lafon_risk(status.annee, decision.date_notification, True)
            if risk.avertissement is not None:
                warnings.append(
                    ref.message(
                        "requete_indemnitaire_lafon",
                        document=libelle,
                        texte=risk.avertissement.texte,
                    )
                )
    warnings.append(ref.message("requete_indemnitaire_faute", document=libelle))
    pairs = {(s.finess, s.annee) for s in statuses if s.annee in kept}
    etabs = [e for e in dossier.etablissements if e.finess in {f for f, _ in pairs}]
    if any(e.regime_budgetaire == "cpom_eprd" for e in etabs):
        warnings.append(ref.message("indemnitaire_faute_cpom", document=libelle))
    claim = _claim(amounts, autorite.id, pairs)
    blockers += _nothing_to_claim(libelle, claim, ref)
    if claim.reclame > 0:
        warnings.append(
            ref.message(
                "requete_indemnitaire_montant",
                document=libelle,
                montant=montant(claim.reclame),
                exercices=", ".join(map(str, claim.exercices)),
                date_envoi=date_longue(demande.date_envoi),
            )
        )
    juridiction = indemnity_court(dossier, autorite.id, {e.finess for e in etabs})
    if juridiction.avertissement:
        warnings.append(f"{libelle} : {juridiction.avertissement}")
    return PlannedDocument(
        kind=REQUETE_INDEMNITAIRE,
        autorite=autorite.id,
        decisions=(),
        libelle=libelle,
        stem=_unique_stem(
            f"requete-indemnitaire_{slug(autorite.nom)}", f"demande-{index + 1}", used
        ),
        par_defaut=not filed,
        claim=claim,
        bloquants=tuple(blockers),
        avertissements=tuple(dict.fromkeys(warnings)),
        dans_le_delai=chain.statut in STATUTS_OUVERTS or chain.statut == STATUT_SANS_DELAI,
        moyens=_indemnity_grounds(etabs, autorite, ref),
        demande=index,
        chaine=chain,
        juridiction=juridiction,
    )


def _unpaid(dossier: Dossier) -> list[int]:
    return [i for i, f in enumerate(dossier.financements_notifies) if f.reste_du > 0]


def _mise_en_demeure(
    dossier: Dossier,
    index: int,
    ref: Referentiel,
    used: set[str],
) -> PlannedDocument:
    """The mise en demeure de payer of one notified-but-unpaid funding (voies-de-droit §7.1).

    Addressed to the payer: for an ARS-funded ESMS the caisse pays (CASF R.314-111), so the
    letter is held back until the dossier names it; otherwise the authority itself is the
    addressee by default, with a warning.
    """
    fin = dossier.financements_notifies[index]
    autorite = dossier.autorite(fin.autorite)
    payeur = fin.payeur or autorite.nom
    libelle = f"mise en demeure de payer — {payeur} (exercice {fin.exercice})"
    blockers: list[Blocker] = []
    warnings: list[str] = []
    if fin.payeur is None:
        if autorite.type == "ars":
            blockers.append(
                Blocker(
                    "payeur_inconnu",
                    ref.message("mise_en_demeure_payeur_inconnu", document=libelle, index=index),
                    None,
                )
            )
        else:
            warnings.append(
                ref.message("mise_en_demeure_payeur_autorite", document=libelle, index=index)
            )
    sent = [
        m
        for m in dossier.mises_en_demeure
        if m.autorite == fin.autorite
        and (not m.exercices or fin.exercice in m.exercices)
        and m.date_envoi >= fin.date_notification
    ]
    if sent:
        warnings.append(
            ref.message(
                "mise_en_demeure_deja_envoyee",
                document=libelle,
                date_envoi=date_longue(max(m.date_envoi for m in sent)),
                annee=fin.exercice,
            )
        )
    etab = next((e for e in dossier.etablissements if e.finess == fin.etablissement), None)
    line = ClaimLine(
        finess=fin.etablissement or "",
        etablissement=etab.nom if etab else "",
        annee=fin.exercice,
        formule="",
        cout=fin.montant_notifie,
        autorite=fin.autorite,
        pourcentage=Decimal(100),
        du=fin.montant_notifie,
        recu=fin.montant_verse,
        reclame=fin.reste_du,
    )
    return PlannedDocument(
        kind=MISE_EN_DEMEURE,
        autorite=autorite.id,
        decisions=(),
        libelle=libelle,
        stem=_unique_stem(
            f"mise-en-demeure_{slug(payeur, 40)}_{fin.exercice}", f"financement-{index + 1}", used
        ),
        par_defaut=not sent,
        claim=Claim((line,)),
        bloquants=tuple(blockers),
        avertissements=tuple(warnings),
        dans_le_delai=True,
        financement=index,
    )


# --- next deadline --------------------------------------------------------------------


def _next_deadline(decisions: Sequence[DecisionAnalysis]) -> tuple[str, Deadline] | None:
    """The earliest deadline still open among the dossier's decisions, with what it is for."""
    best: tuple[str, Deadline] | None = None
    for d in decisions:
        found = next_of(d.delais)
        if found is None:
            continue
        what = (
            "recours gracieux"
            if found is d.delais.recours_gracieux
            else "requête au tribunal administratif"
        )
        label = f"{what} — {d.autorite.nom} ({d.ident})"
        if best is None or found.date_limite < best[1].date_limite:
            best = (label, found)
    return best


def _next_indemnity_deadline(dossier: Dossier, today: date) -> tuple[str, Deadline] | None:
    """The earliest open delay to file a requête indemnitaire after a rejected claim (only
    when one runs: CJA R.421-1, R.421-2; CE avis n° 420797)."""
    best: tuple[str, Deadline] | None = None
    for index, demande in enumerate(dossier.demandes_indemnitaires):
        if demande.date_envoi > today:
            continue
        chain = compute_indemnity_chain(demande_input(dossier, index), today)
        if chain.statut not in STATUTS_OUVERTS or chain.date_limite is None:
            continue
        assert chain.point_de_depart is not None and chain.evenement is not None
        found = Deadline(
            date_limite=chain.date_limite,
            point_de_depart=chain.point_de_depart,
            evenement=chain.evenement,
            delai_raisonnable=False,
            statut=chain.statut,
            jours_restants=chain.jours_restants or 0,
            fondements=chain.fondements,
        )
        label = (
            f"requête indemnitaire — {dossier.autorite(demande.autorite).nom} "
            f"(demande du {date_longue(demande.date_envoi)})"
        )
        if best is None or found.date_limite < best[1].date_limite:
            best = (label, found)
    return best
