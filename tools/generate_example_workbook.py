"""Write the example batch of the README: examples/lot-federation.xlsx (the empty workbook
of `recours lot modele`, filled in) and the same rows as examples/lot-federation.csv.

Four fictional associations (names, SIREN, FINESS, people and amounts are made up), seven
établissements, six letters: a département, an ARS with a co-funded FAM, a préfet de
région, and a mise en demeure de payer to the caisse for the ARS funding notified for 2026
but only partly paid. Decisions notified in October 2026: run with `--aujourdhui 2026-11-25` for letters
in time. Running the script again gives the same content.

    python tools/generate_example_workbook.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from recours.batch.columns import by_key, columns
from recours.batch.input import DATA_SHEET
from recours.batch.workbook import write_template

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
XLSX = EXAMPLES / "lot-federation.xlsx"
CSV = EXAMPLES / "lot-federation.csv"
FIXED_TIME = dt.datetime(2026, 11, 1, 9, 0, 0)

ARS_ARA = {
    "autorite1.id": "ars-ara",
    "autorite1.type": "Agence régionale de santé",
    "autorite1.nom": "Agence régionale de santé Auvergne-Rhône-Alpes",
    "autorite1.adresse.voie": "1 rue de l'Exemple",
    "autorite1.adresse.code_postal": "69003",
    "autorite1.adresse.commune": "Lyon",
    "autorite1.departement": "69",
    "decision1.nature": "Notification budgétaire",
    "decision1.numero": "ARS-ARA-2026-0412",
    "decision1.date": dt.date(2026, 10, 15),
    "decision1.date_notification": dt.date(2026, 10, 20),
    "decision1.voies_et_delais_mentionnes": "oui",
}
HIRONDELLES = {
    "organisme.raison_sociale": "Association Les Hirondelles du Bocage",
    "organisme.siren": "800123457",
    "organisme.siege.voie": "12 rue des Haies",
    "organisme.siege.code_postal": "72000",
    "organisme.siege.commune": "Le Mans",
    "organisme.representant_legal.civilite": "Madame",
    "organisme.representant_legal.nom": "Camille Fictive",
    "organisme.representant_legal.qualite": "présidente",
    "autorite1.id": "cd-72",
    "autorite1.type": "Conseil départemental",
    "autorite1.nom": "Département de la Sarthe",
    "autorite1.adresse.voie": "2 place de l'Exemple",
    "autorite1.adresse.code_postal": "72000",
    "autorite1.adresse.commune": "Le Mans",
    "autorite1.departement": "72",
    "decision1.nature": "Arrêté de tarification",
    "decision1.numero": "CD72-2026-118",
    "decision1.date": dt.date(2026, 10, 2),
    "decision1.date_notification": dt.date(2026, 10, 8),
    "decision1.voies_et_delais_mentionnes": "oui",
}
HORIZONS = {
    "organisme.raison_sociale": "Association Horizons Solidaires de l'Ain",
    "organisme.siren": "800234569",
    "organisme.siege.voie": "4 avenue des Tilleuls",
    "organisme.siege.code_postal": "01000",
    "organisme.siege.commune": "Bourg-en-Bresse",
    "organisme.representant_legal.civilite": "Monsieur",
    "organisme.representant_legal.nom": "Dominique Exemple",
    "organisme.representant_legal.qualite": "président",
}
ESCALE = {
    "organisme.raison_sociale": "Association L'Escale Nordique",
    "organisme.siren": "800345670",
    "organisme.siege.voie": "8 quai du Canal",
    "organisme.siege.code_postal": "59000",
    "organisme.siege.commune": "Lille",
    "organisme.representant_legal.civilite": "Madame",
    "organisme.representant_legal.nom": "Alix Imaginaire",
    "organisme.representant_legal.qualite": "présidente",
}
ESTUAIRE = {
    "organisme.raison_sociale": "Association Les Rives de l'Estuaire",
    "organisme.siren": "800456782",
    "organisme.siege.voie": "3 cours de la Fiction",
    "organisme.siege.code_postal": "33000",
    "organisme.siege.commune": "Bordeaux",
    "organisme.representant_legal.civilite": "Monsieur",
    "organisme.representant_legal.nom": "Sacha Inventé",
    "organisme.representant_legal.qualite": "président",
}


def _etab(
    nom: str, finess: str, categorie: str, cp: str, commune: str, **more: Any
) -> dict[str, Any]:
    return {
        "etablissement.nom": nom,
        "etablissement.finess": finess,
        "etablissement.categorie": categorie,
        "etablissement.adresse.voie": "1 chemin des Essais",
        "etablissement.adresse.code_postal": cp,
        "etablissement.adresse.commune": commune,
        "etablissement.departement": finess[:2],
        **more,
    }


CONTRADICTOIRE = "Procédure budgétaire contradictoire (budget prévisionnel et compte administratif)"
CPOM = "CPOM et état des prévisions de recettes et de dépenses (EPRD)"

ROWS: list[dict[str, Any]] = [
    {
        **HIRONDELLES,
        **_etab(
            "MECS Les Hirondelles",
            "720000011",
            "Maison d'enfants à caractère social (MECS)",
            "72000",
            "Le Mans",
            **{
                "etablissement.regime_budgetaire": CONTRADICTOIRE,
                "etablissement.methode": "ETP × coefficient de charges saisi",
                "etablissement.coefficient_charges": Decimal("1.45"),
            },
        ),
        "exercice2024.etp": Decimal("6.5"),
        "exercice2025.etp": Decimal("7"),
        "exercice2025.recu1": Decimal("4000"),
    },
    {
        **HIRONDELLES,
        **_etab(
            "Foyer de l'enfance Le Nid",
            "720000029",
            "Foyer de l'enfance",
            "72100",
            "Le Mans",
            **{
                "etablissement.regime_budgetaire": CONTRADICTOIRE,
                "etablissement.methode": "ETP × coefficient de charges saisi",
                "etablissement.coefficient_charges": Decimal("1.45"),
            },
        ),
        "exercice2024.etp": Decimal("3"),
        "exercice2025.etp": Decimal("3.2"),
    },
    {
        **HORIZONS,
        **ARS_ARA,
        **_etab(
            "IME Les Sources",
            "010000000",
            "Institut médico-éducatif (IME)",
            "01000",
            "Bourg-en-Bresse",
            **{
                "etablissement.regime_budgetaire": CPOM,
                "etablissement.methode": "Coût unitaire DGCS",
            },
        ),
        "exercice2024.etp": Decimal("12.5"),
        "exercice2024.recu1": Decimal("30000"),
        "exercice2025.etp": Decimal("13"),
        "exercice2025.recu1": Decimal("30000"),
        # Funding notified by the ARS for 2026, paid by the caisse, not entirely paid: a
        # mise en demeure de payer addressed to the caisse.
        "exercice2026.notifie1": Decimal("68510"),
        "exercice2026.notifie1_date": dt.date(2026, 6, 30),
        "exercice2026.notifie1_reference": "ARS-ARA-2026-SEGUR-118",
        "exercice2026.verse1": Decimal("30000"),
        "exercice2026.verse1_date": dt.date(2026, 9, 20),
        "financement1.payeur": "Caisse primaire d'assurance maladie de l'Ain",
        "financement1.payeur_adresse.voie": "6 rue de l'Exemple",
        "financement1.payeur_adresse.code_postal": "01000",
        "financement1.payeur_adresse.commune": "Bourg-en-Bresse",
    },
    {
        **HORIZONS,
        **ARS_ARA,
        **_etab(
            "SESSAD Les Ruisseaux",
            "010000018",
            "Service d'éducation spéciale et de soins à domicile (SESSAD)",
            "01000",
            "Bourg-en-Bresse",
            **{
                "etablissement.regime_budgetaire": CPOM,
                "etablissement.methode": "Coût unitaire DGCS",
            },
        ),
        "exercice2024.etp": Decimal("4"),
        "exercice2025.etp": Decimal("4"),
    },
    {
        **HORIZONS,
        **ARS_ARA,
        "autorite1.part": Decimal("60"),
        "autorite2.id": "cd-01",
        "autorite2.type": "Conseil départemental",
        "autorite2.nom": "Département de l'Ain",
        "autorite2.adresse.voie": "2 place de l'Exemple",
        "autorite2.adresse.code_postal": "01000",
        "autorite2.adresse.commune": "Bourg-en-Bresse",
        "autorite2.departement": "01",
        "autorite2.part": Decimal("40"),
        "decision2.nature": "Arrêté de tarification",
        "decision2.numero": "CD01-2026-077",
        "decision2.date": dt.date(2026, 10, 1),
        "decision2.date_notification": dt.date(2026, 10, 5),
        "decision2.voies_et_delais_mentionnes": "oui",
        **_etab(
            "FAM Le Belvédère",
            "010000026",
            "Foyer d'accueil médicalisé / établissement d'accueil médicalisé (FAM / EAM)",
            "01000",
            "Bourg-en-Bresse",
            **{
                "etablissement.regime_budgetaire": CPOM,
                "etablissement.methode": "Coût réel (paie)",
            },
        ),
        "exercice2024.cout_reel": Decimal("41250.80"),
        "exercice2024.recu1": Decimal("9000"),
        "exercice2024.recu2": Decimal("2000"),
    },
    {
        **ESCALE,
        **_etab(
            "CHRS L'Escale",
            "590000013",
            "Centre d'hébergement et de réinsertion sociale (CHRS)",
            "59000",
            "Lille",
            **{
                "etablissement.regime_budgetaire": CONTRADICTOIRE,
                "etablissement.methode": "Coût unitaire DGCS",
            },
        ),
        "autorite1.id": "prefet-hdf",
        "autorite1.type": "Préfet de région",
        "autorite1.nom": "Préfecture de la région Hauts-de-France",
        "autorite1.adresse.voie": "3 rue de l'Exemple",
        "autorite1.adresse.code_postal": "59000",
        "autorite1.adresse.commune": "Lille",
        "autorite1.departement": "59",
        "decision1.nature": "Arrêté de tarification",
        "decision1.numero": "DGF-2026-59-031",
        "decision1.date": dt.date(2026, 10, 9),
        "decision1.date_notification": dt.date(2026, 10, 14),
        "decision1.voies_et_delais_mentionnes": "oui",
        "exercice2024.etp": Decimal("9"),
        "exercice2025.etp": Decimal("9.5"),
        "exercice2025.recu1": Decimal("12000"),
    },
    {
        **ESTUAIRE,
        **_etab(
            "SAVS Les Rives",
            "330000018",
            "Service d'accompagnement à la vie sociale (SAVS)",
            "33000",
            "Bordeaux",
            **{
                "etablissement.regime_budgetaire": CONTRADICTOIRE,
                "etablissement.methode": "Coût réel (paie)",
            },
        ),
        "autorite1.id": "cd-33",
        "autorite1.type": "Conseil départemental",
        "autorite1.nom": "Département de la Gironde",
        "autorite1.adresse.voie": "4 esplanade de l'Exemple",
        "autorite1.adresse.code_postal": "33000",
        "autorite1.adresse.commune": "Bordeaux",
        "autorite1.departement": "33",
        "decision1.nature": "Notification budgétaire",
        "decision1.numero": "CD33-2026-204",
        "decision1.date": dt.date(2026, 10, 12),
        "decision1.date_notification": dt.date(2026, 10, 16),
        "decision1.voies_et_delais_mentionnes": "non",
        "exercice2024.cout_reel": Decimal("18640.25"),
        "exercice2025.cout_reel": Decimal("19120"),
        "exercice2025.recu1": Decimal("5000"),
    },
]


def _with_exercises(row: dict[str, Any]) -> dict[str, Any]:
    """Each decision names the exercises it sets (one tariff decision per exercise): here,
    the exercises the row claims."""
    years = sorted(
        {
            key[8:12]
            for key in row
            if key.startswith("exercice") and ".notifie" not in key and ".verse" not in key
        }
    )
    out = dict(row)
    for slot in (1, 2):
        if f"decision{slot}.nature" in row:
            out[f"decision{slot}.exercices"] = " ; ".join(years)
    return out


ROWS = [_with_exercises(row) for row in ROWS]


def _csv_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    return str(value)


def write_xlsx(path: Path) -> None:
    """The empty workbook of `recours lot modele`, filled with ROWS (dates as dates)."""
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as tmp:
        template = Path(tmp) / "modele.xlsx"
        write_template(template)
        workbook = load_workbook(template)
    sheet = workbook[DATA_SHEET]
    position = {c.key: i + 1 for i, c in enumerate(columns())}
    for number, row in enumerate(ROWS, start=2):
        for key, value in row.items():
            cell = sheet.cell(row=number, column=position[key])
            cell.value = float(value) if isinstance(value, Decimal) else value
    workbook.properties.creator = "recours"
    workbook.properties.created = FIXED_TIME
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())


def write_csv(path: Path) -> None:
    """The same rows, `;`-separated UTF-8 with BOM (French Excel), used columns only."""
    used = [c for c in columns() if any(c.key in row for row in ROWS)]
    known = by_key()
    assert all(key in known for row in ROWS for key in row)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([c.header for c in used])
    for row in ROWS:
        writer.writerow([_csv_text(row[c.key]) if c.key in row else "" for c in used])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def main() -> None:
    write_xlsx(XLSX)
    write_csv(CSV)
    print(f"Écrits : {XLSX}, {CSV}")


if __name__ == "__main__":
    main()
