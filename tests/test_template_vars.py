"""The template variable reference (`recours modeles variables`, docs/variables-modeles.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import BaseModel, Field, ValidationError

from recours.authoring import variables
from recours.authoring.variables import (
    build_reference,
    description_of,
    docs_path,
    example_contexts,
    reference_markdown,
    template_reference,
    undescribed,
)
from recours.cli.main import main
from recours.documents import context as context_builders
from recours.documents import models
from recours.documents.models import CONTEXT_MODELS, ContexteGracieux, MultiLine
from recours.documents.sandbox import convert_multiline
from recours.dossier.validation import load_dossier
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel


def test_every_context_key_has_a_french_description() -> None:
    # Give the field a Field(description=...) in src/recours/documents/models.py.
    assert undescribed(template_reference()) == []


def test_a_field_without_description_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    class Sans(models.ModeleContexte):
        nom: str = Field(description="Nom")
        muet: str

    class Contexte(ContexteGracieux):
        sans: Sans = Field(description="Objet de test")

    monkeypatch.setattr(variables, "CONTEXT_MODELS", {"gracieux": Contexte})
    variables._model_nodes.cache_clear()
    try:
        assert undescribed(build_reference([])) == ["sans.muet"]
    finally:
        variables._model_nodes.cache_clear()


def _plain(context: BaseModel) -> Any:
    """A context as plain data, MultiLine kept (what validation round-trips)."""
    return convert_multiline(context, lambda text: text)


def test_every_example_context_validates_strictly_against_its_model() -> None:
    contexts = example_contexts()
    assert {c.kind for c in contexts} == set(CONTEXT_MODELS)
    for example in contexts:
        model = CONTEXT_MODELS[example.kind]
        assert type(example.context) is model
        data = _plain(example.context)
        again = model.model_validate(data, strict=True)
        assert _plain(again) == data, (example.exemple, example.libelle)


def test_a_key_the_model_lacks_fails_validation() -> None:
    example = next(c for c in example_contexts() if c.kind == "requete")
    data = _plain(example.context)
    data["tribunal"]["adresse"] = "1 place de la Justice"
    with pytest.raises(ValidationError) as info:
        CONTEXT_MODELS["requete"].model_validate(data, strict=True)
    assert [e["loc"] for e in info.value.errors()] == [("tribunal", "adresse")]
    assert info.value.errors()[0]["type"] == "extra_forbidden"


def test_a_builder_producing_a_key_the_model_lacks_fails(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from recours.authoring.variables import EXAMPLE_TODAY, examples_dir

    folder = examples_dir()
    assert folder is not None
    dossier = load_dossier(folder / "mecs-conseil-departemental.yaml")
    analysis = analyse(dossier, EXAMPLE_TODAY, load_referentiel())
    doc = next(d for d in analysis.documents if d.kind == "gracieux")
    assert context_builders.gracieux_context(analysis, doc).autorite.nom
    base = context_builders._base

    def with_extra_key(*args: Any) -> dict[str, Any]:
        return {**base(*args), "date_audience": "1er janvier 2027"}

    monkeypatch.setattr(context_builders, "_base", with_extra_key)
    with pytest.raises(ValidationError, match="date_audience"):
        context_builders.gracieux_context(analysis, doc)


def test_a_variable_no_example_fills_is_in_the_reference() -> None:
    without_examples = build_reference([])
    with_examples = template_reference()
    assert [v.chemin for v in without_examples.variables] == [
        v.chemin for v in with_examples.variables
    ]
    assert without_examples.types == with_examples.types
    by_path = {v.chemin: v for v in without_examples.variables}
    versement = by_path["financement.versements[].montant"]
    assert versement.exemple == ""
    assert versement.description == "Montant du versement"
    assert versement.documents == ("mise_en_demeure",)
    assert without_examples.types["exercices[].situations[]"] == "objet"
    # Every field of every model, at any depth, is a variable.
    for kind, model in CONTEXT_MODELS.items():
        for name in model.model_fields:
            assert kind in without_examples.documents[name], (kind, name)
    assert {f"avocat.adresse.{n}" for n in models.Adresse.model_fields} <= set(by_path)


def test_multiline_text_stays_multiline_in_the_model() -> None:
    example = next(c for c in example_contexts() if c.context.faits_complementaires)
    assert isinstance(example.context.faits_complementaires, MultiLine)
    assert "\n" in example.context.faits_complementaires


def test_docs_reference_is_current() -> None:
    # Regenerate with: recours modeles variables --sortie docs/variables-modeles.md --force
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
