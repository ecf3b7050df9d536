"""The tables of scripts/saved-baseline-accuracy.sh.

    saved-baseline-accuracy.py one FILE      one comparison on a line
    saved-baseline-accuracy.py table LOG THRESHOLD RUNS SAVES BUSY "PROJECT=SLOWED ..."
"""
import json
import statistics
import sys
from pathlib import Path


def comparison(path):
    """The comparison message's comparison in a run's JSON lines, or None."""
    found = None
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        try:
            m = json.loads(line)
        except ValueError:
            continue
        if m.get("reason") == "comparison":
            found = m["comparison"]
    return found


def medians(c):
    return [t for t in (c or {}).get("tests", []) if t["metric"] == "median_ns"]


def half_width(t):
    e = t.get("estimate")
    return (e["ci_pct"][1] - e["ci_pct"][0]) / 2 if e else None


def one(path):
    c = comparison(path)
    if c is None:
        return "no comparison (see the .err file)"
    cells = []
    for t in medians(c):
        e = t.get("estimate") or {}
        ci = e.get("ci_pct")
        interval = f" [{ci[0]:+.1f}..{ci[1]:+.1f}, df {e.get('df', 0):.0f}]" if ci else ""
        cells.append(f"{t['id']['name']} {t['change_pct']:+.1f}%{interval} {t['verdict']}")
    shift = c.get("shift")
    if shift:
        cal = shift.get("calibration_pct")
        cal = f", calibration {cal:+.1f}%" if cal is not None else ""
        cells.append(f"machine {shift['change_pct']:+.1f}%{cal}{' uneven' if shift['uneven'] else ''}")
    else:
        cells.append("no shift")
    return "; ".join(cells)


def table(log, threshold, runs, saves, busy, projects):
    log = Path(log)
    rows = []
    for spec in projects.split():
        key, slowed = spec.split("=", 1)
        groups = [(f"{s} saved", "aa", "ab", s) for s in saves.split()]
        if int(busy) > 0:
            top = max(int(s) for s in saves.split())
            groups.append((f"{top} saved, busy", "busyaa", "busyab", str(top)))
        for label, aa, ab, s in groups:
            a = [comparison(p) for p in sorted(log.glob(f"{key}-{aa}-{s}-*.json"))]
            b = [comparison(p) for p in sorted(log.glob(f"{key}-{ab}-{s}-*.json"))]
            a = [c for c in a if c is not None]
            b = [c for c in b if c is not None]
            false_alarms = sum(1 for c in a if any(t["verdict"] == "regressed" for t in c["tests"]))
            caught = sum(
                1 for c in b
                if any(t["verdict"] == "regressed" and t["id"]["name"] == slowed for t in medians(c))
            )
            others = sum(
                1 for c in b
                if any(t["verdict"] == "regressed" and t["id"]["name"] != slowed for t in c["tests"])
            )
            untouched = [t for c in a + b for t in medians(c) if t["id"]["name"] != slowed]
            unchanged = sum(1 for t in untouched if t["verdict"] == "unchanged")
            widths = [w for c in a for t in medians(c) if (w := half_width(t)) is not None]
            dfs = [t["estimate"]["df"] for c in a for t in medians(c) if t.get("estimate")]
            shifts = [c["shift"]["change_pct"] for c in a + b if c.get("shift")]
            rows.append((
                key, label,
                f"{false_alarms} of {len(a)}",
                f"{caught} of {len(b)}",
                f"{others} of {len(b)}",
                f"{unchanged} of {len(untouched)}",
                f"±{statistics.median(widths):.1f}%" if widths else "-",
                f"{statistics.median(dfs):.0f}" if dfs else "-",
                f"{statistics.median(shifts):+.1f}% ({len(shifts)})" if shifts else "none",
            ))
    header = ("project", "baseline", "A/A false alarms", f"A/B caught", "A/B others flagged",
              "untouched unchanged", "A/A half-width", "A/A df", "machine shift (runs)")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
    print(f"\nthreshold {threshold}; RUNS={runs} A/A and A/B per row, BUSY={busy}; "
          "half-width and df: the median over A/A runs and benchmarks")
    for r in [header] + rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)))


if __name__ == "__main__":
    if sys.argv[1] == "one":
        print(one(sys.argv[2]))
    else:
        table(*sys.argv[2:8])
