"""Addressees from the annuaire (autorites.csv): the body holding departmental powers, its
head's title by civilité, the form a requête names it, the ARS of the region; U rows and
département 69 without its collectivité are warned; categories outside the accord too."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from docs_text import docx_paragraphs
from recours.documents.context import autorite_context, gracieux_context, requete_context
from recours.documents.generate import generate
from recours.dossier.models import Autorite
from recours.dossier.validation import validate_dossier
from recours.law.analysis import analyse
from recours.law.autorites import autorite_warnings, destinataire
from recours.law.categories import category_warnings
from recours.law.checks import dossier_warnings
from recours.law.referentiel import load_referentiel

REF = load_referentiel()
ADRESSE = {"voie": "1 rue de l'Exemple", "code_postal": "69003", "commune": "Lyon"}
TODAY = date(2026, 11, 20)


def autorite(**fields: Any) -> Autorite:
    data = {"id": "x", "type": "conseil_departemental", "nom": "x", "adresse": ADRESSE}
    return Autorite.model_validate({**data, **fields})


def test_annuaire_is_complete_and_sourced() -> None:
    # autorites.md: 01…95 with 2A/2B, 69D/69M instead of 69, 971–978, 986–988.
    codes = set(REF.annuaire)
    assert {"69D", "69M", "2A", "2B", "975", "976", "988"} <= codes
    assert "69" not in codes
    assert len(codes) == 95 + 1 + 1 + 8 + 3  # 01–95 (20 → 2A/2B), 69 → 69D/69M, 971–978, 986–988
    assert all(row.source and row.confiance in ("C2", "S1", "U") for row in REF.annuaire.values())
    # 69D and 69M join tribunaux.csv through 69.
    assert REF.annuaire["69M"].code_departement == "69"
    assert REF.tribunal(REF.annuaire["69D"].code_departement).departement == "Rhône"


@pytest.mark.parametrize(
    ("fields", "titre_titulaire", "appel", "defendeur", "defendeur_de"),
    [
        # 69M: CGCT L.3611-1, L.3611-3 3° (autorites.md table) [C2]
        (
            {"departement": "69", "collectivite": "69M", "civilite_titulaire": "Madame"},
            "Madame la Présidente du conseil de la Métropole de Lyon",
            "Madame la Présidente",
            "la Métropole de Lyon, représentée par la présidente du conseil de la Métropole "
            "de Lyon",
            "de la Métropole de Lyon",
        ),
        # 69D: the département du Rhône outside the Métropole (CGCT L.3611-1) [C2]
        (
            {"departement": "69", "collectivite": "69D", "civilite_titulaire": "Monsieur"},
            "Monsieur le Président du conseil départemental du Rhône",
            "Monsieur le Président",
            "le département du Rhône, représenté par le président du conseil départemental du "
            "Rhône",
            "du département du Rhône",
        ),
        # Ville de Paris: CGCT L.2512-1 4°; "la Maire" is the city's usage (autorites.md) [C2]
        (
            {"departement": "75", "civilite_titulaire": "Madame"},
            "Madame la Maire de Paris",
            "Madame la Maire",
            "la Ville de Paris, représentée par la maire de Paris",
            "de la Ville de Paris",
        ),
        # Collectivité européenne d'Alsace: loi 2019-816 [C2]; title is common usage [U]
        (
            {"departement": "68", "civilite_titulaire": "Monsieur"},
            "Monsieur le Président de la Collectivité européenne d'Alsace",
            "Monsieur le Président",
            "la Collectivité européenne d'Alsace, représentée par le président de la "
            "Collectivité européenne d'Alsace",
            "de la Collectivité européenne d'Alsace",
        ),
        # Corse: président du conseil exécutif, not of the Assemblée (CGCT L.4421-1 3°) [C2]
        (
            {"departement": "2B"},
            "Madame la Présidente, Monsieur le Président du conseil exécutif de Corse",
            "Madame la Présidente, Monsieur le Président",
            "la Collectivité de Corse, représentée par le président du conseil exécutif de Corse",
            "de la Collectivité de Corse",
        ),
        # Martinique: président du conseil exécutif (loi 2011-884, art. 16 II) [C2]
        (
            {"departement": "972", "civilite_titulaire": "Monsieur"},
            "Monsieur le Président du conseil exécutif de Martinique",
            "Monsieur le Président",
            "la collectivité territoriale de Martinique, représentée par le président du "
            "conseil exécutif de Martinique",
            "de la collectivité territoriale de Martinique",
        ),
        # Guyane: président de l'assemblée de Guyane (loi 2011-884, art. 16 I) [C2]
        (
            {"departement": "973", "civilite_titulaire": "Madame"},
            "Madame la Présidente de l'assemblée de Guyane",
            "Madame la Présidente",
            "la collectivité territoriale de Guyane, représentée par la présidente de "
            "l'assemblée de Guyane",
            "de la collectivité territoriale de Guyane",
        ),
        # Mayotte since 1 Jan 2026: Département-Région, assemblée (LO 2025-793; CGCT R.7311) [C2]
        (
            {"departement": "976", "civilite_titulaire": "Monsieur"},
            "Monsieur le Président de l'assemblée de Mayotte",
            "Monsieur le Président",
            "le Département-Région de Mayotte, représenté par le président de l'assemblée de "
            "Mayotte",
            "du Département-Région de Mayotte",
        ),
        # ARS by its region (ANS TRE_R396) [C2]
        (
            {"type": "ars", "departement": "35", "civilite_titulaire": "Madame"},
            "Madame la Directrice générale de l'Agence régionale de santé Bretagne",
            "Madame la Directrice générale",
            "l'Agence régionale de santé Bretagne, représentée par son directeur général",
            "de l'Agence régionale de santé Bretagne",
        ),
        # Préfet: the State, as before (L.314-1 I)
        (
            {"type": "prefet_region", "departement": "59", "civilite_titulaire": "Madame"},
            "Madame la Préfète de région",
            "Madame la Préfète de région",
            "l'État, représenté par le préfet de région",
            "de l'État",
        ),
    ],
)
def test_destinataire(
    fields: dict[str, str], titre_titulaire: str, appel: str, defendeur: str, defendeur_de: str
) -> None:
    auth = autorite(**fields)
    dest = destinataire(auth, REF)
    assert dest.titre_titulaire == titre_titulaire
    assert dest.formule_appel == appel
    assert dest.defendeur == defendeur
    ctx = autorite_context(auth, REF)
    assert ctx.defendeur_de == defendeur_de
    assert ctx.titre_titulaire == titre_titulaire
    assert not ctx.a_verifier


def test_departement_69_without_collectivite_is_to_check() -> None:
    auth = autorite(departement="69", nom="Département du Rhône", civilite_titulaire="Madame")
    ctx = autorite_context(auth, REF)
    assert ctx.a_verifier
    # Neither body is chosen: the generic title of the referential, as before.
    assert ctx.titre_titulaire == "Madame la Présidente du conseil départemental"
    assert autorite_warnings(auth, REF) == [
        "collectivite : dans le département 69, deux collectivités exercent les compétences "
        "départementales : indiquez 69D (Département du Rhône) ou 69M (Métropole de Lyon), "
        "d'après la commune de l'établissement ; le destinataire et le défendeur sont à vérifier"
    ]


def test_u_rows_are_to_check() -> None:
    # autorites.csv: the Centre-Val de Loire ARS seat is not verified, row 18 is [U].
    auth = autorite(type="ars", departement="18", nom="ARS Centre-Val de Loire")
    assert autorite_context(auth, REF).a_verifier
    (warning,) = autorite_warnings(auth, REF)
    assert warning.startswith(
        "departement : la ligne 18 (Cher) de l'annuaire des autorités est marquée « à vérifier » "
        "(confiance U) : relisez le destinataire ; sources : "
    )
    assert "siège NON VÉRIFIÉ" in warning


def test_former_name_is_warned() -> None:
    # Mayotte: « Département de Mayotte » until 31 Dec 2025 (autorites.md) [S1].
    auth = autorite(departement="976", nom="Département de Mayotte")
    assert (
        "nom : « Département de Mayotte » ; l'annuaire des autorités indique « Département-Région "
        "de Mayotte » pour le département 976 : vérifiez le destinataire"
    ) in autorite_warnings(auth, REF)


def _lyon(dossier_data: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(dossier_data)
    data["autorites"][0].update(
        {
            "id": "metro",
            "nom": "Métropole de Lyon",
            "departement": "69",
            "collectivite": "69M",
            "civilite_titulaire": "Madame",
            "adresse": ADRESSE,
        }
    )
    etab = data["etablissements"][0]
    etab.update({"departement": "69", "finess": "690000011", "financeurs": [{"autorite": "metro"}]})
    etab["adresse"] = {"voie": "3 rue", "code_postal": "69100", "commune": "Villeurbanne"}
    data["decisions"][0].update(
        {"autorite": "metro", "date": "2026-10-01", "date_notification": "2026-10-05"}
    )
    data["lieu_signature"] = "Les Sables-d'Olonne"
    return data


def test_metropole_de_lyon_documents(dossier_data: dict[str, Any], tmp_path: Path) -> None:
    dossier = validate_dossier(_lyon(dossier_data), "lyon", aujourdhui=TODAY)
    analysis = analyse(dossier, TODAY, REF)
    gracieux, requete = (
        next(d for d in analysis.documents if d.kind == kind) for kind in ("gracieux", "requete")
    )
    assert gracieux_context(analysis, gracieux).autorite.formule_appel == ("Madame la Présidente")
    assert requete_context(analysis, requete).autorite.defendeur_nom == "la Métropole de Lyon"
    result = generate(
        dossier, sortie=tmp_path, today=TODAY, documents=["gracieux", "requete"], formats=["docx"]
    )
    assert result.refus == []
    (gracieux,) = tmp_path.glob("recours-gracieux_*.docx")
    (requete,) = tmp_path.glob("requete_*.docx")
    letter = docx_paragraphs(gracieux)
    assert "Madame la Présidente du conseil de la Métropole de Lyon" in letter
    assert "Madame la Présidente," in letter
    text = "\n".join(docx_paragraphs(requete))
    assert "la décision de la présidente du conseil de la Métropole de Lyon (Métropole" in text
    assert "Défendeur : la Métropole de Lyon, représentée par la présidente du conseil" in text
    assert (
        "de renvoyer l'association devant la présidente du conseil de la Métropole de Lyon pour "
        "qu'il soit procédé" in text
    )
    assert "de mettre à la charge de la Métropole de Lyon une somme" in text
    assert "Fait aux Sables-d'Olonne, le" in text
    for wrong in ("de le ", "à le ", "de les ", "à les "):
        assert wrong not in text


def test_ehpad_warned_outside_the_accord(dossier_data: dict[str, Any]) -> None:
    # accord-segur-pour-tous.md §1.2, §2 and §4: EHPAD staff had the Ségur 1 [S1].
    dossier_data["autorites"].append(
        {
            "id": "ars",
            "type": "ars",
            "nom": "Agence régionale de santé Pays de la Loire",
            "adresse": ADRESSE,
            "departement": "44",
        }
    )
    etab = dossier_data["etablissements"][0]
    etab.update(
        {
            "categorie": "ehpad",
            "financeurs": [{"autorite": "cd-72", "part": 50}, {"autorite": "ars", "part": 50}],
        }
    )
    dossier = validate_dossier(dossier_data, "ehpad", aujourdhui=TODAY)
    (warning,) = category_warnings(dossier.etablissements[0], REF)
    assert warning.startswith(
        "MECS Les Tilleuls (EHPAD) : catégorie en principe hors du champ de l'accord du 4 juin "
        "2024 — les salariés des EHPAD privés non lucratifs perçoivent déjà l'indemnité Ségur"
    )
    assert "une seule source" in warning
    assert f"etablissements[0].categorie : {warning}" in dossier_warnings(dossier, TODAY)


def test_other_categories_not_warned(dossier_data: dict[str, Any]) -> None:
    dossier = validate_dossier(dossier_data, "mecs")
    assert category_warnings(dossier.etablissements[0], REF) == []
    assert not any("hors du champ" in w for w in dossier_warnings(dossier, TODAY))


def test_generer_bordereau_prints_the_telerecours_rules(tmp_path: Path) -> None:
    # voies-de-droit.md §6: one pièce per file, titles beginning with the inventory number
    # (CJA R.414-5); Télérecours not mandatory for an association without a lawyer.
    from click.testing import CliRunner

    from recours.cli.main import main

    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(
        main,
        [
            "generer",
            str(root / "examples" / "mecs-conseil-departemental.yaml"),
            "--sortie",
            str(tmp_path / "docs"),
            "--formats",
            "pdf",
            "--documents",
            "requete",
            "--bordereau",
            "--hors-delai",  # the 2025 requête is out of time: generated too, not refused
            "--aujourdhui",
            "2026-11-20",
        ],
    )
    assert result.exit_code == 0, result.output
    rules = REF.telerecours
    for fact in (rules.pieces, rules.non_obligatoire):
        line = (
            f"  - {' '.join(fact.valeur.split())} (source : {' '.join(fact.source.split())} ; "
            "confirmé (au moins deux sources))"
        )
        assert line in result.stdout.splitlines()
    folder = next((tmp_path / "docs").glob("telerecours_*2026*"))
    assert sorted(p.name[:3] for p in folder.glob("0*.pdf")) == ["04_"]


def test_referentiel_command_shows_the_annuaire_with_marks() -> None:
    from click.testing import CliRunner

    from recours.cli.main import main

    lines = CliRunner().invoke(main, ["referentiel"]).stdout.splitlines()
    (metropole,) = [x for x in lines if x.startswith("  69M — Métropole de Lyon : ")]
    assert metropole.endswith("[C2 : confirmé (au moins deux sources)]")
    (cher,) = [x for x in lines if x.startswith("   18 — Cher : ")]
    assert cher.endswith("[À VÉRIFIER — incertain, à vérifier]")
    assert any(x.startswith("  ehpad en principe hors de l'accord : ") for x in lines)


# ------------------------------------------------------------ questionnaire (same rules)


def test_questionnaire_asks_the_collectivite_in_69_and_refuses_future_dates(
    tmp_path: Path,
) -> None:
    import test_questionnaire as tq

    script = [*tq.organisme(), *tq.sarthe(), *tq.mecs_start(finess="690000011")]
    p = "etablissements[0].adresse"
    for field_name, value in (("code_postal", "69100"), ("commune", "Villeurbanne")):
        script[script.index(next(x for x in script if x[0] == f"{p}.{field_name}"))] = (
            f"{p}.{field_name}",
            value,
        )
    script[script.index(("autorites[0].nom", "Département de la Sarthe"))] = (
        "autorites[0].nom",
        "Métropole de Lyon",
    )
    a = "autorites[0].adresse"
    script[script.index((f"{a}.code_postal", "72000"))] = (f"{a}.code_postal", "69003")
    script[script.index((f"{a}.commune", "Le Mans"))] = (f"{a}.commune", "Lyon")
    after_departement = script.index(("autorites[0].departement", tq.DEFAULT)) + 1
    script.insert(after_departement, ("autorites[0].collectivite", "69M"))
    body = [
        ("etablissements[0].methode", "cout_unitaire"),
        *tq.exercice(0, 0, tq.DEFAULT, ("etp", "2"), "cd-69"),
        ("etablissements[0].exercices.menu", "terminer"),
        ("etablissements.menu", "terminer"),
        *tq.decision(),
        ("decisions.menu", "terminer"),
    ]
    # Issue 10 §5: a notification after today (CLI's today, 1 April 2026) is refused.
    date_at = body.index(("decisions[0].date_notification", "2026-03-15"))
    body.insert(date_at, ("decisions[0].date_notification", "2026-04-02"))
    _, prompter, path = tq.run_script(tmp_path, [*script, *body, *tq.ending(revue="quitter")])

    assert sorted(prompter.choices["autorites[0].collectivite"]) == ["69D", "69M"]
    assert prompter.errors == [
        "date du 02/04/2026 postérieure à la date du jour (01/04/2026) : indiquez une date passée"
    ]
    dossier = tq.load_dossier(path)
    assert dossier.autorites[0].collectivite == "69M"
    assert destinataire(dossier.autorites[0], REF).defendeur_nom == "la Métropole de Lyon"


def test_questionnaire_help_states_the_notification_rule() -> None:
    # voies-de-droit.md §5.5: LRAR not collected -> first presentation; electronic notice ->
    # first opening or 15 days after being made available; plain e-mail not settled [U].
    from recours.questionnaire.flow import notification_help

    text = notification_help()
    assert text.startswith(" ".join(REF.notification.regle.valeur.split()))
    assert "première présentation du pli" in text
    assert "15 jours après la mise à disposition" in text
    assert text.endswith("indiquez la date à laquelle vous l'avez ouvert.")
    assert "(à vérifier)" in text


def test_unverified_points_of_a_row_are_warned() -> None:
    # autorites.csv, 68: "Dénomination légale exacte de l'assemblée non vérifiée [U]".
    auth = autorite(departement="68", nom="Collectivité européenne d'Alsace")
    (warning,) = autorite_warnings(auth, REF)
    assert warning.startswith(
        "departement : l'annuaire des autorités signale un point non vérifié pour Haut-Rhin "
        "(68), à vérifier : Juridiquement un département"
    )


def test_mayotte_decision_before_2026_names_the_former_head() -> None:
    # LO 2025-793, loi 2025-797, décret 2025-1427: Département-Région since 1 Jan 2026 [S1].
    auth = autorite(departement="976", nom="Département-Région de Mayotte")
    warnings = autorite_warnings(auth, REF, [date(2026, 2, 1), date(2025, 11, 10)])
    assert (
        "nom : décision du 10 novembre 2025, antérieure au 1er janvier 2026 : elle a été prise "
        "par le président du conseil départemental de Mayotte (Département de Mayotte) ; les "
        "documents nomment le président de l'assemblée de Mayotte (Département-Région de "
        "Mayotte), qui lui a succédé : relisez la désignation de la décision"
    ) in warnings
    assert not any(
        w.startswith("nom : décision") for w in autorite_warnings(auth, REF, [date(2026, 2, 1)])
    )


def test_departement_without_annuaire_row_is_to_check() -> None:
    # 984 (TAAF) is a valid code with a court in tribunaux.csv but no row in autorites.csv.
    auth = autorite(departement="984")
    assert autorite_context(auth, REF).a_verifier
    assert autorite_warnings(auth, REF) == [
        "departement : aucune ligne de l'annuaire des autorités pour le département 984 : le "
        "destinataire et le défendeur sont à vérifier"
    ]
