"""Plain-text and JSON views of deadlines, amounts, checks and the referential (CLI output)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from recours.dossier.models import Dossier
from recours.formatting import date_avec_jour, date_longue, montant, nombre, pourcentage
from recours.law.amounts import METHODES, REGLE_ARRONDI, AmountsReport
from recours.law.deadlines import Deadline, DeadlineReport
from recours.law.referentiel import CONFIANCE_LIBELLES, Referentiel, article_label

STATUTS = {
    "ouvert": "ouvert",
    "dernier_jour": "DERNIER JOUR",
    "expire": "EXPIRÉ",
    "envoye": "envoyé",
}


def _cite(keys: tuple[str, ...]) -> str:
    return " ; ".join(article_label(k) for k in keys)


def deadline_status(deadline: Deadline) -> str:
    if deadline.statut == "ouvert":
        return f"ouvert, {deadline.jours_restants} jour(s) restant(s)"
    if deadline.statut == "dernier_jour":
        return "DERNIER JOUR aujourd'hui"
    if deadline.statut == "expire":
        return f"EXPIRÉ depuis {-deadline.jours_restants} jour(s)"
    return STATUTS.get(deadline.statut, deadline.statut)


def deadlines_text(report: DeadlineReport) -> str:
    entree = report.entree
    lines = [
        f"Décision notifiée le {date_avec_jour(entree.notification)}"
        + (f" (département {entree.departement})" if entree.departement else ""),
        f"Date de référence : {date_avec_jour(report.aujourdhui)}",
        "",
        "Recours gracieux",
    ]
    gracieux = report.recours_gracieux
    lines.append(
        f"  date limite d'envoi (cachet de la poste) : {date_avec_jour(gracieux.date_limite)}"
    )
    if entree.envoi_gracieux is not None:
        etat = "interruptif" if report.gracieux_interruptif else "TARDIF, non interruptif"
        lines.append(f"  envoyé le {date_avec_jour(entree.envoi_gracieux)} : {etat}")
    else:
        lines.append(f"  état : {deadline_status(gracieux)}")
    lines.append(f"  fondements : {_cite(gracieux.fondements)}")
    lines.append("")
    if report.rejet_implicite is not None:
        lines.append(
            f"Rejet implicite du recours gracieux : {date_avec_jour(report.rejet_implicite)}"
        )
        lines.append("")
    contentieux = report.recours_contentieux
    evenements = {
        "notification": "notification de la décision",
        "rejet_implicite": "rejet implicite du recours gracieux",
        "rejet_explicite": "rejet explicite du recours gracieux",
    }
    lines += [
        "Recours contentieux (requête au tribunal administratif)",
        f"  point de départ : {evenements.get(contentieux.evenement, contentieux.evenement)} du "
        f"{date_longue(contentieux.point_de_depart)}",
        f"  date limite d'enregistrement au greffe : {date_avec_jour(contentieux.date_limite)}"
        + (" (délai raisonnable)" if contentieux.delai_raisonnable else ""),
        f"  état : {deadline_status(contentieux)}",
        f"  fondements : {_cite(contentieux.fondements)}",
    ]
    if report.avertissements:
        lines += ["", "Avertissements :"]
        lines += [f"  - {w}" for w in report.avertissements]
    if report.possibilites:
        lines += ["", "Ce qui reste possible :"]
        lines += [f"  - {p}" for p in report.possibilites]
    return "\n".join(lines)


def _money(value: Decimal) -> str:
    return montant(value)


def amounts_text(dossier: Dossier, report: AmountsReport) -> str:
    names = {a.id: a.nom for a in dossier.autorites}
    lines = [f"Montants de la mesure « Ségur pour tous » — {dossier.organisme.raison_sociale}", ""]
    for etab in dossier.etablissements:
        lines.append(f"{etab.nom} (FINESS {etab.finess}) — méthode : {METHODES[etab.methode]}")
        for ligne in (x for x in report.lignes if x.finess == etab.finess):
            lines.append(f"  {ligne.annee} : {ligne.formule} = {_money(ligne.cout)}")
            for part in ligne.parts:
                lines.append(
                    f"    {names[part.autorite]} ({pourcentage(part.pourcentage)}) : dû "
                    f"{_money(part.du)}, reçu {_money(part.recu)}, écart {_money(part.ecart)}"
                )
        lines.append("")
    lines.append("Totaux par autorité")
    for key, tot in report.par_autorite.items():
        lines.append(
            f"  {names[key]} : dû {_money(tot.du)}, reçu {_money(tot.recu)}, écart {_money(tot.ecart)}"
        )
    lines.append("Totaux par exercice")
    for year, tot in report.par_exercice.items():
        lines.append(
            f"  {year} : dû {_money(tot.du)}, reçu {_money(tot.recu)}, écart {_money(tot.ecart)}"
        )
    tot = report.total
    lines += [
        f"Total : dû {_money(tot.du)}, reçu {_money(tot.recu)}, écart {_money(tot.ecart)}",
        "",
        REGLE_ARRONDI,
    ]
    if report.avertissements:
        lines += ["", "Avertissements :"] + [f"  - {w}" for w in report.avertissements]
    return "\n".join(lines)


def _dec(value: Decimal) -> str:
    return str(value)


def amounts_json(dossier: Dossier, report: AmountsReport) -> dict[str, Any]:
    def totals(t: Any) -> dict[str, str]:
        return {"du": _dec(t.du), "recu": _dec(t.recu), "ecart": _dec(t.ecart)}

    return {
        "organisme": dossier.organisme.raison_sociale,
        "lignes": [
            {
                "finess": ligne.finess,
                "etablissement": ligne.etablissement,
                "annee": ligne.annee,
                "methode": ligne.methode,
                "formule": ligne.formule,
                "cout": _dec(ligne.cout),
                "parts": [
                    {
                        "autorite": p.autorite,
                        "pourcentage": _dec(p.pourcentage),
                        "du": _dec(p.du),
                        "recu": _dec(p.recu),
                        "ecart": _dec(p.ecart),
                    }
                    for p in ligne.parts
                ],
            }
            for ligne in report.lignes
        ],
        "par_autorite": {k: totals(v) for k, v in report.par_autorite.items()},
        "par_exercice": {str(k): totals(v) for k, v in report.par_exercice.items()},
        "total": totals(report.total),
        "regle_arrondi": REGLE_ARRONDI,
        "avertissements": report.avertissements,
    }


def check_text(dossier: Dossier, source: str, today: date) -> str:
    from recours.law.checks import dossier_warnings

    warnings = dossier_warnings(dossier, today)
    lines = [
        f"{source} : dossier valide — {len(dossier.etablissements)} établissement(s), "
        f"{len(dossier.autorites)} autorité(s), {len(dossier.decisions)} décision(s)."
    ]
    if warnings:
        lines += [f"{len(warnings)} avertissement(s) :"] + [f"  - {w}" for w in warnings]
    return "\n".join(lines)


def _mark(confiance: str) -> str:
    label = CONFIANCE_LIBELLES[confiance]
    return f"[{confiance} : {label}]" if confiance != "U" else f"[À VÉRIFIER — {label}]"


def referentiel_text(ref: Referentiel) -> str:
    acc = ref.accord
    lines = [
        f"Référentiel juridique de recours (recherche du {ref.version})",
        ref.avertissement,
        "",
        "ACCORD",
        f"  Titre : {acc.titre.valeur} {_mark(acc.titre.confiance)}",
        f"    source : {acc.titre.source}",
        f"  Date : {date_longue(acc.date_signature.valeur)} {_mark(acc.date_signature.confiance)}",
        f"  Montant : {nombre(acc.montant_mensuel_brut.valeur)} {acc.montant_mensuel_brut.unite} "
        f"{_mark(acc.montant_mensuel_brut.confiance)}",
        f"    source : {acc.montant_mensuel_brut.source}",
        f"  Effet : {date_longue(acc.date_effet.valeur)} {_mark(acc.date_effet.confiance)}",
        f"  Agrément : {acc.agrement.libelle}, NOR {acc.agrement.nor} "
        f"({article_label(acc.agrement.fondement)}) {_mark(acc.agrement.confiance)}",
        f"    source : {acc.agrement.source}",
        f"  Extension : {acc.extension.libelle} ({article_label(acc.extension.fondement)}) "
        f"{_mark(acc.extension.confiance)}",
        f"    source : {acc.extension.source}",
        f"  Proratisation : {acc.proratisation.valeur} {_mark(acc.proratisation.confiance)}",
        "",
        "COÛT UNITAIRE DGCS",
        f"  {nombre(ref.cout_unitaire_dgcs.valeur)} {ref.cout_unitaire_dgcs.unite} "
        f"{_mark(ref.cout_unitaire_dgcs.confiance)}",
        f"    {ref.cout_unitaire_dgcs.instruction}",
        f"    source : {ref.cout_unitaire_dgcs.source}",
        f"    {ref.cout_unitaire_dgcs.note}",
        "",
        "CATÉGORIES D'ESMS ET AUTORITÉS DE TARIFICATION",
    ]
    for key, cat in ref.categories.items():
        autorites = " + ".join(ref.autorites[a].libelle for a in cat.autorites)
        lines.append(
            f"  {key} — {cat.libelle} (L.312-1 I {cat.point_l312_1}) : {autorites}"
            f"{' (cofinancé)' if cat.cofinance else ''} ; {cat.fondement} {_mark(cat.confiance)}"
        )
        if cat.note:
            lines.append(f"    {cat.note}")
    lines += ["", "RÉGIMES BUDGÉTAIRES ET MOYENS"]
    for key, regime in ref.regimes.items():
        lines.append(f"  {key} — {regime.libelle} {_mark(regime.confiance)}")
        for moyen_key in regime.moyens:
            moyen = ref.moyens[moyen_key]
            lines.append(
                f"    • {moyen.intitule} {_mark(moyen.confiance)} — source : {moyen.source}"
            )
        if regime.note:
            lines.append(f"    {regime.note}")
    lines += ["", "TEXTES ET JURISPRUDENCE APPLIQUÉS"]
    for key, art in ref.articles.items():
        lines.append(f"  {art.court} ({key}) {_mark(art.confiance)}")
        lines.append(f"    {art.objet}")
        lines.append(f"    source : {art.source}")
        if art.note:
            lines.append(f"    note : {art.note}")
    tele = ref.telerecours
    lines += [
        "",
        "TÉLÉRECOURS (dossier préparé par --bordereau)",
        f"  {' '.join(tele.nom_piece.regle.split())} {_mark(tele.nom_piece.confiance)}",
        f"    source : {' '.join(tele.nom_piece.source.split())}",
        f"    note : {' '.join((tele.nom_piece.note or '').split())}",
        f"  Taille maximale : {nombre(tele.taille_max_fichier.valeur)} "
        f"{tele.taille_max_fichier.unite} {_mark(tele.taille_max_fichier.confiance)}",
        f"    source : {' '.join(tele.taille_max_fichier.source.split())}",
    ]
    lines += [
        "",
        "TRIBUNAUX",
        f"  Droit commun : {ref.tribunaux.source_droit_commun} {_mark(ref.tribunaux.confiance_droit_commun)}",
        f"  Tarification depuis le {date_longue(ref.tribunaux.date_tarification)} : "
        f"{' '.join(ref.tribunaux.source_tarification.split())} "
        f"{_mark(ref.tribunaux.confiance_tarification)}",
    ]
    for row in ref.departements.values():
        tarif = row.ta_tarification or "NON TROUVÉ"
        flag = "" if row.verifie else "  [À VÉRIFIER]"
        lines.append(
            f"  {row.code:>3} {row.departement} : TA {row.ta_droit_commun} ; tarification : {tarif}{flag}"
        )
    return "\n".join(lines)
