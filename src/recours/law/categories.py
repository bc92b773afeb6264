"""Warnings about an établissement's category, from the referential's flags.

One function for every entry point (``verifier``, ``generer``, the questionnaire, the batch
and the analysis): a category the referential marks as outside the accord in principle is
signalled before any letter is written, never refused (the sources are not certain).
"""

from __future__ import annotations

from recours.dossier.models import Etablissement
from recours.formatting import date_longue
from recours.law.referentiel import CONFIANCE_LIBELLES, Referentiel


def category_warnings(etab: Etablissement, ref: Referentiel) -> list[str]:
    """French warnings (without the field path) for the category of one établissement."""
    cat = ref.categories.get(etab.categorie)
    if cat is None or cat.hors_accord is None:
        return []
    flag = cat.hors_accord
    motif = " ".join(flag.motif.split())
    source = " ".join(flag.source.split())
    accord = date_longue(ref.accord.date_signature.valeur)
    return [
        f"{etab.nom} ({cat.libelle}) : catégorie en principe hors du champ de l'accord du "
        f"{accord} — {motif} (source : {source} ; {CONFIANCE_LIBELLES[flag.confiance]}). "
        "Vérifiez que les salariés concernés ne perçoivent aucune mesure Ségur avant "
        "d'envoyer un recours."
    ]
