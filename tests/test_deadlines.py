"""Tests of the deadlines engine.

Each row of each table gives its legal source in a comment. "§3 ex. N" refers to the worked
examples of shared/domaine/procedure-et-delais.md, section 3. Expected dates were computed by
hand from the calendar (weekdays and the C. trav. L.3133-1 holidays), not from the engine.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

import holidays
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from recours.errors import DossierInvalidError
from recours.law.deadlines import (
    Deadline,
    DeadlineInput,
    DeadlineReport,
    add_months,
    compute_deadlines,
    last_day,
    last_day_in_days,
    next_deadline,
)
from recours.law.referentiel import load_referentiel

D = date
CONVENTION = "la date la plus prudente"
IMPLICIT_CONVENTION = "Certains le font naître le lendemain"
OVERSEAS = "délai de distance d'un mois supplémentaire (CJA, art. R.421-7) n'est pas appliqué"
LOCAL_NOT_RETAINED = "cette prorogation n'est pas retenue"
CZABAJ = "en principe un an"
LATE = "il est tardif et n'interrompt pas le délai"
NO_REOPEN = "il ne rouvre pas ce délai"
AR = "Accusé de réception du recours gracieux absent ou sans les mentions requises"
GRACIEUX_GONE = "un recours gracieux n'est plus possible"
RECEIPT_ASSUMED = "la date d'envoi (10 avril 2026) est retenue comme date de réception"

NATIONAL = holidays.country_holidays("FR", years=range(1999, 2102))


def _has(warnings: list[str] | tuple[str, ...], text: str) -> bool:
    return any(text in w for w in warnings)


# --- last_day: two-month délai franc ---------------------------------------------------

MONTH_CASES = [
    # (start, months, departement, expected last day, warning substring or None)
    # §3 ex. 1 — Icard: notified Mon 1 Oct 2007, raw last day Sun 2 Dec -> Mon 3 Dec.
    (D(2007, 10, 1), 2, None, D(2007, 12, 3), None),
    # §3 ex. 2 — jurisconsulte id-5264: notified Sun 3 Jan 2021 -> Thu 4 Mar 2021.
    (D(2021, 1, 3), 2, None, D(2021, 3, 4), None),
    # §3 ex. 7 — CJA R.421-1 + CE 19 sept. 2014: Sat 16 May 2026 -> Mon 18 May.
    (D(2026, 3, 15), 2, None, D(2026, 5, 18), None),
    # §3 ex. 8 — notified Sat 15 Mar 2025 -> Fri 16 May 2025 (start day irrelevant).
    (D(2025, 3, 15), 2, None, D(2025, 5, 16), None),
    # §3 ex. 9 — C. trav. L.3133-1: Ascension Thu 14 May 2026 -> Fri 15 May.
    (D(2026, 3, 13), 2, None, D(2026, 5, 15), None),
    # §3 ex. 10 — Toussaint on a Sunday (1 Nov 2026) -> Mon 2 Nov.
    (D(2026, 8, 31), 2, None, D(2026, 11, 2), None),
    # L.3133-1: Christmas Fri 25 Dec 2026, then weekend -> Mon 28 Dec.
    (D(2026, 10, 24), 2, None, D(2026, 12, 28), None),
    # L.3133-1: 1 Jan 2027 (Fri), then weekend -> Mon 4 Jan 2027.
    (D(2026, 10, 31), 2, None, D(2027, 1, 4), None),
    # L.3133-1: 14 Jul 2026 (Tue) -> Wed 15 Jul.
    (D(2026, 5, 13), 2, None, D(2026, 7, 15), None),
    # L.3133-1: 15 Aug 2026 is a Saturday, 16 a Sunday -> Mon 17 Aug.
    (D(2026, 6, 14), 2, None, D(2026, 8, 17), None),
    # L.3133-1: Easter Sunday 5 Apr 2026 then Easter Monday -> Tue 7 Apr.
    (D(2026, 2, 4), 2, None, D(2026, 4, 7), None),
    # L.3133-1: Pentecost Sunday 24 May 2026 then Whit Monday -> Tue 26 May.
    (D(2026, 3, 23), 2, None, D(2026, 5, 26), None),
    # L.3133-1: Armistice Wed 11 Nov 2026 -> Thu 12 Nov.
    (D(2026, 9, 10), 2, None, D(2026, 11, 12), None),
    # L.3133-1: 8 May 2026 (Fri) then weekend -> Mon 11 May.
    (D(2026, 3, 7), 2, None, D(2026, 5, 11), None),
    # Short months, §3 edge cases [U]: 29 Dec 2024 -> (D+2m)+1 = Sat 1 Mar -> Mon 3 Mar,
    # (D+1)+2m clamped = Fri 28 Feb 2025: the earlier is kept and flagged.
    (D(2024, 12, 29), 2, None, D(2025, 2, 28), CONVENTION),
    # Same for 30 Dec 2024 (§3 edge cases).
    (D(2024, 12, 30), 2, None, D(2025, 2, 28), CONVENTION),
    # 28 Dec 2024: the day after (29 Dec) + 2 months is clamped to 28 Feb too.
    (D(2024, 12, 28), 2, None, D(2025, 2, 28), CONVENTION),
    # 31 Dec 2024: both conventions give Sat 1 Mar -> Mon 3 Mar 2025, no warning.
    (D(2024, 12, 31), 2, None, D(2025, 3, 3), None),
    # Leap year: 29 Dec 2023 -> Fri 1 Mar 2024 or Thu 29 Feb 2024: 29 Feb kept.
    (D(2023, 12, 29), 2, None, D(2024, 2, 29), CONVENTION),
    (D(2023, 12, 30), 2, None, D(2024, 2, 29), CONVENTION),
    # Leap year: 28 Dec 2023 -> 29 Feb 2024 either way, no warning.
    (D(2023, 12, 28), 2, None, D(2024, 2, 29), None),
    (D(2023, 12, 31), 2, None, D(2024, 3, 1), None),
    # 29 Feb 2024 (leap day): Tue 30 Apr 2024, or 1 May (holiday) -> 2 May: 30 Apr kept.
    (D(2024, 2, 29), 2, None, D(2024, 4, 30), CONVENTION),
    # 28 Feb 2025: Tue 29 Apr 2025, or 1 May -> Fri 2 May: 29 Apr kept.
    (D(2025, 2, 28), 2, None, D(2025, 4, 29), CONVENTION),
    # 28 Feb 2026: Wed 29 Apr 2026, or 1 May (Fri, holiday) -> Mon 4 May: 29 Apr kept.
    (D(2026, 2, 28), 2, None, D(2026, 4, 29), CONVENTION),
    # 30 Jul 2026: Thu 1 Oct or (31 Jul + 2m clamped) Wed 30 Sep: 30 Sep kept.
    (D(2026, 7, 30), 2, None, D(2026, 9, 30), CONVENTION),
    # 31 Jan 2025, one month: 28 Feb + 1 = Sat 1 Mar, or 1 Feb + 1m = 1 Mar -> Mon 3 Mar.
    (D(2025, 1, 31), 1, None, D(2025, 3, 3), None),
    # 31 Jan 2025, two months: Tue 1 Apr 2025 either way.
    (D(2025, 1, 31), 2, None, D(2025, 4, 1), None),
    # 30 Jan 2025, one month: Sat 1 Mar -> Mon 3 Mar, or 31 Jan + 1m = Fri 28 Feb: kept.
    (D(2025, 1, 30), 1, None, D(2025, 2, 28), CONVENTION),
    # 29 Jan 2024 (leap), one month: Fri 1 Mar or Thu 29 Feb: 29 Feb kept.
    (D(2024, 1, 29), 1, None, D(2024, 2, 29), CONVENTION),
    # Paris and Corsica: national calendar only, no warning (ct-l3133-1).
    (D(2026, 3, 15), 2, "75", D(2026, 5, 18), None),
    (D(2026, 3, 15), 2, "2A", D(2026, 5, 18), None),
]


@pytest.mark.parametrize(("start", "months", "departement", "expected", "warning"), MONTH_CASES)
def test_last_day_months(
    start: date, months: int, departement: str | None, expected: date, warning: str | None
) -> None:
    result, warnings = last_day(start, months, departement)
    assert result == expected
    if warning is None:
        assert warnings == []
    else:
        assert _has(warnings, warning)


def test_short_month_warning_names_both_dates() -> None:
    # §3 edge cases: "Use the earlier date and flag it".
    _, warnings = last_day(D(2024, 12, 30), 2)
    assert warnings == [
        "Délai de 2 mois à compter du 30 décembre 2024 : selon la façon de compter, le dernier"
        " jour est le 3 mars 2025 (échéance au même quantième, plus un jour franc) ou le"
        " 28 février 2025 (délai compté à partir du lendemain) ; la date la plus prudente, le"
        " 28 février 2025, est retenue."
    ]


DAY_CASES = [
    # (start, days, expected)
    # §3 ex. 4 — CE 15 Dec 2023 n° 472836: 15 days from Mon 20 Feb 2023 -> Wed 8 Mar 2023.
    (D(2023, 2, 20), 15, D(2023, 3, 8)),
    # §3 ex. 5 — vagneux.fr: 15 days from Thu 12 Oct 2023 -> Sat 28 Oct -> Mon 30 Oct.
    (D(2023, 10, 12), 15, D(2023, 10, 30)),
    # §3 ex. 6 — CE 29 Jun 2023 n° 470217: 15 days from 20 Dec 2022 -> Thu 5 Jan 2023.
    (D(2022, 12, 20), 15, D(2023, 1, 5)),
]


@pytest.mark.parametrize(("start", "days", "expected"), DAY_CASES)
def test_last_day_in_days(start: date, days: int, expected: date) -> None:
    assert last_day_in_days(start, days) == (expected, [])


# --- local holidays and overseas -------------------------------------------------------

LOCAL_CASES = [
    # (start, departement, national last day, date local holidays would give, holiday name)
    # C. trav. L.3134-13: Good Friday 18 Apr 2025 (Bas-Rhin); local calendar would give
    # Sat, Sun, Easter Monday -> Tue 22 Apr. Not retained.
    (D(2025, 2, 17), "67", D(2025, 4, 18), "22 avril 2025", "Alsace-Moselle : Vendredi saint"),
    # Same in Moselle (holidays subdiv "57") and Haut-Rhin ("6AE").
    (D(2025, 2, 17), "57", D(2025, 4, 18), "22 avril 2025", "Alsace-Moselle : Vendredi saint"),
    (D(2025, 2, 17), "68", D(2025, 4, 18), "22 avril 2025", "Alsace-Moselle : Vendredi saint"),
    # L.3134-13: raw last day Christmas 2025 -> Fri 26 Dec nationally; Saint-Étienne in
    # Alsace-Moselle would give Mon 29 Dec. Not retained.
    (D(2025, 10, 24), "68", D(2025, 12, 26), "29 décembre 2025", "Alsace-Moselle : Saint-Étienne"),
    # Guadeloupe: abolition of slavery, Wed 27 May 2026 -> 28 May locally. Not retained.
    (D(2026, 3, 26), "971", D(2026, 5, 27), "28 mai 2026", "Guadeloupe : Abolition de l'esclavage"),
]


@pytest.mark.parametrize(("start", "departement", "national", "local", "name"), LOCAL_CASES)
def test_local_holidays_warn_but_never_extend(
    start: date, departement: str, national: date, local: str, name: str
) -> None:
    result, warnings = last_day(start, 2, departement)
    assert result == national
    assert last_day(start, 2) == (national, [])
    assert _has(warnings, f"le dernier jour serait le {local} ; {LOCAL_NOT_RETAINED}")
    assert _has(warnings, name)
    if departement in {"57", "67", "68"}:
        assert _has(warnings, "C. trav., art. L.3134-13")


def test_alsace_moselle_found_by_computation() -> None:
    # C. trav. L.3134-13: every start of 2024-2027 whose national last day is Good Friday
    # or 26 December keeps that date in Moselle and gets the warning.
    found = 0
    start = D(2024, 1, 1)
    while start < D(2028, 1, 1):
        national, _ = last_day(start, 2)
        if (national.month, national.day) == (12, 26) or "Vendredi" in _fr_local(national):
            found += 1
            result, warnings = last_day(start, 2, "57")
            assert result == national
            assert _has(warnings, LOCAL_NOT_RETAINED)
        start += timedelta(days=1)
    assert found >= 4


def _fr_local(day: date) -> str:
    local = holidays.country_holidays("FR", subdiv="57", years=day.year, language="fr")
    return str(local.get(day, ""))


@pytest.mark.parametrize("departement", ["971", "972", "973", "974", "975", "976", "984", "988"])
def test_overseas_warning_always(departement: str) -> None:
    # CJA R.421-7 (+1 month overseas): never applied, always flagged (§1.3, [U]).
    result, warnings = last_day(D(2026, 3, 15), 2, departement)
    assert result == D(2026, 5, 18)
    assert _has(warnings, OVERSEAS)
    report = compute_deadlines(
        DeadlineInput(D(2026, 3, 15), voies_et_delais_mentionnes=False, departement=departement),
        D(2026, 4, 1),
    )
    assert _has(report.avertissements, OVERSEAS)
    assert sum(OVERSEAS in w for w in report.avertissements) == 1


def test_metropolitan_no_overseas_warning() -> None:
    report = compute_deadlines(DeadlineInput(D(2026, 3, 15), departement="13"), D(2026, 4, 1))
    assert report.avertissements == ()


# --- compute_deadlines: the chain ------------------------------------------------------

N15 = D(2026, 3, 15)  # §3 ex. 7/11/12: gracieux and requête deadline Mon 18 May 2026

CHAIN_CASES = [
    # (id, input, today, gracieux limit, interruptif, rejet implicite,
    #  contentieux limit, evenement, delai raisonnable, warning substrings)
    (
        # §3 ex. 7 + CRPA L.411-2: nothing sent; both deadlines are the notification's.
        "rien-envoye",
        DeadlineInput(N15),
        D(2026, 4, 1),
        D(2026, 5, 18),
        None,
        None,
        D(2026, 5, 18),
        "notification",
        False,
        [],
    ),
    (
        # §3 ex. 3 — service-public F2474: notified 4 Apr 2018, recours 26 May (limit 5 Jun),
        # rejected 24 Jun 2018 -> Sat 25 Aug -> Mon 27 Aug (CJA R.421-2, CE 19 sept. 2014).
        # Receipt unknown: the postmark is used (implicit would be 26 Jul, after 24 Jun).
        "ex3-f2474",
        DeadlineInput(D(2018, 4, 4), envoi_gracieux=D(2018, 5, 26), rejet_explicite=D(2018, 6, 24)),
        D(2018, 7, 1),
        D(2018, 6, 5),
        True,
        None,
        D(2018, 8, 27),
        "rejet_explicite",
        False,
        ["la date d'envoi (26 mai 2018) est retenue comme date de réception"],
    ),
    (
        # §3 ex. 11 — L.114-3, L.231-4, R.421-2: received 13 Apr -> implicit Sat 13 Jun 2026
        # -> Fri 14 Aug (the day-after reading gives Mon 17 Aug: flagged).
        "ex11-implicite",
        DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 13)),
        D(2026, 6, 20),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2026, 8, 14),
        "rejet_implicite",
        False,
        [IMPLICIT_CONVENTION, "reporterait la date limite au 17 août 2026"],
    ),
    (
        # §3 ex. 11, AR without the R.112-5 mentions — CRPA L.112-6, CE 18 mars 2019
        # Jounda Nguegoh: one year from the implicit rejection, not franc -> 13 Jun 2027.
        "ex11-ar-non-conforme",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            accuse_reception_conforme=False,
        ),
        D(2026, 6, 20),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2027, 6, 13),
        "rejet_implicite",
        True,
        [AR, "date limite le 13 juin 2027"],
    ),
    (
        # §3 ex. 12 — R.421-2 2nd sentence: explicit rejection Tue 2 Jun 2026, before the
        # implicit date -> Mon 3 Aug 2026; no implicit rejection arises.
        "ex12-explicite-avant",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            rejet_explicite=D(2026, 6, 2),
        ),
        D(2026, 6, 20),
        D(2026, 5, 18),
        True,
        None,
        D(2026, 8, 3),
        "rejet_explicite",
        False,
        ["à condition qu'elle mentionne les voies et délais de recours"],
    ),
    (
        # §3 ex. 12 with a non-compliant AR: L.112-6 exception (express decision notified
        # before the implicit one) — the explicit rejection runs normally.
        "ex12-ar-non-conforme",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            accuse_reception_conforme=False,
            rejet_explicite=D(2026, 6, 2),
        ),
        D(2026, 6, 20),
        D(2026, 5, 18),
        True,
        None,
        D(2026, 8, 3),
        "rejet_explicite",
        False,
        [],
    ),
    (
        # R.421-2: explicit rejection 1 Jul 2026, after the implicit one but within its
        # deadline -> runs again: 1 Sep + 1 = Wed 2 Sep 2026.
        "explicite-apres-implicite",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            rejet_explicite=D(2026, 7, 1),
        ),
        D(2026, 7, 2),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2026, 9, 2),
        "rejet_explicite",
        False,
        [],
    ),
    (
        # R.421-2: explicit rejection notified on the last day (14 Aug) still counts ->
        # 14 Oct + 1 = Thu 15 Oct 2026.
        "explicite-dernier-jour",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            rejet_explicite=D(2026, 8, 14),
        ),
        D(2026, 8, 20),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2026, 10, 15),
        "rejet_explicite",
        False,
        [],
    ),
    (
        # R.421-2 a contrario: explicit rejection 17 Aug, after the 14 Aug deadline (though
        # within the day-after reading's 17 Aug): does not reopen, conservatively.
        "explicite-trop-tard",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            rejet_explicite=D(2026, 8, 17),
        ),
        D(2026, 8, 20),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2026, 8, 14),
        "rejet_implicite",
        False,
        [NO_REOPEN, "notifié le 17 août 2026", IMPLICIT_CONVENTION],
    ),
    (
        # L.112-6 + Jounda Nguegoh: explicit rejection 1 Mar 2027 within the one-year time
        # -> 1 May (Sat, holiday) + 1 = Sun 2 May -> Mon 3 May 2027.
        "ar-non-conforme-explicite-tardif-mais-dans-l-an",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            accuse_reception_conforme=False,
            rejet_explicite=D(2027, 3, 1),
        ),
        D(2027, 3, 2),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2027, 5, 3),
        "rejet_explicite",
        False,
        [],
    ),
    (
        # L.112-6 + Jounda Nguegoh: explicit rejection 14 Jun 2027, after the one year.
        "ar-non-conforme-explicite-apres-l-an",
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            accuse_reception_conforme=False,
            rejet_explicite=D(2027, 6, 14),
        ),
        D(2027, 6, 15),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2027, 6, 13),
        "rejet_implicite",
        True,
        [NO_REOPEN, AR],
    ),
    (
        # CRPA L.411-2 + L.112-1: posted Tue 19 May 2026, after the 18 May limit: late,
        # no interruption; the notification's deadline stays.
        "gracieux-tardif",
        DeadlineInput(N15, envoi_gracieux=D(2026, 5, 19), reception_gracieux=D(2026, 5, 21)),
        D(2026, 5, 25),
        D(2026, 5, 18),
        False,
        None,
        D(2026, 5, 18),
        "notification",
        False,
        [LATE, "envoyé le 19 mai 2026"],
    ),
    (
        # L.411-2 + R.421-2: the rejection of a late recours does not reopen the deadline.
        "gracieux-tardif-puis-rejet",
        DeadlineInput(N15, envoi_gracieux=D(2026, 5, 19), rejet_explicite=D(2026, 6, 1)),
        D(2026, 6, 2),
        D(2026, 5, 18),
        False,
        None,
        D(2026, 5, 18),
        "notification",
        False,
        [LATE, "répond à un recours gracieux tardif"],
    ),
    (
        # L.112-1 (postmark) + CE 19 sept. 2014: posted on the last day itself, 18 May 2026:
        # interrupts. Receipt unknown -> postmark used (L.114-3, prudent): implicit Sat
        # 18 Jul; 18 Sep + 1 = Sat 19 Sep -> Mon 21 Sep 2026 (both readings agree).
        "gracieux-le-dernier-jour",
        DeadlineInput(N15, envoi_gracieux=D(2026, 5, 18)),
        D(2026, 5, 18),
        D(2026, 5, 18),
        True,
        D(2026, 7, 18),
        D(2026, 9, 21),
        "rejet_implicite",
        False,
        ["la date d'envoi (18 mai 2026) est retenue comme date de réception"],
    ),
    (
        # L.112-1: postmark unknown, receipt 13 Apr used for timeliness (prudent).
        "reception-seule",
        DeadlineInput(N15, reception_gracieux=D(2026, 4, 13)),
        D(2026, 6, 20),
        D(2026, 5, 18),
        True,
        D(2026, 6, 13),
        D(2026, 8, 14),
        "rejet_implicite",
        False,
        ["cachet de la poste) inconnue"],
    ),
    (
        # L.112-1: postmark unknown and receipt after the limit: treated as late.
        "reception-seule-tardive",
        DeadlineInput(N15, reception_gracieux=D(2026, 5, 20)),
        D(2026, 6, 1),
        D(2026, 5, 18),
        False,
        None,
        D(2026, 5, 18),
        "notification",
        False,
        ["cachet de la poste) inconnue", LATE],
    ),
    (
        # CJA R.421-5 + CE Ass. 13 juill. 2016 Czabaj: no voies et délais -> one year from
        # the notification, not franc, no weekend move: Mon 15 Mar 2027, for both.
        "czabaj",
        DeadlineInput(N15, voies_et_delais_mentionnes=False),
        D(2026, 6, 1),
        D(2027, 3, 15),
        None,
        None,
        D(2027, 3, 15),
        "notification",
        True,
        [CZABAJ, "arrêté au 15 mars 2027"],
    ),
    (
        # Czabaj from a leap day: 29 Feb 2024 + 1 year, clamped -> 28 Feb 2025.
        "czabaj-29-fevrier",
        DeadlineInput(D(2024, 2, 29), voies_et_delais_mentionnes=False),
        D(2024, 3, 1),
        D(2025, 2, 28),
        None,
        None,
        D(2025, 2, 28),
        "notification",
        True,
        [CZABAJ],
    ),
    (
        # CE avis 12 juill. 2023 n° 474865 (interruption of the Czabaj time, L.411-2): a
        # recours within the year, received 3 Feb 2027 -> implicit 3 Apr 2027 -> compliant
        # AR gives the ordinary 2 months: 3 Jun + 1 = Fri 4 Jun 2027.
        "czabaj-puis-gracieux",
        DeadlineInput(
            N15,
            voies_et_delais_mentionnes=False,
            envoi_gracieux=D(2027, 2, 1),
            reception_gracieux=D(2027, 2, 3),
        ),
        D(2027, 2, 4),
        D(2027, 3, 15),
        True,
        D(2027, 4, 3),
        D(2027, 6, 4),
        "rejet_implicite",
        False,
        [CZABAJ],
    ),
    (
        # Czabaj + L.411-2: a recours posted after the reasonable time is late.
        "czabaj-gracieux-tardif",
        DeadlineInput(N15, voies_et_delais_mentionnes=False, envoi_gracieux=D(2027, 3, 16)),
        D(2027, 3, 20),
        D(2027, 3, 15),
        False,
        None,
        D(2027, 3, 15),
        "notification",
        True,
        [CZABAJ, LATE],
    ),
]


@pytest.mark.parametrize(
    (
        "inp",
        "today",
        "gracieux",
        "interruptif",
        "implicite",
        "contentieux",
        "evenement",
        "raisonnable",
        "warnings",
    ),
    [pytest.param(*case[1:], id=case[0]) for case in CHAIN_CASES],
)
def test_chain(
    inp: DeadlineInput,
    today: date,
    gracieux: date,
    interruptif: bool | None,
    implicite: date | None,
    contentieux: date,
    evenement: str,
    raisonnable: bool,
    warnings: list[str],
) -> None:
    report = compute_deadlines(inp, today)
    assert report.recours_gracieux.date_limite == gracieux
    assert report.recours_gracieux.point_de_depart == inp.notification
    assert report.gracieux_interruptif is interruptif
    assert report.rejet_implicite == implicite
    assert report.recours_contentieux.date_limite == contentieux
    assert report.recours_contentieux.evenement == evenement
    assert report.recours_contentieux.delai_raisonnable is raisonnable
    for text in warnings:
        assert _has(report.avertissements, text), (text, report.avertissements)
    if interruptif:
        assert report.recours_gracieux.statut == "envoye"
    articles = load_referentiel().articles
    for deadline in (report.recours_gracieux, report.recours_contentieux):
        assert deadline.fondements
        assert all(key in articles for key in deadline.fondements)


def test_implicit_point_de_depart_and_grounds() -> None:
    # CJA R.421-2: the deadline runs from the birth of the implicit rejection.
    report = compute_deadlines(
        DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 13)),
        D(2026, 6, 20),
    )
    assert report.recours_contentieux.point_de_depart == D(2026, 6, 13)
    assert report.recours_contentieux.fondements == (
        "crpa-l411-2",
        "crpa-l114-3",
        "crpa-l231-4",
        "cja-r421-2",
        "ce-delai-franc",
    )
    assert report.recours_gracieux.fondements == (
        "crpa-l411-2",
        "crpa-l112-1",
        "cja-r421-1",
        "ce-delai-franc",
        "ce-jour-ouvrable",
    )


def test_czabaj_warning_text() -> None:
    report = compute_deadlines(DeadlineInput(N15, voies_et_delais_mentionnes=False), D(2026, 4, 1))
    assert report.avertissements == (
        "La notification de la décision ne mentionnait pas les voies et délais de recours : le"
        " délai de deux mois ne lui est pas opposable (CJA, art. R.421-5). La décision ne peut"
        " toutefois être contestée que dans un délai raisonnable fixé par la jurisprudence, en"
        " principe un an à compter de la notification, sauf circonstances particulières (CE,"
        " Ass., 13 juill. 2016, Czabaj, n° 387763). Par prudence, ce délai est arrêté au"
        " 15 mars 2027, sans jour franc ni report au jour ouvrable suivant.",
    )
    assert report.recours_contentieux.fondements == ("cja-r421-5", "ce-czabaj")


def test_alsace_moselle_in_the_chain() -> None:
    # L.3134-13: notified 17 Feb 2025 in Bas-Rhin; the requête deadline stays Good Friday.
    report = compute_deadlines(DeadlineInput(D(2025, 2, 17), departement="67"), D(2025, 3, 1))
    assert report.recours_contentieux.date_limite == D(2025, 4, 18)
    assert _has(report.avertissements, "Vendredi saint")
    assert _has(report.avertissements, LOCAL_NOT_RETAINED)


# --- statuses --------------------------------------------------------------------------

STATUS_CASES = [
    # (today, statut, jours_restants) against the Mon 18 May 2026 deadline (§3 ex. 7).
    (D(2026, 5, 1), "ouvert", 17),
    (D(2026, 5, 17), "ouvert", 1),
    (D(2026, 5, 18), "dernier_jour", 0),
    (D(2026, 5, 19), "expire", -1),
    (D(2026, 12, 31), "expire", -227),
]


@pytest.mark.parametrize(("today", "statut", "jours"), STATUS_CASES)
def test_statuses(today: date, statut: str, jours: int) -> None:
    report = compute_deadlines(DeadlineInput(N15), today)
    for deadline in (report.recours_gracieux, report.recours_contentieux):
        assert (deadline.statut, deadline.jours_restants) == (statut, jours)
    assert bool(report.possibilites) is (statut == "expire")
    assert _has(report.avertissements, GRACIEUX_GONE) is (statut == "expire")


def test_possibilities_when_expired() -> None:
    # apres_expiration of the referential, all three when the voies were mentioned.
    texts = [p.texte for p in load_referentiel().apres_expiration]
    report = compute_deadlines(DeadlineInput(N15), D(2026, 6, 1))
    assert report.possibilites == tuple(texts)
    assert report.avertissements == (
        "Le délai du recours gracieux a expiré le 18 mai 2026 : un recours gracieux n'est plus"
        " possible (il n'interromprait plus le délai de recours contentieux, CRPA, art."
        " L.411-2).",
    )
    # Once the Czabaj year itself has expired, the Czabaj hint is dropped.
    czabaj = compute_deadlines(DeadlineInput(N15, voies_et_delais_mentionnes=False), D(2027, 3, 16))
    assert czabaj.recours_contentieux.statut == "expire"
    assert czabaj.possibilites == tuple(
        p.texte for p in load_referentiel().apres_expiration if "ce-czabaj" not in p.references
    )
    assert len(czabaj.possibilites) == len(texts) - 1


def test_sent_gracieux_is_envoye_and_not_gone() -> None:
    report = compute_deadlines(
        DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 13)),
        D(2026, 8, 15),
    )
    assert report.recours_gracieux.statut == "envoye"
    assert report.recours_gracieux.jours_restants == (D(2026, 5, 18) - D(2026, 8, 15)).days
    assert report.recours_contentieux.statut == "expire"
    assert not _has(report.avertissements, GRACIEUX_GONE)
    assert report.possibilites


def test_pending_implicit_rejection_hint() -> None:
    report = compute_deadlines(
        DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 13)),
        D(2026, 5, 1),
    )
    assert _has(report.avertissements, "d'ici le 14 août 2026, un nouveau délai de deux mois")


# --- next_deadline ---------------------------------------------------------------------


def test_next_deadline() -> None:
    nothing_sent = compute_deadlines(DeadlineInput(N15), D(2026, 5, 18))
    assert next_deadline(nothing_sent) is nothing_sent.recours_gracieux
    sent = compute_deadlines(
        DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 13)),
        D(2026, 8, 14),
    )
    assert next_deadline(sent) is sent.recours_contentieux
    assert next_deadline(compute_deadlines(DeadlineInput(N15), D(2026, 5, 19))) is None


# --- validation and JSON ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("inp", "chemin"),
    [
        (DeadlineInput(N15, rejet_explicite=D(2026, 6, 2)), "rejet_explicite"),
        (
            DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), reception_gracieux=D(2026, 4, 9)),
            "reception_gracieux",
        ),
        (
            DeadlineInput(N15, envoi_gracieux=D(2026, 4, 10), rejet_explicite=D(2026, 4, 9)),
            "rejet_explicite",
        ),
    ],
)
def test_impossible_dates_are_refused(inp: DeadlineInput, chemin: str) -> None:
    with pytest.raises(DossierInvalidError) as excinfo:
        compute_deadlines(inp, D(2026, 6, 1))
    assert [p.chemin for p in excinfo.value.problemes] == [chemin]


def test_to_json_shape() -> None:
    report = compute_deadlines(
        DeadlineInput(
            N15,
            envoi_gracieux=D(2026, 4, 10),
            reception_gracieux=D(2026, 4, 13),
            departement="974",
        ),
        D(2026, 6, 20),
    )
    data = json.loads(json.dumps(report.to_json()))
    assert data["aujourdhui"] == "2026-06-20"
    assert data["notification"] == "2026-03-15"
    assert data["departement"] == "974"
    assert data["rejet_implicite"] == "2026-06-13"
    gracieux = data["recours_gracieux"]
    assert {
        "date_limite",
        "point_de_depart",
        "statut",
        "jours_restants",
        "date_envoi",
        "interruptif",
        "fondements",
    } <= gracieux.keys()
    assert gracieux["date_limite"] == "2026-05-18"
    assert gracieux["date_envoi"] == "2026-04-10"
    assert gracieux["interruptif"] is True
    assert gracieux["statut"] == "envoye"
    assert "CRPA, art. L.411-2" in gracieux["fondements"]
    contentieux = data["recours_contentieux"]
    assert {
        "date_limite",
        "point_de_depart",
        "evenement",
        "delai_raisonnable",
        "statut",
        "jours_restants",
        "fondements",
    } <= contentieux.keys()
    assert contentieux == {
        "date_limite": "2026-08-14",
        "point_de_depart": "2026-06-13",
        "evenement": "rejet_implicite",
        "delai_raisonnable": False,
        "statut": "ouvert",
        "jours_restants": 55,
        "fondements": [
            "CRPA, art. L.411-2",
            "CRPA, art. L.114-3",
            "CRPA, art. L.231-4",
            "CJA, art. R.421-2",
            "CE, 5 oct. 2018, n° 409579",
        ],
        "fondements_cles": [
            "crpa-l411-2",
            "crpa-l114-3",
            "crpa-l231-4",
            "cja-r421-2",
            "ce-delai-franc",
        ],
    }
    assert all(isinstance(w, str) for w in data["avertissements"])
    assert any(OVERSEAS in w for w in data["avertissements"])
    assert data["possibilites"] == []


def test_json_null_when_nothing_sent() -> None:
    data = compute_deadlines(DeadlineInput(N15), D(2026, 4, 1)).to_json()
    assert data["rejet_implicite"] is None
    gracieux = data["recours_gracieux"]
    assert isinstance(gracieux, dict)
    assert gracieux["date_envoi"] is None
    assert gracieux["interruptif"] is None


def test_import_stays_light() -> None:
    code = (
        "import sys, recours.law.deadlines; "
        "heavy = {'weasyprint', 'docxtpl', 'holidays', 'babel', 'questionary'} & set(sys.modules); "
        "assert not heavy, heavy"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --- properties ------------------------------------------------------------------------

starts = st.dates(min_value=D(2000, 1, 1), max_value=D(2098, 12, 31))
departements = st.sampled_from([None, "75", "2A", "57", "67", "68", "971", "974", "976", "988"])


@given(starts, st.integers(min_value=-36, max_value=36))
def test_add_months_matches_relativedelta(start: date, months: int) -> None:
    assert add_months(start, months) == start + relativedelta(months=months)


@given(starts, st.integers(min_value=1, max_value=3), departements)
def test_last_day_is_a_national_working_day(
    start: date, months: int, departement: str | None
) -> None:
    # CE 19 sept. 2014 + C. trav. L.3133-1.
    result, _ = last_day(start, months, departement)
    assert result.weekday() < 5
    assert result not in NATIONAL


@given(starts, departements)
def test_last_day_never_before_naive_echeance(start: date, departement: str | None) -> None:
    # CE 5 oct. 2018 (délai franc): never before start + 2 months (clamped), and a week
    # covers any weekend-and-holiday run.
    result, _ = last_day(start, 2, departement)
    naive = start + relativedelta(months=2)
    assert naive <= result <= naive + timedelta(days=7)


@given(starts, departements)
def test_local_holidays_never_change_the_date(start: date, departement: str | None) -> None:
    # Rule 2: local holidays (L.3134-13, overseas) only warn.
    assert last_day(start, 2, departement)[0] == last_day(start, 2)[0]


@given(starts, st.integers(min_value=0, max_value=400))
def test_last_day_is_monotonic(start: date, delta: int) -> None:
    assert last_day(start, 2)[0] <= last_day(start + timedelta(days=delta), 2)[0]


@st.composite
def timely_gracieux(draw: st.DrawFn) -> tuple[DeadlineInput, date]:
    notification = draw(st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)))
    limit, _ = last_day(notification, 2)
    envoi = notification + timedelta(days=draw(st.integers(0, (limit - notification).days)))
    reception = draw(st.none() | st.integers(0, 30).map(lambda days: envoi + timedelta(days=days)))
    rejet = draw(
        st.none() | st.integers(0, 500).map(lambda days: (reception or envoi) + timedelta(days))
    )
    inp = DeadlineInput(
        notification,
        envoi_gracieux=envoi,
        reception_gracieux=reception,
        accuse_reception_conforme=draw(st.booleans()),
        rejet_explicite=rejet,
        departement=draw(departements),
    )
    today = notification + timedelta(days=draw(st.integers(-30, 900)))
    return inp, today


@given(timely_gracieux())
def test_timely_gracieux_never_shortens(case: tuple[DeadlineInput, date]) -> None:
    # CRPA L.411-2: a timely recours interrupts; the requête deadline is never earlier than
    # without it (voies et délais mentioned: see CE avis 12 juill. 2023 otherwise).
    inp, today = case
    with_recours = compute_deadlines(inp, today)
    without = compute_deadlines(DeadlineInput(inp.notification, departement=inp.departement), today)
    assert with_recours.gracieux_interruptif is True
    assert with_recours.recours_gracieux.statut == "envoye"
    assert with_recours.recours_contentieux.date_limite >= without.recours_contentieux.date_limite
    _check_consistency(with_recours)
    _check_consistency(without)


def _check_consistency(report: DeadlineReport) -> None:
    for deadline in (report.recours_gracieux, report.recours_contentieux):
        assert deadline.jours_restants == (deadline.date_limite - report.aujourdhui).days
    contentieux = report.recours_contentieux
    expected = {1: "ouvert", 0: "dernier_jour", -1: "expire"}
    sign = (contentieux.jours_restants > 0) - (contentieux.jours_restants < 0)
    assert contentieux.statut == expected[sign]
    assert bool(report.possibilites) is (contentieux.statut == "expire")
    following = next_deadline(report)
    assert following is None or isinstance(following, Deadline)
    if following is not None:
        assert following.statut in {"ouvert", "dernier_jour"}
    json.dumps(report.to_json())


# Former CASF R.351-15 (one month before the TITSS) for tariff decisions, until 31 Dec 2024.
@pytest.mark.parametrize(
    ("inp", "gracieux_limit", "interruptive", "contentieux_limit"),
    [
        # Notified 15 Nov 2024: 15 Dec (Sun) + 1 -> Mon 16 Dec 2024.
        (
            DeadlineInput(notification=date(2024, 11, 15), decision_tarifaire=True),
            date(2024, 12, 16),
            None,
            date(2024, 12, 16),
        ),
        # Same decision not marked as a tariff: two months, 15 Jan + 1 -> Thu 16 Jan 2025.
        (
            DeadlineInput(notification=date(2024, 11, 15)),
            date(2025, 1, 16),
            None,
            date(2025, 1, 16),
        ),
        # Recours posted 20 Dec 2024: late under the one-month rule, does not interrupt.
        (
            DeadlineInput(
                notification=date(2024, 11, 15),
                envoi_gracieux=date(2024, 12, 20),
                reception_gracieux=date(2024, 12, 23),
                decision_tarifaire=True,
            ),
            date(2024, 12, 16),
            False,
            date(2024, 12, 16),
        ),
        # Posted in time; implicit rejection 12 Feb 2025, after the reform -> two months:
        # 12 Apr (Sat) + 1 = 13 Apr (Sun) -> Mon 14 Apr 2025.
        (
            DeadlineInput(
                notification=date(2024, 11, 15),
                envoi_gracieux=date(2024, 12, 10),
                reception_gracieux=date(2024, 12, 12),
                decision_tarifaire=True,
            ),
            date(2024, 12, 16),
            True,
            date(2025, 4, 14),
        ),
    ],
)
def test_tariff_decisions_before_the_2025_reform(
    inp: DeadlineInput, gracieux_limit: date, interruptive: bool | None, contentieux_limit: date
) -> None:
    report = compute_deadlines(inp, date(2026, 11, 22))
    assert report.recours_gracieux.date_limite == gracieux_limit
    assert report.gracieux_interruptif is interruptive
    assert report.recours_contentieux.date_limite == contentieux_limit
    assert any("R.351-15" in w for w in report.avertissements)


# --- recours hiérarchique (CRPA L.411-2 al. 2, L.411-7; voies-de-droit.md §5.1) --------

GRACIEUX_SENT = {"envoi_gracieux": D(2026, 4, 10), "reception_gracieux": D(2026, 4, 13)}
HIER_SENT = {"envoi_hierarchique": D(2026, 4, 20), "reception_hierarchique": D(2026, 4, 22)}

HIERARCHICAL_CASES = [
    # (id, input, contentieux last day, start, counted, interruptive, warning substring)
    # L.411-2 al. 2 + L.411-7: gracieux -> implicit 13 Jun (limit 14 Aug, §3 ex. 11);
    # hiérarchique received 22 Apr -> implicit Mon 22 Jun -> 22 Aug (Sat) + 1 = Sun 23 ->
    # Mon 24 Aug 2026: the delay restarts only once both are rejected.
    ("ars-both-implicit",
     DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, type_autorite="ars"),
     D(2026, 8, 24), D(2026, 6, 22), True, True, "ne recommence à courir qu'après le rejet des deux"),
    # Same; the gracieux explicitly rejected on 2 Jun (limit 3 Aug, §3 ex. 12): the later
    # hiérarchique rejection still governs -> 24 Aug.
    ("ars-gracieux-explicit",
     DeadlineInput(N15, **GRACIEUX_SENT, rejet_explicite=D(2026, 6, 2), **HIER_SENT,
                   type_autorite="ars"),
     D(2026, 8, 24), D(2026, 6, 22), True, True, "le 22 juin 2026"),
    # Hiérarchique rejected expressly Tue 5 May (-> Mon 6 Jul): the gracieux, rejected later
    # (implicit 13 Jun -> 14 Aug), governs.
    ("ars-hier-explicit-first",
     DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, rejet_explicite_hierarchique=D(2026, 5, 5),
                   type_autorite="ars"),
     D(2026, 8, 14), D(2026, 6, 13), True, True, "dernier jour : 14 août 2026"),
    # L.411-2 al. 1: a hiérarchique alone, within the delay, interrupts like a gracieux.
    ("ars-hier-alone", DeadlineInput(N15, **HIER_SENT, type_autorite="ars"),
     D(2026, 8, 24), D(2026, 6, 22), True, True, "pouvoir hiérarchique"),
    # Posted Tue 19 May, after the initial delay (Mon 18 May): interrupts nothing.
    ("ars-hier-late",
     DeadlineInput(N15, **GRACIEUX_SENT, envoi_hierarchique=D(2026, 5, 19),
                   reception_hierarchique=D(2026, 5, 21), type_autorite="ars"),
     D(2026, 8, 14), D(2026, 6, 13), False, False, "après le délai initial"),
    # §5.1 [U]: a PCD has no hierarchical superior -> not counted, warned.
    ("pcd",
     DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, type_autorite="conseil_departemental"),
     D(2026, 8, 14), D(2026, 6, 13), False, False, "n'a pas de supérieur hiérarchique"),
    # §5.1 [U]: préfet -> minister uncertain: the earlier date is kept, the later one shown.
    ("prefet",
     DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, type_autorite="prefet_region"),
     D(2026, 8, 14), D(2026, 6, 13), False, True, "le dernier jour serait le 24 août 2026"),
    # Authority type unknown: treated like the uncertain case.
    ("unknown-authority", DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT),
     D(2026, 8, 14), D(2026, 6, 13), False, True, "d'une autorité non précisée"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("inp", "limit", "start", "counted", "interruptive", "warning"),
    [case[1:] for case in HIERARCHICAL_CASES],
    ids=[case[0] for case in HIERARCHICAL_CASES],
)
def test_recours_hierarchique(
    inp: DeadlineInput,
    limit: date,
    start: date,
    counted: bool,
    interruptive: bool,
    warning: str,
) -> None:
    report = compute_deadlines(inp, D(2026, 7, 1))
    assert report.recours_contentieux.date_limite == limit
    assert report.recours_contentieux.point_de_depart == start
    state = report.recours_hierarchique
    assert state is not None
    assert (state.retenu, state.interruptif) == (counted, interruptive)
    assert _has(report.avertissements, warning)
    assert not _has(report.avertissements, "recours gracieux par l'autorité inconnue")
    data = json.loads(json.dumps(report.to_json()))
    assert data["recours_hierarchique"]["retenu"] is counted
    assert data["entree"]["envoi_hierarchique"] == "2026-04-20" or inp.envoi_hierarchique != D(
        2026, 4, 20
    )


def test_recours_hierarchique_grounds() -> None:
    report = compute_deadlines(
        DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, type_autorite="ars"), D(2026, 7, 1)
    )
    assert report.recours_contentieux.fondements[:2] == ("crpa-l411-2-al2", "crpa-l411-7")
    assert report.recours_contentieux.evenement == "rejet_implicite_hierarchique"
    state = report.recours_hierarchique
    assert state is not None
    assert (state.rejet_implicite, state.date_limite_si_retenu) == (D(2026, 6, 22), D(2026, 8, 24))


def test_recours_hierarchique_prefet_sentence() -> None:
    report = compute_deadlines(
        DeadlineInput(N15, **GRACIEUX_SENT, **HIER_SENT, type_autorite="prefet_departement"),
        D(2026, 7, 1),
    )
    assert (
        "Recours hiérarchique contre une décision du préfet de département : son destinataire"
        " (le ministre compétent) n'est pas établi avec certitude (à vérifier). Par prudence, la"
        " date limite retenue ne tient pas compte de ce recours : 14 août 2026. S'il est bien un"
        " recours hiérarchique, le délai ne recommencerait à courir qu'après le rejet de chaque"
        " recours formé dans le délai initial, et le dernier jour serait le 24 août 2026 (CRPA,"
        " art. L.411-2, al. 2)." in report.avertissements
    )


def test_without_hierarchique_nothing_changes() -> None:
    report = compute_deadlines(DeadlineInput(N15, **GRACIEUX_SENT), D(2026, 7, 1))
    assert report.recours_hierarchique is None
    assert report.to_json()["recours_hierarchique"] is None


@pytest.mark.parametrize(
    ("inp", "chemin"),
    [
        (
            DeadlineInput(
                N15, envoi_hierarchique=D(2026, 4, 20), reception_hierarchique=D(2026, 4, 1)
            ),
            "reception_hierarchique",
        ),
        (
            DeadlineInput(N15, rejet_explicite_hierarchique=D(2026, 5, 1)),
            "rejet_explicite_hierarchique",
        ),
        (
            DeadlineInput(
                N15, envoi_hierarchique=D(2026, 4, 20), rejet_explicite_hierarchique=D(2026, 4, 1)
            ),
            "rejet_explicite_hierarchique",
        ),
    ],
)
def test_impossible_hierarchical_dates(inp: DeadlineInput, chemin: str) -> None:
    with pytest.raises(DossierInvalidError) as excinfo:
        compute_deadlines(inp, D(2026, 6, 1))
    assert [p.chemin for p in excinfo.value.problemes] == [chemin]


@given(timely_gracieux(), st.integers(0, 60), st.integers(0, 20), st.booleans())
def test_timely_hierarchique_never_shortens(
    case: tuple[DeadlineInput, date], offset: int, transit: int, compliant: bool
) -> None:
    # L.411-2 al. 2: beside a timely gracieux, a timely hiérarchique (DG ARS) restarts the
    # delay from the later rejection; with an uncertain superior the retained date is unchanged.
    inp, today = case
    initial = compute_deadlines(DeadlineInput(inp.notification), today).recours_gracieux.date_limite
    envoi = min(inp.notification + timedelta(days=offset), initial)
    extra = {
        "envoi_hierarchique": envoi,
        "reception_hierarchique": envoi + timedelta(days=transit),
        "accuse_hierarchique_conforme": compliant,
    }
    base = compute_deadlines(inp, today)
    ars = compute_deadlines(replace(inp, **extra, type_autorite="ars"), today)
    prefet = compute_deadlines(replace(inp, **extra, type_autorite="prefet_region"), today)
    if inp.accuse_reception_conforme and compliant:
        # Both two-month delays: the later rejection gives the later date. (Otherwise the
        # later rejection may carry a two-month delay where the earlier had a year.)
        assert ars.recours_contentieux.date_limite >= base.recours_contentieux.date_limite
    assert ars.recours_contentieux.point_de_depart >= base.recours_contentieux.point_de_depart
    assert prefet.recours_contentieux.date_limite == base.recours_contentieux.date_limite
    _check_consistency(ars)


def test_france_holidays_read_directly_are_the_librarys() -> None:
    """The holidays read from the library's France module alone (fast path) are exactly
    what `holidays.country_holidays("FR")` gives, nationally and for every territory."""
    from recours.law.deadlines import _OVERSEAS_SUBDIVS, _france_holidays_class

    france = _france_holidays_class()
    assert france is not None  # the fast path is taken with the installed version
    for subdiv in [None, "57", "6AE", *_OVERSEAS_SUBDIVS.values()]:
        for year in (2024, 2025, 2026, 2027, 2031):
            fast = france(subdiv=subdiv, years=year, language="fr")
            library = holidays.country_holidays("FR", subdiv=subdiv, years=year, language="fr")
            assert dict(fast) == dict(library), (subdiv, year)
            assert len(library) >= 11  # the 11 national public holidays at least
