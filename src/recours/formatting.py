"""French formatting, in one place: dates, amounts, amounts in words, percentages.

Babel for dates and amounts (it does not write "1er", which French requires for the first
of the month), num2words on Decimal for amounts in words.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from num2words import num2words

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"


def date_longue(value: date) -> str:
    """'1er mars 2025', '15 avril 2026'."""
    text = format_date(value, "d MMMM y", locale=LOCALE)
    if value.day == 1:
        text = "1er" + text[1:]
    return text


def date_avec_jour(value: date) -> str:
    """'lundi 18 mai 2026', '1er' on the first of the month."""
    weekday = format_date(value, "EEEE", locale=LOCALE)
    return f"{weekday} {date_longue(value)}"


def date_courte(value: date) -> str:
    """'01/03/2025'."""
    return value.strftime("%d/%m/%Y")


def montant(value: Decimal) -> str:
    """'12 345,67 €' (narrow no-break space between thousands, no-break space before €)."""
    return format_currency(value, "EUR", locale=LOCALE)


def montant_arrondi(value: Decimal) -> str:
    """'238 €' for whole amounts, else like montant()."""
    if value == value.to_integral_value():
        return f"{nombre(value, 0)}{NBSP}€"
    return montant(value)


def nombre(value: Decimal, decimales_max: int = 4) -> str:
    """'2,5', '1 234' — for ETP, coefficients, percentages."""
    pattern = "#,##0." + "#" * decimales_max if decimales_max else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def pourcentage(value: Decimal) -> str:
    return f"{nombre(value, 2)}{NBSP}%"


def montant_en_lettres(value: Decimal) -> str:
    """'mille deux cent trente-quatre euros et cinquante centimes'."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if value < 0:
        return "moins " + montant_en_lettres(-value)
    euros = int(value)
    centimes = int((value - euros) * 100)
    parts: list[str] = []
    if euros or not centimes:
        words = num2words(euros, lang="fr")
        unit = "euro" if euros <= 1 else "euros"
        # French grammar: "un million d'euros", "deux millions d'euros".
        if euros >= 1_000_000 and euros % 1_000_000 == 0:
            unit = "d'euros"
            parts.append(f"{words} {unit}")
        else:
            parts.append(f"{words} {unit}")
    if centimes:
        words = num2words(centimes, lang="fr")
        parts.append(f"{words} {'centime' if centimes == 1 else 'centimes'}")
    return " et ".join(parts)


_DATE_FR_RE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


def lire_date(text: str) -> date:
    """Read a date typed as JJ/MM/AAAA (French use, the workbook's) or AAAA-MM-JJ (ISO).

    Raises ValueError with a French message.
    """
    match = _DATE_FR_RE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"date invalide « {text.strip()} » : format attendu JJ/MM/AAAA ou AAAA-MM-JJ"
        ) from None
