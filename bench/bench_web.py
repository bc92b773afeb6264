"""Response times of ``recours web`` with a warm server, over real HTTP on 127.0.0.1.

    .venv/bin/python bench/bench_web.py [--fois 30]

Starts ``recours web`` on a copy of examples/multisite-ars-cpom.yaml (the largest example),
takes the token from the printed address, warms every route once, then times GET of each
kind of page, POST of a form page (validation + atomic save) and the preview of each
letter (its HTML). Targets (issue 14): a page under 150 ms, a preview under 500 ms.
Bounded: a fixed number of requests, to this machine only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "multisite-ars-cpom.yaml"


def _timed(client: httpx.Client, method: str, url: str, **kwargs: object) -> float:
    start = time.perf_counter()
    response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code >= 400:
        raise SystemExit(f"{method} {url} : {response.status_code}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fois", type=int, default=30, help="requêtes par mesure")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-web-"))
    path = folder / "dossier.yaml"
    shutil.copy(EXAMPLE, path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "recours", "web", str(path), "--sans-navigateur",
         "--aujourdhui", "2026-11-20"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        match = re.search(r"(http://127\.0\.0\.1:\d+)/\?jeton=(\S+)", proc.stdout.readline())
        assert match, "adresse non affichée"
        base = match.group(1)
        client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        client.get(f"/?jeton={match.group(2)}")
        page = client.get("/page/organisme").text
        form = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
        form.update({m: v for m, v in re.findall(r'name="([^"]+)" value="([^"]*)" checked', page)})
        form["action"] = "actualiser"
        headers = {"Origin": base}
        routes = {
            "GET /page/organisme": ("GET", "/page/organisme", {}),
            "GET /page/etablissements/0": ("GET", "/page/etablissements/0", {}),
            "GET /page/decisions/0": ("GET", "/page/decisions/0", {}),
            "GET /etape": ("GET", "/etape", {}),
            "GET /revue": ("GET", "/revue", {}),
            "POST /page/organisme": (
                "POST", "/page/organisme", {"data": form, "headers": headers},
            ),
            "GET /apercu/0 (recours gracieux)": ("GET", "/apercu/0", {}),
        }  # fmt: skip
        etape = client.get("/etape").text
        for n in sorted(set(re.findall(r'href="/apercu/(\d+)"', etape)))[1:]:
            routes[f"GET /apercu/{n}"] = ("GET", f"/apercu/{n}", {})
        results = {}
        for label, (method, url, kwargs) in routes.items():
            _timed(client, method, url, **kwargs)  # warm
            times = [_timed(client, method, url, **kwargs) for _ in range(args.fois)]
            results[label] = {
                "mediane_ms": round(statistics.median(times), 1),
                "p90_ms": round(sorted(times)[int(len(times) * 0.9) - 1], 1),
                "max_ms": round(max(times), 1),
            }
        for label, figures in results.items():
            limit = 500 if "apercu" in label else 150
            state = "ok" if figures["p90_ms"] < limit else "TROP LENT"
            print(
                f"{label:38} médiane {figures['mediane_ms']:7.1f} ms  p90 {figures['p90_ms']:7.1f} "
                f"ms  max {figures['max_ms']:7.1f} ms  (cible < {limit} ms : {state})"
            )
        print(json.dumps(results, ensure_ascii=False))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
