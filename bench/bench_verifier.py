"""`recours modeles verifier` and the Word renderer on a template of many empty paragraphs.

Issue 15 §3: a small .docx of empty paragraphs made `verifier` roughly quadratic (lxml
detaching the old body). Prints the time of the check (static + Word rendering of every
example dossier) for n, 2n and 4n paragraphs: linear means the time doubles.

    .venv/bin/python bench/bench_verifier.py [--paragraphes 25000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
import zipfile
from pathlib import Path

from docx import Document

from recours.authoring.check import check_templates


def build(folder: Path, paragraphs: int) -> Path:
    path = folder / "recours_gracieux.docx"
    Document().save(str(path))
    with zipfile.ZipFile(path) as src:
        items = [(i, src.read(i.filename)) for i in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info, data in items:
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * paragraphs, 1)
            dst.writestr(info, data)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphes", type=int, default=25_000)
    args = parser.parse_args()
    for factor in (1, 2, 4):
        n = args.paragraphes * factor
        with tempfile.TemporaryDirectory() as tmp:
            path = build(Path(tmp), n)
            start = time.perf_counter()
            rapport = check_templates(Path(tmp), pdf=False)
            elapsed = time.perf_counter() - start
            print(
                f"{n:>7} paragraphes ({path.stat().st_size // 1000} Ko) : {elapsed:5.2f} s, "
                f"{len(rapport.erreurs)} erreur(s), {rapport.rendus} rendu(s)"
            )


if __name__ == "__main__":
    main()
