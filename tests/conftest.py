"""Shared fixtures: a minimal valid dossier, the example files, a Click runner."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from recours.dossier.models import Dossier
from recours.dossier.validation import validate_dossier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"

# Raw data, as a YAML file would give it through validation.load_yaml: numbers and dates
# are text, pydantic converts them. SIREN 778899112 has a valid Luhn key.
_MINIMAL: dict[str, Any] = {
    "organisme": {
        "raison_sociale": "Association Les Tilleuls",
        "siren": "778899112",
        "siege": {"voie": "1 rue des Tilleuls", "code_postal": "72000", "commune": "Le Mans"},
        "representant_legal": {"nom": "Claire Martin", "qualite": "présidente"},
    },
    "autorites": [
        {
            "id": "cd-72",
            "type": "conseil_departemental",
            "nom": "Département de la Sarthe",
            "adresse": {
                "voie": "1 place de l'Exemple",
                "code_postal": "72000",
                "commune": "Le Mans",
            },
            "departement": "72",
        }
    ],
    "etablissements": [
        {
            "nom": "MECS Les Tilleuls",
            "finess": "720000011",
            "categorie": "mecs",
            "adresse": {"voie": "3 chemin des Prés", "code_postal": "72000", "commune": "Le Mans"},
            "departement": "72",
            "regime_budgetaire": "procedure_contradictoire",
            "financeurs": [{"autorite": "cd-72"}],
            "methode": "etp",
            "coefficient_charges": "1.5",
            "exercices": [{"annee": "2024", "etp": "2"}],
        }
    ],
    "decisions": [
        {
            "autorite": "cd-72",
            "nature": "arrete_tarification",
            "date": "2026-03-10",
            "date_notification": "2026-03-15",
            "exercices": ["2024"],
            "voies_et_delais_mentionnes": "oui",
        }
    ],
}


@pytest.fixture
def dossier_data() -> dict[str, Any]:
    """A fresh minimal valid dossier (one MECS funded by the département); mutate freely."""
    return copy.deepcopy(_MINIMAL)


@pytest.fixture
def make_dossier(dossier_data: dict[str, Any]) -> Callable[..., Dossier]:
    """Build a validated Dossier from the minimal data, with établissement fields replaced.

    ``make_dossier(methode="cout_reel", exercices=[...])`` changes ``etablissements[0]``;
    ``autorites=[...]`` (keyword only) replaces the authorities.
    """

    def make(*, autorites: list[dict[str, Any]] | None = None, **etab: Any) -> Dossier:
        data = copy.deepcopy(dossier_data)
        if autorites is not None:
            data["autorites"] = autorites
        data["etablissements"][0].update(etab)
        return validate_dossier(data, "test")

    return make


@pytest.fixture
def example_paths() -> dict[str, Path]:
    """The example dossiers shipped in examples/, by stem."""
    return {p.stem: p for p in sorted(EXAMPLES.glob("*.yaml"))}


@pytest.fixture
def runner() -> CliRunner:
    """Click 8.2+ runner: result.stdout and result.stderr are always kept apart."""
    return CliRunner()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Réécrire les textes de référence de tests/golden/ (relire ensuite le diff).",
    )
