"""The template variable reference (`recours modeles variables`, docs/variables-modeles.md)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from recours.authoring.variables import (
    DESCRIPTIONS,
    description_of,
    docs_path,
    reference_markdown,
    template_reference,
    undescribed,
)
from recours.cli.main import main


def test_every_context_key_has_a_french_description() -> None:
    # Add the missing paths to DESCRIPTIONS in src/recours/template_vars.py.
    assert undescribed(template_reference()) == []


def test_no_description_for_a_variable_that_no_longer_exists() -> None:
    paths = set(template_reference().types)
    stale = [k for k in DESCRIPTIONS if not k.endswith(".*") and k not in paths]
    assert stale == []


def test_docs_reference_is_current() -> None:
    # Regenerate with: recours modeles variables --sortie docs/variables-modeles.md
    assert docs_path().read_text(encoding="utf-8") == reference_markdown(template_reference())


def test_json_reference_lists_dotted_paths(runner: CliRunner) -> None:
    result = runner.invoke(main, ["modeles", "variables", "--format", "json"])
    assert result.exit_code == 0, result.output
    by_path = {v["chemin"]: v for v in json.loads(result.stdout)}
    assert by_path["organisme.raison_sociale"] == {
        "chemin": "organisme.raison_sociale",
        "type": "texte",
        "description": "Raison sociale",
        "exemple": "Association L'Escale des Tilleuls",
        "documents": [
            "gracieux",
            "requete",
            "demande_indemnitaire",
            "mise_en_demeure",
            "recours_hierarchique",
            "requete_indemnitaire",
        ],
        "champ_dossier": "organisme.raison_sociale",
        "aide_champ": "Raison sociale de l'organisme gestionnaire",
    }
    assert by_path["montants.lignes"]["type"] == "liste d'objets"
    assert by_path["montants.lignes[].du"]["type"] == "texte"
    assert by_path["moyens[].intitule"]["description"] == "Intitulé du moyen"
    assert by_path["organisme.siege.lignes"]["type"] == "liste de textes"
    assert by_path["faits_complementaires"]["type"] == "texte multiligne"
    assert by_path["avocat.present"]["type"] == "booléen"
    assert by_path["tribunal.nom"]["documents"] == ["requete", "requete_indemnitaire"]
    assert by_path["decisions[].date"]["champ_dossier"] == "decisions[].date"
    crpa = by_path["textes.crpa_l411_2"]
    assert crpa["exemple"].startswith("article L.411-2 du code des relations")
    assert crpa["description"] == (
        "Référence complète — Un recours gracieux formé dans le délai du recours contentieux "
        "interrompt ce délai"
    )


def test_markdown_reference_on_stdout_and_to_a_file(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["modeles", "variables"])
    assert result.exit_code == 0
    expected = reference_markdown(template_reference())
    assert result.stdout == expected
    assert "| `montants.lignes[].du` | texte | Montant dû par l'autorité |" in expected
    target = tmp_path / "variables.md"
    result = runner.invoke(main, ["modeles", "variables", "--sortie", str(target)])
    assert result.stdout == f"Écrit : {target}\n"
    assert target.read_text(encoding="utf-8") == expected


def test_unknown_path_has_no_description() -> None:
    assert description_of("organisme.inexistant") is None
    assert description_of("textes.inexistant") is None


def test_modeles_group_imports_stay_light() -> None:
    import subprocess
    import sys

    code = (
        "import sys, recours.cli.modeles; "
        "print(','.join(m for m in ('weasyprint', 'docxtpl', 'recours.authoring.check', "
        "'recours.authoring.variables') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
