"""French formatting: dates, amounts (with the right non-breaking spaces), amounts in words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from recours.formatting import (
    date_avec_jour,
    date_courte,
    date_longue,
    montant,
    montant_en_lettres,
    nombre,
    pourcentage,
)

NNBSP = "\u202f"  # narrow no-break space: thousands separator (CLDR fr)
NBSP = "\u00a0"  # no-break space: before € and %


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2025, 3, 1), "1er mars 2025"),  # French writes the ordinal for the first
        (date(2026, 4, 15), "15 avril 2026"),
        (date(2024, 1, 1), "1er janvier 2024"),
        (date(2026, 8, 14), "14 août 2026"),
        (date(2026, 12, 31), "31 décembre 2026"),
    ],
)
def test_date_longue(day: date, text: str) -> None:
    assert date_longue(day) == text


def test_date_avec_jour() -> None:
    assert date_avec_jour(date(2026, 6, 1)) == "lundi 1er juin 2026"
    assert date_avec_jour(date(2026, 8, 14)) == "vendredi 14 août 2026"


def test_date_courte() -> None:
    assert date_courte(date(2025, 3, 1)) == "01/03/2025"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("12345.67", f"12{NNBSP}345,67{NBSP}€"),
        ("1234567.8", f"1{NNBSP}234{NNBSP}567,80{NBSP}€"),
        ("0", f"0,00{NBSP}€"),
        ("999.999", f"1{NNBSP}000,00{NBSP}€"),
        ("-1432", f"-1{NNBSP}432,00{NBSP}€"),
    ],
)
def test_montant(value: str, text: str) -> None:
    assert montant(Decimal(value)) == text


def test_montant_exact_codepoints() -> None:
    assert montant(Decimal("12345.67")) == "12\u202f345,67\xa0€"


@pytest.mark.parametrize(
    ("value", "text"),
    [("2.5", "2,5"), ("1234", f"1{NNBSP}234"), ("1.45", "1,45"), ("1.23456", "1,2346"), ("3", "3")],
)
def test_nombre(value: str, text: str) -> None:
    assert nombre(Decimal(value)) == text


def test_pourcentage() -> None:
    assert pourcentage(Decimal("33.33")) == f"33,33{NBSP}%"
    assert pourcentage(Decimal(100)) == f"100{NBSP}%"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("0.50", "cinquante centimes"),
        ("0.01", "un centime"),
        ("0", "zéro euro"),
        ("1", "un euro"),
        ("2", "deux euros"),
        ("21", "vingt et un euros"),
        ("71", "soixante et onze euros"),
        ("80", "quatre-vingts euros"),  # plural s: nothing follows
        ("81", "quatre-vingt-un euros"),  # no s: a number follows
        ("200", "deux cents euros"),
        ("1.01", "un euro et un centime"),
        ("1.005", "un euro et un centime"),  # rounded half-up to the cent first
        ("80.80", "quatre-vingts euros et quatre-vingts centimes"),
        ("1000", "mille euros"),
        # "d'euros" after a round million (French grammar: un million de quelque chose).
        ("1000000", "un million d'euros"),
        ("2000000", "deux millions d'euros"),
        ("1000000.50", "un million d'euros et cinquante centimes"),
        ("1000001", "un million un euros"),
        (
            "1234567.89",
            "un million deux cent trente-quatre mille cinq cent soixante-sept euros et "
            "quatre-vingt-neuf centimes",
        ),
        ("-12.50", "moins douze euros et cinquante centimes"),
    ],
)
def test_montant_en_lettres(value: str, words: str) -> None:
    assert montant_en_lettres(Decimal(value)) == words
