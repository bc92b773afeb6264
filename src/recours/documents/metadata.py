"""Document metadata shared by the Word and PDF renderers.

Set by each renderer after the template has rendered (core properties with
python-docx, the PDF information dictionary with WeasyPrint), never through Jinja.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Metadonnees:
    titre: str
    auteur: str
    sujet: str
    date: dt.date
