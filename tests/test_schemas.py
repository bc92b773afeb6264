"""The committed JSON Schemas (schemas/) are regenerated and compared: a stale file fails."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from recours.dossier.schemas import dossier_schema, schema_texts, write_schemas

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("name", ["dossier.schema.json", "dossiers.schema.json"])
def test_committed_schema_is_up_to_date(name: str) -> None:
    path = SCHEMAS / name
    assert path.exists(), f"{path} absent : lancez `recours schema` à la racine du dépôt"
    assert path.read_text(encoding="utf-8") == schema_texts()[name], (
        f"{path} est périmé : lancez `recours schema` et relisez le diff"
    )


def test_schema_texts_cover_the_written_files(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert [p.name for p in written] == sorted(schema_texts())
    for path in written:
        assert path.read_text(encoding="utf-8") == schema_texts()[path.name]


def test_dossier_schema_shape() -> None:
    schema = dossier_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "Dossier recours « Ségur pour tous »"
    assert sorted(schema["required"]) == ["autorites", "decisions", "etablissements", "organisme"]
    assert schema["additionalProperties"] is False  # unknown fields refused, as in the models
    assert "$schema" in schema["properties"]  # editors' `$schema:` key is allowed
    list_schema = json.loads(schema_texts()["dossiers.schema.json"])
    assert list_schema["type"] == "array"
    assert list_schema["items"] == {"$ref": "#/$defs/Dossier"}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_point_at_the_schema(example: Path) -> None:
    data = yaml.safe_load(example.read_text(encoding="utf-8"))
    assert (example.parent / data["$schema"]).resolve() == SCHEMAS / "dossier.schema.json"


class _EditorLoader(yaml.SafeLoader):
    """What a YAML editor validates: numbers are numbers, but dates stay text."""


_EditorLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate_against_schema(example: Path) -> None:
    if importlib.util.find_spec("jsonschema") is None:
        pytest.skip("jsonschema n'est pas installé (absent des dépendances de développement)")
    import jsonschema

    schema: dict[str, Any] = json.loads(
        (SCHEMAS / "dossier.schema.json").read_text(encoding="utf-8")
    )
    data = yaml.load(example.read_text(encoding="utf-8"), Loader=_EditorLoader)
    jsonschema.validate(data, schema, cls=jsonschema.Draft202012Validator)
