"""The wheel ships the templates and works outside the source tree; a real Word client
(LibreOffice) opens every generated .docx."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from datetime import date
from pathlib import Path

import pytest

from docs_text import SOFFICE, docx_paragraphs, libreoffice_pdf, normalise_pdf, pdf_text
from recours.documents.generate import generate
from recours.dossier.validation import load_dossier

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(dist),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("recours-*.whl")
    return built


def test_wheel_contains_templates_data_and_fonts(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "recours/templates/recours_gracieux.docx",
        "recours/templates/recours_gracieux.html",
        "recours/templates/requete.docx",
        "recours/templates/requete.html",
        "recours/templates/style.css",
        "recours/templates/fonts/LiberationSerif-Regular.ttf",
        "recours/templates/fonts/OFL.txt",
        "recours/data/referentiel.yaml",
        "recours/data/tribunaux.csv",
        "recours/examples/multisite-ars-cpom.yaml",
    ):
        assert required in names, required


def test_installed_wheel_generates_an_example(wheel: Path, tmp_path: Path) -> None:
    """pip-install the wheel alone into a fresh venv and run its `recours` script.

    Dependencies come from the project's venv through PYTHONPATH: no network, and
    PYTHONPATH does not read the editable install's .pth, so the wheel's copy is used.
    """
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import recours; print(recours.__file__)"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    )
    assert where.stdout.startswith(str(venv))  # the wheel's copy, not the source tree
    out = tmp_path / "sortie"
    run = subprocess.run(
        [
            str(venv / "bin" / "recours"),
            "generer",
            str(ROOT / "examples" / "chrs-prefet-region.yaml"),
            "--sortie",
            str(out),
            "--formats",
            "docx,pdf",
            "--aujourdhui",
            "2026-11-22",
        ],
        env=env,
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    docx = out / "requete_dgf-2026_prefecture-de-la-region-hauts-de-france.docx"
    # The requête against the 2026 DGF claims 2026 only (19 278,00 due, 6 000,00 received).
    assert (
        "Soit un financement restant dû de 13 278,00 € (treize mille deux cent soixante-dix-huit euros)."
        in docx_paragraphs(docx)
    )
    assert "13 278,00 €" in normalise_pdf(pdf_text(docx.with_suffix(".pdf")))


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice absent (installé par .ci/run)")
def test_libreoffice_opens_and_converts_every_docx(tmp_path: Path) -> None:
    docs = []
    for example in sorted((ROOT / "examples").glob("*.yaml")):
        result = generate(
            load_dossier(example),
            sortie=tmp_path / example.stem,
            today=date(2026, 11, 22),
            documents=[
                "gracieux",
                "requete",
                "demande_indemnitaire",
                "mise_en_demeure",
                "recours_hierarchique",
                "requete_indemnitaire",
            ],
            formats=["docx"],
            hors_delai=True,
            sans_avocat=True,
        )
        docs += [f.path for f in result.fichiers]
    # 6 recours gracieux, 10 requêtes, 6 demandes indemnitaires, 1 mise en demeure, 2 recours
    # hiérarchiques (the two decisions of the DG ARS; the others are held back), 2 requêtes
    # indemnitaires
    assert len(docs) == 27
    out = tmp_path / "lo"
    libreoffice_pdf(docs, out, tmp_path / "profil")
    for docx in docs:
        pdf = out / (docx.stem + ".pdf")
        assert pdf.exists(), f"LibreOffice n'a pas converti {docx.name}"
        text = normalise_pdf(pdf_text(pdf))
        # The amounts of the Word file survive a real Word client.
        # (the last row of the last table: the total, or the mise en demeure's reste dû)
        total = [p for p in docx_paragraphs(docx) if " | " in p][-1].split(" | ")[-1]
        assert total.replace("\u202f", " ") in text.replace("\u202f", " ")
