"""The legal analysis (issue 9 §1, issue 10): computed once, and a table of dossiers x
expected legal outcome, each row with its source."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docs_text import SPACES
from recours.documents.generate import generate
from recours.dossier.validation import load_dossier, load_yaml, validate_dossier
from recours.law import amounts, analysis, procedure
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 22)
REF = load_referentiel()


def _example(stem: str) -> dict[str, Any]:
    raw = load_yaml((ROOT / "examples" / f"{stem}.yaml").read_text(encoding="utf-8"))
    assert isinstance(raw, dict)
    return raw


def test_engines_run_once_per_decision_per_generer_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"deadlines": 0, "amounts": 0}
    real_deadlines, real_amounts = procedure.compute_deadlines, analysis.compute_amounts

    def counted_deadlines(*args: Any, **kwargs: Any) -> Any:
        calls["deadlines"] += 1
        return real_deadlines(*args, **kwargs)

    def counted_amounts(*args: Any, **kwargs: Any) -> Any:
        calls["amounts"] += 1
        return real_amounts(*args, **kwargs)

    monkeypatch.setattr(procedure, "compute_deadlines", counted_deadlines)
    monkeypatch.setattr(analysis, "compute_amounts", counted_amounts)
    monkeypatch.setattr(amounts, "compute_amounts", counted_amounts)
    dossier = load_dossier(ROOT / "examples" / "multisite-ars-cpom.yaml", aujourdhui=TODAY)
    result = generate(
        dossier,
        sortie=tmp_path,
        today=TODAY,
        documents=["gracieux", "requete"],
        formats=["docx"],
        sans_avocat=True,
    )
    assert len(result.fichiers) == 5  # 2 recours gracieux, 3 requêtes
    # Three decisions, all in one département: one deadline computation each.
    assert calls == {"deadlines": 3, "amounts": 1}


def _data(**changes: Any) -> dict[str, Any]:
    """The MECS example (département, contradictory procedure) with changes to its 2026
    decision."""
    raw = _example("mecs-conseil-departemental")
    raw["decisions"][0].update(changes)
    return raw


def _kinds(data: dict[str, Any], today: date = TODAY) -> list[tuple[str, tuple[int, ...]]]:
    result = analyse(validate_dossier(copy.deepcopy(data), "t", aujourdhui=today), today, REF)
    return [(d.kind, d.claim.exercices) for d in result.plan()]


# Dossier x expected outcome. Each row: id, changes to the MECS example's 2026 decision,
# the plan (document kind, exercises claimed), the source of the rule.
OUTCOMES = [
    # voies-de-droit §1.1: a tariff decision fixes one exercise; the letter against the 2026
    # prix de journée claims 2026 only, not 2024 and 2025.
    ("une-decision-un-exercice", {}, TODAY, [("gracieux", (2026,))]),
    # voies-de-droit §1.3 and §2: once every decision is final (2025 and 2026 on 5 Jan 2027)
    # and 2024 has none, the route of the stage is the demande indemnitaire préalable, for
    # every exercise still owed and not prescribed.
    (
        "tout-est-definitif",
        {},
        date(2027, 1, 5),
        [("demande_indemnitaire", (2024, 2025, 2026))],
    ),
    # PD §2.3 / CRPA L.411-2: once the recours gracieux is sent, the next step is the requête;
    # the implicit rejection is born two months after receipt (L.231-4, L.114-3).
    (
        "requete-apres-rejet-implicite",
        {"recours_gracieux": {"date_envoi": "2026-10-25", "date_reception": "2026-10-28"}},
        date(2027, 1, 5),
        [("requete", (2026,))],
    ),
]


@pytest.mark.parametrize(
    ("changes", "today", "plan"), [pytest.param(c, t, p, id=i) for i, c, t, p in OUTCOMES]
)
def test_default_plan(
    changes: dict[str, Any], today: date, plan: list[tuple[str, tuple[int, ...]]]
) -> None:
    assert _kinds(_data(**changes), today) == plan


def test_requete_against_an_implicit_rejection_not_yet_born_is_refused() -> None:
    # CRPA L.231-4 and L.114-3: received 28 Oct 2026, silence -> rejection on 28 Dec 2026;
    # on 22 Nov 2026 the requête would attack a decision that does not exist yet.
    data = _data(recours_gracieux={"date_envoi": "2026-10-25", "date_reception": "2026-10-28"})
    result = analyse(validate_dossier(data, "t", aujourdhui=TODAY), TODAY, REF)
    [requete] = [d for d in result.plan() if d.kind == "requete"]
    [blocker] = requete.refus()
    assert blocker.code == "rejet_a_naitre" and blocker.option is None
    assert "la décision implicite de rejet naîtra le 28 décembre 2026" in blocker.texte


def test_requete_against_an_ars_without_lawyer_is_held_back() -> None:
    # PD §1.3: whether a tariff requête against an ARS needs a lawyer is not settled [U]; the
    # requête is not produced as if the director could sign it.
    raw = _example("multisite-ars-cpom")
    result = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    requete = next(d for d in result.documents if d.kind == "requete" and d.autorite == "ars-idf")
    assert [b.code for b in requete.refus()] == ["avocat"]
    assert requete.refus(["sans_avocat"]) == ()
    cd = next(d for d in result.documents if d.kind == "requete" and d.autorite == "cd-93")
    # CJA R.431-3 5°: against a département, no lawyer is required.
    assert cd.refus() == ()


def test_ground_printed_only_when_its_facts_are_confirmed() -> None:
    # Issue 10 §2: the contradictory-procedure ground needs both facts answered « oui ».
    confirmed = analyse(validate_dossier(_data(), "t", aujourdhui=TODAY), TODAY, REF).decision(0)
    assert {g.code: g.imprime for g in confirmed.moyens}["procedure_contradictoire"] is True
    data = _data()
    data["decisions"][0]["faits"]["abattement_sans_contradictoire"] = {"reponse": "inconnu"}
    unknown = analyse(validate_dossier(data, "t", aujourdhui=TODAY), TODAY, REF).decision(0)
    ground = next(g for g in unknown.moyens if g.code == "procedure_contradictoire")
    assert (ground.imprime, ground.faits_manquants) == (False, ("abattement_sans_contradictoire",))


def test_every_exercise_with_a_gap_is_accounted_for() -> None:
    # Issue 10 §1: nothing is folded silently into another year's claim; the sum of what the
    # letters claim and of what remains for the other exercises is calculer's total.
    raw = _example("multisite-ars-cpom")
    result = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    in_letters = sum((d.claim.reclame for d in result.documents if d.kind == "gracieux"), start=0)
    elsewhere = sum(
        (e.reclame for e in result.exercices if e.etat in ("definitif", "sans_decision")),
        start=0,
    )
    assert in_letters + elsewhere == result.total_reclame


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"type": "requete_deposee", "decision": "dgf-2026", "date": "2026-11-10",
             "juridiction": "tribunal administratif de Lille", "numero": "2601234"},
            "une requête a déjà été déposée le 10 novembre 2026 (tribunal administratif de "
            "Lille, n° 2601234, d'après le journal du dossier)",
        ),
        (
            {"type": "reponse", "autorite": "prefet-hdf", "date": "2026-11-12",
             "sens": "acceptee"},
            "l'autorité a accepté le recours le 12 novembre 2026",
        ),
        (
            {"type": "jugement", "decision": "dgf-2026", "date": "2026-11-15",
             "sens": "defavorable"},
            "le tribunal a statué sur cette décision le 15 novembre 2026 (jugement défavorable, "
            "d'après le journal du dossier)",
        ),
    ],
)  # fmt: skip
def test_the_journal_takes_the_requete_out_of_the_plan(event: dict[str, Any], message: str) -> None:
    # Issue 13: the analysis reads the journal. The CHRS example is at the requête stage;
    # once the requête is filed (or the authority accepted), it is not planned again, and
    # the user is told why; asking for it explicitly still gives it.
    raw = _example("chrs-prefet-region")
    # Without the example's rejected demande indemnitaire (whose requête has its own tests).
    del raw["demandes_indemnitaires"]
    before = analyse(validate_dossier(copy.deepcopy(raw), "t", aujourdhui=TODAY), TODAY, REF)
    assert [d.kind for d in before.plan()] == ["requete"]
    raw["journal"] = [event]
    after = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    # Nothing else is due for the 2026 decision: the plan turns to the final years
    # (2024 without decision, 2025 final), for a demande indemnitaire préalable.
    assert [(d.kind, d.claim.exercices) for d in after.plan()] == [
        ("demande_indemnitaire", (2024, 2025))
    ]
    [requete] = [d for d in after.plan(["requete"]) if d.decisions == (0,)]
    assert any(message in w for w in requete.avertissements)


def _plain(text: str) -> str:
    return SPACES.sub(" ", text)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        (
            {"type": "paiement", "autorite": "prefet-hdf", "date": "2026-11-14",
             "montant": "1200"},
            "le journal du dossier enregistre un paiement de 1 200,00 € le 14 novembre 2026",
        ),
        (
            {"type": "reponse", "autorite": "prefet-hdf", "date": "2026-11-12",
             "sens": "partielle", "montant": "800.50"},
            "une réponse partielle de cette autorité le 12 novembre 2026, qui accorde 800,50 €",
        ),
    ],
)  # fmt: skip
def test_a_payment_in_the_journal_is_pointed_out_on_the_authority_s_documents(
    event: dict[str, Any], message: str
) -> None:
    # The letters' amounts come from the exercises' financing received: a payment or a
    # partial grant recorded only in the journal is not deducted silently, nor ignored
    # silently. Documents of another authority are not concerned.
    raw = _example("chrs-prefet-region")
    raw.pop("demandes_indemnitaires")  # the requête indemnitaire would join the plan
    before = analyse(validate_dossier(copy.deepcopy(raw), "t", aujourdhui=TODAY), TODAY, REF)
    assert not any(message in _plain(w) for d in before.documents for w in d.avertissements)
    raw["journal"] = [event]
    after = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    [requete] = after.plan()
    assert any(message in _plain(w) for w in requete.avertissements)
    assert requete.claim == before.plan()[0].claim  # the amounts are not changed behind the user
    raw["journal"] = [{**event, "autorite": "autre"}]
    raw["autorites"].append({**raw["autorites"][0], "id": "autre"})
    other = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    assert not any(message in _plain(w) for d in other.documents for w in d.avertissements)


def test_routes_recours_does_not_draft_are_explained_only_where_the_facts_call_for_them() -> None:
    # Issue 11 §4: référé-provision only for notified-but-unpaid funding, with the digest's
    # warning on the debtor; an uncertain route says « à vérifier » with its sources.
    raw = _example("annees-definitives-indemnitaire")
    result = analyse(validate_dossier(copy.deepcopy(raw), "t", aujourdhui=TODAY), TODAY, REF)
    routes = analysis.remaining_routes(result.exercices, REF)
    [refere] = [r for r in routes if "Référé-provision" in r]
    assert refere.startswith("Pour Maison d'enfants L'Escale 2026 : Référé-provision. Quand :")
    assert "CJA, art. R.541-1" in refere
    assert "le choix d'un mauvais débiteur" in refere
    assert "à vérifier avant d'engager" not in refere  # the route table marks it C2
    raw["financements_notifies"] = []
    without = analyse(validate_dossier(raw, "t", aujourdhui=TODAY), TODAY, REF)
    assert not any(
        "Référé-provision" in r for r in analysis.remaining_routes(without.exercices, REF)
    )

    chrs = analyse(
        validate_dossier(_example("chrs-prefet-region"), "t", aujourdhui=TODAY), TODAY, REF
    )
    [motifs] = [
        r for r in analysis.remaining_routes(chrs.exercices, REF) if "Demande des motifs" in r
    ]
    assert "Sources incertaines (" in motifs and "à vérifier avant d'engager cette voie" in motifs
