"""The document context: everything templates see, formatted in French once.

Each builder constructs the typed context model of its document kind
(`documents.models`); the renderers copy it into plain strings, booleans, lists and dicts
(no model objects), so that a sandboxed template cannot reach Python internals through
them. Multi-line user text is a :class:`MultiLine`; each renderer turns it into line
breaks of its format. The field names are the variables lawyers use in their templates
(see `recours modeles variables`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from num2words import num2words

from recours import formatting as fmt
from recours.documents import models as tm
from recours.documents.models import MultiLine as MultiLine  # re-exported
from recours.dossier.models import (
    Adresse,
    Autorite,
    Decision,
    Dossier,
    Etablissement,
    Organisme,
    Personne,
)
from recours.law.amounts import METHODES
from recours.law.analysis import Analysis, Claim, Ground, PlannedDocument
from recours.law.autorites import destinataire
from recours.law.deadlines import DeadlineReport
from recours.law.referentiel import Referentiel, load_referentiel

Context = tm.ContexteDocument
"""What a builder returns: the context model of one document kind."""


@dataclass(frozen=True)
class DocumentKind:
    code: str
    titre: str


GRACIEUX = DocumentKind("gracieux", "Recours gracieux")
REQUETE = DocumentKind("requete", "Requête")


def _adresse(a: Adresse | None) -> tm.Adresse:
    if a is None:
        return tm.Adresse(
            voie="", complement="", code_postal="", commune="", lignes=[], une_ligne=""
        )
    lignes = [a.voie] + ([a.complement] if a.complement else []) + [f"{a.code_postal} {a.commune}"]
    return tm.Adresse(
        voie=a.voie,
        complement=a.complement or "",
        code_postal=a.code_postal,
        commune=a.commune,
        lignes=lignes,
        une_ligne=", ".join(lignes),
    )


def _personne(p: Personne) -> tm.Personne:
    civ = p.civilite or ""
    return tm.Personne(
        civilite=civ, nom=p.nom, qualite=p.qualite, nom_complet=f"{civ} {p.nom}".strip()
    )


def _money(value: Decimal) -> str:
    return fmt.montant(value)


def textes(ref: Referentiel) -> dict[str, str]:
    """Article references by key with underscores: textes.crpa_l411_2."""
    return {
        key.replace("-", "_").replace(".", "_"): art.reference for key, art in ref.articles.items()
    }


def textes_courts(ref: Referentiel) -> dict[str, str]:
    return {key.replace("-", "_").replace(".", "_"): art.court for key, art in ref.articles.items()}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def accord_context(ref: Referentiel) -> tm.Accord:
    acc = ref.accord
    return tm.Accord(
        # Lower-case first letter: templates write "L'{{ accord.titre }}" mid-sentence.
        titre=_lower_first(" ".join(acc.titre.valeur.split())),
        date=fmt.date_longue(acc.date_signature.valeur),
        montant_mensuel=fmt.montant_arrondi(acc.montant_mensuel_brut.valeur),
        date_effet=fmt.date_longue(acc.date_effet.valeur),
        agrement=(
            f"arrêté du {fmt.date_longue(acc.agrement.date)} publié au Journal officiel du "
            f"{fmt.date_longue(acc.agrement.publication)}"
        ),
        extension=(
            f"arrêté du {fmt.date_longue(acc.extension.date)} publié au Journal officiel du "
            f"{fmt.date_longue(acc.extension.publication)}"
        ),
        cout_unitaire_dgcs=fmt.montant(ref.cout_unitaire_dgcs.valeur),
        instruction_dgcs=" ".join(ref.cout_unitaire_dgcs.instruction.split()),
    )


def organisme_context(dossier: Dossier) -> tm.Organisme:
    org = dossier.organisme
    signataire = org.signataire
    sign = _personne(signataire or org.representant_legal)
    contact = org.contact
    return tm.Organisme(
        raison_sociale=org.raison_sociale,
        forme_juridique=org.forme_juridique,
        siren=org.siren_effectif,
        siret=org.siret or "",
        rna=org.rna or "",
        siege=_adresse(org.siege),
        representant_legal=_personne(org.representant_legal),
        signataire=tm.Signataire(
            **dict(sign),
            delegation=signataire.delegation if signataire and signataire.delegation else "",
            est_representant_legal=signataire is None,
        ),
        contact=tm.Contact(
            nom=contact.nom or "" if contact else "",
            telephone=contact.telephone or "" if contact else "",
            courriel=contact.courriel or "" if contact else "",
        ),
    )


def autorite_context(autorite: Autorite, ref: Referentiel) -> tm.Autorite:
    info = ref.autorites[autorite.type]
    dest = destinataire(autorite, ref)
    return tm.Autorite(
        id=autorite.id,
        type=autorite.type,
        type_libelle=info.libelle,
        nom=autorite.nom,
        service=autorite.service or "",
        adresse=_adresse(autorite.adresse),
        titre_titulaire=dest.titre_titulaire,
        formule_appel=dest.formule_appel,
        titre_autorite=dest.titre_autorite,
        titre=dest.titre,
        titre_de=fmt.de(dest.titre),
        titre_a=fmt.a(dest.titre),
        defendeur=dest.defendeur,
        defendeur_nom=dest.defendeur_nom,
        defendeur_de=fmt.de(dest.defendeur_nom),
        defendeur_a=fmt.a(dest.defendeur_nom),
        collectivite=dest.collectivite,
        region=dest.region,
        ars=dest.ars,
        a_verifier=dest.a_verifier,
        departement=autorite.departement,
        collectivite_territoriale=info.collectivite_territoriale,
    )


def etablissement_context(etab: Etablissement, ref: Referentiel) -> tm.Etablissement:
    cat = ref.categories[etab.categorie]
    regime = ref.regimes[etab.regime_budgetaire]
    return tm.Etablissement(
        nom=etab.nom,
        finess=etab.finess,
        categorie=etab.categorie,
        categorie_libelle=cat.libelle,
        adresse=_adresse(etab.adresse),
        departement=etab.departement,
        departement_nom=ref.tribunal(etab.departement).departement,
        regime_budgetaire=etab.regime_budgetaire,
        regime_libelle=regime.libelle,
        methode=etab.methode,
        methode_libelle=METHODES[etab.methode],
    )


def decision_context(dossier: Dossier, decision: Decision, ref: Referentiel) -> tm.Decision:
    nature = ref.natures_decision[decision.nature]
    numero = f" n° {decision.numero}" if decision.numero else ""
    objet = f" {decision.objet}" if decision.objet else ""
    etabs = dossier.etablissements_de(decision)
    gracieux = decision.recours_gracieux
    return tm.Decision(
        id=decision.id or "",
        nature=decision.nature,
        nature_libelle=nature.libelle,
        numero=decision.numero or "",
        date=fmt.date_longue(decision.date),
        date_notification=fmt.date_longue(decision.date_notification),
        objet=decision.objet or "",
        intitule=f"{nature.libelle}{numero} du {fmt.date_longue(decision.date)}{objet}",
        fixe_un_tarif=nature.fixe_un_tarif,
        conclusions=nature.conclusions,
        exercices=[str(a) for a in decision.exercices],
        etablissements=[f"{e.nom} (FINESS {e.finess})" for e in etabs],
        voies_et_delais_mentionnes=decision.voies_et_delais_mentionnes is not False,
        recours_gracieux=tm.RecoursGracieux(
            envoye=gracieux is not None,
            date_envoi=fmt.date_longue(gracieux.date_envoi) if gracieux else "",
            date_reception=(
                fmt.date_longue(gracieux.date_reception)
                if gracieux and gracieux.date_reception
                else ""
            ),
        ),
        rejet_explicite=(
            fmt.date_longue(decision.rejet_explicite.date_notification)
            if decision.rejet_explicite
            else ""
        ),
    )


def montants_context(dossier: Dossier, claim: Claim) -> tm.Montants:
    """The amounts table of a document: what it claims, établissement by exercise."""
    lignes = []
    par_annee: dict[int, list[Decimal]] = {}
    for ligne in claim.lignes:
        lignes.append(
            tm.LigneMontant(
                etablissement=ligne.etablissement,
                finess=ligne.finess,
                annee=str(ligne.annee),
                formule=ligne.formule,
                cout_total=_money(ligne.cout),
                part=fmt.pourcentage(ligne.pourcentage),
                du=_money(ligne.du),
                recu=_money(ligne.recu),
                ecart=_money(ligne.reclame),
            )
        )
        totals = par_annee.setdefault(ligne.annee, [Decimal(0), Decimal(0), Decimal(0)])
        totals[0] += ligne.du
        totals[1] += ligne.recu
        totals[2] += ligne.reclame
    reclame = claim.reclame
    return tm.Montants(
        lignes=lignes,
        par_exercice=[
            tm.TotalExercice(annee=str(a), du=_money(d), recu=_money(r), ecart=_money(c))
            for a, (d, r, c) in sorted(par_annee.items())
        ],
        total_du=_money(claim.du),
        total_recu=_money(claim.recu),
        total_ecart=_money(reclame),
        total_ecart_en_lettres=fmt.montant_en_lettres(reclame),
        total_ecart_valeur=str(reclame),
        exercices=", ".join(str(a) for a in sorted(par_annee)),
    )


def moyens_context(grounds: list[Ground], ref: Referentiel) -> list[tm.Moyen]:
    """The grounds a document prints: those the dossier's facts back up."""
    return [
        tm.Moyen(
            code=g.code,
            intitule=g.moyen.intitule,
            expose=" ".join(g.moyen.expose.split()),
            references=[ref.article(r).court for r in g.moyen.references],
            a_verifier=not g.moyen.verifie,
            note=g.moyen.note or "",
        )
        for g in grounds
        if g.imprime
    ]


def regles_context(ref: Referentiel) -> tm.Regles:
    """Durations of the referential in words, for the sentences of the templates."""
    rules = ref.delais
    return tm.Regles(
        recours=_duree_mois(rules.recours_mois),
        rejet_implicite=_duree_mois(rules.rejet_implicite_mois),
        delai_raisonnable=_duree_ans(rules.delai_raisonnable_annees),
    )


def _duree_mois(months: int) -> str:
    return f"{num2words(months, lang='fr')} mois"


def _duree_ans(years: int) -> str:
    word = "un" if years == 1 else num2words(years, lang="fr")
    return f"{word} an{'s' if years > 1 else ''}"


def _regimes(etabs: list[Etablissement], ref: Referentiel) -> tm.Regimes:
    present = {e.regime_budgetaire for e in etabs}
    return tm.Regimes(
        procedure_contradictoire="procedure_contradictoire" in present,
        cpom_eprd="cpom_eprd" in present,
        libelles=[ref.regimes[r].libelle for r in sorted(present)],
    )


def _delais(report: DeadlineReport) -> tm.Delais:
    g = report.recours_gracieux
    c = report.recours_contentieux
    return tm.Delais(
        gracieux_date_limite=fmt.date_longue(g.date_limite),
        gracieux_statut=g.statut,
        rejet_implicite=fmt.date_longue(report.rejet_implicite) if report.rejet_implicite else "",
        contentieux_point_de_depart=fmt.date_longue(c.point_de_depart),
        contentieux_evenement=c.evenement,
        contentieux_date_limite=fmt.date_longue(c.date_limite),
        contentieux_statut=c.statut,
        delai_raisonnable=c.delai_raisonnable,
        avertissements=list(report.avertissements),
    )


def _base(
    dossier: Dossier,
    today: date,
    kind: DocumentKind,
    doc: PlannedDocument,
    autorite: tm.Autorite,
    etabs: list[Etablissement],
    pieces: list[tm.Piece],
) -> dict[str, Any]:
    """The fields every document kind has (`models.ContexteDocument`), as keyword arguments
    of the kind's model."""
    ref = load_referentiel()
    doc_date = dossier.date_document or today
    return {
        "document": tm.Document(
            type=kind.code,
            titre=kind.titre,
            date=fmt.date_longue(doc_date),
            date_iso=doc_date.isoformat(),
            lieu=dossier.lieu_signature or dossier.organisme.siege.commune,
            reference=dossier.reference or "",
            dans_le_delai=doc.dans_le_delai,
            a_faire_signer_par_avocat=kind.code in ("requete", "requete_indemnitaire")
            and dossier.avocat is None
            and any(b.code == "avocat" for b in doc.bloquants),
        ),
        "regles": regles_context(ref),
        "organisme": organisme_context(dossier),
        "accord": accord_context(ref),
        "textes": textes(ref),
        "textes_courts": textes_courts(ref),
        "faits_complementaires": MultiLine(dossier.faits_complementaires or ""),
        "avocat": _avocat(dossier),
        "telerecours": tm.Telerecours(
            pieces=" ".join(ref.telerecours.pieces.valeur.split()),
            non_obligatoire=" ".join(ref.telerecours.non_obligatoire.valeur.split()),
        ),
        "autorite": autorite,
        "etablissements": [etablissement_context(e, ref) for e in etabs],
        "pieces": pieces,
    }


def _avocat(dossier: Dossier) -> tm.Avocat:
    av = dossier.avocat
    if av is None:
        return tm.Avocat(
            present=False,
            nom="",
            barreau="",
            adresse=_adresse(None),
            telephone="",
            courriel="",
            toque="",
        )
    return tm.Avocat(
        present=True,
        nom=av.nom,
        barreau=av.barreau,
        adresse=_adresse(av.adresse),
        telephone=av.telephone or "",
        courriel=av.courriel or "",
        toque=av.toque or "",
    )


def gracieux_context(analysis: Analysis, doc: PlannedDocument) -> tm.ContexteGracieux:
    """Context of the recours gracieux to one authority (the decisions it contests)."""
    ref = load_referentiel()
    dossier = analysis.dossier
    decisions = [analysis.decision(i) for i in doc.decisions]
    finess = {line.finess for line in doc.claim.lignes} | {
        e.finess for d in decisions for e in d.etablissements
    }
    etabs = [e for e in dossier.etablissements if e.finess in finess]
    earliest = min((d.delais for d in decisions), key=lambda r: r.recours_gracieux.date_limite)
    pieces = _pieces_gracieux(
        dossier,
        [d.decision for d in decisions],
        ref,
        _fact_pieces(decisions, _common_grounds(decisions), ref),
    )
    autorite = autorite_context(dossier.autorite(doc.autorite), ref)
    return tm.ContexteGracieux(
        **_base(dossier, analysis.aujourdhui, GRACIEUX, doc, autorite, etabs, pieces),
        decisions=[decision_context(dossier, d.decision, ref) for d in decisions],
        montants=montants_context(dossier, doc.claim),
        moyens=moyens_context(_common_grounds(decisions), ref),
        regimes=_regimes(etabs, ref),
        delais=_delais(earliest),
    )


def _common_grounds(decisions: list[Any]) -> list[Ground]:
    """Grounds of a letter contesting several decisions: printed only if backed for each."""
    out: dict[str, Ground] = {}
    for d in decisions:
        for g in d.moyens:
            if g.code not in out or not g.imprime:
                out[g.code] = g
    return list(out.values())


def nom_fichier_piece(numero: int, intitule: str, longueur_max: int) -> str:
    """Télérecours file name: inventory number first, then the title (CJA R.414-5).

    ASCII letters, digits and « - » only, at most `longueur_max` characters, never cut in
    the middle of a word (the 80-character rule is [U] in the referential).
    """
    ascii_text = unicodedata.normalize("NFKD", intitule).encode("ascii", "ignore").decode()
    prefix, suffix = f"{numero:02d}_", ".pdf"
    room = longueur_max - len(prefix) - len(suffix)
    name = ""
    for word in re.findall(r"[A-Za-z0-9]+", ascii_text):
        candidate = f"{name}-{word}" if name else word
        if len(candidate) > room:
            break
        name = candidate
    return prefix + (name or "Piece") + suffix


@dataclass(frozen=True)
class _Item:
    intitule: str
    generee: bool = False
    source: str | None = None  # the user's file, as written in the dossier
    obligatoire: bool = False


def _numbered(items: list[_Item], ref: Referentiel) -> list[tm.Piece]:
    longueur = ref.telerecours.nom_piece.longueur_max
    return [
        tm.Piece(
            numero=str(i),
            intitule=item.intitule,
            generee=item.generee,
            fichier=nom_fichier_piece(i, item.intitule, longueur),
            source=item.source or "",
            obligatoire=item.obligatoire,
        )
        for i, item in enumerate(items, start=1)
    ]


def _extra_items(dossier: Dossier) -> list[_Item]:
    return [_Item(p.intitule, source=p.fichier) for p in dossier.pieces_jointes]


def _delegation(org: Organisme) -> list[_Item]:
    """The delegation of the signatory, when the letter is not signed by the legal
    representative."""
    if org.signataire is None:
        return []
    return [
        _Item(f"Délégation du signataire ({org.signataire.delegation})", source=org.fichier_pouvoir)
    ]


def _capacity_items(org: Organisme) -> list[_Item]:
    """The association's statuts and what shows its signatory may act for it (a requête)."""
    return [
        _Item("Statuts de l'association", source=org.fichier_statuts),
        *(
            _delegation(org)
            or [
                _Item(
                    "Pièce justifiant de la qualité pour agir du représentant légal",
                    source=org.fichier_pouvoir,
                )
            ]
        ),
    ]


def _table_title(ref: Referentiel) -> str:
    date = fmt.date_longue(ref.accord.date_signature.valeur)
    return f"Tableau de calcul des montants dus au titre de l'accord du {date}"


def _fact_pieces(decisions: list[Any], grounds: list[Ground], ref: Referentiel) -> list[str]:
    """The pièces that show the facts of the printed grounds (the user's title, or the
    referential's)."""
    titles: list[str] = []
    for g in grounds:
        if not g.imprime:
            continue
        for fait in g.moyen.faits:
            for d in decisions:
                answer = d.decision.faits.get(fait)
                title = (answer.piece if answer else None) or ref.faits[fait].piece
                if title and title not in titles:
                    titles.append(title)
    return titles


def _pieces_gracieux(
    dossier: Dossier, decisions: list[Decision], ref: Referentiel, faits: list[str]
) -> list[tm.Piece]:
    items = [
        _Item(
            f"Copie de la décision contestée : {decision_context(dossier, d, ref).intitule}",
            source=d.fichier,
        )
        for d in decisions
    ]
    items.append(_Item(_table_title(ref)))
    items += _delegation(dossier.organisme)
    items += [_Item(title) for title in faits]
    return _numbered(items + _extra_items(dossier), ref)


def requete_context(analysis: Analysis, doc: PlannedDocument) -> tm.ContexteRequete:
    """Context of the requête against one decision (or the rejection of its recours gracieux)."""
    ref = load_referentiel()
    dossier = analysis.dossier
    d = analysis.decision(doc.decisions[0])
    dec_ctx = decision_context(dossier, d.decision, ref)
    etabs = list(d.etablissements)
    pieces = _pieces_requete(
        dossier, d.decision, dec_ctx, ref, _fact_pieces([d], list(d.moyens), ref)
    )
    autorite = autorite_context(d.autorite, ref)
    return tm.ContexteRequete(
        **_base(dossier, analysis.aujourdhui, REQUETE, doc, autorite, etabs, pieces),
        decision=dec_ctx,
        decisions=[dec_ctx],
        montants=montants_context(dossier, doc.claim),
        moyens=moyens_context(list(d.moyens), ref),
        regimes=_regimes(etabs, ref),
        delais=_delais(d.delais),
        tribunal=tm.Tribunal(
            nom=d.juridiction.nom,
            regle=d.juridiction.regle,
            a_verifier=not d.juridiction.verifie,
            avertissement=d.juridiction.avertissement or "",
        ),
        avocat_requis=tm.AvocatRequis(
            obligatoire=d.avocat.obligatoire,
            certain=d.avocat.certain,
            explication=" ".join(d.avocat.explication.split()),
        ),
    )


def _pieces_requete(
    dossier: Dossier,
    decision: Decision,
    dec_ctx: tm.Decision,
    ref: Referentiel,
    faits: list[str],
) -> list[tm.Piece]:
    """Inventaire détaillé des pièces (CJA R.412-2), numbered continuously.

    The contested decision is mandatory in a Télérecours deposit (with the requête).
    """
    org = dossier.organisme
    items = [
        _Item(f"Décision attaquée : {dec_ctx.intitule}", source=decision.fichier, obligatoire=True)
    ]
    gracieux = decision.recours_gracieux
    if gracieux is not None:
        items.append(
            _Item(
                f"Recours gracieux du {fmt.date_longue(gracieux.date_envoi)} et preuve de son envoi",
                source=gracieux.fichier,
            )
        )
        if gracieux.date_reception is not None:
            items.append(
                _Item(
                    "Avis de réception du recours gracieux "
                    f"({fmt.date_longue(gracieux.date_reception)})",
                    source=gracieux.fichier_avis_reception,
                )
            )
    if decision.rejet_explicite is not None:
        items.append(
            _Item(
                "Décision de rejet du recours gracieux notifiée le "
                f"{fmt.date_longue(decision.rejet_explicite.date_notification)}",
                source=decision.rejet_explicite.fichier,
            )
        )
    items += _capacity_items(org)
    items.append(_Item(_table_title(ref), generee=True))
    items += [_Item(title) for title in faits]
    return _numbered(items + _extra_items(dossier), ref)


# --- demande indemnitaire préalable and mise en demeure de payer (issue 11) ---------------

DEMANDE_INDEMNITAIRE = DocumentKind("demande_indemnitaire", "Demande indemnitaire préalable")
MISE_EN_DEMEURE = DocumentKind("mise_en_demeure", "Mise en demeure de payer")


def demande_indemnitaire_context(
    analysis: Analysis, doc: PlannedDocument
) -> tm.ContexteDemandeIndemnitaire:
    """Context of the demande indemnitaire préalable to one authority (voies-de-droit §2).

    ``exercices`` gives, year by year, each établissement's situation: the final decision
    that fixed it (``decision``), or none recorded (``sans_decision``).
    """
    ref = load_referentiel()
    dossier = analysis.dossier
    claimed = {(line.finess, line.annee) for line in doc.claim.lignes}
    statuses = [
        s
        for s in analysis.exercices
        if s.autorite == doc.autorite and (s.finess, s.annee) in claimed
    ]
    decision_indices = sorted({s.decision for s in statuses if s.decision is not None})
    decisions = {i: decision_context(dossier, dossier.decisions[i], ref) for i in decision_indices}
    etabs = [e for e in dossier.etablissements if e.finess in {f for f, _ in claimed}]
    by_year: dict[int, list[tm.Situation]] = {}
    order = {e.finess: i for i, e in enumerate(dossier.etablissements)}
    for s in sorted(statuses, key=lambda s: (s.annee, order[s.finess])):
        by_year.setdefault(s.annee, []).append(
            tm.Situation(
                etablissement=s.etablissement,
                finess=s.finess,
                montant=_money(s.reclame),
                sans_decision=s.decision is None,
                decision_intitule=decisions[s.decision].intitule if s.decision is not None else "",
                decision_notification=(
                    decisions[s.decision].date_notification if s.decision is not None else ""
                ),
            )
        )
    autorite = autorite_context(dossier.autorite(doc.autorite), ref)
    pieces = _pieces_demande(dossier, list(decisions.values()), ref)
    return tm.ContexteDemandeIndemnitaire(
        **_base(dossier, analysis.aujourdhui, DEMANDE_INDEMNITAIRE, doc, autorite, etabs, pieces),
        decisions=list(decisions.values()),
        exercices=[
            tm.ExerciceReclame(annee=str(annee), situations=items)
            for annee, items in sorted(by_year.items())
        ],
        faute=tm.Faute(
            refus=any(s.decision is not None for s in statuses),
            carence=any(s.decision is None for s in statuses),
        ),
        montants=montants_context(dossier, doc.claim),
        moyens=moyens_context(list(doc.moyens), ref),
        regimes=_regimes(etabs, ref),
    )


def _pieces_demande(
    dossier: Dossier, decisions: list[tm.Decision], ref: Referentiel
) -> list[tm.Piece]:
    items = [_Item(f"Copie de la décision : {d.intitule}") for d in decisions]
    items.append(_Item(_table_title(ref), generee=True))
    items += _delegation(dossier.organisme)
    return _numbered(items + _extra_items(dossier), ref)


def mise_en_demeure_context(analysis: Analysis, doc: PlannedDocument) -> tm.ContexteMiseEnDemeure:
    """Context of the mise en demeure de payer of one notified funding (voies-de-droit §7.1).

    ``payeur`` is the addressee: the organisation the dossier names, or the authority that
    notified the funding (``payeur.est_autorite``); the authority receives a copy.
    """
    ref = load_referentiel()
    dossier = analysis.dossier
    assert doc.financement is not None
    fin = dossier.financements_notifies[doc.financement]
    autorite = dossier.autorite(fin.autorite)
    auto_ctx = autorite_context(autorite, ref)
    if fin.etablissement is not None:
        etabs = [e for e in dossier.etablissements if e.finess == fin.etablissement]
    else:
        etabs = [
            e
            for e in dossier.etablissements
            if any(f.autorite == fin.autorite for f in e.financeurs)
        ]
    if fin.payeur is not None:
        payeur = tm.Payeur(
            nom=fin.payeur,
            lignes=[fin.payeur],
            adresse=_adresse(fin.payeur_adresse),
            est_autorite=False,
            formule_appel="Madame, Monsieur",
        )
    else:
        payeur = tm.Payeur(
            nom=autorite.nom,
            lignes=[auto_ctx.titre_titulaire, autorite.nom],
            adresse=auto_ctx.adresse,
            est_autorite=True,
            formule_appel=auto_ctx.formule_appel,
        )
    reste = fin.reste_du
    pieces = _pieces_mise_en_demeure(dossier, fin.reference, fin.date_notification)
    return tm.ContexteMiseEnDemeure(
        **_base(dossier, analysis.aujourdhui, MISE_EN_DEMEURE, doc, auto_ctx, etabs, pieces),
        payeur=payeur,
        financement=tm.Financement(
            exercice=str(fin.exercice),
            date_notification=fmt.date_longue(fin.date_notification),
            reference=fin.reference or "",
            montant_notifie=_money(fin.montant_notifie),
            montant_verse=_money(fin.montant_verse),
            reste_du=_money(reste),
            reste_du_en_lettres=fmt.montant_en_lettres(reste),
            versements=[
                tm.Versement(date=fmt.date_longue(v.date), montant=_money(v.montant))
                for v in sorted(fin.versements, key=lambda v: v.date)
            ],
        ),
    )


def _pieces_mise_en_demeure(
    dossier: Dossier, reference: str | None, notified: date
) -> list[tm.Piece]:
    numero = f" {reference}" if reference else ""
    items = [
        _Item(f"Copie de la notification{numero} du {fmt.date_longue(notified)}"),
        _Item("Relevé des versements reçus"),
        *_delegation(dossier.organisme),
    ]
    return _numbered(items + _extra_items(dossier), load_referentiel())


RECOURS_HIERARCHIQUE = DocumentKind("recours_hierarchique", "Recours hiérarchique")


def superieur_context(autorite: Autorite, ref: Referentiel) -> tm.Superieur:
    """Whom a recours hiérarchique is addressed to, as the referential words it."""
    sup = ref.recours_hierarchique.get(autorite.type)
    rule = ref.article("crpa-l411-2-al2")
    return tm.Superieur(
        designation=(sup.superieur or "") if sup else "",
        titre=(sup.destinataire or "") if sup else "",
        formule_appel=(sup.formule_appel or "") if sup else "",
        pouvoir=(sup.pouvoir or "") if sup else "",
        confiance=sup.confiance if sup else "U",
        a_verifier=sup is None or not sup.verifie,
        fondement=ref.article("csp-l1432-1").reference,
        regle_double=_lower_first(" ".join(rule.objet.split())),
    )


def recours_hierarchique_context(
    analysis: Analysis, doc: PlannedDocument
) -> tm.ContexteRecoursHierarchique:
    """Context of the recours hiérarchique against one decision: the recours gracieux's claim
    and grounds, addressed to the ministers of tutelle, with a copy to the author."""
    ref = load_referentiel()
    dossier = analysis.dossier
    d = analysis.decision(doc.decisions[0])
    autorite = dossier.autorite(doc.autorite)
    finess = {line.finess for line in doc.claim.lignes} | {e.finess for e in d.etablissements}
    etabs = [e for e in dossier.etablissements if e.finess in finess]
    grounds = _common_grounds([d])
    dec_ctx = decision_context(dossier, d.decision, ref)
    pieces = _pieces_hierarchique(dossier, d, grounds, ref)
    return tm.ContexteRecoursHierarchique(
        **_base(
            dossier,
            analysis.aujourdhui,
            RECOURS_HIERARCHIQUE,
            doc,
            autorite_context(autorite, ref),
            etabs,
            pieces,
        ),
        superieur=superieur_context(autorite, ref),
        decision=dec_ctx,
        decisions=[dec_ctx],
        montants=montants_context(dossier, doc.claim),
        moyens=moyens_context(grounds, ref),
        regimes=_regimes(etabs, ref),
        delais=_delais(d.delais),
    )


# --- requête indemnitaire (issue 11, route 1) -----------------------------------------------

REQUETE_INDEMNITAIRE = DocumentKind("requete_indemnitaire", "Requête indemnitaire")


def requete_indemnitaire_context(
    analysis: Analysis, doc: PlannedDocument
) -> tm.ContexteRequeteIndemnitaire:
    """Context of the requête indemnitaire after the rejection of one demande préalable
    (voies-de-droit §2, §8).

    The facts, the fault, the amounts and the grounds are those of the demande indemnitaire
    (same builder); the signatory, the lawyer and the tribunal blocks are those of the tariff
    requête. ``demande`` gives the claim's dates and how it was rejected; ``recevabilite`` and
    ``interets`` hold the referential's sentences, already filled.
    """
    ref = load_referentiel()
    dossier = analysis.dossier
    assert doc.demande is not None and doc.chaine is not None and doc.juridiction is not None
    demande = dossier.demandes_indemnitaires[doc.demande]
    chain = doc.chaine
    claim_ctx = demande_indemnitaire_context(analysis, doc)
    received = (
        fmt.date_longue(demande.date_reception)
        if demande.date_reception
        else "[À COMPLÉTER : date de réception de la demande envoyée le "
        f"{fmt.date_longue(demande.date_envoi)}]"
    )
    explicit = demande.rejet_explicite
    implicit = chain.evenement == "rejet_implicite" and chain.rejet_implicite is not None
    voies = ref.textes_voies
    duree = _duree_mois(ref.delais.recours_mois)
    if explicit is not None and not implicit:
        rejet = ref.message(
            "requete_indemnitaire_rejet_explicite",
            date=fmt.date_longue(explicit.date_notification),
        )
    elif chain.rejet_implicite is not None:
        rejet = voies["requete_indemnitaire_rejet_implicite"].rendre(
            duree=_duree_mois(ref.delais.rejet_implicite_mois),
            date=fmt.date_longue(chain.rejet_implicite),
        )
    else:
        rejet = ""
    limit = fmt.date_longue(chain.date_limite) if chain.date_limite else ""
    if chain.date_limite is None:
        key = "requete_indemnitaire_sans_delai_" + ("ar" if implicit else "rejet")
        delai = voies[key].rendre()
    elif not implicit:
        delai = voies["requete_indemnitaire_delai_explicite"].rendre(duree=duree, date_limite=limit)
    elif demande.accuse_reception_conforme:
        delai = voies["requete_indemnitaire_delai_implicite"].rendre(duree=duree, date_limite=limit)
    else:
        delai = voies["requete_indemnitaire_delai_implicite_ar_inconnu"].rendre(
            duree=duree, date_limite=limit
        )
    pieces = _pieces_requete_indemnitaire(dossier, doc.demande, claim_ctx.decisions, implicit, ref)
    etabs = [
        e
        for e in dossier.etablissements
        if e.finess in {x.finess for x in claim_ctx.etablissements}
    ]
    return tm.ContexteRequeteIndemnitaire(
        **_base(
            dossier,
            analysis.aujourdhui,
            REQUETE_INDEMNITAIRE,
            doc,
            claim_ctx.autorite,
            etabs,
            pieces,
        ),
        decisions=claim_ctx.decisions,
        exercices=claim_ctx.exercices,
        faute=claim_ctx.faute,
        montants=claim_ctx.montants,
        moyens=claim_ctx.moyens,
        regimes=claim_ctx.regimes,
        demande=tm.DemandeRejetee(
            date_envoi=fmt.date_longue(demande.date_envoi),
            date_reception=received,
            reception_connue=demande.date_reception is not None,
            exercices=", ".join(map(str, doc.claim.exercices)),
            rejet_explicite=bool(explicit is not None and not implicit),
            date_rejet_explicite=(fmt.date_longue(explicit.date_notification) if explicit else ""),
            rejet_implicite=fmt.date_longue(chain.rejet_implicite)
            if implicit and chain.rejet_implicite
            else "",
            date_limite=limit,
            sans_delai=chain.date_limite is None,
        ),
        recevabilite=tm.Recevabilite(
            liaison=voies["requete_indemnitaire_liaison"].rendre(reception=received, rejet=rejet),
            rejet=rejet,
            delai=delai,
        ),
        interets=tm.Interets(
            expose=voies["requete_indemnitaire_interets"].rendre(reception=received),
            conclusions=voies["requete_indemnitaire_conclusions_interets"].rendre(
                reception=received
            ),
        ),
        tribunal=tm.Tribunal(
            nom=doc.juridiction.nom,
            regle=doc.juridiction.regle,
            a_verifier=not doc.juridiction.verifie,
            avertissement=doc.juridiction.avertissement or "",
        ),
        avocat_requis=tm.AvocatRequis(
            obligatoire=bool(chain.avocat_obligatoire),
            certain=chain.avocat_obligatoire is not None,
            explication=" ".join(
                w.texte for w in chain.avertissements if w.code.startswith("indemnitaire_avocat")
            ),
        ),
    )


def _pieces_hierarchique(
    dossier: Dossier, d: Any, grounds: list[Ground], ref: Referentiel
) -> list[tm.Piece]:
    """The recours gracieux's pièces, with the copy of the recours gracieux itself."""
    decision: Decision = d.decision
    gracieux = decision.recours_gracieux
    intitule = decision_context(dossier, decision, ref).intitule
    titre = destinataire(dossier.autorite(decision.autorite), ref).titre
    items = [
        _Item(f"Copie de la décision contestée : {intitule}", source=decision.fichier),
        _Item(
            f"Copie du recours gracieux adressé {fmt.a(titre)}",
            source=gracieux.fichier if gracieux else None,
        ),
        _Item(_table_title(ref)),
    ]
    items += _delegation(dossier.organisme)
    items += [_Item(title) for title in _fact_pieces([d], grounds, ref)]
    return _numbered(items + _extra_items(dossier), ref)


def _pieces_requete_indemnitaire(
    dossier: Dossier,
    index: int,
    decisions: list[tm.Decision],
    implicit: bool,
    ref: Referentiel,
) -> list[tm.Piece]:
    """Inventaire détaillé des pièces (CJA R.412-2): the claim, its receipt, its rejection.

    For an implicit rejection the proof of the claim's deposit stands for the decision
    (CJA R.412-1): it is then the mandatory pièce.
    """
    demande = dossier.demandes_indemnitaires[index]
    org = dossier.organisme
    items = [
        _Item(
            "Demande indemnitaire préalable du "
            f"{fmt.date_longue(demande.date_envoi)} et preuve de son envoi",
            obligatoire=implicit,
        )
    ]
    if demande.date_reception is not None:
        items.append(
            _Item(
                "Avis de réception de la demande indemnitaire préalable "
                f"({fmt.date_longue(demande.date_reception)})"
            )
        )
    if demande.accuse_reception_conforme:
        items.append(_Item("Accusé de réception de la demande délivré par l'administration"))
    if demande.rejet_explicite is not None:
        items.append(
            _Item(
                "Décision rejetant la demande indemnitaire préalable, notifiée le "
                f"{fmt.date_longue(demande.rejet_explicite.date_notification)}",
                obligatoire=not implicit,
            )
        )
    items += [_Item(f"Copie de la décision : {d.intitule}") for d in decisions]
    items += _capacity_items(org)
    items.append(_Item(_table_title(ref), generee=True))
    return _numbered(items + _extra_items(dossier), ref)


BUILDERS: dict[str, Callable[[Analysis, PlannedDocument], Context]] = {
    GRACIEUX.code: gracieux_context,
    REQUETE.code: requete_context,
    DEMANDE_INDEMNITAIRE.code: demande_indemnitaire_context,
    MISE_EN_DEMEURE.code: mise_en_demeure_context,
    RECOURS_HIERARCHIQUE.code: recours_hierarchique_context,
    REQUETE_INDEMNITAIRE.code: requete_indemnitaire_context,
}
"""The builder of each document kind (its model is `models.CONTEXT_MODELS[kind]`)."""
