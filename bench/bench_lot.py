"""Benchmark of `recours lot`: wall time, documents per second, peak memory (parent and
workers) for N établissements, 1 job versus 2 jobs in the same run.

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, nargs="+", default=[1000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--formats", default="docx,pdf")
    parser.add_argument("--une-mesure", nargs=3, metavar=("CLASSEUR", "JOBS", "FORMATS"))
    args = parser.parse_args()
    if args.une_mesure:
        workbook, jobs, formats = args.une_mesure
        print(json.dumps(one_run(Path(workbook), int(jobs), formats)))
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
            load = os.getloadavg()[0]
            proc = subprocess.run(
                [sys.executable, __file__, "--une-mesure", str(workbook), str(jobs), args.formats],
                capture_output=True,
                text=True,
            )
            if proc.returncode != 0:
                sys.exit(f"échec de la mesure N={n}, jobs={jobs} :\n{proc.stderr}")
            row = {
                "n": n,
                "jobs": jobs,
                "formats": args.formats,
                "charge_avant": round(load, 2),
                **json.loads(proc.stdout.strip().splitlines()[-1]),
            }
            results.append(row)
            results_path.write_text(json.dumps(results, indent=1, ensure_ascii=False))
            print(json.dumps(row, ensure_ascii=False), flush=True)
        same = [r for r in results[-len(args.jobs) :] if r["n"] == n]
        if len(same) == 2:
            print(
                f"N={n} {args.formats} : 2 jobs / 1 job = {same[0]['secondes'] / same[1]['secondes']:.2f}x"
            )


if __name__ == "__main__":
    main()
