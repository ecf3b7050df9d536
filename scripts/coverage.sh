#!/usr/bin/env bash
# Whether a paired comparison's 95% interval holds across invocations, not
# only within one: `cargo perf --compare-ref` repeated N times, each a
# separate invocation on the same two commits (nothing rebuilt between
# them), with a change planted near the threshold, well beyond it, and none.
#
# For each project and each planted change it prints: the pooled estimate
# (the N estimates' mean on the log scale, weighted by their intervals'
# inverse variance), the spread of the estimates
# between invocations beside the mean half-width of one invocation's
# interval, the share of intervals that contain the pooled estimate
# (coverage; nominal 95%), how many invocations flagged a regression before
# and after the confirming re-run, and the wall time per invocation beside a
# plain run of the same benchmark.
#
# Projects: fixtures/demo (checksum_64k; `checksum()` doing S% more work)
# and fixtures/logstats, a log-statistics library of the kind users write
# (summarize_10k_lines; S% of the log parsed a second time).
#
#   scripts/coverage.sh                      # N=20, changes 0 4 10, threshold 5%
#   N=5 scripts/coverage.sh                  # a quicker look
#   REV=abc123 scripts/coverage.sh           # measure cargo perf as of a commit
#   REVS="abc123 HEAD" scripts/coverage.sh   # two revisions, interleaved: before and after
#   PROJECTS=logstats CHANGES="0 4" scripts/coverage.sh
#   KEEP=/tmp/cov scripts/coverage.sh        # keep the logs there
# Needs cargo, git and python3. Takes about N x revisions x projects x changes x 13 s.
set -euo pipefail

N=${N:-20}
CHANGES=${CHANGES:-0 4 10}
PROJECTS=${PROJECTS:-demo logstats}
THRESHOLD=${THRESHOLD:-5%}
REVS=${REVS:-${REV:-HEAD}}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${KEEP:-$(mktemp -d -t coverage-XXXX)}"
mkdir -p "$work"
log="$work/log"
mkdir -p "$log"
: >"$log/wall.txt"
say() { printf '%s\n' "$*" >&2; }
now() { printf '%s' "${EPOCHREALTIME/,/.}"; }
say "work dir: $work"

# project NAME: the benchmark measured and how a change of S% is planted.
bench_of() {
    case "$1" in
        demo) echo checksum_64k ;;
        logstats) echo summarize_10k_lines ;;
        *) say "error: unknown project $1 (demo or logstats)"; exit 2 ;;
    esac
}
plant() {
    local project="$1" dir="$2" s="$3"
    case "$project" in
        demo) sed -i "s/            .unwrap_or(0)/            .unwrap_or($s)/" "$dir/src/lib.rs" ;;
        logstats) sed -i "s/EXTRA_WORK_PCT: usize = 0;/EXTRA_WORK_PCT: usize = $s;/" "$dir/src/lib.rs" ;;
    esac
}
git_() { git -C "$1" -c user.name=coverage -c user.email=coverage@example.com "${@:2}"; }

# Each revision of cargo perf measured is a snapshot (a git worktree), so
# that edits made while this runs neither change nor break what it
# measures; its harness is what the projects link.
trap 'for r in $REVS; do git -C "$root" worktree remove --force "$work/src-$r" 2>/dev/null || true; done' EXIT
for rev in $REVS; do
    src="$work/src-$rev"
    rm -rf "$src"
    git -C "$root" worktree add --quiet --detach "$src" "$rev"
    say "measuring cargo perf at $(git -C "$src" rev-parse --short HEAD) ($rev)"
    CARGO_TARGET_DIR="$work/perf-target-$rev" cargo build --quiet --release \
        --manifest-path "$src/Cargo.toml" -p cargo-perf
    # One clone per (project, change), each with its own target dir, so
    # that no invocation rebuilds the candidate: it is the checked-out
    # branch, the base the branch `base`. The projects come from the
    # checkout running this, so that an older revision is measured on the
    # same code.
    for project in $PROJECTS; do
        bench_of "$project" >/dev/null
        first=""
        for s in $CHANGES; do
            dir="$work/$rev-$project-$s"
            rm -rf "$dir"
            cp -r "$root/fixtures/$project" "$dir"
            rm -rf "$dir/target"
            # The dependencies built for the first clone serve the others.
            [[ -n $first ]] && cp -a "$first/target" "$dir/target"
            first=${first:-$dir}
            sed -i "s#\"../../perf-runtime\"#\"$src/perf-runtime\"#" "$dir/Cargo.toml"
            git_ "$dir" init -q
            git_ "$dir" add .
            git_ "$dir" commit -qm base
            git_ "$dir" branch base
            if [[ $s != 0 ]]; then
                plant "$project" "$dir" "$s"
                git_ "$dir" diff --quiet && { say "error: could not plant $s% in $project"; exit 1; }
                git_ "$dir" commit -qam "$s% more work"
            fi
            say "building $project with $s% for $rev (not counted)"
            (cd "$dir" && "$work/perf-target-$rev/release/cargo-perf" perf "$(bench_of "$project")" \
                --compare-ref base --quick >/dev/null 2>&1) || true
        done
    done
done

# The invocations, going round the revisions, projects and changes so
# that the machine's slow drifts fall on all of them alike; a plain run of
# the same benchmark every few rounds, for what a comparison costs beside
# it.
for ((k = 1; k <= N; k++)); do
    if ((k % 5 == 1)); then
        for project in $PROJECTS; do
            for rev in $REVS; do
                start="$(now)"
                (cd "$work/$rev-$project-${CHANGES%% *}" && "$work/perf-target-$rev/release/cargo-perf" \
                    perf "$(bench_of "$project")" >/dev/null 2>&1) || true
                end="$(now)"
                printf '%s %s\n' "$rev-$project-plain" "$(python3 -c "print(f'{$end - $start:.1f}')")" >>"$log/wall.txt"
            done
        done
    fi
    for project in $PROJECTS; do
        for s in $CHANGES; do
            for rev in $REVS; do
                name="$rev-$project-$s"
                start="$(now)"
                (cd "$work/$name" && "$work/perf-target-$rev/release/cargo-perf" perf \
                    "$(bench_of "$project")" --compare-ref base --threshold "$THRESHOLD" \
                    --message-format json) >"$log/$name-$k.json" 2>"$log/$name-$k.err" || true
                end="$(now)"
                printf '%s %s\n' "$name" "$(python3 -c "print(f'{$end - $start:.1f}')")" >>"$log/wall.txt"
                say "$name #$k: $(python3 "$root/scripts/coverage.py" one "$log/$name-$k.json")"
            done
        done
    done
done

python3 "$root/scripts/coverage.py" table "$log" "$THRESHOLD" "$REVS" "$PROJECTS" "$CHANGES"
