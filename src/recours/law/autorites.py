"""Who a letter is addressed to and whom a requête names, from the annuaire (autorites.csv).

The dossier gives the authority's type, département and the civilité of its head; the
annuaire gives the body that holds departmental powers there (Métropole de Lyon, Ville de
Paris, Collectivité de Corse…), its head's title and the ARS of the region. Rows the
annuaire marks U, and département 69 without its collectivité, are shown « à vérifier ».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from recours import formatting as fmt
from recours.dossier.models import Autorite
from recours.law.referentiel import AutoriteLocale, Referentiel


@dataclass(frozen=True)
class Destinataire:
    """Names and titles of one authority, in the grammatical forms letters need."""

    titre_titulaire: str  # "Madame la Présidente du conseil départemental de la Sarthe"
    formule_appel: str  # "Madame la Présidente"
    titre: str  # "la présidente du conseil départemental de la Sarthe" (in a sentence)
    titre_autorite: str  # "président du conseil départemental de la Sarthe" (the office)
    defendeur_nom: str  # "le département de la Sarthe"
    defendeur: str  # "le département de la Sarthe, représenté par la présidente du…"
    collectivite: str  # "Département de la Sarthe" (official name), "" if not in the annuaire
    region: str
    ars: str
    a_verifier: bool
    source: str
    confiance: str


def _lower_head(title: str) -> str:
    """'le Président du conseil…' -> 'le président du conseil…' (running text)."""
    article, _, rest = title.partition(" ")
    return f"{article} {rest[:1].lower()}{rest[1:]}"


def _without_civilite(formule: str) -> str:
    """'Madame la Directrice générale' -> 'la directrice générale'."""
    return _lower_head(formule.partition(" ")[2])


def _feminine(name: str) -> bool:
    """Whether the defendant's name is feminine ("la Métropole…, représentée")."""
    return name.lower().startswith(("la ", "l'agence"))


def _row(autorite: Autorite, ref: Referentiel) -> AutoriteLocale | None:
    return ref.autorite_locale(autorite.departement, autorite.collectivite)


def destinataire(autorite: Autorite, ref: Referentiel) -> Destinataire:
    """The addressee of one authority (CASF L.314-1; annuaire autorites.csv)."""
    info = ref.autorites[autorite.type]
    formules = info.formule_destinataire
    civ = autorite.civilite_titulaire
    row = _row(autorite, ref)
    region = row.region if row is not None and not row.region.startswith("(") else ""
    ars = row.ars if row is not None and not row.ars.startswith("(") else ""
    appel = {"Madame": formules.madame, "Monsieur": formules.monsieur}.get(
        civ or "", formules.inconnu
    )
    # The office in a sentence: gendered when the civilité is known, else as the texts say.
    titre = _without_civilite(appel if civ else formules.monsieur)
    uses_annuaire = autorite.type in ("conseil_departemental", "ars")
    base = Destinataire(
        titre_titulaire=appel,
        formule_appel=appel,
        titre=titre,
        titre_autorite=info.titre_autorite,
        defendeur_nom=info.defendeur_nom,
        defendeur=f"{info.defendeur_nom}, {info.represente_par}",
        collectivite="",
        region=region,
        ars=ars,
        a_verifier=uses_annuaire and (row is None or row.confiance == "U"),
        source=row.source if row and uses_annuaire else "",
        confiance=row.confiance if row and uses_annuaire else "",
    )
    if autorite.type == "ars" and ars:
        nom = f"l'{ars}" if fmt.de(ars).startswith("d'") else f"la {ars}"
        return replace(
            base,
            titre_titulaire=f"{appel} {fmt.de(nom)}",
            titre=f"{titre} {fmt.de(nom)}",
            titre_autorite=f"{_without_civilite(formules.monsieur).partition(' ')[2]} {fmt.de(nom)}",
            defendeur_nom=nom,
            defendeur=f"{nom}, {info.represente_par}",
        )
    if autorite.type != "conseil_departemental" or row is None or row.titres is None:
        return base
    masculin, feminin, complement = row.titres
    head = row.titre(civ)
    if civ is not None:
        suscription = f"{civ} {head}"
        appel = f"{civ} {feminin if civ == 'Madame' and row.genre_variable else masculin}"
    else:
        suscription = f"Madame {feminin}, Monsieur {masculin} {complement}"
        appel = f"Madame {feminin}, Monsieur {masculin}"
    titre = _lower_head(head)
    nom = row.article_defendeur
    represente = "représentée" if _feminine(nom) else "représenté"
    return replace(
        base,
        titre_titulaire=suscription,
        formule_appel=appel,
        titre=titre,
        titre_autorite=_lower_head(row.titre(None)).partition(" ")[2],
        defendeur_nom=nom,
        defendeur=f"{nom}, {represente} par {titre}",
        collectivite=row.collectivite,
    )


def autorite_warnings(
    autorite: Autorite, ref: Referentiel, decisions: Sequence[dt.date] = ()
) -> list[str]:
    """French warnings (``champ : message``, without the autorites[i] prefix).

    ``decisions``: the dates of the decisions this authority took (for renamed bodies).
    """
    warnings: list[str] = []
    multiples = ref.annuaire_autorites.collectivites_multiples.get(autorite.departement)
    if autorite.type == "conseil_departemental" and multiples and autorite.collectivite is None:
        choices = " ou ".join(f"{c} ({ref.annuaire[c].collectivite})" for c in multiples)
        warnings.append(
            f"collectivite : dans le département {autorite.departement}, deux collectivités "
            f"exercent les compétences départementales : indiquez {choices}, d'après la "
            "commune de l'établissement ; le destinataire et le défendeur sont à vérifier"
        )
        return warnings
    row = _row(autorite, ref)
    relevant = autorite.type in ("conseil_departemental", "ars")
    if row is None:
        if relevant:
            warnings.append(
                f"departement : aucune ligne de l'annuaire des autorités pour le département "
                f"{autorite.departement} : le destinataire et le défendeur sont à vérifier"
            )
        return warnings
    if relevant and row.confiance == "U":
        # The row's mark is the lowest of its facts (body, title, ARS name and seat).
        detail = " ".join(row.remarque.split()) if autorite.type != "ars" else ""
        detail = detail or "sources : " + " ".join(row.source.split())
        warnings.append(
            f"departement : la ligne {row.code} ({row.departement}) de l'annuaire des autorités "
            f"est marquée « à vérifier » (confiance U) : relisez le destinataire ; {detail}"
        )
    if relevant and row.confiance != "U" and "[U]" in row.remarque:
        warnings.append(
            f"departement : l'annuaire des autorités signale un point non vérifié pour "
            f"{row.departement} ({row.code}), à vérifier : {' '.join(row.remarque.split())}"
        )
    change = ref.annuaire_autorites.changements.get(row.code)
    if autorite.type == "conseil_departemental" and change is not None:
        before = sorted(d for d in decisions if d < change.depuis)
        if before:
            warnings.append(
                f"nom : décision du {fmt.date_longue(before[0])}, antérieure au "
                f"{fmt.date_longue(change.depuis)} : elle a été prise par {change.avant} ; les "
                f"documents nomment {_lower_head(row.titre(None))} ({row.collectivite}), "
                "qui lui a succédé : relisez la désignation de la décision"
            )
    if autorite.type == "conseil_departemental" and row.collectivite.lower() not in (
        autorite.nom.lower()
    ):
        warnings.append(
            f"nom : « {autorite.nom} » ; l'annuaire des autorités indique « {row.collectivite} » "
            f"pour le département {row.code_departement} : vérifiez le destinataire"
        )
    return warnings
