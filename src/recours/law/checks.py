"""Non-blocking checks of a valid dossier: what the user should look at, not refusals."""

from __future__ import annotations

from datetime import date

from recours.dossier.models import Dossier
from recours.formatting import duree_mois
from recours.law.autorites import autorite_warnings
from recours.law.categories import category_warnings
from recours.law.referentiel import load_referentiel


def dossier_warnings(dossier: Dossier, today: date) -> list[str]:
    """Warnings on a valid dossier (the amounts engine adds its own, in the analysis)."""
    ref = load_referentiel()
    delay = duree_mois(ref.delais.recours_mois)
    warnings: list[str] = []
    for i, autorite in enumerate(dossier.autorites):
        dates = [d.date for d in dossier.decisions if d.autorite == autorite.id]
        warnings += [f"autorites[{i}].{w}" for w in autorite_warnings(autorite, ref, dates)]
    for i, etab in enumerate(dossier.etablissements):
        cat = ref.categories[etab.categorie]
        types = {dossier.autorite(f.autorite).type for f in etab.financeurs}
        expected = set(cat.autorites)
        if not types <= expected:
            libelles = ", ".join(ref.autorites[t].libelle for t in cat.autorites)
            warnings.append(
                f"etablissements[{i}].financeurs : pour un {cat.libelle}, le référentiel indique "
                f"comme autorité(s) de tarification : {libelles} ({cat.fondement}) ; vérifiez"
            )
        if cat.cofinance and len(etab.financeurs) == 1:
            warnings.append(
                f"etablissements[{i}].financeurs : {etab.nom} ({cat.libelle}) est en principe "
                "cofinancé ; un seul financeur est indiqué"
            )
        warnings += [f"etablissements[{i}].categorie : {w}" for w in category_warnings(etab, ref)]
        if not cat.verifie:
            warnings.append(
                f"etablissements[{i}].categorie : l'autorité de tarification des « {cat.libelle} » "
                "est incertaine dans le référentiel (à vérifier)"
            )
        for j, ex in enumerate(etab.exercices):
            if ex.annee > today.year:
                warnings.append(
                    f"etablissements[{i}].exercices[{j}].annee : exercice {ex.annee} futur"
                )
    for i, dec in enumerate(dossier.decisions):
        if dec.voies_et_delais_mentionnes is None:
            warnings.append(
                f"decisions[{i}].voies_et_delais_mentionnes : non renseigné ; le délai de "
                f"{delay} est retenu (hypothèse la plus prudente)"
            )
        if (
            dec.recours_gracieux is not None
            and dec.recours_gracieux.accuse_reception_conforme is None
        ):
            warnings.append(
                f"decisions[{i}].recours_gracieux.accuse_reception_conforme : non renseigné ; le "
                f"délai de {delay} est retenu (hypothèse la plus prudente)"
            )
    return warnings
