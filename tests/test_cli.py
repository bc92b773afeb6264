"""Foundation commands: exact output, stderr and exit codes (0 success, 1 error, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

from recours.cli.main import main
from recours.dossier.schemas import schema_texts

ROOT = Path(__file__).resolve().parent.parent
NNBSP = "\u202f"
NBSP = "\u00a0"

# §3 ex. 11 of shared/domaine/procedure-et-delais.md: notified Sun 15 Mar 2026, recours
# gracieux posted 10 Apr and received 13 Apr 2026; silence -> implicit rejection on Sat
# 13 Jun 2026 (CRPA L.114-3, L.231-4); two months franc from then -> Fri 14 Aug 2026
# (CJA R.421-2). The gracieux itself had until Mon 18 May 2026 (ex. 7).
EX_11 = [
    "delais",
    "--notification", "2026-03-15",
    "--envoi-gracieux", "2026-04-10",
    "--reception-gracieux", "2026-04-13",
    "--aujourdhui", "2026-04-20",
]  # fmt: skip


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(main, list(args), prog_name="recours")


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository root, so paths in messages read as the user types them."""
    monkeypatch.chdir(ROOT)
    return ROOT


# -------------------------------------------------------------------------- verifier


@pytest.mark.parametrize(
    ("path", "counts", "documents", "etats"),
    [
        (
            "examples/chrs-prefet-region.yaml",
            "1 établissement(s), 1 autorité(s), 2 décision(s)",
            [
                "  - requête — Préfecture de la région Hauts-de-France (dgf-2026) : à générer "
                "(13^278,00~€)",
                "  - requête indemnitaire — Préfecture de la région Hauts-de-France (demande du "
                "6 juillet 2026) : à générer (32^914,00~€)",
                "    Tribunal retenu : tribunal administratif de Lille. Que le tribunal désigné "
                "pour la tarification connaisse aussi de l'action indemnitaire n'est pas confirmé "
                "depuis 2025 (à vérifier).",
            ],
            ["[aucune décision enregistrée]", "[décision définitive]", "[contesté]"],
        ),
        (
            "examples/mecs-conseil-departemental.yaml",
            "1 établissement(s), 1 autorité(s), 2 décision(s)",
            ["  - recours gracieux — Département de la Sarthe : à générer (14^494,20~€)"],
            ["[aucune décision enregistrée]", "[décision définitive]", "[encore contestable]"],
        ),
        (
            "examples/multisite-ars-cpom.yaml",
            "3 établissement(s), 2 autorité(s), 3 décision(s)",
            [
                "  - recours gracieux — Agence régionale de santé d'Île-de-France : à générer "
                "(72^194,24~€)",
                "  - recours gracieux — Département de la Seine-Saint-Denis : à générer "
                "(12^048,00~€)",
                # Asked for in the dossier (decisions[0].documents), beside the gracieux.
                "  - recours hiérarchique — Agence régionale de santé d'Île-de-France "
                "(ars-notification-2026) : à générer (38^502,00~€)",
            ],
            # IME, SESSAD: 2024 without decision, 2025 (no voies et délais) and 2026 open;
            # FAM: the same for the ARS, and 2024-2025 without decision for the département.
            ["[aucune décision enregistrée]", "[encore contestable]", "[encore contestable]"] * 2
            + ["[aucune décision enregistrée]"] * 2
            + ["[encore contestable]", "[aucune décision enregistrée]"]
            + ["[encore contestable]"] * 2,
        ),
    ],
)
def test_verifier_valid_example(
    runner: CliRunner, in_root: Path, path: str, counts: str, documents: list[str], etats: list[str]
) -> None:
    """Each example shows another case of "one decision, one exercise" (issue 10 §1)."""
    result = run(runner, "verifier", path, "--aujourdhui", "2026-11-22")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{path} : dossier valide — {counts}."
    assert lines[1] == "Documents à cette étape :"
    shown = [d.replace("^", NNBSP).replace("~", NBSP) for d in documents]
    assert lines[2 : 2 + len(shown)] == shown
    assert lines[2 + len(shown)] == "Exercice par exercice (ce qui reste dû et la voie qui reste) :"
    statuses = [line.split("]")[0] + "]" for line in lines if line.startswith("  - [")]
    assert [s.removeprefix("  - ") for s in statuses] == etats


def test_verifier_refuses_dates_after_today(runner: CliRunner, in_root: Path) -> None:
    # Issue 10 §5: a date after today and an exercise after the current year are refused;
    # today is the CLI's (--aujourdhui), passed down as validation context.
    result = run(
        runner, "verifier", "tests/data/dossier-minimal.yaml", "--aujourdhui", "2024-06-01"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Erreur : tests/data/dossier-minimal.yaml : 3 erreur(s)\n"
        "  - [ligne 40] etablissements[0].exercices[1].annee : exercice 2025 postérieur à "
        "l'année en cours (2024)\n"
        "  - [ligne 48] decisions[0].date : date du 10/03/2026 postérieure à la date du jour "
        "(01/06/2024) : indiquez une date passée\n"
        "  - [ligne 49] decisions[0].date_notification : date du 15/03/2026 postérieure à la "
        "date du jour (01/06/2024) : indiquez une date passée\n"
    )


def test_verifier_bad_file(runner: CliRunner, in_root: Path) -> None:
    result = run(
        runner, "verifier", "tests/data/dossier-erreurs.yaml", "--aujourdhui", "2026-11-22"
    )
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Erreur : tests/data/dossier-erreurs.yaml : 8 erreur(s)\n"
        "  - [ligne 4] organisme.siren : SIREN invalide : 9 chiffres attendus avec une clé de "
        "contrôle correcte\n"
        "  - [ligne 7] organisme.siege.code_postal : code postal invalide : 5 chiffres attendus "
        "(ex. 07500)\n"
        "  - [ligne 5] organisme.siege.commune : champ obligatoire manquant\n"
        "  - [ligne 11] organisme.representant_legal.telephone : champ inconnu (vérifiez "
        "l'orthographe)\n"
        "  - [ligne 36] etablissements[0].exercices[0].annee : exercice 2023 antérieur à "
        "l'entrée en vigueur de l'accord (2024)\n"
        "  - [ligne 37] etablissements[0].exercices[0].mois : doit être inférieur ou égal à 12\n"
        "  - [ligne 38] etablissements[0].exercices[0].etp : doit être supérieur ou égal à 0\n"
        "  - [ligne 42] decisions[0].date : date invalide ou inexistante (format attendu AAAA-MM-JJ)\n"
    )


def test_verifier_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "verifier", str(tmp_path / "absent.yaml"))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Erreur : {tmp_path / 'absent.yaml'} : fichier introuvable\n"


def test_verifier_missing_argument(runner: CliRunner) -> None:
    result = run(runner, "verifier")
    assert result.exit_code == 2
    assert result.stderr == (
        "Utilisation : recours verifier [OPTIONS] DOSSIER\n"
        "Essayez « recours verifier --aide » pour l'aide.\n"
        "\n"
        "Erreur : Argument manquant 'DOSSIER'.\n"
    )


def test_verifier_bad_reference_date(runner: CliRunner, in_root: Path) -> None:
    result = run(
        runner, "verifier", "tests/data/dossier-minimal.yaml", "--aujourdhui", "31/11/2026"
    )
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "Erreur : --aujourdhui : date invalide « 31/11/2026 » : format attendu JJ/MM/AAAA "
        "ou AAAA-MM-JJ\n"
    )


# -------------------------------------------------------------------------- calculer

# "^" stands for U+202F (thousands) and "~" for U+00A0 (before € and %), as Babel writes them.
CALCULER_MINIMAL = """\
Montants de la mesure « Ségur pour tous » — Association Les Tilleuls

MECS Les Tilleuls (FINESS 010000000) — méthode : ETP × montant mensuel brut × mois × \
coefficient de charges saisi
  2024 : 2 ETP × 238 € × 12 mois × 1,5 = 8^568,00~€
    Département de l'Ain (100~%) : dû 8^568,00~€, reçu 0,00~€, écart 8^568,00~€
  2025 : 2,5 ETP × 238 € × 6 mois × 1,5 = 5^355,00~€
    Département de l'Ain (100~%) : dû 5^355,00~€, reçu 1^234,50~€, écart 4^120,50~€

Totaux par autorité
  Département de l'Ain : dû 13^923,00~€, reçu 1^234,50~€, écart 12^688,50~€
Totaux par exercice
  2024 : dû 8^568,00~€, reçu 0,00~€, écart 8^568,00~€
  2025 : dû 5^355,00~€, reçu 1^234,50~€, écart 4^120,50~€
Total : dû 13^923,00~€, reçu 1^234,50~€, écart 12^688,50~€
Reste à réclamer (sans double compte entre financeurs) : 12^688,50~€

Montants arrondis au centime (arrondi commercial) pour chaque établissement et exercice ; \
la dernière autorité listée reçoit le reliquat d'arrondi pour que les parts totalisent le coût.

Exercice par exercice (ce qui reste dû et la voie qui reste) :
  - [décision définitive] MECS Les Tilleuls (010000000), exercice 2024 : 8^568,00~€ restent \
dus (autorité : Département de l'Ain) ; le délai pour contester la décision qui fixe cet \
exercice (decision-1) a expiré le 18 mai 2026 : elle est devenue définitive, et rien n'est \
réclamé pour cet exercice dans les lettres d'un autre exercice.
  - [aucune décision enregistrée] MECS Les Tilleuls (010000000), exercice 2025 : 4^120,50~€ \
restent dus (autorité : Département de l'Ain), mais aucune décision fixant le tarif de cet \
exercice n'est enregistrée dans le dossier. Ajoutez-la (date de notification, voies et délais) \
pour savoir si elle peut encore être contestée ; rien n'est réclamé pour cet exercice dans les \
lettres d'un autre exercice.
Ce qui reste possible :
  - Pour MECS Les Tilleuls 2024, MECS Les Tilleuls 2025 : {reprise} {indemnitaire}
"""

# What remains for a final exercise (referential messages reste_reprise_deficit and
# reste_indemnitaire, voies-de-droit §1.3 and §1.4), as the user reads it.
REPRISE_DEFICIT = (
    "Procédure contradictoire : le coût non financé apparaît comme un déficit au compte "
    "administratif de l'exercice ; demandez dans vos propositions budgétaires suivantes que ce "
    "déficit soit ajouté aux charges d'un exercice ultérieur, puis contestez la décision "
    "d'affectation et le tarif de cet exercice dans les délais (CASF, art. R.314-51 à R.314-53). "
    "C'est la seule voie trouvée qui ramène l'argent d'un exercice définitif dans un tarif "
    "ultérieur ; son issue pour le Ségur n'est pas connue (aucune décision trouvée)."
)
INDEMNITAIRE = (
    "Une demande indemnitaire préalable peut être envisagée ; mais si une décision expresse de "
    "tarification de l'exercice est devenue définitive, une demande indemnitaire de même portée "
    "risque d'être rejetée (CE, Sect., 2 mai 1959, Lafon ; CE, 9 mars 2018, n° 405355) — qu'un "
    "arrêté de tarification soit une décision « à objet purement pécuniaire » n'a pas été "
    "tranché (à vérifier avec un avocat). Elle peut être rédigée : recours generer "
    "--documents demande_indemnitaire."
)


def test_calculer_text(runner: CliRunner) -> None:
    # 2024: 2 × 238 × 12 × 1.5 = 8 568 ; 2025: 2.5 × 238 × 6 × 1.5 = 5 355, 1 234.50 received;
    # total 13 923, gap 13 923 - 1 234.50 = 12 688.50.
    path = str(ROOT / "tests" / "data" / "dossier-minimal.yaml")
    result = run(runner, "calculer", path, "--aujourdhui", "2026-11-22")
    assert (result.exit_code, result.stderr) == (0, "")
    expected = CALCULER_MINIMAL.format(reprise=REPRISE_DEFICIT, indemnitaire=INDEMNITAIRE)
    assert result.stdout == expected.replace("^", NNBSP).replace("~", NBSP)


def test_calculer_json(runner: CliRunner) -> None:
    path = str(ROOT / "examples" / "multisite-ars-cpom.yaml")
    result = run(runner, "calculer", "--json", path, "--aujourdhui", "2026-11-22")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    # Hand totals: see test_amounts.test_multisite_example_totals.
    assert data["total"] == {
        "du": "218576.52",
        "recu": "75500.00",
        "ecart": "143076.52",
        "reclame": "143076.52",
    }
    assert data["par_autorite"] == {
        "ars-idf": {
            "du": "183424.31",
            "recu": "73000.00",
            "ecart": "110424.31",
            "reclame": "110424.31",
        },
        "cd-93": {"du": "35152.21", "recu": "2500.00", "ecart": "32652.21", "reclame": "32652.21"},
    }
    assert data["par_exercice"]["2025"] == {
        "du": "70416.40",
        "recu": "27500.00",
        "ecart": "42916.40",
        "reclame": "42916.40",
    }
    # Exercise by exercise: the FAM's 2024 share owed by the département has no decision.
    fam_cd_2024 = next(
        e
        for e in data["exercices"]
        if (e["finess"], e["annee"], e["autorite"]) == ("930000034", 2024, "cd-93")
    )
    assert (fam_cd_2024["etat"], fam_cd_2024["reclame"], fam_cd_2024["decision"]) == (
        "sans_decision",
        "11380.05",
        None,
    )
    fam_2024 = data["lignes"][6]
    assert (fam_2024["finess"], fam_2024["annee"], fam_2024["cout"]) == (
        "930000034",
        2024,
        "28450.12",
    )
    assert [(p["autorite"], p["pourcentage"], p["du"]) for p in fam_2024["parts"]] == [
        ("ars-idf", "60", "17070.07"),
        ("cd-93", "40", "11380.05"),
    ]
    assert data["avertissements"] == []
    assert data["regle_arrondi"].startswith("Montants arrondis au centime")


def test_calculer_invalid_dossier(runner: CliRunner) -> None:
    result = run(runner, "calculer", str(ROOT / "tests" / "data" / "dossier-erreurs.yaml"))
    assert (result.exit_code, result.stdout) == (1, "")
    path = ROOT / "tests" / "data" / "dossier-erreurs.yaml"
    assert result.stderr.startswith(f"Erreur : {path} : 8 erreur(s)\n  - [ligne 4] organisme.siren")
    assert len(result.stderr.splitlines()) == 9  # the same 8 problems as `verifier`


# ---------------------------------------------------------------------------- delais


def test_delais_json_example_11(runner: CliRunner) -> None:
    result = run(runner, *EX_11, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert data["recours_gracieux"]["date_limite"] == "2026-05-18"
    assert data["recours_gracieux"]["interruptif"] is True
    assert data["rejet_implicite"] == "2026-06-13"
    assert data["recours_contentieux"]["date_limite"] == "2026-08-14"
    assert data["recours_contentieux"]["point_de_depart"] == "2026-06-13"
    assert data["recours_contentieux"]["evenement"] == "rejet_implicite"
    # 20 April -> 14 August 2026: 10 + 31 + 30 + 31 + 14 = 116 days.
    assert data["recours_contentieux"]["jours_restants"] == 116
    assert isinstance(data["avertissements"], list)
    assert any("17 août 2026" in w for w in data["avertissements"])  # the later reading, flagged


def test_delais_text_example_11(runner: CliRunner) -> None:
    result = run(runner, *EX_11)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "Décision notifiée le dimanche 15 mars 2026",
        "Date de référence : lundi 20 avril 2026",
    ]
    assert "  envoyé le vendredi 10 avril 2026 : interruptif" in lines
    assert "Rejet implicite du recours gracieux : samedi 13 juin 2026" in lines
    assert "  date limite d'enregistrement au greffe : vendredi 14 août 2026" in lines
    assert "  état : ouvert, 116 jour(s) restant(s)" in lines


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--notification", "2026-02-30"],
            "--notification : date invalide « 2026-02-30 » : format attendu JJ/MM/AAAA ou "
            "AAAA-MM-JJ",
        ),
        (
            ["--notification", "15-2026"],
            "--notification : date invalide « 15-2026 » : format attendu JJ/MM/AAAA ou AAAA-MM-JJ",
        ),
        (
            ["--notification", "2026-03-15", "--reception-gracieux", "2026-04-13"],
            "--reception-gracieux et --rejet-explicite supposent --envoi-gracieux",
        ),
        (
            ["--notification", "2026-03-15", "--envoi-gracieux", "2026-03-01"],
            "--envoi-gracieux : date antérieure à la notification",
        ),
        (
            ["--notification", "2026-03-15", "--departement", "20"],
            "--departement : code de département invalide (ex. 01, 2A, 75, 971)",
        ),
    ],
)
def test_delais_usage_errors(runner: CliRunner, args: list[str], message: str) -> None:
    result = run(runner, "delais", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Erreur : {message}\n"


def test_delais_missing_notification(runner: CliRunner) -> None:
    result = run(runner, "delais")
    assert result.exit_code == 2
    assert result.stderr.endswith("Erreur : Option manquante '--notification'.\n")


def _events(path: Path) -> list[tuple[date, str, timedelta]]:
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    return [
        (
            event.decoded("dtstart"),
            str(event.get("summary")),
            event.walk("VALARM")[0].decoded("trigger"),
        )
        for event in calendar.walk("VEVENT")
    ]


def test_delais_ics(runner: CliRunner, tmp_path: Path) -> None:
    ics = tmp_path / "delais.ics"
    result = run(runner, *EX_11, "--ics", str(ics))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.endswith(f"\n\nCalendrier écrit : {ics}\n")
    week = timedelta(days=-7)  # reminder a week before
    # The gracieux was sent: no event for its deadline any more.
    assert _events(ics) == [
        (date(2026, 6, 13), "Naissance du rejet implicite du recours gracieux", week),
        (date(2026, 8, 14), "Dernier jour pour déposer la requête au tribunal", week),
    ]


def test_delais_ics_nothing_sent(runner: CliRunner, tmp_path: Path) -> None:
    # §3 ex. 7: notified Sun 15 Mar 2026 -> both last days Mon 18 May 2026.
    ics = tmp_path / "delais.ics"
    result = run(runner, "delais", "--notification", "2026-03-15", "--aujourdhui", "2026-04-20",
                 "--ics", str(ics), "--json")  # fmt: skip
    assert result.exit_code == 0
    assert json.loads(result.stdout)["recours_contentieux"]["date_limite"] == "2026-05-18"
    assert [(day, summary) for day, summary, _ in _events(ics)] == [
        (date(2026, 5, 18), "Dernier jour pour envoyer le recours gracieux"),
        (date(2026, 5, 18), "Dernier jour pour déposer la requête au tribunal"),
    ]


def test_delais_ics_no_overwrite_without_force(runner: CliRunner, tmp_path: Path) -> None:
    ics = tmp_path / "delais.ics"
    ics.write_bytes(b"ancien")
    result = run(runner, *EX_11, "--ics", str(ics))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Erreur : {ics} existe déjà : utilisez --force pour le remplacer\n"
    assert ics.read_bytes() == b"ancien"
    result = run(runner, *EX_11, "--ics", str(ics), "--force")
    assert result.exit_code == 0
    assert len(_events(ics)) == 2
    assert [p.name for p in tmp_path.iterdir()] == ["delais.ics"]  # no temporary file left


def test_delais_ics_unwritable_folder_is_a_french_error(runner: CliRunner, tmp_path: Path) -> None:
    # Review: a file where the folder should be used to escape as a raw FileExistsError.
    (tmp_path / "fichier").write_bytes(b"x")
    ics = tmp_path / "fichier" / "delais.ics"
    result = run(runner, *EX_11, "--ics", str(ics))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith(f"Erreur : {ics} : écriture impossible (")
    assert "Traceback" not in result.stderr


# ------------------------------------------------------------------ schema, help


def test_schema_command(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "schemas"
    result = run(runner, "schema", "--sortie", str(out))
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        f"Écrit : {out / 'dossier.schema.json'}\nÉcrit : {out / 'dossiers.schema.json'}\n"
    )
    for name, text in schema_texts().items():
        assert (out / name).read_text(encoding="utf-8") == text


def test_help_is_french(runner: CliRunner) -> None:
    result = run(runner, "--help")
    assert (result.exit_code, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[0] == "Utilisation : recours [OPTIONS] COMMANDE [ARGUMENTS]..."
    assert "  --version           Afficher la version et quitter." in lines
    assert "  -h, --aide, --help  Afficher cette aide et quitter." in lines
    assert "Commandes\u00a0:" in lines
    commands = [x.split()[0] for x in lines[lines.index("Commandes\u00a0:") + 1 :]]
    # The foundation commands; other commands (documents) may sit between them.
    assert {"calculer", "delais", "referentiel", "schema", "verifier"} <= set(commands)
    assert commands == sorted(commands)
    assert run(runner, "--aide").stdout == result.stdout


@pytest.mark.parametrize(
    ("command", "first_line"),
    [
        ("delais", "Calculer les délais de recours gracieux et contentieux."),
        ("calculer", "Calculer les montants dus, reçus et l'écart, par autorité, établissement et"),
        (
            "verifier",
            "Vérifier un dossier : toutes les erreurs d'un coup, avec le champ et la ligne.",
        ),
        (
            "referentiel",
            "Afficher le référentiel juridique, avec la source et la fiabilité de chaque",
        ),
        ("schema", "Régénérer les schémas JSON des dossiers (pour les éditeurs et les scripts)."),
    ],
)
def test_command_help_is_french(runner: CliRunner, command: str, first_line: str) -> None:
    result = run(runner, command, "--aide")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Utilisation : recours {command} [OPTIONS]")
    assert lines[2].strip() == first_line
    assert "  -h, --aide, --help" in result.stdout
    assert "Afficher cette aide et quitter." in result.stdout


def test_help_has_no_english_left(runner: CliRunner) -> None:
    assert "[required]" not in run(runner, "delais", "--aide").stdout


def test_version(runner: CliRunner) -> None:
    result = run(runner, "--version")
    assert (result.exit_code, result.stdout) == (0, "recours, version 0.1.0\n")


def test_help_does_not_import_heavy_engines(tmp_path: Path) -> None:
    """`recours --help` must start fast: no WeasyPrint (~0.9 s), docxtpl or questionary."""
    code = (
        "import json, sys\n"
        "from recours.cli.main import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = ['click', 'weasyprint', 'docxtpl', 'questionary']\n"
        "print(json.dumps([n for n in names if n in sys.modules]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
    )
    lines = done.stdout.splitlines()
    assert lines[0].startswith("Utilisation : ")  # the help really ran
    assert json.loads(lines[-1]) == ["click"]  # click is seen, so absence means something


def test_generer_loads_the_pdf_engine_only_for_a_pdf(tmp_path: Path) -> None:
    """The PDF engine is imported ahead (in a thread) only when a PDF is asked for."""
    code = (
        "import json, sys\n"
        "from recours.cli.main import main\n"
        "try:\n"
        "    main(sys.argv[1:])\n"
        "except SystemExit:\n"
        "    pass\n"
        "names = ['docxtpl', 'weasyprint']\n"
        "print(json.dumps([n for n in names if n in sys.modules]))\n"
    )
    example = str(ROOT / "examples" / "chrs-prefet-region.yaml")
    seen = {}
    for fmt in ("docx", "pdf"):
        args = ["generer", example, "--sortie", str(tmp_path / fmt), "--formats", fmt]
        done = subprocess.run(
            [sys.executable, "-c", code, *args, "--aujourdhui", "2026-11-20"],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp_path,
        )
        seen[fmt] = json.loads(done.stdout.splitlines()[-1])
        assert list((tmp_path / fmt).glob(f"*.{fmt}"))  # the document was written
    assert seen == {"docx": ["docxtpl"], "pdf": ["weasyprint"]}


def test_diagnostic_reports_fonts_and_harfbuzz(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ctypes.util

    result = run(runner, "diagnostic")
    assert result.exit_code == 0
    assert (
        "Polices embarquées : LiberationSerif-Bold.ttf, LiberationSerif-BoldItalic.ttf, LiberationSerif-Italic.ttf, LiberationSerif-Regular.ttf"
        in result.stdout
    )
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: None)
    missing = run(runner, "diagnostic")
    assert "libharfbuzz-subset : ABSENTE" in missing.stdout
    assert "apt-get install libharfbuzz-subset0" in missing.stdout


def test_delais_accepts_french_dates(runner: CliRunner) -> None:
    """JJ/MM/AAAA (what users and the workbook write) gives the same result as ISO dates."""
    iso = run(runner, *EX_11, "--json")
    french = [
        "/".join(reversed(arg.split("-"))) if len(arg) == 10 and arg[4] == "-" else arg
        for arg in EX_11
    ]
    assert french != list(EX_11)
    result = run(runner, *french, "--json")
    assert (result.exit_code, result.stderr) == (0, "")
    assert json.loads(result.stdout) == json.loads(iso.stdout)
