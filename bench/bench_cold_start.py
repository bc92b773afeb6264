"""Cold start: one `recours generer` of an example (Word + PDF) as a whole process, against
`python -c "import weasyprint, docxtpl"` measured in the same run (issue 9).

The commands are alternated, so that the machine's noise hits them alike; the figure
that counts is the ratio of their wall-clock medians. The ratio of CPU times (user +
system, subprocesses included) is printed too: it is steadier on a loaded machine, but
does not show time spent waiting (WeasyPrint's library lookups) or overlapped with it.
With --against (repeatable), the code of another checkout (its src/, run by its own
.venv if it has one) is timed in the same run, so that a change is measured against the
code before it.

    .venv/bin/python bench/bench_cold_start.py [--runs 7] [--against /work/main]...
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# One document (a recours gracieux): the CHRS example, used before, now also plans a
# requête indemnitaire, which would double the work measured.
EXAMPLE = ROOT / "examples" / "mecs-conseil-departemental.yaml"


def _time(command: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU (user + system, the process and its own subprocesses) seconds."""
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return wall, cpu


def _generer(checkout: Path, out: Path) -> tuple[list[str], dict[str, str]]:
    """`python -m recours generer …` with the code of `checkout`."""
    venv_python = checkout / ".venv" / "bin" / "python"
    python = str(venv_python) if venv_python.exists() else sys.executable
    env = {**os.environ, "PYTHONPATH": str(checkout / "src")}
    command = [python, "-m", "recours", "generer", str(EXAMPLE), "--sortie", str(out)]
    command += ["--formats", "docx,pdf", "--aujourdhui", "2026-11-20"]
    return command, env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--against",
        type=Path,
        action="append",
        default=[],
        help="another checkout to time in the same run (repeatable)",
    )
    args = parser.parse_args()
    checkouts = [ROOT, *(path.resolve() for path in args.against)]
    baseline: list[tuple[float, float]] = []
    generer: dict[Path, list[tuple[float, float]]] = {c: [] for c in checkouts}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            baseline.append(_time([sys.executable, "-c", "import weasyprint, docxtpl"]))
            # Rotate which checkout goes first, so that none always follows the baseline.
            shift = i % len(checkouts)
            for j, checkout in enumerate(checkouts[shift:] + checkouts[:shift]):
                generer[checkout].append(_time(*_generer(checkout, Path(tmp) / f"run{i}-{j}")))
    base = statistics.median(w for w, _ in baseline)
    base_cpu = statistics.median(c for _, c in baseline)
    print(
        f"import weasyprint, docxtpl : médiane {base:.3f} s, CPU {base_cpu:.3f} s ({args.runs} passages)"
    )
    for checkout, times in generer.items():
        gen = statistics.median(w for w, _ in times)
        gen_cpu = statistics.median(c for _, c in times)
        print(
            f"recours generer (Word + PDF), {checkout} : médiane {gen:.3f} s, CPU {gen_cpu:.3f} s"
        )
        print(
            f"  rapport : {gen / base:.2f} (objectif : au plus 1,4) ; en temps CPU : {gen_cpu / base_cpu:.2f}"
        )


if __name__ == "__main__":
    main()
