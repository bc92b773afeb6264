"""Field paths of a dossier: ``etablissements[0].exercices[1].financement_recu.ars-idf``.

One codec for every place that names a field: the French error messages, the batch's
row-and-column positions, the question spec and the web form. A location is a tuple of
keys (str) and list indices (int), as pydantic's ``loc``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

Loc = tuple[str | int, ...]

_PART_RE = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def parse_path(path: str) -> Loc:
    """``'etablissements[0].finess'`` -> ``('etablissements', 0, 'finess')``."""
    return tuple(int(index) if index else name for name, index in _PART_RE.findall(path))


def format_path(loc: Iterable[str | int]) -> str:
    """``('etablissements', 0, 'finess')`` -> ``'etablissements[0].finess'``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out
