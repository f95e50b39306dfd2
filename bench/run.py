"""`make bench`: run every benchmark case that exists, then print the table of bench/results/latest.json.
Each case compares against a baseline measured in the same run and records its figures there."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ["org_subtree.py", "lesson_page.py", "exam_load.py", "compliance.py", "rankings.py"]
COLUMNS = ["throughput", "p50_ms", "p95_ms", "p99_ms", "errors", "ratio_to_baseline", "lost_answers", "statements"]


def main() -> int:
    results = ROOT / "bench" / "results" / "latest.json"
    results.unlink(missing_ok=True)
    failed = []
    for case in CASES:
        script = ROOT / "bench" / case
        if not script.exists():
            continue
        print(f"== {case}", flush=True)
        if subprocess.run([sys.executable, str(script)], cwd=ROOT).returncode != 0:
            failed.append(case)
    data = json.loads(results.read_text()) if results.exists() else {}
    print()
    print(f"{'case':<28}" + "".join(f"{c:>18}" for c in COLUMNS))
    for name, figures in data.items():
        rows = figures if isinstance(figures, dict) and all(isinstance(v, dict) for v in figures.values()) else {name: figures}
        for row_name, row in rows.items():
            label = row_name if row_name == name else f"{name}/{row_name}"
            print(f"{label:<28}" + "".join(f"{str(row.get(c, '')):>18}" for c in COLUMNS))
    if failed:
        print("failed:", ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
