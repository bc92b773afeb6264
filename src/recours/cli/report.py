"""Plain-text and JSON views of deadlines, amounts, checks and the referential (CLI output)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from recours.formatting import date_avec_jour, date_longue, montant, nombre, pourcentage
from recours.law.amounts import METHODES, REGLE_ARRONDI
from recours.law.analysis import Analysis
from recours.law.deadlines import Deadline, DeadlineReport
from recours.law.indemnity import IndemnityChain, IndemnityReport, Prescription
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
    return _status_words(deadline.statut, deadline.jours_restants)


def _status_words(statut: str, jours_restants: int) -> str:
    if statut == "ouvert":
        return f"ouvert, {jours_restants} jour(s) restant(s)"
    if statut == "dernier_jour":
        return "DERNIER JOUR aujourd'hui"
    if statut == "expire":
        return f"EXPIRÉ depuis {-jours_restants} jour(s)"
    return STATUTS.get(statut, statut)


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
    hierarchique = report.recours_hierarchique
    if hierarchique is not None and hierarchique.date_envoi is not None:
        if not hierarchique.interruptif:
            etat = "non interruptif"
        elif hierarchique.retenu:
            etat = "interruptif"
        else:
            etat = "non retenu dans le calcul (destinataire incertain)"
        lines += [
            "Recours hiérarchique",
            f"  envoyé le {date_avec_jour(hierarchique.date_envoi)} : {etat}",
        ]
        if hierarchique.rejet_implicite is not None:
            lines.append(f"  rejet implicite : {date_avec_jour(hierarchique.rejet_implicite)}")
        lines.append("")
    contentieux = report.recours_contentieux
    evenements = {
        "notification": "notification de la décision",
        "rejet_implicite": "rejet implicite du recours gracieux",
        "rejet_explicite": "rejet explicite du recours gracieux",
        "rejet_implicite_hierarchique": "rejet implicite du recours hiérarchique",
        "rejet_explicite_hierarchique": "rejet explicite du recours hiérarchique",
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


# Status labels only: what they mean in law is said by the warnings (referential).
CHAIN_STATUS = {
    "en_attente": "en attente de la décision de l'autorité (voir les avertissements)",
    "sans_delai": "pas de date limite calculée (voir les avertissements)",
}

PRESCRIPTION_STATUS = {
    "ouvert": "ouvert",
    "bientot_prescrit": "BIENTÔT PRESCRIT",
    "prescrit": "PRESCRIT",
    "action_en_cours": "interrompue par une requête (voir les avertissements)",
}


def indemnity_text(chain: IndemnityChain) -> list[str]:
    """The lines of `recours delais` for a demande indemnitaire préalable."""
    inp = chain.entree
    sent = f"  envoyée le {date_avec_jour(inp.envoi)}"
    if inp.reception is not None:
        sent += f", reçue le {date_avec_jour(inp.reception)}"
    lines = ["Demande indemnitaire préalable", sent]
    if chain.rejet_implicite is not None:
        lines.append(f"  rejet implicite : {date_avec_jour(chain.rejet_implicite)}")
    if inp.rejet_explicite is not None:
        lines.append(f"  rejet explicite notifié le {date_avec_jour(inp.rejet_explicite)}")
    lines.append("Requête indemnitaire (tribunal administratif)")
    if chain.date_limite is not None:
        lines.append(
            f"  date limite d'enregistrement au greffe : {date_avec_jour(chain.date_limite)}"
        )
    if chain.statut in CHAIN_STATUS:
        lines.append(f"  état : {CHAIN_STATUS[chain.statut]}")
    else:
        assert chain.jours_restants is not None
        lines.append(f"  état : {_status_words(chain.statut, chain.jours_restants)}")
    if chain.avocat_obligatoire is not None:
        lines.append(
            f"  avocat : {'obligatoire' if chain.avocat_obligatoire else 'non obligatoire'}"
        )
    lines.append(f"  fondements : {_cite(chain.fondements)}")
    return lines


def prescription_text(prescriptions: list[Prescription]) -> list[str]:
    """The lines of `recours delais` for the prescription quadriennale of each exercise."""
    lines = ["Prescription quadriennale (par exercice)"]
    for item in prescriptions:
        statut = PRESCRIPTION_STATUS.get(item.statut, item.statut)
        if item.date_limite is None:
            lines.append(f"  {item.annee} : {statut}")
            continue
        if item.statut in ("ouvert", "bientot_prescrit"):
            statut += f", {item.jours_restants} jour(s) restant(s)"
        lines.append(
            f"  {item.annee} : du {date_longue(item.debut)} au"
            f" {date_avec_jour(item.date_limite)} — {statut}"
        )
    return lines


def indemnity_report_text(report: IndemnityReport, header: bool = True) -> str:
    """Text of `recours delais` for the demande indemnitaire and the prescription."""
    lines = [f"Date de référence : {date_avec_jour(report.aujourdhui)}", ""] if header else []
    if report.demande is not None:
        lines += [*indemnity_text(report.demande), ""]
    if report.prescriptions:
        lines += [*prescription_text(list(report.prescriptions)), ""]
    warnings = report.avertissements
    if warnings:
        lines.append("Avertissements (demande indemnitaire, prescription) :")
        lines += [f"  - {w.texte}" for w in warnings]
    return "\n".join(lines).rstrip("\n")


def _money(value: Decimal) -> str:
    return montant(value)


def amounts_text(analysis: Analysis) -> str:
    dossier, report = analysis.dossier, analysis.montants
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
                    + (
                        f", réclamable {_money(part.reclame)}"
                        if part.reclame != max(part.ecart, Decimal(0))
                        else ""
                    )
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
        f"Reste à réclamer (sans double compte entre financeurs) : {_money(tot.reclame)}",
        "",
        REGLE_ARRONDI,
    ]
    lines += ["", *_exercises_text(analysis)]
    if report.avertissements:
        lines += ["", "Avertissements :"] + [f"  - {w}" for w in report.avertissements]
    return "\n".join(lines)


_ETATS = {
    "conteste": "contesté",
    "contestable": "encore contestable",
    "definitif": "décision définitive",
    "sans_decision": "aucune décision enregistrée",
}


def _exercises_text(analysis: Analysis) -> list[str]:
    """Exercise by exercise: what is owed, and the route that remains (analysis)."""
    if not analysis.exercices:
        return ["Aucun montant ne reste dû."]
    from recours.law.analysis import remaining_routes
    from recours.law.referentiel import load_referentiel

    lines = ["Exercice par exercice (ce qui reste dû et la voie qui reste) :"]
    for status in analysis.exercices:
        lines.append(f"  - [{_ETATS[status.etat]}] {status.texte}")
    routes = remaining_routes(analysis.exercices, load_referentiel())
    if routes:
        lines.append("Ce qui reste possible :")
        lines += [f"  - {r}" for r in routes]
    return lines


def _documents_text(analysis: Analysis) -> list[str]:
    planned = analysis.plan()
    if not planned:
        return ["Documents : aucun document à cette étape (précisez --documents pour en demander)."]
    lines = ["Documents à cette étape :"]
    for doc in planned:
        refused = doc.refus()
        if refused:
            lines.append(f"  - {doc.libelle} : non généré — " + " ".join(b.texte for b in refused))
        else:
            lines.append(f"  - {doc.libelle} : à générer ({_money(doc.claim.reclame)})")
        court = doc.juridiction
        if court is not None and not court.verifie:
            # The referential's doubt on the court of a requête indemnitaire (digest §9 q. 2).
            lines.append(f"    Tribunal retenu : {court.nom}. {court.regle}")
    return lines


def _dec(value: Decimal) -> str:
    return str(value)


def amounts_json(analysis: Analysis) -> dict[str, Any]:
    dossier, report = analysis.dossier, analysis.montants

    def totals(t: Any) -> dict[str, str]:
        return {
            "du": _dec(t.du),
            "recu": _dec(t.recu),
            "ecart": _dec(t.ecart),
            "reclame": _dec(t.reclame),
        }

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
                        "reclame": _dec(p.reclame),
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
        "exercices": [
            {
                "finess": e.finess,
                "annee": e.annee,
                "autorite": e.autorite,
                "reclame": _dec(e.reclame),
                "etat": e.etat,
                "decision": e.decision,
                "texte": e.texte,
            }
            for e in analysis.exercices
        ],
        "avertissements": report.avertissements,
    }


def check_text(analysis: Analysis, source: str) -> str:
    dossier = analysis.dossier
    from recours.law.analysis import remaining_routes
    from recours.law.referentiel import load_referentiel

    shown = {e.texte for e in analysis.exercices}
    shown |= set(remaining_routes(analysis.exercices, load_referentiel()))
    warnings = [w for w in analysis.avertissements if w not in shown]
    lines = [
        f"{source} : dossier valide — {len(dossier.etablissements)} établissement(s), "
        f"{len(dossier.autorites)} autorité(s), {len(dossier.decisions)} décision(s)."
    ]
    lines += _documents_text(analysis)
    lines += _exercises_text(analysis)
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
    lines += _routes_text(ref)
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
    return "\n".join(lines + _annuaire_lines(ref))


def _annuaire_lines(ref: Referentiel) -> list[str]:
    """Addressees by département, notification and Télérecours rules (issue 10 §4-§5)."""
    info = ref.annuaire_autorites
    lines = ["", "NOTIFICATION ET TÉLÉRECOURS"]
    facts = (
        ref.notification.regle,
        ref.notification.courriel_simple,
        ref.telerecours.pieces,
        ref.telerecours.non_obligatoire,
    )
    for fact in facts:
        lines.append(f"  {' '.join(fact.valeur.split())} {_mark(fact.confiance)}")
        lines.append(f"    source : {' '.join(fact.source.split())}")
        if fact.note:
            lines.append(f"    note : {' '.join(fact.note.split())}")
    for key, cat in ref.categories.items():
        if cat.hors_accord is not None:
            lines.append(
                f"  {key} en principe hors de l'accord : {' '.join(cat.hors_accord.motif.split())} "
                f"{_mark(cat.hors_accord.confiance)}"
            )
    lines += [
        "",
        f"AUTORITÉS PAR DÉPARTEMENT ({info.fichier}) {_mark(info.confiance)}",
        f"  source : {' '.join(info.source.split())}",
        f"  Hors champ ({', '.join(info.hors_champ.codes)}) : "
        f"{' '.join(info.hors_champ.source.split())} {_mark(info.hors_champ.confiance)}",
    ]
    for row in ref.annuaire.values():
        ars = f" ; {row.ars}" if not row.ars.startswith("(") else ""
        lines.append(
            f"  {row.code:>3} — {row.departement} : {row.collectivite} — {row.titre_chef}{ars} "
            f"{_mark(row.confiance)}"
        )
    return lines


def _routes_text(ref: Referentiel) -> list[str]:
    """The prescription, the recours hiérarchique and the route table, each with its mark."""
    presc = ref.prescription
    lines = [
        "",
        "PRESCRIPTION QUADRIENNALE",
        f"  durée : {presc.duree_annees} ans ; {_cite(tuple(presc.references))}"
        f" {_mark(presc.confiance)}",
        f"    source : {presc.source}",
    ]
    if presc.note:
        lines.append(f"    note : {' '.join(presc.note.split())}")
    lines += ["", "RECOURS HIÉRARCHIQUE"]
    for type_key, sup in ref.recours_hierarchique.items():
        target = sup.superieur if sup.possible and sup.superieur else "aucun supérieur hiérarchique"
        lines.append(f"  {ref.autorites[type_key].libelle} : {target} {_mark(sup.confiance)}")
        lines.append(f"    source : {sup.source}")
    lines += ["", "VOIES DE DROIT"]
    for key, voie in ref.voies.items():
        drafted = "rédigé par recours" if voie.redige else "expliqué, non rédigé"
        if not voie.par_defaut:
            drafted += ", option d'expert"
        lines.append(f"  {voie.libelle} ({key}, {drafted}) {_mark(voie.confiance)}")
        lines.append(f"    quand : {voie.quand}")
        lines.append(f"    délai : {voie.delai}")
        lines.append(f"    avocat : {voie.avocat}")
        if voie.references:
            lines.append(f"    fondements : {_cite(tuple(voie.references))}")
        lines.append(f"    source : {voie.source}")
        if voie.note:
            lines.append(f"    note : {voie.note}")
    return lines
