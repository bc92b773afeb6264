"""JSON Schemas generated from the models (committed in schemas/, checked by a test)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recours.dossier.models import Dossier
from recours.files import atomic_write_text

SCHEMA_ID = "https://recours.invalid/schemas/dossier.schema.json"


def dossier_schema() -> dict[str, Any]:
    schema = Dossier.model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Dossier recours « Ségur pour tous »"
    return schema


def dossier_list_schema() -> dict[str, Any]:
    """A YAML/JSON list of dossiers (batch input)."""
    inner = dossier_schema()
    defs = inner.pop("$defs", {})
    inner.pop("$schema", None)
    defs["Dossier"] = inner
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Liste de dossiers recours",
        "type": "array",
        "items": {"$ref": "#/$defs/Dossier"},
        "$defs": defs,
    }


def schema_texts() -> dict[str, str]:
    def dump(data: dict[str, Any]) -> str:
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"

    return {
        "dossier.schema.json": dump(dossier_schema()),
        "dossiers.schema.json": dump(dossier_list_schema()),
    }


def write_schemas(directory: Path) -> list[Path]:
    written = []
    for name, text in schema_texts().items():
        path = directory / name
        atomic_write_text(path, text, force=True)
        written.append(path)
    return written
