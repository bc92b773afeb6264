"""Batch generation (`recours lot`): input formats, error locations, grouping, resumption,
parallel rendering, the empty workbook. Word only, except one PDF synthesis test."""

from __future__ import annotations

import csv
import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from recours.batch.columns import columns
from recours.batch.input import DATA_SHEET, XlsxSource, cell_text, open_table
from recours.batch.report import STATUT_A_JOUR, STATUT_GENERE
from recours.batch.runner import MANIFEST, LotOptions, LotSummary, run_lot
from recours.cli.main import main
from recours.documents import generate as documents

DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2026, 11, 25)
ORG_A = "association-les-eclaireurs-de-l-ain_778899112"
ORG_B = "association-le-relais-sarthois_443322110"


def lot_rows() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = yaml.safe_load((DATA / "lot_lignes.yaml").read_text("utf-8"))
    return rows


def clean_rows() -> list[dict[str, str]]:
    """The test batch without the two bad rows of organismes A and B (rows 4 and 6): what
    remains in error is the row without organisme, which holds back nothing."""
    rows = lot_rows()
    return [rows[0], rows[1], rows[3], rows[5]]


def write_xlsx(path: Path, rows: list[dict[str, Any]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    sheet.append([c.header for c in columns()])
    for row in rows:
        sheet.append([row.get(c.key) for c in columns()])
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[dict[str, Any]], delimiter: str, encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([c.header for c in columns()])
        for row in rows:
            writer.writerow([row.get(c.key, "") for c in columns()])
    return path


def run(source: Path, sortie: Path, jobs: int = 1, **options: Any) -> LotSummary:
    opts = LotOptions(sortie=sortie, today=TODAY, formats=("docx",), **options)
    return run_lot(source, opts, jobs=jobs)


def report(sortie: Path) -> list[dict[str, str]]:
    with (sortie / "rapport.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def errors(lines: list[dict[str, str]]) -> list[tuple[str, str, str, str, str]]:
    return [
        (r["Feuille"], r["Ligne"], r["Colonne"], r["Champ"], r["Message"])
        for r in lines
        if r["Statut"] == "erreur"
    ]


def letters(lines: list[dict[str, str]]) -> list[tuple[str, str, str, str]]:
    return [
        (r["SIREN"], r["Autorité"], r["Établissements"], r["Nombre d'établissements"])
        for r in lines
        if r["Statut"] != "erreur"
    ]


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(" ".join(p.split()) for p in parts if p.strip())


EXPECTED_ERRORS = [
    (
        "Établissements",
        "4",
        "AI",
        "Établissement — FINESS",
        "FINESS invalide : 9 caractères attendus, commençant par le code du département "
        "(ex. 750012345, 2A0001234)",
    ),
    ("Établissements", "4", "CL", "Exercice 2024 — ETP", "nombre invalide : « beaucoup »"),
    (
        "Établissements",
        "6",
        "BG",
        "Autorité 1 — décision — date de notification",
        "date invalide : « 31/02/2026 »",
    ),
    (
        "Établissements",
        "7",
        "C",
        "Organisme — SIREN",
        "indiquez le SIREN ou le SIRET de l'organisme",
    ),
]
CLEAN_ERRORS = [("Établissements", "5", *EXPECTED_ERRORS[3][2:])]

EXPECTED_LETTERS = [
    (
        "778899112",
        "Agence régionale de santé Auvergne-Rhône-Alpes",
        "IME Les Sources (010000000) ; FAM Le Belvédère (010000018)",
        "2",
    ),
    ("778899112", "Département de l'Ain", "FAM Le Belvédère (010000018)", "1"),
    ("443322110", "Département de la Sarthe", "MECS Les Prés (720000011)", "1"),
]


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The clean test batch as .xlsx, generated once (Word only) for the read-only tests."""
    folder = tmp_path_factory.mktemp("lot")
    source = write_xlsx(folder / "lot.xlsx", clean_rows())
    run(source, folder / "sortie")
    return source, folder / "sortie"


# ------------------------------------------------------------------ errors and report


def test_letters_of_a_clean_batch_with_amounts_deadlines_and_files(
    batch: tuple[Path, Path],
) -> None:
    _, sortie = batch
    lines = report(sortie)
    assert errors(lines) == CLEAN_ERRORS
    assert letters(lines) == EXPECTED_LETTERS
    assert [r["Statut"] for r in lines if r["Statut"] != "erreur"] == [STATUT_GENERE] * 3
    ars = next(r for r in lines if r["Autorité"].startswith("Agence"))
    assert ars["Type d'autorité"] == "Agence régionale de santé"
    assert ars["Montant dû (€)"] == "56595,07"
    assert ars["Montant reçu (€)"] == "14000,00"
    assert ars["Écart (€)"] == "42595,07"
    assert ars["Échéance du recours gracieux"] == "21/12/2026"
    assert ars["Délai du recours gracieux"] == "ouvert, 26 jour(s) restant(s)"
    assert ars["Fichiers"] == (
        f"{ORG_A}/recours-gracieux_agence-regionale-de-sante-auvergne-rhone-alpes.docx"
    )
    assert (sortie / ars["Fichiers"]).is_file()


HELD = (
    "retenu : ligne(s) {rows} de cet organisme en erreur. Aucun courrier de l'organisme n'est "
    "généré tant qu'elles ne sont pas corrigées : un courrier incomplet réclamerait moins que le "
    "dû, et un second recours gracieux n'interromprait pas le délai."
)


def test_a_bad_row_holds_back_exactly_its_organisme_letters(tmp_path: Path) -> None:
    rows = lot_rows()
    rows[4]["decision1.date_notification"] = "08/10/2026"  # organisme B is now clean
    sortie = tmp_path / "s"
    summary = run(write_xlsx(tmp_path / "lot.xlsx", rows), sortie)
    assert not summary.ok
    assert (summary.generes, summary.retenus, summary.lignes_en_erreur) == (1, 2, 2)
    lines = report(sortie)
    assert errors(lines) == [EXPECTED_ERRORS[0], EXPECTED_ERRORS[1], EXPECTED_ERRORS[3]]
    held = [
        (r["Autorité"], r["Statut"], r["Message"], r["Fichiers"], r["Montant dû (€)"])
        for r in lines
        if r["SIREN"] == "778899112" and r["Statut"] != "erreur"
    ]
    assert held == [
        ("Agence régionale de santé Auvergne-Rhône-Alpes", "retenu", HELD.format(rows=4), "", ""),
        ("Département de l'Ain", "retenu", HELD.format(rows=4), "", ""),
    ]
    assert not (sortie / ORG_A).exists()  # nothing written for the held organisme
    sarthe = [r for r in lines if r["SIREN"] == "443322110"]
    assert [r["Statut"] for r in sarthe] == [STATUT_GENERE]
    assert sarthe[0]["Établissements"] == (
        "MECS Les Prés (720000011) ; Foyer de l'enfance Les Haies (720000029)"
    )


def test_fix_and_rerun_regenerates_only_what_changed_and_keeps_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = lot_rows()
    rows[4]["decision1.date_notification"] = "08/10/2026"
    sortie = tmp_path / "s"
    run(write_xlsx(tmp_path / "lot.xlsx", rows), sortie)
    sarthe = sortie / ORG_B / "recours-gracieux_departement-de-la-sarthe.docx"
    os.utime(sarthe, (1_000_000_000, 1_000_000_000))

    # Row 4 fixed: organisme A is generated, B is untouched; no --force needed.
    rows[2]["etablissement.finess"] = "010000026"
    rows[2]["exercice2024.etp"] = "1"
    calls = _counting_generate(monkeypatch)
    summary = run(write_xlsx(tmp_path / "lot.xlsx", rows), sortie)
    assert calls == ["Association Les Éclaireurs de l'Ain"]
    assert (summary.generes, summary.a_jour, summary.retenus) == (2, 1, 0)
    assert summary.lignes_en_erreur == 1  # the row without organisme
    assert sarthe.stat().st_mtime == 1_000_000_000
    ars_name = "recours-gracieux_agence-regionale-de-sante-auvergne-rhone-alpes"
    cd_name = "recours-gracieux_departement-de-l-ain"
    ars = sortie / ORG_A / f"{ars_name}.docx"
    assert "SESSAD Les Ruisseaux" in docx_text(ars)
    cd_before = (sortie / ORG_A / f"{cd_name}.docx").stat().st_mtime_ns

    # The SESSAD's ETP changes: only the ARS letter (which claims for it) is redone, and
    # the letter generated from the former data is kept under a versioned name.
    old = docx_text(ars)
    rows[2]["exercice2024.etp"] = "2"
    calls = _counting_generate(monkeypatch)
    summary = run(write_xlsx(tmp_path / "lot.xlsx", rows), sortie)
    assert (summary.generes, summary.a_jour) == (1, 2)
    assert summary.versions == [f"{ORG_A}/{ars_name}_version-1"]
    assert docx_text(sortie / ORG_A / f"{ars_name}_version-1.docx") == old
    assert docx_text(ars) != old
    assert (sortie / ORG_A / f"{cd_name}.docx").stat().st_mtime_ns == cd_before
    line = next(r for r in report(sortie) if r["Autorité"].startswith("Agence"))
    assert line["Statut"] == STATUT_GENERE
    assert line["Message"].startswith(
        f"données modifiées : régénéré ; la version précédente est conservée sous {ars_name}_version-1."
    )
    # Run again unchanged: everything is up to date, nothing rewritten.
    summary = run(write_xlsx(tmp_path / "lot.xlsx", rows), sortie)
    assert (summary.generes, summary.a_jour, summary.versions) == (0, 3, [])


def test_cli_exit_code_and_error_lines(tmp_path: Path, runner: CliRunner) -> None:
    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows())
    args = ["lot", "generer", str(source), "--sortie", str(tmp_path / "s"), "--formats", "docx"]
    result = runner.invoke(main, [*args, "--jobs", "1", "--aujourdhui", "2026-11-25"])
    assert result.exit_code == 1, result.output
    assert result.stdout.splitlines()[:2] == [
        "Lot lot.xlsx : 6 ligne(s), 3 organisme(s) ou groupe(s).",
        "Courriers : 0 généré(s), 0 déjà à jour, 0 refusé(s), 3 retenu(s).",
    ]
    assert result.stderr.splitlines()[:4] == [
        f"Erreur : [feuille « {sheet} », ligne {row}, colonne {col}] {field} : {message}"
        for sheet, row, col, field, message in EXPECTED_ERRORS
    ]
    assert (
        "3 courrier(s) retenu(s) : une autre ligne de leur organisme est en erreur ; "
        "corrigez-la puis relancez la même commande." in result.stderr.splitlines()
    )
    good = write_xlsx(tmp_path / "bon.xlsx", lot_rows()[:2])
    args[2:5] = [str(good), "--sortie", str(tmp_path / "t")]
    again = runner.invoke(main, [*args, "--jobs", "1", "--aujourdhui", "2026-11-25"])
    assert again.exit_code == 0, again.output
    too_many = runner.invoke(main, [*args, "--jobs", "1000"])
    assert too_many.exit_code == 2
    cores = os.cpu_count() or 1
    assert too_many.stderr == (
        f"Erreur : --jobs : entre 1 et {2 * cores} processus sur cette machine "
        f"(2 par cœur, {cores} cœur(s)) ; reçu 1000\n"
    )


def test_force_overwrites_and_hors_delai_generates_out_of_time(
    tmp_path: Path, runner: CliRunner
) -> None:
    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    sortie = tmp_path / "s"
    base = ["lot", "generer", str(source), "--sortie", str(sortie), "--formats", "docx", "-j", "1"]
    # The recours gracieux expired in December (asked for explicitly: once every decision is
    # final, the plan of the stage is the demande indemnitaire préalable).
    late = [*base, "--aujourdhui", "2027-02-01", "--documents", "gracieux"]
    letter = sortie / ORG_B / "recours-gracieux_departement-de-la-sarthe.docx"
    forced = runner.invoke(main, [*late, "--force"])
    assert forced.exit_code == 1
    assert not letter.exists()
    assert forced.stderr.splitlines()[:3] == [
        "Courriers hors délai :",
        "  Association Le Relais Sarthois — recours gracieux — Département de la Sarthe "
        "(non généré)",
        "  Ils ne sont pas générés : un recours gracieux hors délai n'est pas recevable. "
        "--hors-delai les génère quand même.",
    ]
    (line,) = [r for r in report(sortie) if r["Statut"] != "erreur"]
    assert line["Statut"] == "refusé"
    assert "utilisez --hors-delai" in line["Message"]

    out_of_time = runner.invoke(main, [*late, "--hors-delai"])
    assert out_of_time.exit_code == 0, out_of_time.output
    assert letter.is_file()
    assert out_of_time.stderr.splitlines()[:2] == [
        "Courriers hors délai :",
        "  Association Le Relais Sarthois — recours gracieux — Département de la Sarthe "
        "(généré avec --hors-delai)",
    ]
    # --force alone, in time: replaces the letter in place, no version kept.
    letter.write_bytes(b"PK abime")
    in_time = runner.invoke(main, [*base, "--aujourdhui", "2026-11-25", "--force"])
    assert in_time.exit_code == 0, in_time.output
    assert letter.read_bytes() != b"PK abime"
    assert not list((sortie / ORG_B).glob("*_version-*"))


def test_report_xlsx_has_the_same_lines_and_the_synthesis(batch: tuple[Path, Path]) -> None:
    _, sortie = batch
    workbook = load_workbook(sortie / "rapport.xlsx", read_only=True)
    assert workbook.sheetnames == ["Rapport", "Par autorité", "Par département"]
    rows = list(workbook["Rapport"].iter_rows(values_only=True))
    assert len(rows) == 1 + len(report(sortie))
    ars = next(r for r in rows if r[2] and str(r[2]).startswith("Agence"))
    assert ars[3] == "Agence régionale de santé"
    assert ars[5] == "Agence régionale de santé Auvergne-Rhône-Alpes"  # destinataire
    assert float(ars[10]) == pytest.approx(42595.07)
    assert ars[11] == dt.datetime(2026, 12, 21)
    by_authority = list(workbook["Par autorité"].iter_rows(values_only=True))
    assert by_authority[1][:2] == (
        "Agence régionale de santé Auvergne-Rhône-Alpes",
        "Agence régionale de santé",
    )
    assert by_authority[1][5:] == (2, 1)
    departements = list(workbook["Par département"].iter_rows(values_only=True))
    assert departements[0][:2] == ("Département", "Nom du département")
    assert [(r[0], r[1], r[5], r[6]) for r in departements[1:]] == [
        ("01", "Ain", 2, 1),
        ("72", "Sarthe", 1, 1),
    ]


def test_synthesis_html_has_the_bar_chart(batch: tuple[Path, Path]) -> None:
    _, sortie = batch
    html = (sortie / "synthese.html").read_text("utf-8")
    assert "<svg" in html and html.count('fill="#c0392b"></rect>') == 1 + 3  # legend + bars
    assert "Agence régionale de santé Auvergne-Rhône-Alpes" in html
    assert "lot.xlsx" not in html  # no internal file name in what leaves the federation
    svg = (sortie / "synthese-graphique.svg").read_text("utf-8")
    assert svg.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns=')
    assert "42\u202f595\u00a0€" in svg  # rounded to the euro
    import xml.etree.ElementTree as ET

    ET.fromstring(svg.split("\n", 1)[1])  # well-formed: pasteable as is
    assert "Département de la Sarthe" in html
    assert "1 établissement(s) en erreur ou retenu(s) ne sont pas compté(s)" in html
    assert "01 — Ain" in html
    assert not (sortie / "synthese.pdf").exists()  # Word only: no WeasyPrint


def test_grouping_one_letter_per_authority_with_its_etablissements(
    batch: tuple[Path, Path],
) -> None:
    _, sortie = batch
    folder = sortie / ORG_A
    assert sorted(p.name for p in folder.iterdir()) == [
        MANIFEST,
        "recours-gracieux_agence-regionale-de-sante-auvergne-rhone-alpes.docx",
        "recours-gracieux_departement-de-l-ain.docx",
    ]
    ars = docx_text(folder / "recours-gracieux_agence-regionale-de-sante-auvergne-rhone-alpes.docx")
    cd = docx_text(folder / "recours-gracieux_departement-de-l-ain.docx")
    assert "IME Les Sources" in ars and "FAM Le Belvédère" in ars
    assert "FAM Le Belvédère" in cd and "IME Les Sources" not in cd
    assert "SESSAD Les Ruisseaux" not in ars  # the bad row is left out


def test_yaml_list_of_dossiers(tmp_path: Path, dossier_data: dict[str, Any]) -> None:
    dossier_data["decisions"][0] |= {"date": "2026-10-10", "date_notification": "2026-10-15"}
    bad = {**dossier_data, "organisme": {**dossier_data["organisme"], "siren": "123"}}
    source = tmp_path / "dossiers.yaml"
    source.write_text(yaml.safe_dump([dossier_data, bad], allow_unicode=True), "utf-8")
    summary = run(source, tmp_path / "s")
    assert (summary.generes, summary.lignes_en_erreur) == (1, 1)
    siren_line = source.read_text("utf-8").splitlines().index("    siren: '123'") + 1
    assert errors(report(tmp_path / "s")) == [
        (
            "",
            str(siren_line),
            "",
            "organisme.siren",
            "SIREN invalide : 9 chiffres attendus avec une clé de contrôle correcte",
        )
    ]


# ------------------------------------------------------------------ formats and cells


@pytest.mark.parametrize(
    ("delimiter", "encoding"),
    [(";", "utf-8"), (",", "utf-8"), (";", "utf-8-sig"), (",", "utf-8-sig"), (";", "cp1252")],
)
def test_csv_dialects_and_encodings(
    tmp_path: Path, batch: tuple[Path, Path], delimiter: str, encoding: str
) -> None:
    source = write_csv(tmp_path / "lot.csv", clean_rows(), delimiter, encoding)
    table = open_table(source)
    assert (table.delimiter, table.encoding) == (  # type: ignore[attr-defined]
        delimiter,
        "utf-8" if encoding == "utf-8" else encoding,
    )
    run(source, tmp_path / "s")
    lines = report(tmp_path / "s")
    assert letters(lines) == EXPECTED_LETTERS
    # CSV has no sheet; rows and columns are those a spreadsheet shows.
    assert errors(lines) == [("", *e[1:]) for e in CLEAN_ERRORS]
    assert lines[0]["Organisme"] == "Association Les Éclaireurs de l'Ain"
    assert docx_text(
        tmp_path / "s" / ORG_A / "recours-gracieux_departement-de-l-ain.docx"
    ) == docx_text(batch[1] / ORG_A / "recours-gracieux_departement-de-l-ain.docx")


def test_leading_zeros_survive_xlsx_text_and_numeric_cells_and_csv(tmp_path: Path) -> None:
    text_row = lot_rows()[0]
    numeric_row = {
        **text_row,
        "etablissement.finess": 10000000,
        "etablissement.adresse.code_postal": 1000,
        "etablissement.departement": 1,
        "organisme.siege.code_postal": 1000.0,
    }
    source = write_xlsx(tmp_path / "zeros.xlsx", [text_row, numeric_row])
    rows = list(XlsxSource(source).rows())
    for row in rows:
        assert row.values["etablissement.finess"] == "010000000"
        assert row.values["etablissement.adresse.code_postal"] == "01000"
        assert row.values["organisme.siege.code_postal"] == "01000"
    assert rows[0].values["etablissement.departement"] == "01"
    assert rows[1].values["etablissement.departement"] == "01"
    # A CSV saved by Excel from a sheet where the zeros were lost.
    lost = {
        **text_row,
        "etablissement.finess": "10000000",
        "etablissement.adresse.code_postal": "1000",
    }
    csv_source = write_csv(tmp_path / "zeros.csv", [text_row, lost], ";", "utf-8")
    for row in open_table(csv_source).rows():
        assert row.values["etablissement.finess"] == "010000000"
        assert row.values["etablissement.adresse.code_postal"] == "01000"
    summary = run(write_xlsx(tmp_path / "un.xlsx", [numeric_row]), tmp_path / "s")
    assert summary.ok and summary.generes == 1


def test_cell_text_conversions() -> None:
    cols = {c.key: c for c in columns()}
    date_col, etp, siret = cols["decision1.date"], cols["exercice2024.etp"], cols["organisme.siret"]
    assert cell_text(date_col, "15/03/2026") == ("2026-03-15", None)
    assert cell_text(date_col, dt.datetime(2026, 3, 15)) == ("2026-03-15", None)
    assert cell_text(date_col, 46096) == ("2026-03-15", None)  # Excel serial number
    assert cell_text(date_col, "31/02/2026") == (None, "date invalide : « 31/02/2026 »")
    assert cell_text(etp, 0.1 + 0.2) == ("0.3", None)
    assert cell_text(etp, 6.0) == ("6", None)
    assert cell_text(etp, "  ") == (None, None)
    assert cell_text(siret, 1234567800011) == ("01234567800011", None)
    assert cell_text(cols["decision1.voies_et_delais_mentionnes"], True) == ("oui", None)


def test_unknown_header_is_refused(tmp_path: Path) -> None:
    from recours.errors import RecoursError

    source = tmp_path / "lot.csv"
    source.write_text("Organisme — SIREN;Couleur préférée\n778899112;bleu\n", "utf-8")
    with pytest.raises(
        RecoursError, match="colonne\\(s\\) inconnue\\(s\\) : B « Couleur préférée »"
    ):
        open_table(source)


# ------------------------------------------------------------------ resumption


def _counting_generate(monkeypatch: pytest.MonkeyPatch, fail_at: int | None = None) -> list[str]:
    calls: list[str] = []
    real = documents.generate

    def wrapper(dossier: Any, **kwargs: Any) -> Any:
        calls.append(dossier.organisme.raison_sociale)
        if fail_at is not None and len(calls) == fail_at:
            raise KeyboardInterrupt
        return real(dossier, **kwargs)

    monkeypatch.setattr(documents, "generate", wrapper)
    return calls


def test_resume_after_interruption_skips_complete_dossiers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_xlsx(tmp_path / "lot.xlsx", clean_rows())
    sortie = tmp_path / "s"
    _counting_generate(monkeypatch, fail_at=2)
    with pytest.raises(KeyboardInterrupt):
        run(source, sortie)
    # Organisme A is complete; B was interrupted after its manifest said "en_cours";
    # no report was half-written.
    assert '"termine"' in (sortie / ORG_A / MANIFEST).read_text("utf-8")
    assert '"en_cours"' in (sortie / ORG_B / MANIFEST).read_text("utf-8")
    assert not (sortie / "rapport.csv").exists()
    assert [p.name for p in sortie.iterdir() if p.name.endswith(".tmp")] == []
    done = sortie / ORG_A / "recours-gracieux_departement-de-l-ain.docx"
    os.utime(done, (1_000_000_000, 1_000_000_000))

    calls = _counting_generate(monkeypatch)
    summary = run(source, sortie)
    assert calls == ["Association Le Relais Sarthois"]
    assert done.stat().st_mtime == 1_000_000_000
    assert (summary.generes, summary.a_jour) == (1, 2)
    statuses = [r["Statut"] for r in report(sortie) if r["Statut"] != "erreur"]
    assert statuses == [STATUT_A_JOUR, STATUT_A_JOUR, STATUT_GENERE]

    # A deleted output makes its dossier incomplete: only that one is redone.
    (sortie / ORG_B / "recours-gracieux_departement-de-la-sarthe.docx").unlink()
    calls = _counting_generate(monkeypatch)
    run(source, sortie)
    assert calls == ["Association Le Relais Sarthois"]
    assert (sortie / ORG_B / "recours-gracieux_departement-de-la-sarthe.docx").is_file()
    assert done.stat().st_mtime == 1_000_000_000


def test_foreign_files_and_reports_are_not_overwritten(tmp_path: Path) -> None:
    from recours.errors import RecoursError

    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    sortie = tmp_path / "s"
    (sortie / ORG_B).mkdir(parents=True)
    mine = sortie / ORG_B / "recours-gracieux_departement-de-la-sarthe.docx"
    mine.write_bytes(b"mon courrier")
    summary = run(source, sortie)
    assert summary.erreurs_organisme == 1 and mine.read_bytes() == b"mon courrier"
    other = tmp_path / "autre"
    other.mkdir()
    (other / "rapport.csv").write_text("à moi", "utf-8")
    with pytest.raises(RecoursError, match="ne vient pas de « recours lot »"):
        run(source, other)


# ------------------------------------------------------------------ parallel


def test_parallel_output_is_identical_to_sequential(
    tmp_path: Path, batch: tuple[Path, Path]
) -> None:
    source, sequential = batch
    parallel = tmp_path / "p"
    run(source, parallel, jobs=2, force=False)
    assert (parallel / "rapport.csv").read_text("utf-8") == (sequential / "rapport.csv").read_text(
        "utf-8"
    )
    files = sorted(p.relative_to(sequential) for p in sequential.rglob("*.docx"))
    assert files == sorted(p.relative_to(parallel) for p in parallel.rglob("*.docx"))
    assert len(files) == 3
    for rel in files:
        assert docx_text(parallel / rel) == docx_text(sequential / rel)


# ------------------------------------------------------------------ empty workbook


def test_modele_workbook_headers_validations_text_formats(
    tmp_path: Path, runner: CliRunner
) -> None:
    path = tmp_path / "modele.xlsx"
    result = runner.invoke(main, ["lot", "modele", str(path)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(main, ["lot", "modele", str(path)]).exit_code == 1  # no overwrite
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["Instructions", DATA_SHEET, "Listes"]
    sheet = workbook[DATA_SHEET]
    headers = [c.value for c in sheet[1]]
    assert headers == [c.header for c in columns()]
    letter = {c.key: sheet.cell(row=1, column=i + 1).column_letter for i, c in enumerate(columns())}
    for key in (
        "etablissement.finess",
        "organisme.siret",
        "organisme.siren",
        "etablissement.departement",
        "etablissement.adresse.code_postal",
    ):
        assert sheet[f"{letter[key]}2"].number_format == "@", key
        assert sheet.column_dimensions[letter[key]].number_format == "@", key
    validations = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1
        for v in sheet.data_validations.dataValidation
    }
    lists = workbook["Listes"]

    def choices(key: str) -> list[str]:
        ref = validations[letter[key]].split("!")[1].replace("$", "")
        return [c.value for row in lists[ref] for c in row]

    assert choices("etablissement.categorie")[:3] == [
        "Institut médico-éducatif (IME)",
        "Institut d'éducation motrice (IEM)",
        "Institut thérapeutique, éducatif et pédagogique (ITEP / DITEP)",
    ]
    assert choices("autorite1.type") == [
        "Agence régionale de santé",
        "Conseil départemental",
        "Préfet de département",
        "Préfet de région",
    ]
    assert choices("etablissement.regime_budgetaire") == [
        "Procédure budgétaire contradictoire (budget prévisionnel et compte administratif)",
        "CPOM et état des prévisions de recettes et de dépenses (EPRD)",
    ]
    assert choices("etablissement.methode") == [
        "ETP × coefficient de charges saisi",
        "Coût unitaire DGCS",
        "Coût réel (paie)",
    ]
    assert "Arrêté de tarification" in choices("decision2.nature")
    assert choices("decision1.voies_et_delais_mentionnes") == ["oui", "non"]
    assert sheet[f"{letter['decision1.date']}2"].number_format == "DD/MM/YYYY"
    finess_help = next(
        r
        for r in workbook["Instructions"].iter_rows(values_only=True)
        if r[1] == "Établissement — FINESS"
    )
    assert finess_help[4] == (
        "L'établissement de la ligne : Numéro FINESS (9 caractères ; seul le format est contrôlé)."
    )
    instructions = [c.value for c in workbook["Instructions"]["B"] if c.value]
    assert "Établissement — FINESS" in instructions

    # Filled in by a user, the template is read back with its zeros.
    for i, key in enumerate(c.key for c in columns()):
        value = lot_rows()[0].get(key)
        if value is not None:
            sheet.cell(row=2, column=i + 1, value=value)
    workbook.save(path)
    summary = run(path, tmp_path / "s")
    assert summary.ok and summary.generes == 1


def test_choice_labels_are_read_back_as_keys_and_both_date_forms_accepted(
    tmp_path: Path,
) -> None:
    labelled = {
        **lot_rows()[3],
        "etablissement.categorie": "Maison d'enfants à caractère social (MECS)",
        "etablissement.regime_budgetaire": "procédure budgétaire contradictoire (budget "
        "prévisionnel et compte administratif)",
        "etablissement.methode": "ETP × coefficient de charges saisi",
        "autorite1.type": "Conseil départemental",
        "decision1.nature": "Arrêté de tarification",
        "decision1.date": "2026-10-02",  # ISO as well as JJ/MM/AAAA
    }
    keyed = lot_rows()[3]
    a = run(write_xlsx(tmp_path / "a.xlsx", [labelled]), tmp_path / "a")
    b = run(write_xlsx(tmp_path / "b.xlsx", [keyed]), tmp_path / "b")
    assert a.ok and b.ok
    name = f"{ORG_B}/recours-gracieux_departement-de-la-sarthe.docx"
    assert docx_text(tmp_path / "a" / name) == docx_text(tmp_path / "b" / name)
    wrong = {**keyed, "autorite1.type": "Mairie"}
    run(write_xlsx(tmp_path / "c.xlsx", [wrong]), tmp_path / "c")
    (error,) = errors(report(tmp_path / "c"))
    assert error[3:] == (
        "Autorité 1 — type",
        "valeur non autorisée « Mairie » ; valeurs possibles : « Agence régionale de santé », "
        "« Conseil départemental », « Préfet de département », « Préfet de région »",
    )


# ------------------------------------------------------------------ PDF and zip


def test_pdf_synthesis_and_zip(tmp_path: Path) -> None:
    from pypdf import PdfReader

    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    opts = LotOptions(sortie=tmp_path / "s", today=TODAY, formats=("pdf",))
    summary = run_lot(source, opts, jobs=1, zip_output=True)
    assert summary.ok
    text = PdfReader(tmp_path / "s" / "synthese.pdf").pages[0].extract_text()
    assert "Département de la Sarthe" in text
    assert "Reste à financer" in text and "lot.xlsx" not in text
    import zipfile

    names = zipfile.ZipFile(tmp_path / "s" / "lot.zip").namelist()
    assert f"{ORG_B}/recours-gracieux_departement-de-la-sarthe.pdf" in names
    assert "rapport.xlsx" in names and not any(MANIFEST in n for n in names)


def test_exercise_columns_start_with_the_accord() -> None:
    from recours.batch.columns import EXERCISES
    from recours.law.referentiel import load_referentiel

    assert EXERCISES[0] == load_referentiel().accord.date_effet.valeur.year
    assert tuple(range(EXERCISES[0], EXERCISES[-1] + 1)) == EXERCISES


# ------------------------------------------------------------------ hostile outputs (issue 15)


def test_zip_never_follows_a_symlink(tmp_path: Path) -> None:
    import zipfile

    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    sortie = tmp_path / "s"
    run(source, sortie)
    (sortie / "motdepasse").symlink_to("/etc/passwd")
    outside = tmp_path / "ailleurs"
    outside.mkdir()
    (outside / "secret.txt").write_text("secret", "utf-8")
    (sortie / "lien-dossier").symlink_to(outside, target_is_directory=True)
    opts = LotOptions(sortie=sortie, today=TODAY, formats=("docx",))
    run_lot(source, opts, jobs=1, zip_output=True)
    names = zipfile.ZipFile(sortie / "lot.zip").namelist()
    assert f"{ORG_B}/recours-gracieux_departement-de-la-sarthe.docx" in names
    assert not [n for n in names if "motdepasse" in n or "secret" in n or "lien" in n]


def test_a_symlinked_organisme_folder_is_not_written_through(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    sortie = tmp_path / "s"
    sortie.mkdir()
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (sortie / ORG_B).symlink_to(elsewhere, target_is_directory=True)
    summary = run(source, sortie)
    assert not summary.ok and summary.erreurs_organisme == 1
    assert list(elsewhere.iterdir()) == []
    (line,) = [r for r in report(sortie) if r["Statut"] == "erreur"]
    assert line["Message"].startswith(f"{ORG_B} est un lien symbolique ou un fichier")


def test_the_same_organisme_twice_in_a_list_gets_two_folders(
    tmp_path: Path, dossier_data: dict[str, Any]
) -> None:
    dossier_data["decisions"][0] |= {"date": "2026-10-10", "date_notification": "2026-10-15"}
    other = yaml.safe_load(yaml.safe_dump(dossier_data))
    other["etablissements"][0]["exercices"][0]["etp"] = "9"
    source = tmp_path / "dossiers.yaml"
    source.write_text(yaml.safe_dump([dossier_data, other], allow_unicode=True), "utf-8")
    for jobs in (1, 2):
        sortie = tmp_path / f"s{jobs}"
        summary = run(source, sortie, jobs=jobs)
        assert summary.ok and summary.generes == 2, report(sortie)
        folders = sorted(p.name for p in sortie.iterdir() if p.is_dir())
        assert len(folders) == 2 and folders[1] == folders[0] + "_2"
        # Re-run: both up to date, no false « données modifiées ».
        again = run(source, sortie, jobs=jobs)
        assert (again.generes, again.a_jour, again.versions) == (0, 2, [])


def test_a_folder_of_dossier_files(tmp_path: Path, dossier_data: dict[str, Any]) -> None:
    dossier_data["decisions"][0] |= {"date": "2026-10-10", "date_notification": "2026-10-15"}
    folder = tmp_path / "dossiers"
    folder.mkdir()
    (folder / "a.yaml").write_text(yaml.safe_dump(dossier_data, allow_unicode=True), "utf-8")
    (folder / "b.yaml").write_text("organisme: [\n", "utf-8")
    (folder / "notes.txt").write_text("ignoré", "utf-8")
    summary = run(folder, tmp_path / "s")
    assert (summary.dossiers, summary.generes, summary.lignes_en_erreur) == (2, 1, 1)
    (error,) = errors(report(tmp_path / "s"))
    assert error[0] == "b.yaml" and error[4].startswith("YAML invalide")


def test_disk_full_while_writing_the_report_is_a_french_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from recours.batch import report as report_module
    from recours.errors import RecoursError

    def full(self: Any, synthesis: Any) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(report_module.ReportWriter, "close", full)
    sortie = tmp_path / "s"
    with pytest.raises(RecoursError, match="écriture du rapport impossible") as info:
        run(write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4]), sortie)
    assert os.strerror(errno.ENOSPC) in str(info.value)
    assert [p.name for p in sortie.iterdir() if p.name.endswith(".tmp")] == []


def test_stale_report_temporaries_of_a_killed_run_are_removed(tmp_path: Path) -> None:
    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    sortie = tmp_path / "s"
    run(source, sortie)
    stale = sortie / ".rapport.csv.abc123.tmp"
    stale.write_text("reste d'un kill -9", "utf-8")
    (sortie / ORG_B / ".recours-gracieux_x.docx.zz.tmp").write_bytes(b"")
    run(source, sortie)
    assert not stale.exists()


def test_workers_exit_when_the_parent_is_killed(tmp_path: Path) -> None:
    """kill -9 of the parent: the workers notice it and end (they used to wait forever)."""
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing, os, time\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from recours.batch import runner\n"
        "if __name__ == '__main__':\n"
        "    context = multiprocessing.get_context('spawn')\n"
        "    pool = ProcessPoolExecutor(2, mp_context=context, initializer=runner._exit_with_parent)\n"
        "    pids = {pool.submit(os.getpid).result() for _ in range(4)}\n"
        "    print(' '.join(str(p) for p in pids), flush=True)\n"
        "    time.sleep(60)\n",
        "utf-8",
    )
    parent = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    workers = [int(p) for p in parent.stdout.readline().split()]
    assert workers
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _alive(p)]
    assert alive == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped by init) counts as gone.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


# ------------------------------------------------------------------ the example of the README


def _example_script() -> Any:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / "generate_example_workbook.py"
    spec = importlib.util.spec_from_file_location("generate_example_workbook", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_example_workbook_and_csv_generate_the_same_letters(
    tmp_path: Path, runner: CliRunner
) -> None:
    examples = Path(__file__).resolve().parent.parent / "examples"
    outputs = {}
    for name in ("lot-federation.xlsx", "lot-federation.csv"):
        sortie = tmp_path / name
        args = ["lot", "generer", str(examples / name), "--sortie", str(sortie)]
        result = runner.invoke(
            main, [*args, "--formats", "docx", "-j", "1", "--aujourdhui", "2026-11-25"]
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[:2] == [
            f"Lot {name} : 7 ligne(s), 4 organisme(s) ou groupe(s).",
            "Courriers : 6 généré(s), 0 déjà à jour, 0 refusé(s), 0 retenu(s).",
        ]
        outputs[name] = [
            (
                r["Organisme"],
                r["Autorité"],
                r["Type d'autorité"],
                r["Montant dû (€)"],
                r["Écart (€)"],
                r["Document"],
                r["Destinataire"],
            )
            for r in report(sortie)
        ]
        # The ARS funding notified for 2026 and partly paid: a mise en demeure to the caisse.
        synthese = (sortie / "synthese.html").read_text(encoding="utf-8")
        assert "pas encore versés (mises en demeure de payer préparées) : <strong>38" in synthese
    assert outputs["lot-federation.xlsx"] == outputs["lot-federation.csv"]
    assert ("Association L'Escale Nordique", "Préfecture de la région Hauts-de-France") in [
        row[:2] for row in outputs["lot-federation.csv"]
    ]
    assert [row for row in outputs["lot-federation.csv"] if row[5] != "recours gracieux"] == [
        (
            "Association Horizons Solidaires de l'Ain",
            "Agence régionale de santé Auvergne-Rhône-Alpes",
            "Agence régionale de santé",
            "68510,00",
            "38510,00",
            "mise en demeure de payer",
            "Caisse primaire d'assurance maladie de l'Ain",
        )
    ]


def test_example_files_are_what_the_script_writes(tmp_path: Path) -> None:
    script = _example_script()
    examples = Path(__file__).resolve().parent.parent / "examples"
    script.write_csv(tmp_path / "lot.csv")
    assert (tmp_path / "lot.csv").read_bytes() == (examples / "lot-federation.csv").read_bytes()
    script.write_xlsx(tmp_path / "lot.xlsx")

    def cells(path: Path) -> list[tuple[Any, ...]]:
        sheet = load_workbook(path, read_only=True)[DATA_SHEET]
        return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]

    assert cells(tmp_path / "lot.xlsx") == cells(examples / "lot-federation.xlsx")


def test_ctrl_c_says_how_to_resume(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from recours.batch import runner as runner_module

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(runner_module, "run_lot", interrupted)
    source = write_xlsx(tmp_path / "lot.xlsx", lot_rows()[3:4])
    args = ["lot", "generer", str(source), "--sortie", str(tmp_path / "mon lot"), "-j", "1"]
    monkeypatch.setattr(sys, "argv", ["recours", *args])
    result = runner.invoke(main, args)
    assert result.exit_code == 130
    assert result.stderr == (
        "\nInterrompu. Les organismes terminés sont conservés ; pour reprendre, relancez la "
        f"même commande : recours lot generer {source} --sortie '{tmp_path / 'mon lot'}' -j 1\n"
    )


def test_batch_counts_add_every_counter_and_cap_the_lists() -> None:
    from recours.batch.runner import KEPT_PROBLEMS, GroupResult, LotSummary

    summary = LotSummary(sortie=Path("sortie"), versions=["v"] * (KEPT_PROBLEMS - 1))
    group = GroupResult(index=0, generes=3, refuses=1, fichiers=7, versions=["w", "x"])
    summary.add(group)
    summary.add(GroupResult(index=1, generes=2, retenus=4))
    assert (summary.generes, summary.refuses, summary.retenus, summary.fichiers) == (5, 1, 4, 7)
    assert summary.versions[-1] == "w" and len(summary.versions) == KEPT_PROBLEMS
    assert not summary.ok


# ------------------------------------------------------------ issue 11 route columns

SARTHE_ROUTES = {
    "demande1.date_envoi": "02/03/2026",
    "demande1.date_reception": "05/03/2026",
    "demande1.accuse_reception_conforme": "oui",
    "demande1.exercices": "2024 ; 2025",
    "demande1.rejet_explicite.date_notification": "20/04/2026",
    "demande1.rejet_explicite.voies_et_delais_mentionnes": "non",
    "exercice2025.notifie1": "9 000,00",
    "exercice2025.notifie1_date": "10/06/2025",
    "exercice2025.notifie1_reference": "CD72-2025-77",
    "exercice2025.verse1": "3000",
    "exercice2025.verse1_date": "20/09/2025",
    "financement1.payeur": "Paierie départementale de la Sarthe",
    "financement1.payeur_adresse.voie": "5 rue du Trésor",
    "financement1.payeur_adresse.code_postal": "72000",
    "financement1.payeur_adresse.commune": "Le Mans",
}


def _letter(key: str) -> str:
    from recours.batch.columns import column_letter

    return column_letter(next(i for i, c in enumerate(columns()) if c.key == key))


def _header(key: str) -> str:
    return next(c.header for c in columns() if c.key == key)


def test_route_columns_fill_the_dossier_and_keep_old_workbooks_valid(tmp_path: Path) -> None:
    from recours.batch.input import open_table
    from recours.batch.rows import build_group

    source = write_csv(tmp_path / "lot.csv", [{**lot_rows()[3], **SARTHE_ROUTES}], ";", "utf-8")
    rows = list(open_table(source).rows())
    dossier = build_group(rows, "lot.csv", TODAY).dossier
    assert dossier is not None
    (demande,) = dossier.demandes_indemnitaires
    assert (demande.autorite, demande.exercices) == ("cd-72", [2024, 2025])
    assert (demande.date_envoi, demande.date_reception) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 5),
    )
    assert demande.accuse_reception_conforme is True
    assert demande.rejet_explicite is not None
    assert demande.rejet_explicite.date_notification == dt.date(2026, 4, 20)
    assert demande.rejet_explicite.voies_et_delais_mentionnes is False
    (fin,) = dossier.financements_notifies
    assert (fin.autorite, fin.etablissement, fin.exercice) == ("cd-72", "720000011", 2025)
    assert (fin.date_notification, fin.reference) == (dt.date(2025, 6, 10), "CD72-2025-77")
    assert (str(fin.montant_notifie), str(fin.reste_du)) == ("9000.00", "6000.00")
    assert [(v.date, str(v.montant)) for v in fin.versements] == [(dt.date(2025, 9, 20), "3000")]
    assert fin.payeur == "Paierie départementale de la Sarthe"
    assert fin.payeur_adresse is not None and fin.payeur_adresse.commune == "Le Mans"
    assert dossier.mises_en_demeure == []
    # A workbook written before these columns (no route header at all) still reads.
    old = [c for c in columns() if not c.key.startswith(("demande", "mise_en", "financement"))]
    old = [c for c in old if "notifie" not in c.key and ".verse" not in c.key]
    path = tmp_path / "ancien.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow([c.header for c in old])
        writer.writerow([lot_rows()[3].get(c.key, "") for c in old])
    dossier = build_group(list(open_table(path).rows()), "ancien.csv", TODAY).dossier
    assert dossier is not None and dossier.financements_notifies == []


@pytest.mark.parametrize(
    ("cells", "key", "message"),
    [
        ({"exercice2025.notifie1": "beaucoup"}, "exercice2025.notifie1",
         "nombre invalide : « beaucoup »"),
        ({"exercice2025.verse1_date": None}, "exercice2025.verse1_date",
         "champ obligatoire manquant"),
        ({"exercice2025.notifie1_date": "31/02/2025"}, "exercice2025.notifie1_date",
         "date invalide : « 31/02/2025 »"),
        ({"exercice2025.notifie1_date": "10/01/2027"}, "exercice2025.notifie1_date",
         "date du 10/01/2027 postérieure à la date du jour (25/11/2026) : indiquez une date "
         "passée"),
        ({"demande1.date_reception": "01/03/2026"}, "demande1.date_reception",
         "antérieure à la date d'envoi"),
        ({"demande1.accuse_reception_conforme": "peut-être"},
         "demande1.accuse_reception_conforme", "oui ou non attendu"),
        ({"exercice2025.notifie2": "500"}, "exercice2025.notifie2",
         "financement notifié par l'autorité 2, mais aucune autorité 2 n'est indiquée sur la "
         "ligne"),
        ({"mise_en_demeure1.date_envoi": "02/05/2026", "financement1.payeur": None,
          "financement1.payeur_adresse.voie": None, "financement1.payeur_adresse.code_postal":
          None, "financement1.payeur_adresse.commune": None},
         "mise_en_demeure1.payeur", "champ obligatoire manquant"),
    ],
)  # fmt: skip
def test_a_bad_route_cell_is_named_by_sheet_row_and_column(
    tmp_path: Path, cells: dict[str, str | None], key: str, message: str
) -> None:
    row = {**lot_rows()[3], **SARTHE_ROUTES, **cells}
    row = {k: v for k, v in row.items() if v is not None}
    sortie = tmp_path / "s"
    summary = run(write_xlsx(tmp_path / "lot.xlsx", [row]), sortie)
    assert not summary.ok and summary.generes == 0
    (error,) = errors(report(sortie))
    assert error[:4] == (DATA_SHEET, "2", _letter(key), _header(key))
    assert error[4].startswith(message), error[4]
    assert not (sortie / ORG_B).exists()  # nothing half-written for the organisme


def test_a_notified_unpaid_funding_in_the_workbook_gives_a_mise_en_demeure(
    tmp_path: Path,
) -> None:
    row = {**lot_rows()[3], **SARTHE_ROUTES}
    sortie = tmp_path / "s"
    summary = run(write_xlsx(tmp_path / "lot.xlsx", [row]), sortie)
    assert summary.ok, errors(report(sortie))
    lines = [r for r in report(sortie) if r["Document"] == "mise en demeure de payer"]
    (line,) = lines
    assert (line["Autorité"], line["Montant dû (€)"], line["Montant reçu (€)"]) == (
        "Département de la Sarthe",
        "9000,00",
        "3000,00",
    )
    assert line["Écart (€)"] == "6000,00"
    assert line["Destinataire"] == "Paierie départementale de la Sarthe"
    text = docx_text(sortie / line["Fichiers"])
    assert "Paierie départementale de la Sarthe" in text
    assert "6 000,00" in text and "CD72-2025-77" in text


def test_a_demande_repeated_on_each_row_is_one_and_funding_stays_per_etablissement(
    tmp_path: Path,
) -> None:
    from recours.batch.input import open_table
    from recours.batch.rows import build_group

    second = {
        **lot_rows()[4],
        "decision1.date_notification": "08/10/2026",
        **SARTHE_ROUTES,
        "exercice2025.notifie1": "1000",
    }
    rows = [{**lot_rows()[3], **SARTHE_ROUTES}, second]
    source = write_csv(tmp_path / "lot.csv", rows, ";", "utf-8")
    outcome = build_group(list(open_table(source).rows()), "lot.csv", TODAY)
    assert outcome.problems == [] and outcome.dossier is not None
    assert len(outcome.dossier.demandes_indemnitaires) == 1
    assert [
        (f.etablissement, str(f.montant_notifie)) for f in outcome.dossier.financements_notifies
    ] == [
        ("720000011", "9000.00"),
        ("720000029", "1000"),
    ]
    # A payer without any notified funding on its row is a problem of its cell.
    alone = {
        k: v
        for k, v in rows[0].items()
        if not k.startswith(("exercice2025.notifie", "exercice2025.verse"))
    }
    source = write_csv(tmp_path / "seul.csv", [alone], ";", "utf-8")
    (problem,) = build_group(list(open_table(source).rows()), "seul.csv", TODAY).problems
    assert (problem.row, problem.column) == (2, "financement1.payeur")
    assert problem.message.startswith("payeur indiqué, mais aucun financement notifié")
