"""French formatting, in one place: dates, amounts, amounts in words, percentages.

Dates are written by hand (French month and day names are fixed, and Babel does not write
"1er", which French requires for the first of the month), so that the pure engines can
format their messages without importing Babel. Babel formats amounts and numbers and
num2words writes amounts in words; both are imported on first use.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

LOCALE = "fr_FR"
NBSP = "\u00a0"
NNBSP = "\u202f"

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
JOURS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def date_longue(value: date) -> str:
    """'1er mars 2025', '15 avril 2026'."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {MOIS[value.month - 1]} {value.year}"


def date_avec_jour(value: date) -> str:
    """'lundi 18 mai 2026', '1er' on the first of the month."""
    return f"{JOURS[value.weekday()]} {date_longue(value)}"


def date_courte(value: date) -> str:
    """'01/03/2025'."""
    return value.strftime("%d/%m/%Y")


def duree_mois(months: int) -> str:
    """'un mois', 'deux mois' (a duration of the referential, in words)."""
    return f"{_en_lettres(months)} mois"


def duree_ans(years: int) -> str:
    """'un an', 'deux ans'."""
    return f"{_en_lettres(years)} an{'s' if years > 1 else ''}"


def avec_de(text: str) -> str:
    """'de' before a word, elided before a vowel: "d'un mois", 'de deux mois'."""
    return f"d'{text}" if text[:1].lower() in "aeéèêiouy" else f"de {text}"


def _en_lettres(number: int) -> str:
    from num2words import num2words

    return str(num2words(number, lang="fr"))


def montant(value: Decimal) -> str:
    """'12 345,67 €' (narrow no-break space between thousands, no-break space before €)."""
    from babel.numbers import format_currency

    return format_currency(value, "EUR", locale=LOCALE)


def montant_arrondi(value: Decimal) -> str:
    """'238 €' for whole amounts, else like montant()."""
    if value == value.to_integral_value():
        return f"{nombre(value, 0)}{NBSP}€"
    return montant(value)


def montant_euros(value: Decimal) -> str:
    """'342 633 €': rounded to the euro (half up), for headline figures and charts."""
    rounded = value.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{nombre(rounded, 0)}{NBSP}€"


def nombre(value: Decimal, decimales_max: int = 4) -> str:
    """'2,5', '1 234' — for ETP, coefficients, percentages."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "#" * decimales_max if decimales_max else "#,##0"
    return format_decimal(value, format=pattern, locale=LOCALE)


def pourcentage(value: Decimal) -> str:
    return f"{nombre(value, 2)}{NBSP}%"


def montant_en_lettres(value: Decimal) -> str:
    """'mille deux cent trente-quatre euros et cinquante centimes'."""
    from num2words import num2words

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


# --------------------------------------------------------------------------- names
# French grammar of place and body names: "de" and "à" contract with "le" and "les"
# (du, des, au, aux), "de" elides before a vowel or a mute h (d'Eure-et-Loir, de l'Ain),
# never before an aspirated h (du Haut-Rhin). Rules: shared/domaine/autorites.md,
# "French grammar of the names" (INSEE TNCC conventions) [C2].

_VOWELS = frozenset("aeiouyàâäéèêëîïôöùûüÿæœ")
# Initial h that is aspirated (no elision): every "Haut-/Haute(s)-/Hauts-" département and
# the usual names whose h is aspirated. Any other initial h is taken as mute (de l'Hérault).
_ASPIRATED_H = ("haut", "hav", "hag", "hazeb", "ham", "hall", "hers", "houd")
_ARTICLE_RE = re.compile(r"^(?:(les|le|la)\s+|(l['’]))(\S.*)$", re.IGNORECASE | re.DOTALL)
Article = str  # "le", "la", "les", "l'" or "" (no article: Paris, Maine-et-Loire)


def _elides(word: str) -> bool:
    """Whether an article or "de" elides before this word (vowel or mute h)."""
    lower = word.lower()
    if not lower:
        return False
    if lower[0] == "h":
        return not lower.startswith(_ASPIRATED_H)
    return lower[0] in _VOWELS


def _split_article(nom: str, article: Article) -> tuple[str, str, bool]:
    """(article, rest, proper) of a name: article given, or read from the name itself.

    ``proper`` is true when the article belongs to a proper name and keeps its capital
    ("La Rochelle", "La Réunion"); "le"/"les" still contract there ("au Mans").
    """
    if article:
        art = article.lower().replace("’", "'")
        if art in ("le", "la") and _elides(nom):
            art = "l'"
        return art, nom, False
    match = _ARTICLE_RE.match(nom)
    if match is None:
        return "", nom, False
    word, rest = match.group(1) or match.group(2), match.group(3)
    return word.lower().replace("’", "'"), rest, word[0].isupper()


def avec_article(nom: str, article: Article = "") -> str:
    """The name with its article: 'le Haut-Rhin', "l'Ain", 'la Haute-Garonne', 'Paris'."""
    art, rest, _proper = _split_article(nom, article)
    if not art:
        return nom
    if article:
        return f"{art}{rest}" if art == "l'" else f"{art} {rest}"
    return nom


def _preposition(nom: str, article: Article, prep: str) -> str:
    if not nom:
        return ""
    art, rest, proper = _split_article(nom, article)
    contracted = {"de": {"le": "du", "les": "des"}, "à": {"le": "au", "les": "aux"}}[prep]
    if art in contracted:
        return f"{contracted[art]} {rest}"
    if art in ("la", "l'"):
        written = art.capitalize() if proper else art
        sep = "" if art == "l'" else " "
        return f"{prep} {written}{sep}{rest}"
    if prep == "de" and _elides(rest):
        return f"d'{rest}"
    return f"{prep} {rest}"


def de(nom: str, article: Article = "") -> str:
    """'du Mans', 'de la Métropole de Lyon', "de l'Ain", "d'Eure-et-Loir", 'de Paris'.

    Without ``article``, a leading article of the name is used ("le département…",
    "Le Mans", "La Réunion"); département names, which carry no article, pass it:
    ``de("Haut-Rhin", "le")`` -> 'du Haut-Rhin'.
    """
    return _preposition(nom, article, "de")


def a(nom: str, article: Article = "") -> str:
    """'au Mans', 'à La Rochelle', 'aux Sables-d'Olonne', 'à la Métropole', 'à Paris'."""
    return _preposition(nom, article, "à")


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
