"""Benchmark of `recours lot`: wall time, documents per second, peak memory (parent and
workers) for N établissements, 1 job versus 2 jobs in the same run, and for each number of
jobs the render-only throughput of the same dossiers (the same letters written by
`documents.generate` in a pool of as many processes, without reading the workbook,
grouping, manifests, report or synthesis): the batch should keep at least 90 % of it.

    python bench/bench_lot.py --n 1000 --jobs 1 2 --formats docx,pdf
    python bench/bench_lot.py --n 1000 11000 --formats docx

Each configuration runs in a fresh process (``--une-mesure``) that calls `run_lot` and
reports ``getrusage``: RUSAGE_SELF is the parent (reading, grouping, report), and
RUSAGE_CHILDREN the largest worker (peak RSS of one process, not a sum). Workbooks are
made by bench/generate_workbook.py and cached in bench/out/. Results go to
bench/out/bench_lot.json. The machine is shared and noisy: the load average before each
run is recorded with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TODAY = date(2026, 11, 25)


def one_run(workbook: Path, jobs: int, formats: str) -> dict[str, object]:
    from recours.batch.runner import LotOptions, run_lot

    sortie = Path(tempfile.mkdtemp(prefix="bench-lot-"))
    try:
        options = LotOptions(sortie=sortie, today=TODAY, formats=tuple(formats.split(",")))
        start = time.perf_counter()
        summary = run_lot(workbook, options, jobs=jobs)
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(sortie, ignore_errors=True)
    self_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "lignes": summary.lignes,
        "courriers": summary.generes,
        "documents": summary.fichiers,
        "erreurs": summary.lignes_en_erreur,
        "secondes": round(wall, 2),
        "documents_par_seconde": round(summary.fichiers / wall, 2),
        "rss_parent_mio": round(self_kib / 1024, 1),
        "rss_worker_max_mio": round(children_kib / 1024, 1) if jobs > 1 else None,
    }


def _dossiers(workbook: Path) -> list[str]:
    """The validated dossiers of the workbook, as JSON (built once, outside the timing)."""
    from recours.batch.input import open_table
    from recours.batch.rows import build_group
    from recours.batch.runner import _table_jobs

    _, jobs = _table_jobs(open_table(workbook))
    out = []
    for job in jobs:
        outcome = build_group(job.rows, workbook.name)
        if outcome.dossier is not None and not outcome.problems:
            out.append(outcome.dossier.model_dump_json(by_alias=True))
    return out


_RENDER_FORMATS: tuple[str, ...] = ()


def _render_init(formats: tuple[str, ...]) -> None:
    from recours.batch.runner import LotOptions, warm_up

    global _RENDER_FORMATS
    _RENDER_FORMATS = formats
    warm_up(LotOptions(sortie=Path("."), today=TODAY, formats=formats))


def _render_chunk(args: tuple[str, list[tuple[int, str]]]) -> int:
    import gc

    from recours.documents.generate import generate
    from recours.dossier.models import Dossier

    root, items = args
    written = 0
    for index, data in items:
        result = generate(
            Dossier.model_validate_json(data),
            sortie=Path(root) / str(index),
            today=TODAY,
            formats=_RENDER_FORMATS,
        )
        written += len(result.fichiers)
        gc.collect()
    return written


def render_only(workbook: Path, jobs: int, formats: str) -> dict[str, object]:
    """The same letters rendered and written with no batch machinery around them."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    dossiers = list(enumerate(_dossiers(workbook)))
    fmts = tuple(formats.split(","))
    root = Path(tempfile.mkdtemp(prefix="bench-rendu-"))
    try:
        start = time.perf_counter()
        if jobs <= 1:
            _render_init(fmts)
            documents = _render_chunk((str(root), dossiers))
        else:
            chunks = [dossiers[i :: jobs * 8] for i in range(jobs * 8)]
            with ProcessPoolExecutor(
                jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_render_init,
                initargs=(fmts,),
            ) as pool:
                documents = sum(pool.map(_render_chunk, [(str(root), c) for c in chunks]))
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return {
        "documents": documents,
        "secondes": round(wall, 2),
        "documents_par_seconde": round(documents / wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", default="docx,pdf")
    parser.add_argument("--une-mesure", nargs=3, metavar=("CLASSEUR", "JOBS", "FORMATS"))
    parser.add_argument("--rendu-seul", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.une_mesure:
        workbook, jobs, formats = args.une_mesure
        measure = render_only if args.rendu_seul else one_run
        print(json.dumps(measure(Path(workbook), int(jobs), formats)))
        return

    sys.path.insert(0, str(HERE))
    from generate_workbook import write_workbook

    OUT.mkdir(exist_ok=True)
    results_path = OUT / "bench_lot.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else []
    for n in args.n:
        workbook = OUT / f"lot-{n}.xlsx"
        if not workbook.exists():
            write_workbook(workbook, n)
        for jobs in args.jobs:
            measures = {}
            for kind in ("lot", "rendu"):
                load = os.getloadavg()[0]
                command = [sys.executable, __file__, "--une-mesure", str(workbook), str(jobs)]
                command += [args.formats, *(["--rendu-seul"] if kind == "rendu" else [])]
                proc = subprocess.run(command, capture_output=True, text=True)
                if proc.returncode != 0:
                    sys.exit(f"échec de la mesure {kind} N={n}, jobs={jobs} :\n{proc.stderr}")
                measures[kind] = {
                    "charge_avant": round(load, 2),
                    **json.loads(proc.stdout.strip().splitlines()[-1]),
                }
            lot, rendu = measures["lot"], measures["rendu"]
            if not lot["documents"] or not rendu["documents"]:
                sys.exit(f"aucun document écrit (N={n}, jobs={jobs}) : le classeur est-il valide ?")
            row = {
                "n": n,
                "jobs": jobs,
                "formats": args.formats,
                **lot,
                "rendu_seul": rendu,
                "lot_sur_rendu": round(
                    float(lot["documents_par_seconde"]) / float(rendu["documents_par_seconde"]), 3
                ),
            }
            results.append(row)
            results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
            print(json.dumps(row, ensure_ascii=False), flush=True)
            print(
                f"N={n} jobs={jobs} {args.formats} : lot {lot['documents_par_seconde']} doc/s, "
                f"rendu seul {rendu['documents_par_seconde']} doc/s, "
                f"rapport {row['lot_sur_rendu']:.1%} (objectif ≥ 90 %)",
                flush=True,
            )
        same = [r for r in results[-len(args.jobs) :] if r["n"] == n]
        if len(same) == 2:
            print(
                f"N={n} {args.formats} : 2 jobs / 1 job = {same[0]['secondes'] / same[1]['secondes']:.2f}x"
            )


if __name__ == "__main__":
    main()
