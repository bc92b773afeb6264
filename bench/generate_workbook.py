"""Synthetic batch workbook of N établissements (fictional names and numbers).

Organismes have 1 to 30 établissements; each établissement is funded by its regional
ARS, its département, both (FAM, 60/40) or the préfet de région (CHRS); every authority
took one decision per organisme, notified in October 2026 (run with --aujourdhui
2026-11-25: the recours gracieux are open).

    python bench/generate_workbook.py 1000 bench/out/lot-1000.xlsx
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from stdnum import luhn

from recours.batch.columns import columns
from recours.batch.input import DATA_SHEET

DEPARTEMENTS = {
    "01": ("Ain", "Auvergne-Rhône-Alpes", "Bourg-en-Bresse", "01000"),
    "07": ("Ardèche", "Auvergne-Rhône-Alpes", "Privas", "07000"),
    "13": ("Bouches-du-Rhône", "Provence-Alpes-Côte d'Azur", "Marseille", "13001"),
    "33": ("Gironde", "Nouvelle-Aquitaine", "Bordeaux", "33000"),
    "59": ("Nord", "Hauts-de-France", "Lille", "59000"),
    "69": ("Rhône", "Auvergne-Rhône-Alpes", "Lyon", "69001"),
    "72": ("Sarthe", "Pays de la Loire", "Le Mans", "72000"),
    "93": ("Seine-Saint-Denis", "Île-de-France", "Bobigny", "93000"),
}
# (category, funding): funding is a list of (authority kind, share).
PROFILES = [
    ("ime", [("ars", None)]),
    ("sessad", [("ars", None)]),
    ("mecs", [("cd", None)]),
    ("fam", [("ars", "60"), ("cd", "40")]),
    ("chrs", [("prefet", None)]),
]
NAMES = ["Les Tilleuls", "Horizons", "La Passerelle", "Le Phare", "Les Glycines", "L'Envol"]


def siren(n: int) -> str:
    base = f"{700000000 // 10 + n:08d}"
    return base + luhn.calc_check_digit(base)


def authority(kind: str, dep: str) -> dict[str, str]:
    name, region, seat, cp = DEPARTEMENTS[dep]
    if kind != "cd":
        # Regional authorities sit in the region's first département of the list.
        dep = next(d for d, v in DEPARTEMENTS.items() if v[1] == region)
        _name, _region, seat, cp = DEPARTEMENTS[dep]
    if kind == "ars":
        return {
            "type": "ars",
            "nom": f"Agence régionale de santé {region}",
            "voie": "1 rue de l'Exemple",
            "code_postal": cp,
            "commune": seat,
            "departement": dep,
        }
    if kind == "cd":
        return {
            "type": "conseil_departemental",
            "nom": f"Département {name}",
            "voie": "2 place de l'Exemple",
            "code_postal": cp,
            "commune": seat,
            "departement": dep,
        }
    return {
        "type": "prefet_region",
        "nom": f"Préfecture de la région {region}",
        "voie": "3 avenue de l'Exemple",
        "code_postal": cp,
        "commune": seat,
        "departement": dep,
    }


def rows(total: int, seed: int = 7) -> Iterator[dict[str, Any]]:
    """Rows keyed by column key, organisme by organisme (up to 30 établissements each)."""
    rnd = random.Random(seed)
    produced = 0
    org = 0
    while produced < total:
        org += 1
        size = min(rnd.randint(1, 30), total - produced)
        dep = rnd.choice(list(DEPARTEMENTS))
        _name, _region, seat, cp = DEPARTEMENTS[dep]
        org_values = {
            "organisme.raison_sociale": f"Association fictive {rnd.choice(NAMES)} n° {org}",
            "organisme.siren": siren(org),
            "organisme.siege.voie": f"{org} rue des Exemples",
            "organisme.siege.code_postal": cp,
            "organisme.siege.commune": seat,
            "organisme.representant_legal.civilite": "Madame",
            "organisme.representant_legal.nom": f"Camille Exemple-{org}",
            "organisme.representant_legal.qualite": "présidente",
        }
        for i in range(size):
            produced += 1
            etab_dep = dep if rnd.random() < 0.8 else rnd.choice(list(DEPARTEMENTS))
            category, funding = rnd.choice(PROFILES)
            _n, _r, etab_seat, etab_cp = DEPARTEMENTS[etab_dep]
            values = dict(org_values)
            values |= {
                "etablissement.nom": f"{category.upper()} fictif {i + 1} de l'organisme {org}",
                "etablissement.finess": f"{etab_dep}{org * 100 + i:07d}",
                "etablissement.categorie": category,
                "etablissement.adresse.voie": f"{i + 1} chemin des Essais",
                "etablissement.adresse.code_postal": etab_cp,
                "etablissement.adresse.commune": etab_seat,
                "etablissement.departement": etab_dep,
                "etablissement.regime_budgetaire": rnd.choice(
                    ["procedure_contradictoire", "cpom_eprd"]
                ),
                "etablissement.methode": "cout_unitaire",
            }
            for slot, (kind, share) in enumerate(funding, start=1):
                auth = authority(kind, etab_dep)
                values |= {
                    f"autorite{slot}.type": auth["type"],
                    f"autorite{slot}.nom": auth["nom"],
                    f"autorite{slot}.adresse.voie": auth["voie"],
                    f"autorite{slot}.adresse.code_postal": auth["code_postal"],
                    f"autorite{slot}.adresse.commune": auth["commune"],
                    f"autorite{slot}.departement": auth["departement"],
                    f"decision{slot}.nature": "notification_budgetaire",
                    f"decision{slot}.numero": f"{auth['type'][:3].upper()}-2026-{org:05d}",
                    f"decision{slot}.date": "15/10/2026",
                    f"decision{slot}.date_notification": "20/10/2026",
                    f"decision{slot}.exercices": "2024 ; 2025",
                    f"decision{slot}.voies_et_delais_mentionnes": "oui",
                }
                if share:
                    values[f"autorite{slot}.part"] = share
            for year in (2024, 2025):
                values[f"exercice{year}.etp"] = f"{rnd.randint(5, 120) / 10:.1f}".replace(".", ",")
                values[f"exercice{year}.recu1"] = str(rnd.randint(0, 20) * 500)
            yield values


def write_workbook(path: Path, total: int, seed: int = 7) -> None:
    from openpyxl import Workbook

    cols = columns()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.append([c.header for c in cols])
    for values in rows(total, seed):
        sheet.append([values.get(c.key) for c in cols])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="nombre d'établissements")
    parser.add_argument("sortie", type=Path)
    parser.add_argument("--graine", type=int, default=7)
    args = parser.parse_args()
    write_workbook(args.sortie, args.n, args.graine)
    print(f"{args.sortie} : {args.n} établissements")


if __name__ == "__main__":
    main()
