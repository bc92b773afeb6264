"""Benchmark of `recours suivi` over N fictional dossier files, cold (a fresh process:
imports, referential, every file read and validated).

    python bench/bench_suivi.py --n 3000

Dossiers are written once into a temporary folder (some with a recours gracieux sent,
some with journal events), then `recours suivi DOSSIER --json` runs in a new process:
cold (`--sans-cache`: every file parsed and validated) and with the SQLite cache (a
temporary XDG_CACHE_HOME: the first run fills it, the next ones read it), each N times;
the best and worst wall times are printed. Target: 3,000 files in < 3 s cold.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
TODAY = "2026-11-25"


def write_dossiers(folder: Path, n: int) -> None:
    """N dossiers derived from the example MECS, with distinct SIREN, FINESS and steps."""
    from stdnum import luhn

    from recours.dossier.validation import load_yaml

    base = load_yaml((ROOT / "examples" / "mecs-conseil-departemental.yaml").read_text("utf-8"))
    base.pop("$schema", None)
    for i in range(n):
        data = json.loads(json.dumps(base))
        stem = f"{700000 + i:08d}"
        data["organisme"]["siren"] = stem + luhn.calc_check_digit(stem)
        data["organisme"].pop("siret", None)
        data["organisme"]["raison_sociale"] = f"Association fictive n° {i + 1}"
        data["etablissements"][0]["finess"] = f"72{i:07d}"
        decision = data["decisions"][0]
        if i % 3 == 1:
            decision["recours_gracieux"] = {"date_envoi": "2026-11-02"}
            data["journal"] = [{"type": "envoi", "autorite": decision["autorite"], "mode": "lrar"}]
        elif i % 3 == 2:
            decision["recours_gracieux"] = {"date_envoi": "2026-11-02"}
            data["journal"] = [
                {
                    "type": "requete_deposee",
                    "date": "2026-11-20",
                    "decision": decision.get("id") or "decision-1",
                    "juridiction": "tribunal administratif de Nantes",
                }
            ]
        sub = folder / f"federation-{i % 10}"
        sub.mkdir(exist_ok=True)
        (sub / f"dossier-{i:05d}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--repetitions", type=int, default=3)
    args = parser.parse_args()
    recours = [sys.executable, "-m", "recours"]
    with tempfile.TemporaryDirectory(prefix="bench-suivi-") as tmp:
        folder = Path(tmp)
        write_dossiers(folder, args.n)
        cache_home = Path(tmp) / ".cache"
        env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
        for mode, extra in (("froid", ["--sans-cache"]), ("cache", [])):
            times = []
            outputs = set()
            for _ in range(args.repetitions):
                load = os.getloadavg()[0]
                start = time.perf_counter()
                proc = subprocess.run(
                    [*recours, "suivi", str(folder), "--json", "--aujourdhui", TODAY, *extra],
                    capture_output=True,
                    text=True,
                    env=env,
                )
                times.append(time.perf_counter() - start)
                if proc.returncode != 0:
                    sys.exit(f"échec : {proc.stderr[-2000:]}")
                outputs.add(proc.stdout)
            out = json.loads(proc.stdout)
            print(
                json.dumps(
                    {
                        "mode": mode,
                        "dossiers": out["dossiers"],
                        "etapes": len(out["etapes"]),
                        "secondes": [round(t, 2) for t in times],
                        "sorties_identiques": len(outputs) == 1,
                        "charge_avant": round(load, 2),
                    },
                    ensure_ascii=False,
                )
            )


if __name__ == "__main__":
    main()
