"""Reads scripts/coverage.sh's logs: one invocation's estimate, or the table.

  coverage.py one FILE.json
  coverage.py table LOG_DIR THRESHOLD "REVS" "PROJECTS" "CHANGES"
"""

import json
import math
import statistics
import sys
from collections import defaultdict
from itertools import product
from pathlib import Path


def median_metric(path):
    """The median_ns comparison of the one benchmark an invocation ran."""
    found = None
    for line in Path(path).read_text().splitlines():
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("reason") == "comparison":
            for t in m["comparison"]["tests"]:
                if t["metric"] == "median_ns":
                    found = t
    return found


def pooled_log(found):
    """The invocations' estimates pooled on the log scale, each weighted by
    the inverse of its interval's variance: an invocation that ran on a
    busy machine (a wide interval) counts for less than a quiet one."""
    total = weights = 0.0
    for t in found:
        low, high = (math.log1p(x / 100) for x in t["estimate"]["ci_pct"])
        se = max((high - low) / (2 * 1.96), 1e-9)
        total += math.log1p(t["change_pct"] / 100) / se**2
        weights += 1 / se**2
    return total / weights


def flagged(t):
    """Flagged before the confirming re-run (it ran only then)."""
    return t["verdict"] == "regressed" or t.get("confirmation") is not None


def one(path):
    t = median_metric(path)
    if t is None or t.get("estimate") is None:
        return "no comparison (see the .err file)"
    low, high = t["estimate"]["ci_pct"]
    note = ""
    if t.get("confirmation"):
        c = t["confirmation"]
        note = f" (confirmation {c['change_pct']:+.1f}%: {'confirmed' if c['confirmed'] else 'not confirmed'})"
    return f"{t['change_pct']:+.2f}% [{low:+.2f}, {high:+.2f}] {t['verdict']}{note}"


def table(log, threshold, revs, projects, changes):
    log = Path(log)
    wall = defaultdict(list)
    for line in (log / "wall.txt").read_text().splitlines():
        name, seconds = line.split()
        wall[name].append(float(seconds))
    header = ("cargo perf", "project", "change", "runs", "pooled", "sd of estimates", "mean ±half-width",
              "coverage", "flagged", "regressed", "wall (median)", "x plain")
    rows = [header]
    for project, s, rev in product(projects.split(), changes.split(), revs.split()):
        name = f"{rev}-{project}-{s}"
        found = [median_metric(p) for p in sorted(log.glob(f"{name}-*.json"))]
        found = [t for t in found if t and t.get("estimate")]
        if not found:
            rows.append((rev, project, f"{s}%", "0") + ("-",) * 8)
            continue
        logs = [math.log1p(t["change_pct"] / 100) for t in found]
        pooled = math.expm1(pooled_log(found)) * 100
        sd = statistics.stdev([x * 100 for x in logs]) if len(logs) > 1 else float("nan")
        half = statistics.mean((t["estimate"]["ci_pct"][1] - t["estimate"]["ci_pct"][0]) / 2
                               for t in found)
        covered = sum(1 for t in found if t["estimate"]["ci_pct"][0] <= pooled <= t["estimate"]["ci_pct"][1])
        w = statistics.median(wall[name]) if wall[name] else float("nan")
        plain = wall.get(f"{rev}-{project}-plain")
        ratio = f"{w / statistics.median(plain):.2f}x" if plain else "-"
        rows.append((rev, project, f"{s}%", str(len(found)), f"{pooled:+.2f}%", f"{sd:.2f} pt",
                     f"±{half:.2f} pt", f"{covered}/{len(found)} ({100 * covered / len(found):.0f}%)",
                     str(sum(1 for t in found if flagged(t))),
                     str(sum(1 for t in found if t["verdict"] == "regressed")), f"{w:.0f} s", ratio))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    print(f"\nthreshold {threshold}; coverage: intervals containing the pooled estimate")
    for r in rows:
        print("  ".join(c.rjust(w) if i > 2 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths))))


if __name__ == "__main__":
    if sys.argv[1] == "one":
        print(one(sys.argv[2]))
    else:
        table(*sys.argv[2:7])
