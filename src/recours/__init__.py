"""recours: recours gracieux et requêtes contre le sous-financement du « Ségur pour tous ».

The public API, stage by stage (dossier -> law -> documents). Names are imported on first
use, so that ``import recours`` (and ``recours --help``) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_API = {
    "Dossier": "recours.dossier.models",
    "load_dossier": "recours.dossier.validation",
    "validate_dossier": "recours.dossier.validation",
    "load_referentiel": "recours.law.referentiel",
    "compute_amounts": "recours.law.amounts",
    "compute_deadlines": "recours.law.deadlines",
    "generate": "recours.documents.generate",
    "RecoursError": "recours.errors",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'recours' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
