#!/usr/bin/env bash
# How the gate against a saved baseline does (`--save-baseline NAME`, then
# `--compare NAME`), with the baseline saved once, three times and ten
# times (its history gives the drift between runs), on fixtures/demo (six
# benchmarks) and fixtures/logstats (two, a library of the kind users
# write):
#   A/A   RUNS x  cargo perf --compare bS --threshold 5%   unchanged code: any regression is a false alarm
#   A/B   RUNS x  the same with one test SLOWDOWN% slower  (checksum_64k / summarize_10k_lines): caught or not
#   busy  BUSY x  A/A and A/B with HOGS CPU hogs started after the saves (a machine made busy on purpose):
#                 the untouched tests must stay unchanged, the slowed one still be caught
# and prints, per project and saved runs: false alarms, detections, other
# tests flagged, the median half-width of the benchmarks' 95% intervals, and
# the machine's common change the comparisons measured (see
# cargo-perf/src/verdict/shift.rs).
#
#   scripts/saved-baseline-accuracy.sh                       # RUNS=20, SAVES="1 3 10", BUSY=RUNS
#   RUNS=3 SAVES="1 3" BUSY=2 scripts/saved-baseline-accuracy.sh   # a quicker look
#   PROJECTS=logstats scripts/saved-baseline-accuracy.sh
#   PROJECTS=path/to/project BENCH=name PLANT='sed -i ... src/lib.rs' scripts/saved-baseline-accuracy.sh
#                                                            # a project of your own: BENCH the test
#                                                            # slowed, PLANT the command (run in the
#                                                            # copy) that slows it by SLOWDOWN%
#   ARGS="--measurement-time 1s" scripts/saved-baseline-accuracy.sh  # shorter runs
#   KEEP=/tmp/sba scripts/saved-baseline-accuracy.sh         # keep the logs and the built snapshot
#                                                            # there (a rerun reuses the snapshot;
#                                                            # `git worktree remove /tmp/sba/src` after)
#   REV=abc123 scripts/saved-baseline-accuracy.sh            # measure cargo perf as of a commit
# Needs cargo, git and python3. Takes about
# (max(SAVES) + 2 x RUNS x #SAVES + 2 x BUSY) x projects runs of the project's benchmarks.
set -euo pipefail

RUNS=${RUNS:-20}
SAVES=${SAVES:-1 3 10}
BUSY=${BUSY:-$RUNS}
HOGS=${HOGS:-$(nproc)}
SLOWDOWN=${SLOWDOWN:-20}
THRESHOLD=${THRESHOLD:-5%}
PROJECTS=${PROJECTS:-demo logstats}
ARGS=${ARGS:-}
REV=${REV:-HEAD}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${KEEP:-$(mktemp -d -t saved-baseline-XXXX)}"
mkdir -p "$work"
log="$work/log"
mkdir -p "$log"
say() { printf '%s\n' "$*" >&2; }
say "work dir: $work"

# The project's benchmarks, the one slowed and how (as scripts/coverage.sh
# and scripts/gate-accuracy.sh plant a change).
filter_of() {
    case "$1" in
        demo) echo demo/perf:: ;;
        logstats) echo logstats/perf:: ;;
        *) echo "" ;;
    esac
}
bench_of() {
    case "$1" in
        demo) echo checksum_64k ;;
        logstats) echo summarize_10k_lines ;;
        *) echo "${BENCH:?BENCH names the test PLANT slows in $1}" ;;
    esac
}
plant() {
    local project="$1" dir="$2" s="$3"
    case "$project" in
        demo) sed -i "s/            .unwrap_or(0)/            .unwrap_or($s)/" "$dir/src/lib.rs" ;;
        logstats) sed -i "s/EXTRA_WORK_PCT: usize = 0;/EXTRA_WORK_PCT: usize = $s;/" "$dir/src/lib.rs" ;;
        *) (cd "$dir" && eval "${PLANT:?PLANT slows BENCH by SLOWDOWN% in $project}") ;;
    esac
}
git_() { git -C "$1" -c user.name=accuracy -c user.email=accuracy@example.com "${@:2}"; }

# Measure a snapshot of cargo perf (a commit, the last by default), so
# that edits made while this runs neither change nor break what it
# measures; a kept one at that commit is reused (nothing rebuilt).
hogs=()
cleanup() {
    for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
    [[ -n ${KEEP:-} ]] || git -C "$root" worktree remove --force "$work/src" 2>/dev/null || true
}
trap cleanup EXIT
src="$work/src"
commit="$(git -C "$root" rev-parse "$REV")"
if [[ "$(git -C "$src" rev-parse HEAD 2>/dev/null)" != "$commit" ]]; then
    git -C "$root" worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
    git -C "$root" worktree add --quiet --detach "$src" "$commit"
fi
say "measuring cargo perf at $(git -C "$src" rev-parse --short HEAD)"
CARGO_TARGET_DIR="$work/perf-target" cargo build --quiet --release --manifest-path "$src/Cargo.toml" -p cargo-perf
perf="$work/perf-target/release/cargo-perf"

# copy PROJECT DIR: the project as a git repository of its own, linking
# the snapshot's harness.
copy() {
    local project="$1" dir="$2" from
    case "$project" in
        */*) from="$project" ;;
        *) from="$root/fixtures/$project" ;;
    esac
    rm -rf "$dir"
    cp -r "$from" "$dir"
    rm -rf "$dir/target"
    sed -i "s#\"[./]*perf-runtime\"#\"$src/perf-runtime\"#" "$dir/Cargo.toml"
    git_ "$dir" init -q
    git_ "$dir" add .
    git_ "$dir" commit -qm base
}

# run NAME DIR ARGS...: one cargo perf run of the project's benchmarks in
# DIR, its JSON kept as NAME.json.
run() {
    local name="$1" dir="$2" target="$work/target-$key"
    [[ $dir == "$slow" ]] && target="$work/target-$key-slow"
    shift 2
    # shellcheck disable=SC2086 # ARGS is a list of flags
    (cd "$dir" && CARGO_TARGET_DIR="$target" "$perf" perf ${filter:+"$filter"} --baseline-dir "$baselines" --threshold "$THRESHOLD" \
        --message-format json $ARGS "$@") >"$log/$name.json" 2>"$log/$name.err" || true
}

max_saves=0
for s in $SAVES; do ((s > max_saves)) && max_saves=$s; done
for project in $PROJECTS; do
    key="$(basename "$project")"
    filter="$(filter_of "$project")"
    base="$work/$key" slow="$work/$key-slow" baselines="$work/$key-baselines"
    copy "$project" "$base"
    copy "$project" "$slow"
    plant "$project" "$slow" "$SLOWDOWN"
    git_ "$slow" diff --quiet && { say "error: could not plant $SLOWDOWN% in $project"; exit 1; }
    git_ "$slow" commit -qam "$(bench_of "$project") does $SLOWDOWN% more work"
    rm -rf "$baselines"
    # A target dir per copy: cargo takes two copies of one project for the
    # same package, and would run the first's build for both. The slowed
    # copy starts from the other's, its planted files newer than it.
    say "$key: building both copies (not counted)"
    (cd "$base" && CARGO_TARGET_DIR="$work/target-$key" "$perf" perf ${filter:+"$filter"} --list >/dev/null)
    rm -rf "$work/target-$key-slow"
    cp -a "$work/target-$key" "$work/target-$key-slow"
    git_ "$slow" diff --name-only HEAD~1 | while read -r file; do touch "$slow/$file"; done
    (cd "$slow" && CARGO_TARGET_DIR="$work/target-$key-slow" "$perf" perf ${filter:+"$filter"} --list >/dev/null)
    # Saved k times: the baseline b as it stood after its k-th save.
    for ((k = 1; k <= max_saves; k++)); do
        run "$key-save-$k" "$base" --save-baseline b
        for s in $SAVES; do
            if ((s == k)); then
                cp "$baselines/b.json" "$baselines/b$s.json"
                rm -rf "$baselines/b$s"
                cp -r "$baselines/b" "$baselines/b$s"
            fi
        done
        say "$key: saved $k of $max_saves"
    done
    # A/A and A/B in turn, so that the machine's slow drifts fall on both.
    for s in $SAVES; do
        for ((r = 1; r <= RUNS; r++)); do
            run "$key-aa-$s-$r" "$base" --compare "b$s"
            say "$key A/A, $s saved, #$r: $(python3 "$root/scripts/saved-baseline-accuracy.py" one "$log/$key-aa-$s-$r.json")"
            run "$key-ab-$s-$r" "$slow" --compare "b$s"
            say "$key A/B, $s saved, #$r: $(python3 "$root/scripts/saved-baseline-accuracy.py" one "$log/$key-ab-$s-$r.json")"
        done
    done
    # A machine made busy on purpose, after the saves.
    if ((BUSY > 0)); then
        for ((h = 0; h < HOGS; h++)); do
            yes >/dev/null &
            hogs+=("$!")
        done
        say "$key: ${#hogs[@]} CPU hog(s) running"
        for ((r = 1; r <= BUSY; r++)); do
            run "$key-busyaa-$max_saves-$r" "$base" --compare "b$max_saves"
            say "$key busy A/A, $max_saves saved, #$r: $(python3 "$root/scripts/saved-baseline-accuracy.py" one "$log/$key-busyaa-$max_saves-$r.json")"
            run "$key-busyab-$max_saves-$r" "$slow" --compare "b$max_saves"
            say "$key busy A/B, $max_saves saved, #$r: $(python3 "$root/scripts/saved-baseline-accuracy.py" one "$log/$key-busyab-$max_saves-$r.json")"
        done
        for pid in "${hogs[@]}"; do kill "$pid" 2>/dev/null || true; done
        hogs=()
    fi
done

python3 "$root/scripts/saved-baseline-accuracy.py" table "$log" "$THRESHOLD" "$RUNS" "$SAVES" "$BUSY" \
    "$(for p in $PROJECTS; do printf '%s=%s ' "$(basename "$p")" "$(bench_of "$p")"; done)"
