"""Speed and memory of the document paths, against bare docxtpl and bare WeasyPrint.

Everything is measured in the same run, alternating the variants document by document,
because this machine is noisy: the ratios are what count.

    .venv/bin/python bench/bench_documents.py [--docx 200] [--pdf 60] [--memoire 500]

- docx: our DocxRenderer (template bytes kept, patched XML and compiled Jinja cached)
  vs bare docxtpl (``DocxTemplate(path)`` + ``render`` + ``save`` per document, same
  sandboxed environment and context).
- pdf: our PdfRenderer (one FontConfiguration, one parsed stylesheet, PDF/A-3u) vs bare
  WeasyPrint (``HTML(string).write_pdf(stylesheets=[CSS(filename)])`` per document, same HTML).
- memory: current RSS every 50 documents over `--memoire` documents of each path.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import time
from collections.abc import Callable
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

from recours.documents.context import gracieux_context
from recours.documents.metadata import Metadonnees
from recours.documents.models import ContexteGracieux
from recours.documents.render_docx import DocxRenderer
from recours.documents.render_pdf import PdfRenderer, harfbuzz_subset_available
from recours.documents.sandbox import bundled_templates_dir, convert_multiline, make_env
from recours.dossier.validation import load_dossier
from recours.law.analysis import analyse
from recours.law.referentiel import load_referentiel

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 11, 22)
PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * PAGE / 2**20


def contexts(n: int) -> list[ContexteGracieux]:
    dossier = load_dossier(ROOT / "examples" / "multisite-ars-cpom.yaml", aujourdhui=TODAY)
    analysis = analyse(dossier, TODAY, load_referentiel())
    doc = next(d for d in analysis.documents if d.kind == "gracieux" and d.autorite == "ars-idf")
    base = gracieux_context(analysis, doc)
    out = []
    for i in range(n):
        raison_sociale = f"Association n° {i} & Cie <test>"
        total_ecart = f"{1000 + i},00 €"
        organisme = base.organisme.model_copy(update={"raison_sociale": raison_sociale})
        montants = base.montants.model_copy(update={"total_ecart": total_ecart})
        out.append(base.model_copy(update={"organisme": organisme, "montants": montants}))
    return out


def paired(
    n: int, first: Callable[[int], None], second: Callable[[int], None]
) -> tuple[list[float], list[float]]:
    """Alternate the two variants document by document; per-document seconds of each."""
    a: list[float] = []
    b: list[float] = []
    for i in range(n):
        for fn, times in ((first, a), (second, b)) if i % 2 == 0 else ((second, b), (first, a)):
            start = time.perf_counter()
            fn(i)
            times.append(time.perf_counter() - start)
    return a, b


def summary(name: str, times: list[float]) -> dict[str, float]:
    return {
        "variante": name,  # type: ignore[dict-item]
        "docs_par_s": round(len(times) / sum(times), 2),
        "mediane_ms": round(statistics.median(times) * 1000, 1),
    }


def bench_docx(n: int) -> dict[str, Any]:
    from docxtpl import DocxTemplate

    path = bundled_templates_dir() / "recours_gracieux.docx"
    ctxs = contexts(n)
    ours = DocxRenderer(path)
    props = Metadonnees("titre", "auteur", "sujet", TODAY)
    env = make_env()

    def run_ours(i: int) -> None:
        ours.render(ctxs[i], props)

    def run_bare(i: int) -> None:
        from docxtpl import Listing

        tpl = DocxTemplate(str(path))
        tpl.render(
            convert_multiline(ctxs[i], lambda t: Listing(str(t))), jinja_env=env, autoescape=True
        )
        tpl.save(BytesIO())

    run_ours(0)
    run_bare(0)  # warm-up
    ours_t, bare_t = paired(n, run_ours, run_bare)
    return {
        "nous": summary("recours DocxRenderer", ours_t),
        "nu": summary("docxtpl nu", bare_t),
        "rapport_vitesse": round(statistics.median(bare_t) / statistics.median(ours_t), 2),
    }


def bench_pdf(n: int) -> dict[str, Any]:
    from weasyprint import CSS, HTML

    templates = bundled_templates_dir()
    ctxs = contexts(n)
    ours = PdfRenderer([templates])
    meta = Metadonnees("titre", "auteur", "sujet", TODAY)
    htmls = [ours.html("recours_gracieux.html", c) for c in ctxs]
    base_url = templates.as_uri() + "/"

    def run_ours(i: int) -> None:
        ours.render("recours_gracieux.html", ctxs[i], meta)

    def run_bare(i: int) -> None:
        HTML(string=htmls[i], base_url=base_url).write_pdf(
            stylesheets=[CSS(filename=str(templates / "style.css"))]
        )

    run_ours(0)
    run_bare(0)
    ours_t, bare_t = paired(n, run_ours, run_bare)
    return {
        "nous": summary("recours PdfRenderer (PDF/A-3u)", ours_t),
        "nu": summary("WeasyPrint nu", bare_t),
        "rapport_temps": round(statistics.median(ours_t) / statistics.median(bare_t), 3),
        "libharfbuzz_subset": harfbuzz_subset_available(),
    }


def bench_memory(n: int) -> dict[str, Any]:
    templates = bundled_templates_dir()
    ctxs = contexts(50)
    docx = DocxRenderer(templates / "recours_gracieux.docx")
    pdf = PdfRenderer([templates])
    props = Metadonnees("titre", "auteur", "sujet", TODAY)
    meta = Metadonnees("titre", "auteur", "sujet", TODAY)
    samples: dict[str, list[float]] = {"docx": [], "pdf": []}
    for i in range(n):
        docx.render(ctxs[i % 50], props)
        if i % 50 == 49:
            gc.collect()
            samples["docx"].append(round(rss_mib(), 1))
    for i in range(n):
        pdf.render("recours_gracieux.html", ctxs[i % 50], meta)
        if i % 50 == 49:
            gc.collect()
            samples["pdf"].append(round(rss_mib(), 1))
    return {"rss_mib_tous_les_50_documents": samples}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docx", type=int, default=200)
    parser.add_argument("--pdf", type=int, default=60)
    parser.add_argument("--memoire", type=int, default=500)
    args = parser.parse_args()
    results = {
        "docx": bench_docx(args.docx),
        "pdf": bench_pdf(args.pdf),
        "memoire": bench_memory(args.memoire) if args.memoire else None,
    }
    print(json.dumps(results, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "documents.json").write_text(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
