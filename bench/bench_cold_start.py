"""Cold start: one `recours generer` of an example (Word + PDF) as a whole process, against
`python -c "import weasyprint, docxtpl"` measured in the same run (issue 9).

The two commands are alternated, so that the machine's noise hits both alike; the figure
that counts is the ratio of their medians.

    .venv/bin/python bench/bench_cold_start.py [--runs 7]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chrs-prefet-region.yaml"
RECOURS = Path(sys.executable).with_name("recours")


def _time(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    baseline: list[float] = []
    generer: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            baseline.append(_time([sys.executable, "-c", "import weasyprint, docxtpl"]))
            out = Path(tmp) / f"run{i}"
            generer.append(
                _time(
                    [
                        str(RECOURS),
                        "generer",
                        str(EXAMPLE),
                        "--sortie",
                        str(out),
                        "--formats",
                        "docx,pdf",
                        "--aujourdhui",
                        "2026-11-20",
                    ]
                )
            )
    base, gen = statistics.median(baseline), statistics.median(generer)
    print(f"import weasyprint, docxtpl : médiane {base:.3f} s ({args.runs} passages)")
    print(f"recours generer (Word + PDF) : médiane {gen:.3f} s")
    print(f"rapport : {gen / base:.2f} (objectif : au plus 1,4)")


if __name__ == "__main__":
    main()
