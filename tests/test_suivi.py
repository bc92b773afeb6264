"""`recours suivi`: events recorded in the dossier (fields first, journal for the rest),
the follow-up table over a folder of dossiers (exact output), --json, one .ics for all
with stable UIDs, and the SQLite cache (never a source of truth)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from icalendar import Calendar

from recours.cli.main import main
from recours.dossier.validation import load_dossier

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The three example dossiers, in a folder of their own."""
    target = tmp_path / "dossiers"
    target.mkdir()
    for name in (
        "chrs-prefet-region.yaml",
        "mecs-conseil-departemental.yaml",
        "multisite-ars-cpom.yaml",
    ):
        shutil.copy(EXAMPLES / name, target / name)
    return target


def invoke(runner: CliRunner, *args: str) -> Any:
    return runner.invoke(main, list(args))


def noter(runner: CliRunner, path: Path, *args: str) -> Any:
    result = invoke(runner, "suivi", "noter", str(path), *args)
    assert result.exit_code == 0, result.output
    return result


def with_events(runner: CliRunner, folder: Path) -> None:
    mecs = folder / "mecs-conseil-departemental.yaml"
    noter(runner, mecs, "envoi", "--date", "2026-11-26", "--numero-lrar", "1A 234 567 8901 2")
    noter(runner, mecs, "accuse", "--date", "2026-11-28", "--non-conforme")
    chrs = folder / "chrs-prefet-region.yaml"
    noter(
        runner,
        chrs,
        "requete",
        "--decision",
        "dgf-2026",
        "--date",
        "2026-12-01",
        "--numero",
        "2601234",
    )


# ------------------------------------------------------------------ noter


def test_noter_writes_the_dossier_fields_and_the_journal(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "mecs.yaml"
    shutil.copy(EXAMPLES / "mecs-conseil-departemental.yaml", path)
    result = noter(
        runner, path, "envoi", "--date", "2026-11-26", "--numero-lrar", "1A 234 567 8901 2"
    )
    # One recours gracieux to the authority covers both its decisions (2026 and 2025).
    assert result.stdout == (
        f"Noté dans {path} :\n"
        "  decisions[0].recours_gracieux.date_envoi = 2026-11-26\n"
        "  decisions[1].recours_gracieux.date_envoi = 2026-11-26\n"
        "  journal[0] : envoi\n"
    )
    noter(runner, path, "accuse", "--date", "2026-11-28", "--non-conforme")
    noter(
        runner,
        path,
        "reponse",
        "--date",
        "2026-12-10",
        "--sens",
        "partielle",
        "--montant",
        "1 200,50",
    )
    noter(runner, path, "paiement", "--date", "2026-12-20", "--montant", "1200,50")
    dossier = load_dossier(path)
    sent = dossier.decisions[0].recours_gracieux
    assert sent is not None
    assert (str(sent.date_envoi), str(sent.date_reception), sent.accuse_reception_conforme) == (
        "2026-11-26",
        "2026-11-28",
        False,
    )
    # One source of truth: the sending date is not repeated in the journal.
    data = yaml.safe_load(path.read_text("utf-8"))
    assert data["journal"] == [
        {"type": "envoi", "autorite": "cd-72", "mode": "lrar", "numero_lrar": "1A 234 567 8901 2"},
        {
            "type": "reponse",
            "date": "2026-12-10",
            "autorite": "cd-72",
            "sens": "partielle",
            "montant": "1200.50",
        },
        {"type": "paiement", "date": "2026-12-20", "autorite": "cd-72", "montant": "1200.50"},
    ]
    # A rejection goes to the dossier's own field, not to the journal.
    noter(runner, path, "reponse", "--date", "2026-12-22", "--sens", "rejetee")
    rejet = load_dossier(path).decisions[0].rejet_explicite
    assert rejet is not None and str(rejet.date_notification) == "2026-12-22"
    assert len(load_dossier(path).journal) == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["accuse", "--date", "2026-11-28"],
            "Erreur : aucun recours gracieux noté pour : prix-de-journee-2026, "
            "prix-de-journee-2025 ; notez d'abord l'envoi (recours suivi noter DOSSIER envoi …)\n",
        ),
        (
            ["envoi", "--date", "2026-11-26", "--sens", "favorable"],
            "Erreur : --sens : sans objet pour l'événement « envoi »\n",
        ),
        (
            ["jugement", "--date", "2026-11-26", "--sens", "rejetee"],
            "Erreur : --sens : pour l'événement « jugement », valeurs possibles : favorable, "
            "partiellement_favorable, defavorable\n",
        ),
        (
            ["paiement", "--date", "2026-11-26"],
            "Erreur : --montant : obligatoire pour l'événement « paiement »\n",
        ),
        (
            ["requete", "--date", "2026-11-26", "--decision", "autre"],
            "Erreur : --decision : décision inconnue « autre » ; décisions : "
            "prix-de-journee-2026, prix-de-journee-2025\n",
        ),
        (
            ["envoi", "--date", "2026-09-01"],
            "Erreur : {path} : 1 erreur(s)\n"
            "  - decisions[0].recours_gracieux.date_envoi : antérieure à la date de la décision\n",
        ),
    ],
)
def test_noter_refuses_bad_events_in_french_and_writes_nothing(
    tmp_path: Path, runner: CliRunner, args: list[str], message: str
) -> None:
    path = tmp_path / "mecs.yaml"
    shutil.copy(EXAMPLES / "mecs-conseil-departemental.yaml", path)
    before = path.read_bytes()
    result = invoke(runner, "suivi", "noter", str(path), *args)
    assert result.exit_code != 0
    assert result.stderr == message.format(path=path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_journal_is_validated_like_every_input(dossier_data: dict[str, Any]) -> None:
    from recours.dossier.validation import validate_dossier
    from recours.errors import DossierInvalidError

    dossier_data["journal"] = [
        {"type": "envoi", "autorite": "cd-72", "mode": "lrar", "date": "2026-04-01"},
        {"type": "paiement", "date": "2026-04-01", "autorite": "inconnue", "montant": "10"},
    ]
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "test")
    assert [f"{p.chemin} : {p.message}" for p in info.value.problemes] == [
        "journal[0].date : sans objet pour un événement « envoi » (la date d'envoi s'inscrit "
        "dans decisions[].recours_gracieux.date_envoi)",
    ]
    dossier_data["journal"].pop(0)
    with pytest.raises(DossierInvalidError) as info:
        validate_dossier(dossier_data, "test")
    assert [f"{p.chemin} : {p.message}" for p in info.value.problemes] == [
        "journal[0].autorite : autorité inconnue « inconnue »"
    ]


# ------------------------------------------------------------------ the follow-up


EXPECTED_TEXT = """\
Suivi au 12 décembre 2026 : 3 dossier(s), 6 étape(s) ouverte(s).

En retard (2) :
  12/05/2025 (il y a 579 jour(s)) · Association Les Coquelicots du Maine · Département de la Sarthe
    Établissement(s) : Maison d'enfants Les Coquelicots (720000011)
    Délai de la requête au tribunal expiré le 12 mai 2025.
    Dossier : {d}/mecs-conseil-departemental.yaml
  15/07/2025 (il y a 515 jour(s)) · Association Le Relais du Nord · Préfecture de la région Hauts-de-France
    Établissement(s) : CHRS Le Relais (590000013)
    Délai du recours gracieux expiré le 15 juillet 2025. Si la notification de la décision ne mentionnait pas les voies et délais de recours, elle peut encore être contestée dans un délai raisonnable, en principe d'un an (CE, Ass., 13 juillet 2016, Czabaj) : vérifiez la lettre de notification.
    Dossier : {d}/chrs-prefet-region.yaml

À échéance dans les 30 jours (2) :
  15/12/2026 (dans 3 jour(s)) · Association Horizons Partagés · Agence régionale de santé d'Île-de-France
    Établissement(s) : IME Les Platanes (930000018), SESSAD Horizons (930000026), FAM Le Belvédère (930000034)
    Envoyer le recours gracieux (cachet de la poste au plus tard le 15 décembre 2026).
    → recours generer {d}/multisite-ars-cpom.yaml --documents gracieux
    Dossier : {d}/multisite-ars-cpom.yaml
  31/12/2026 (dans 19 jour(s)) · Association Horizons Partagés · Département de la Seine-Saint-Denis
    Établissement(s) : FAM Le Belvédère (930000034)
    Envoyer le recours gracieux (cachet de la poste au plus tard le 31 décembre 2026).
    → recours generer {d}/multisite-ars-cpom.yaml --documents gracieux
    Dossier : {d}/multisite-ars-cpom.yaml

En attente (2) :
  01/12/2026 (il y a 11 jour(s)) · Association Le Relais du Nord · Préfecture de la région Hauts-de-France
    Établissement(s) : CHRS Le Relais (590000013)
    Requête n° 2601234 déposée le 1er décembre 2026 (tribunal administratif de Lille) : en attente du jugement.
    Dossier : {d}/chrs-prefet-region.yaml
  28/01/2027 (dans 47 jour(s)) · Association Les Coquelicots du Maine · Département de la Sarthe
    Établissement(s) : Maison d'enfants Les Coquelicots (720000011)
    Recours gracieux envoyé le 26 novembre 2026 : en attente de la réponse ; sans réponse, rejet implicite le 28 janvier 2027, puis requête au plus tard le 28 janvier 2028.
    Dossier : {d}/mecs-conseil-departemental.yaml
"""


def test_follow_up_of_a_folder_with_events_exact_output(folder: Path, runner: CliRunner) -> None:
    with_events(runner, folder)
    result = invoke(runner, "suivi", str(folder), "--aujourdhui", "2026-12-12")
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED_TEXT.format(d=folder)


def test_follow_up_overdue_and_horizon(folder: Path, runner: CliRunner) -> None:
    result = invoke(runner, "suivi", str(folder), "--aujourdhui", "2026-11-25", "--jours", "10")
    lines = result.stdout.splitlines()
    assert lines[0] == "Suivi au 25 novembre 2026 : 3 dossier(s), 5 étape(s) ouverte(s)."
    assert "4 autre(s) échéance(s) au-delà de 10 jours (--tout pour les afficher)." in lines
    late = invoke(runner, "suivi", str(folder), "--aujourdhui", "2027-03-01", "--json")
    data = json.loads(late.stdout)
    overdue = [(s["etat"], s["etape"], s["date"], s["commande"]) for s in data["etapes"]]
    assert overdue[:2] == [
        ("en_retard", "gracieux", "2025-07-15", None),
        ("en_retard", "requete", "2026-12-07", None),
    ]
    assert {s[0] for s in overdue} == {"en_retard"}


def test_follow_up_json(folder: Path, runner: CliRunner) -> None:
    with_events(runner, folder)
    result = invoke(runner, "suivi", str(folder), "--aujourdhui", "2026-12-12", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["aujourdhui"], data["jours"], data["dossiers"], data["problemes"]) == (
        "2026-12-12",
        30,
        3,
        [],
    )
    assert [(s["etat"], s["date"], s["autorite_id"], s["etape"]) for s in data["etapes"]] == [
        ("en_retard", "2025-05-12", "cd-72", "requete"),
        ("en_retard", "2025-07-15", "prefet-hdf", "gracieux"),
        ("a_echeance", "2026-12-15", "ars-idf", "gracieux"),
        ("a_echeance", "2026-12-31", "cd-93", "gracieux"),
        ("en_attente", "2026-12-01", "prefet-hdf", "jugement"),
        ("en_attente", "2027-01-28", "cd-72", "reponse"),
    ]
    first = data["etapes"][2]
    assert (
        first["commande"]
        == f"recours generer {folder}/multisite-ars-cpom.yaml --documents gracieux"
    )
    assert first["etablissements"] == [
        "IME Les Platanes (930000018)",
        "SESSAD Horizons (930000026)",
        "FAM Le Belvédère (930000034)",
    ]
    assert first["jours"] == 3


def _calendar(path: Path) -> dict[str, tuple[str, str, str]]:
    cal = Calendar.from_ical(path.read_bytes())
    return {
        str(e["uid"]): (e.decoded("dtstart").isoformat(), str(e["summary"]), str(e["description"]))
        for e in cal.walk("VEVENT")
    }


def test_ics_for_all_dossiers_with_stable_uids(folder: Path, runner: CliRunner) -> None:
    ics = folder.parent / "suivi.ics"
    first = invoke(runner, "suivi", str(folder), "--aujourdhui", "2026-11-25", "--ics", str(ics))
    assert first.exit_code == 0, first.output
    events = _calendar(ics)
    assert sorted((d, s) for d, s, _ in events.values()) == [
        (
            "2026-12-07",
            "Dernier jour pour déposer la requête au tribunal — Association Le Relais du Nord — "
            "Préfecture de la région Hauts-de-France",
        ),
        (
            "2026-12-15",
            "Dernier jour pour envoyer le recours gracieux — Association Horizons Partagés — "
            "Agence régionale de santé d'Île-de-France",
        ),
        (
            "2026-12-21",
            "Dernier jour pour envoyer le recours gracieux — Association Les Coquelicots du "
            "Maine — Département de la Sarthe",
        ),
        (
            "2026-12-31",
            "Dernier jour pour envoyer le recours gracieux — Association Horizons Partagés — "
            "Département de la Seine-Saint-Denis",
        ),
    ]
    description = next(d for day, _, d in events.values() if day == "2026-12-15")
    assert "Établissement(s) : IME Les Platanes (930000018), SESSAD Horizons (930000026)" in (
        description
    )
    # No overwrite without --force; the next Monday's export keeps every UID.
    assert invoke(runner, "suivi", str(folder), "--ics", str(ics)).exit_code == 1
    again = invoke(
        runner, "suivi", str(folder), "--aujourdhui", "2026-11-30", "--ics", str(ics), "--force"
    )
    assert again.exit_code == 0, again.output
    assert set(_calendar(ics)) == set(events)
    # Moving the folder does not change the identity of the events.
    moved = folder.parent / "ailleurs"
    folder.rename(moved)
    invoke(runner, "suivi", str(moved), "--aujourdhui", "2026-11-25", "--ics", str(ics), "--force")
    assert set(_calendar(ics)) == set(events)


def test_invalid_dossiers_are_listed_and_the_exit_code_is_non_zero(
    folder: Path, runner: CliRunner
) -> None:
    (folder / "casse.yaml").write_text("organisme:\n  raison_sociale: X\n", "utf-8")
    result = invoke(runner, "suivi", str(folder), "--aujourdhui", "2026-11-25")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[-2:] == [
        "Dossiers non suivis (1) :",
        f"  {folder}/casse.yaml : [ligne 1] organisme.siege : champ obligatoire manquant ; "
        "[ligne 1] organisme.representant_legal : champ obligatoire manquant ; autorites : "
        "champ obligatoire manquant (et 2 autre(s))",
    ]


def test_the_cache_never_hides_a_change(folder: Path, runner: CliRunner, tmp_path: Path) -> None:
    from recours.followup.report import follow_up, follow_up_json

    cache = tmp_path / "suivi.sqlite3"
    day = __import__("datetime").date(2026, 12, 12)
    cold = follow_up_json(follow_up(folder, day, 30, None))
    assert follow_up_json(follow_up(folder, day, 30, cache)) == cold
    assert follow_up_json(follow_up(folder, day, 30, cache)) == cold  # from the cache
    with_events(runner, folder)  # the files change: the cache is not used for them
    assert follow_up_json(follow_up(folder, day, 30, cache)) == follow_up_json(
        follow_up(folder, day, 30, None)
    )
    cache.write_bytes(b"pas une base")  # a broken cache is ignored
    assert follow_up_json(follow_up(folder, day, 30, cache))["dossiers"] == 3
