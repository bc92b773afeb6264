"""French identifiers: SIREN/SIRET (python-stdnum), FINESS and RNA (format only), départements.

FINESS: no official checksum rule could be sourced, so only the format and the
département prefix are checked. RNA: ``W`` followed by 9 digits, no known checksum.
"""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren as _siren
from stdnum.fr import siret as _siret

DEPARTEMENT_RE = re.compile(r"^(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5]|2A|2B|97[1-8]|98[46-9])$")
FINESS_RE = re.compile(r"^(?:[0-9]{2}|2A|2B|9[A-F])[0-9]{7}$")
RNA_RE = re.compile(r"^W[0-9A-Z][0-9]{8}$")
CODE_POSTAL_RE = re.compile(r"^[0-9]{5}$")
OUTRE_MER_PREFIX = "9"


def compact(value: str) -> str:
    """Remove the spaces, dots and dashes people type inside identifiers."""
    return re.sub(r"[\s.\-]", "", value).upper()


def check_siren(value: str) -> str:
    number = compact(value)
    try:
        return str(_siren.validate(number))
    except StdnumError:
        raise ValueError(
            "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte"
        ) from None


def check_siret(value: str) -> str:
    number = compact(value)
    try:
        return str(_siret.validate(number))
    except StdnumError:
        raise ValueError(
            "SIRET invalide : 14 chiffres attendus avec une clé de contrôle correcte"
        ) from None


def check_rna(value: str) -> str:
    number = compact(value)
    if not RNA_RE.match(number):
        raise ValueError(
            "numéro RNA invalide : « W » suivi de 9 caractères attendu (ex. W751234567)"
        )
    return number


def check_finess(value: str) -> str:
    """Format only (9 characters, département prefix); no checksum is verified."""
    number = compact(value)
    if not FINESS_RE.match(number):
        raise ValueError(
            "FINESS invalide : 9 caractères attendus, commençant par le code du département "
            "(ex. 750012345, 2A0001234)"
        )
    return number


def check_departement(value: str) -> str:
    code = compact(value)
    if len(code) == 1 and code.isdigit():
        code = "0" + code
    if not DEPARTEMENT_RE.match(code):
        raise ValueError("code de département invalide (ex. 01, 2A, 75, 971)")
    return code


def finess_matches_departement(finess: str, departement: str) -> bool:
    """Whether the FINESS prefix agrees with the département.

    Overseas FINESS prefixes could not be sourced: for overseas départements only the
    leading 9 is checked.
    """
    if departement.startswith("97") or departement.startswith("98"):
        return finess.startswith(OUTRE_MER_PREFIX)
    return finess[:2] == departement


def departement_from_code_postal(code_postal: str) -> str | None:
    """Département suggested by a postal code (a default, never a validation)."""
    if not CODE_POSTAL_RE.match(code_postal):
        return None
    if code_postal.startswith("97") or code_postal.startswith("98"):
        code = code_postal[:3]
    elif code_postal.startswith("20"):
        code = "2A" if int(code_postal) < 20200 else "2B"
    else:
        code = code_postal[:2]
    # 98000 (Monaco), 00xxx or 96xxx name no département: suggest nothing rather than a bad code.
    return code if DEPARTEMENT_RE.match(code) else None


def departement_from_finess(finess: str) -> str | None:
    """Département suggested by a metropolitan FINESS (a default for the questionnaire)."""
    prefix = finess[:2]
    if DEPARTEMENT_RE.match(prefix):
        return prefix
    return None
