"""French identifiers: SIREN/SIRET (python-stdnum), RNA and FINESS formats, départements."""

from __future__ import annotations

import pytest

from recours.dossier.identifiers import (
    check_departement,
    check_finess,
    check_rna,
    check_siren,
    check_siret,
    compact,
    departement_from_code_postal,
    departement_from_finess,
    finess_matches_departement,
)

SIREN_MESSAGE = "^SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte$"
SIRET_MESSAGE = "^SIRET invalide : 14 chiffres attendus avec une clé de contrôle correcte$"
FINESS_MESSAGE = (
    r"^FINESS invalide : 9 caractères attendus, commençant par le code du département "
    r"\(ex\. 750012345, 2A0001234\)$"
)


def test_compact() -> None:
    assert compact(" 778 899.112-\u00a0") == "778899112"
    assert compact("2a 000 1234") == "2A0001234"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("778899112", "778899112"),  # Luhn: valid key
        ("732 829 320", "732829320"),  # spaces as printed on a Kbis
        ("665.544.334", "665544334"),
    ],
)
def test_siren_valid(typed: str, expected: str) -> None:
    assert check_siren(typed) == expected


@pytest.mark.parametrize(
    "typed", ["778899113", "123456789", "77889911", "7788991120", "ABCDEFGHI", ""]
)
def test_siren_invalid(typed: str) -> None:
    with pytest.raises(ValueError, match=SIREN_MESSAGE):
        check_siren(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("66554433400014", "66554433400014"), ("665 544 334 00014", "66554433400014")],
)
def test_siret_valid(typed: str, expected: str) -> None:
    assert check_siret(typed) == expected


@pytest.mark.parametrize(
    "typed", ["66554433400015", "6655443340001", "665544334", "66554433400014X"]
)
def test_siret_invalid(typed: str) -> None:
    with pytest.raises(ValueError, match=SIRET_MESSAGE):
        check_siret(typed)


@pytest.mark.parametrize(
    ("typed", "expected"), [("W723000111", "W723000111"), ("w751234567", "W751234567")]
)
def test_rna_valid(typed: str, expected: str) -> None:
    assert check_rna(typed) == expected


@pytest.mark.parametrize(
    "typed", ["723000111", "W72300011", "W7230001111", "X723000111", "W72300011A"]
)
def test_rna_invalid(typed: str) -> None:
    with pytest.raises(ValueError, match=r"^numéro RNA invalide : « W » suivi de 9 caractères"):
        check_rna(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("750012345", "750012345"),
        ("010000000", "010000000"),  # the leading zero is part of the number
        ("2A0001234", "2A0001234"),  # Corse-du-Sud
        ("2b0001234", "2B0001234"),  # Haute-Corse, typed in lower case
        ("9A0000001", "9A0000001"),  # overseas prefix letters
        ("75 001 2345", "750012345"),
    ],
)
def test_finess_valid(typed: str, expected: str) -> None:
    assert check_finess(typed) == expected


@pytest.mark.parametrize(
    "typed", ["75001234", "7500123456", "2C0001234", "AB0001234", "9G0000001", ""]
)
def test_finess_invalid(typed: str) -> None:
    with pytest.raises(ValueError, match=FINESS_MESSAGE):
        check_finess(typed)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("01", "01"),
        ("1", "01"),  # typed without its zero
        ("75", "75"),
        ("95", "95"),
        ("2A", "2A"),
        ("2b", "2B"),
        ("971", "971"),
        ("976", "976"),
        ("988", "988"),
    ],
)
def test_departement_valid(typed: str, expected: str) -> None:
    assert check_departement(typed) == expected


@pytest.mark.parametrize(
    "typed", ["00", "20", "96", "97", "970", "979", "983", "985", "100", "2C", ""]
)
def test_departement_invalid(typed: str) -> None:
    with pytest.raises(
        ValueError, match=r"^code de département invalide \(ex\. 01, 2A, 75, 971\)$"
    ):
        check_departement(typed)


@pytest.mark.parametrize(
    ("finess", "departement", "matches"),
    [
        ("720000011", "72", True),
        ("750000011", "72", False),
        ("010000000", "01", True),
        ("2A0001234", "2A", True),
        ("2B0001234", "2A", False),
        ("200001234", "2A", False),
        # Overseas: the FINESS prefixes could not be sourced, only the leading 9 is checked.
        ("9A0000001", "971", True),
        ("970000001", "974", True),
        ("750000001", "971", False),
    ],
)
def test_finess_matches_departement(finess: str, departement: str, matches: bool) -> None:
    assert finess_matches_departement(finess, departement) is matches


@pytest.mark.parametrize(
    ("code_postal", "departement"),
    [
        ("01000", "01"),
        ("75001", "75"),
        ("93100", "93"),
        # Corsica: 20000-20199 Corse-du-Sud, 20200 and above Haute-Corse (La Poste).
        ("20000", "2A"),
        ("20090", "2A"),
        ("20199", "2A"),
        ("20200", "2B"),
        ("20600", "2B"),
        # Overseas: three digits.
        ("97400", "974"),
        ("97200", "972"),
        ("97600", "976"),
        ("98800", "988"),
        # No département: nothing is suggested.
        ("98000", None),  # Monaco
        ("00100", None),
        ("96000", None),
        ("7500", None),
        ("2A000", None),
    ],
)
def test_departement_from_code_postal(code_postal: str, departement: str | None) -> None:
    assert departement_from_code_postal(code_postal) == departement


@pytest.mark.parametrize(
    ("finess", "departement"),
    [("720000011", "72"), ("2A0001234", "2A"), ("010000000", "01"), ("9A0000001", None)],
)
def test_departement_from_finess(finess: str, departement: str | None) -> None:
    assert departement_from_finess(finess) == departement
