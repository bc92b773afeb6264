"""Amounts engine. Every expected amount below was computed by hand from the formula in
its comment, not copied from the program.

Sources of the constants: 238 € gross a month for a full-time employee from 1 January
2024 (accord du 4 juin 2024; accord-segur-pour-tous.md §1.3); 5 270 € a person a year,
employer charges included (DGCS instruction n° 2024/97 du 27 juin 2024; same file §1.5).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recours.dossier.models import Dossier, Etablissement, Exercice, PartFinancement
from recours.dossier.validation import load_dossier
from recours.law.amounts import (
    CENT,
    AmountsReport,
    Totaux,
    compute_amounts,
    cost_of,
    split_shares,
)

D = Decimal
MakeDossier = Callable[..., Dossier]


def _autorite(id_: str, type_: str, nom: str) -> dict[str, Any]:
    return {
        "id": id_,
        "type": type_,
        "nom": nom,
        "adresse": {"voie": "1 place de l'Exemple", "code_postal": "72000", "commune": "Le Mans"},
        "departement": "72",
    }


ARS = _autorite("ars-pdl", "ars", "Agence régionale de santé des Pays de la Loire")
CD = _autorite("cd-72", "conseil_departemental", "Département de la Sarthe")
PREFET = _autorite("prefet-72", "prefet_departement", "Préfecture de la Sarthe")


# ------------------------------------------------------------------- cost per method

COSTS: list[tuple[str, dict[str, Any], list[dict[str, Any]], D, str]] = [
    # (id, établissement fields, exercices, expected cost, expected formula)
    # etp: ETP × 238 × months × coefficient = 2 × 238 × 12 × 1.5 = 8 568.00
    (
        "etp",
        {"methode": "etp", "coefficient_charges": "1,5"},
        [{"annee": "2024", "etp": "2"}],
        D("8568.00"),
        "2 ETP × 238 € × 12 mois × 1,5",
    ),
    # etp: 3.2 × 238 = 761.6; × 12 = 9 139.2; × 1.45 = 13 251.84 (examples/mecs, 2024)
    (
        "etp-mecs",
        {"methode": "etp", "coefficient_charges": "1.45"},
        [{"annee": "2024", "etp": "3.2"}],
        D("13251.84"),
        "3,2 ETP × 238 € × 12 mois × 1,45",
    ),
    # etp, 7 months: 1 × 238 × 7 = 1 666; × 1.85 = 3 082.10
    (
        "etp-7-mois",
        {"methode": "etp", "coefficient_charges": "1,85"},
        [{"annee": "2024", "mois": "7", "etp": "1"}],
        D("3082.10"),
        "1 ETP × 238 € × 7 mois × 1,85",
    ),
    # etp, half-up: 0.0075 × 238 × 1 × 1 = 1.785 -> 1.79 (half-even would give 1.78)
    (
        "etp-demi-centime",
        {"methode": "etp", "coefficient_charges": "1"},
        [{"annee": "2024", "mois": "1", "etp": "0,0075"}],
        D("1.79"),
        "0,0075 ETP × 238 € × 1 mois × 1",
    ),
    # cout_unitaire: ETP × 5 270 × months / 12 = 6.5 × 5 270 = 34 255.00 (examples/multisite IME)
    (
        "cout-unitaire",
        {"methode": "cout_unitaire"},
        [{"annee": "2024", "etp": "6.5"}],
        D("34255.00"),
        "6,5 ETP × 5\u202f270 € × 12 mois / 12",
    ),
    # cout_unitaire, 6 months: 2 × 5 270 × 6 / 12 = 5 270.00 (examples/multisite SESSAD 2025)
    (
        "cout-unitaire-6-mois",
        {"methode": "cout_unitaire"},
        [{"annee": "2025", "mois": "6", "etp": "2"}],
        D("5270.00"),
        "2 ETP × 5\u202f270 € × 6 mois / 12",
    ),
    # cout_unitaire, 1 month: 5 270 / 12 = 439.1666… -> 439.17
    (
        "cout-unitaire-1-mois",
        {"methode": "cout_unitaire"},
        [{"annee": "2024", "mois": "1", "etp": "1"}],
        D("439.17"),
        "1 ETP × 5\u202f270 € × 1 mois / 12",
    ),
    # cout_unitaire, half-up: 0.003 × 5 270 × 6 / 12 = 7.905 -> 7.91 (half-even: 7.90)
    (
        "cout-unitaire-demi-centime",
        {"methode": "cout_unitaire"},
        [{"annee": "2024", "mois": "6", "etp": "0.003"}],
        D("7.91"),
        "0,003 ETP × 5\u202f270 € × 6 mois / 12",
    ),
    # cout_reel: the payroll figure, as typed in French
    (
        "cout-reel",
        {"methode": "cout_reel"},
        [{"annee": "2025", "cout_reel": "29 310,40"}],
        D("29310.40"),
        "coût réel issu de la paie",
    ),
]


@pytest.mark.parametrize(
    ("etab", "exercices", "cost", "formula"),
    [pytest.param(e, x, c, f, id=i) for i, e, x, c, f in COSTS],
)
def test_cost_of(
    make_dossier: MakeDossier,
    etab: dict[str, Any],
    exercices: list[dict[str, Any]],
    cost: D,
    formula: str,
) -> None:
    dossier = make_dossier(exercices=exercices, **etab)
    etablissement = dossier.etablissements[0]
    assert cost_of(etablissement, etablissement.exercices[0]) == (cost, formula)


def test_half_up_cases_really_are_halves() -> None:
    # Guard on the two rounding rows above: they would pass under banker's rounding otherwise.
    assert (D("0.0075") * 238).quantize(CENT, ROUND_HALF_EVEN) == D("1.78")
    assert (D("0.003") * 5270 * 6 / 12).quantize(CENT, ROUND_HALF_EVEN) == D("7.90")


# ------------------------------------------------------------ co-financed split

SPLITS: list[tuple[str, str, list[str], list[D]]] = [
    # (id, cost, shares in %, expected dues): every share but the last is rounded half-up
    # to the cent, the last takes cost minus the others.
    # 60/40 of 28 450.12: 17 070.072 -> 17 070.07 ; 28 450.12 - 17 070.07 = 11 380.05
    ("60-40", "28450.12", ["60", "40"], [D("17070.07"), D("11380.05")]),
    # 50/50 of 100.05: 50.025 -> 50.03 (half-up) ; remainder 50.02
    ("50-50-demi", "100.05", ["50", "50"], [D("50.03"), D("50.02")]),
    # 33.33/33.33/33.34 of 100.01: 33.333333 -> 33.33 twice ; last 100.01 - 66.66 = 33.35,
    # not 33.34 (= 33.343334 rounded): the remainder, so the sum stays 100.01.
    ("tiers-arrondis", "100.01", ["33.33", "33.33", "33.34"], [D("33.33"), D("33.33"), D("33.35")]),
    # 1/3 each (33.3333 + 33.3333 + 33.3334) of 100.00: 33.3333 -> 33.33 ; last 33.34
    ("tiers", "100", ["33.3333", "33.3333", "33.3334"], [D("33.33"), D("33.33"), D("33.34")]),
    # 50/50 of 0.01: 0.005 -> 0.01 ; the last gets 0.00
    ("un-centime", "0.01", ["50", "50"], [D("0.01"), D("0.00")]),
]


@pytest.mark.parametrize(
    ("cost", "shares", "dues"), [pytest.param(c, s, d, id=i) for i, c, s, d in SPLITS]
)
def test_split_shares_last_takes_the_remainder(
    make_dossier: MakeDossier, cost: str, shares: list[str], dues: list[D]
) -> None:
    autorites = [ARS, CD, PREFET][: len(shares)]
    dossier = make_dossier(
        autorites=autorites,
        categorie="fam",
        methode="cout_reel",
        coefficient_charges=None,
        financeurs=[
            {"autorite": a["id"], "part": p} for a, p in zip(autorites, shares, strict=True)
        ],
        exercices=[{"annee": "2024", "cout_reel": cost}],
    )
    report = compute_amounts(dossier)
    [ligne] = report.lignes
    assert ligne.cout == D(cost)
    assert [p.du for p in ligne.parts] == dues
    assert sum(dues) == D(cost)
    assert [p.autorite for p in ligne.parts] == [a["id"] for a in autorites]


@st.composite
def _split_case(draw: st.DrawFn) -> tuple[D, list[D]]:
    cost = D(draw(st.integers(min_value=0, max_value=10**10))) / 100
    n = draw(st.integers(min_value=1, max_value=4))
    # Shares in hundredths of a percent, each > 0, summing to exactly 100 %.
    cuts = sorted(draw(st.sets(st.integers(1, 9999), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, 10000]
    shares = [D(b - a) / 100 for a, b in itertools.pairwise(bounds)]
    return cost, shares


@settings(max_examples=200, deadline=None)
@given(_split_case())
def test_split_property(case: tuple[D, list[D]]) -> None:
    cost, shares = case
    etab = Etablissement.model_construct(
        financeurs=[PartFinancement(autorite=f"a{i}", part=s) for i, s in enumerate(shares)]
    )
    parts = split_shares(cost, etab, Exercice(annee=2024, cout_reel=cost))
    dues = [p.du for p in parts]
    assert sum(dues) == cost  # never a cent lost or created
    for part in parts[:-1]:
        assert part.du == (cost * part.pourcentage / 100).quantize(CENT, ROUND_HALF_UP)
    # The last share is off its exact value by at most half a cent per other share.
    exact_last = cost * shares[-1] / 100
    assert abs(dues[-1] - exact_last) <= D("0.005") * len(shares)


# ------------------------------------------------------------------------- totals


def _check_totals(report: AmountsReport) -> None:
    """Totals per authority, per exercise and overall are the sums of the lines."""
    by_auth: dict[str, Totaux] = {}
    by_year: dict[int, Totaux] = {}
    total = Totaux()
    for ligne in report.lignes:
        assert sum(p.du for p in ligne.parts) == ligne.cout
        for p in ligne.parts:
            by_auth.setdefault(p.autorite, Totaux()).add(p)
            by_year.setdefault(ligne.annee, Totaux()).add(p)
            total.add(p)
    assert report.par_autorite == by_auth
    assert report.par_exercice == by_year
    assert report.total == total
    assert sum((t.du for t in report.par_autorite_exercice.values()), D(0)) == total.du


@pytest.mark.parametrize(
    "stem", ["chrs-prefet-region", "mecs-conseil-departemental", "multisite-ars-cpom"]
)
def test_totals_are_sums_of_lines(example_paths: dict[str, Path], stem: str) -> None:
    _check_totals(compute_amounts(load_dossier(example_paths[stem])))


def test_multisite_example_totals(example_paths: dict[str, Path]) -> None:
    report = compute_amounts(load_dossier(example_paths["multisite-ars-cpom"]))
    # Lines, by hand:
    #   IME 2024     cout_unitaire 6.5 × 5 270             = 34 255.00 ARS, received 12 000
    #   IME 2025     cout_unitaire 6.8 × 5 270             = 35 836.00 ARS, received 15 000
    #   SESSAD 2024  cout_unitaire 1.5 × 5 270             =  7 905.00 ARS
    #   SESSAD 2025  cout_unitaire 2 × 5 270 × 6 / 12      =  5 270.00 ARS
    #   FAM 2024     cout_reel 28 450.12, 60 % ARS = 17 070.072 -> 17 070.07,
    #                CD takes 28 450.12 - 17 070.07 = 11 380.05; ARS received 9 000
    #   FAM 2025     cout_reel 29 310.40, 60 % ARS = 17 586.24, CD 11 724.16;
    #                ARS received 10 000, CD received 2 500
    #   IME 2026     cout_unitaire 7 × 5 270               = 36 890.00 ARS, received 16 000
    #   SESSAD 2026  cout_unitaire 2 × 5 270               = 10 540.00 ARS
    #   FAM 2026     cout_reel 30 120.00, 60 % ARS = 18 072.00, CD 12 048.00;
    #                ARS received 11 000
    assert [(ligne.finess, ligne.annee, ligne.cout) for ligne in report.lignes] == [
        ("930000018", 2024, D("34255.00")),
        ("930000018", 2025, D("35836.00")),
        ("930000018", 2026, D("36890.00")),
        ("930000026", 2024, D("7905.00")),
        ("930000026", 2025, D("5270.00")),
        ("930000026", 2026, D("10540.00")),
        ("930000034", 2024, D("28450.12")),
        ("930000034", 2025, D("29310.40")),
        ("930000034", 2026, D("30120.00")),
    ]
    # ARS due: 34 255 + 35 836 + 36 890 + 7 905 + 5 270 + 10 540 + 17 070.07 + 17 586.24
    #          + 18 072 = 183 424.31
    # ARS received: 12 000 + 15 000 + 16 000 + 9 000 + 10 000 + 11 000 = 73 000 ; gap 110 424.31
    # CD due: 11 380.05 + 11 724.16 + 12 048 = 35 152.21 ; received 2 500 ; gap 32 652.21
    assert {k: (t.du, t.recu, t.ecart) for k, t in report.par_autorite.items()} == {
        "ars-idf": (D("183424.31"), D("73000.00"), D("110424.31")),
        "cd-93": (D("35152.21"), D("2500.00"), D("32652.21")),
    }
    # 2024: 34 255 + 7 905 + 28 450.12 = 70 610.12 ; received 12 000 + 9 000 = 21 000
    # 2025: 35 836 + 5 270 + 29 310.40 = 70 416.40 ; received 15 000 + 10 000 + 2 500 = 27 500
    # 2026: 36 890 + 10 540 + 30 120 = 77 550.00 ; received 16 000 + 11 000 = 27 000
    assert {k: (t.du, t.recu) for k, t in report.par_exercice.items()} == {
        2024: (D("70610.12"), D("21000.00")),
        2025: (D("70416.40"), D("27500.00")),
        2026: (D("77550.00"), D("27000.00")),
    }
    # Overall: 70 610.12 + 70 416.40 + 77 550 = 218 576.52 ; received 75 500 ; gap 143 076.52
    assert (report.total.du, report.total.recu, report.total.ecart) == (
        D("218576.52"),
        D("75500.00"),
        D("143076.52"),
    )
    # Nobody paid above its share: what may be claimed is the gap itself.
    assert report.total.reclame == report.total.ecart
    assert report.par_autorite_exercice[("cd-93", 2025)].du == D("11724.16")
    assert report.avertissements == []
    # The share pairs one authority's letter is built from, optionally for some FINESS.
    assert [(ligne.annee, part.du) for ligne, part in report.lignes_de("cd-93")] == [
        (2024, D("11380.05")),
        (2025, D("11724.16")),
        (2026, D("12048.00")),
    ]
    assert len(report.lignes_de("ars-idf", {"930000034"})) == 3


# Double funding (issue 10 §5): what one funder paid above its share is never claimed again
# from another; the claims of a line add up to the cost less everything received.
DOUBLE_FUNDING = [
    # id, cost, shares (ARS, CD), received (ARS, CD), expected claims (ARS, CD)
    ("personne-au-dela", "1000", ["60", "40"], ["0", "0"], ["600.00", "400.00"]),
    ("ars-paie-plus-que-sa-part", "1000", ["60", "40"], ["700", "0"], ["0.00", "300.00"]),
    ("ars-paie-tout", "1000", ["60", "40"], ["1000", "0"], ["0.00", "0.00"]),
    ("les-deux-paient-trop", "1000", ["60", "40"], ["700", "500"], ["0.00", "0.00"]),
    ("cd-paie-plus-ars-partiel", "1000", ["60", "40"], ["100", "450"], ["450.00", "0.00"]),
]


@pytest.mark.parametrize(
    ("cost", "shares", "received", "claims"),
    [pytest.param(c, s, r, k, id=i) for i, c, s, r, k in DOUBLE_FUNDING],
)
def test_no_double_claim_across_funders(
    make_dossier: MakeDossier, cost: str, shares: list[str], received: list[str], claims: list[str]
) -> None:
    dossier = make_dossier(
        autorites=[ARS, CD],
        categorie="fam",
        methode="cout_reel",
        coefficient_charges=None,
        financeurs=[
            {"autorite": a["id"], "part": p} for a, p in zip([ARS, CD], shares, strict=True)
        ],
        exercices=[
            {
                "annee": "2024",
                "cout_reel": cost,
                "financement_recu": {a["id"]: r for a, r in zip([ARS, CD], received, strict=True)},
            }
        ],
    )
    [ligne] = compute_amounts(dossier).lignes
    assert [p.reclame for p in ligne.parts] == [D(c) for c in claims]
    remaining = max(D(cost) - sum(D(r) for r in received), D(0))
    assert sum(p.reclame for p in ligne.parts) == remaining


def test_lines_in_year_order(make_dossier: MakeDossier) -> None:
    dossier = make_dossier(exercices=[{"annee": "2025", "etp": "1"}, {"annee": "2024", "etp": "1"}])
    assert [ligne.annee for ligne in compute_amounts(dossier).lignes] == [2024, 2025]
    assert list(compute_amounts(dossier).par_exercice) == [2024, 2025]


# ------------------------------------------------------------ warnings, not refusals


def test_received_more_than_due_is_a_warning(make_dossier: MakeDossier) -> None:
    # Due: 2 × 238 × 12 × 1.5 = 8 568.00 ; received 10 000.
    dossier = make_dossier(
        exercices=[{"annee": "2024", "etp": "2", "financement_recu": {"cd-72": "10000"}}]
    )
    report = compute_amounts(dossier)
    assert report.avertissements == [
        "etablissements[0].exercices[0].financement_recu : MECS Les Tilleuls, 2024, « cd-72 » : "
        "le financement reçu (10\u202f000,00\xa0€) dépasse le montant dû (8\u202f568,00\xa0€)"
    ]
    assert report.total.ecart == D("-1432.00")  # 8 568 - 10 000, kept negative, not hidden


def test_etp_over_100_is_a_warning_on_its_own_line(make_dossier: MakeDossier) -> None:
    # The 2025 row comes first in the file: the warning must point at exercices[0].
    dossier = make_dossier(
        exercices=[{"annee": "2025", "etp": "150"}, {"annee": "2024", "etp": "100"}]
    )
    assert compute_amounts(dossier).avertissements == [
        "etablissements[0].exercices[0].etp : 150 ETP éligibles pour MECS Les Tilleuls en 2025, "
        "inhabituellement élevé ; vérifiez la saisie"
    ]  # 100 ETP exactly is not unusual


def test_coefficient_over_2_is_a_warning(make_dossier: MakeDossier) -> None:
    assert compute_amounts(make_dossier(coefficient_charges="2,15")).avertissements == [
        "etablissements[0].coefficient_charges : coefficient 2,15 inhabituellement élevé "
        "(MECS Les Tilleuls) ; vérifiez-le"
    ]
    assert compute_amounts(make_dossier(coefficient_charges="2")).avertissements == []
