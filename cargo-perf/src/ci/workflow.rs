//! The workflow: a job builds the perf binaries once into an archive, a
//! matrix of N jobs runs the shards from it (`--shard hash:I/N`) and
//! uploads their records, and a last job merges them, gates on the merged
//! record and writes the job summary.

use crate::cli::CiArgs;
use crate::shell;

/// The archive every shard runs from.
const ARCHIVE: &str = "perf-archive.tar.gz";

/// The workflow, as YAML.
pub(crate) fn workflow(args: &CiArgs) -> String {
    let n = args.shards;
    let extra = if args.run_args.is_empty() {
        String::new()
    } else {
        format!(" {}", shell::join(&args.run_args))
    };
    let shards: Vec<String> = (1..=n).map(|i| i.to_string()).collect();
    format!(
        r#"# .github/workflows/perf.yml, written by `cargo perf ci --shards {n}`.
# One job builds the perf binaries once into an archive; {n} matrix jobs run
# the tests in shards from it; the last job merges their records into one
# run record, gates on it (its exit code) and writes the job summary.
name: perf

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

env:
  CARGO_TERM_COLOR: always

jobs:
  archive:
    runs-on: ubuntu-latest
    timeout-minutes: 60
    steps:
      - uses: actions/checkout@v6
        with:
          # --compare-ref builds the base revision from the git history.
          fetch-depth: 0
      - uses: dtolnay/rust-toolchain@stable
      - run: cargo install --locked --git https://github.com/cargo-perf/cargo-perf cargo-perf
      # Cargo's flags of the runs (-p, -F, --profile) and their
      # --compare-ref REV go here too: the archive holds what they build.
      - name: Build the perf binaries once
        run: cargo perf archive --archive-file {ARCHIVE}
      - uses: actions/upload-artifact@v6
        with:
          name: perf-archive
          path: {ARCHIVE}
          retention-days: 1

  shard:
    needs: archive
    runs-on: ubuntu-latest
    # Bounded: cargo perf's own time limits stop a hung test well before.
    timeout-minutes: 60
    strategy:
      # Every shard runs to its end: the merge refuses a missing one.
      fail-fast: false
      matrix:
        shard: [{shards}]
    steps:
      - uses: actions/checkout@v6
        with:
          fetch-depth: 0
      - uses: dtolnay/rust-toolchain@stable
      - run: cargo install --locked --git https://github.com/cargo-perf/cargo-perf cargo-perf
      - uses: actions/download-artifact@v7
        with:
          name: perf-archive
      - name: Run shard ${{{{ matrix.shard }}}} of {n}
        env:
          SHARD: ${{{{ matrix.shard }}}}
        run: |
          code=0
          cargo perf --archive-file {ARCHIVE} --shard "hash:$SHARD/{n}"{extra} || code=$?
          mkdir -p records
          cp target/perf/latest.json "records/shard-$SHARD.json"
          # A missed threshold (11) or a regression (12) is the merged
          # run's to judge; anything else fails the shard.
          case $code in 0|11|12) exit 0 ;; *) exit "$code" ;; esac
      - uses: actions/upload-artifact@v6
        with:
          name: perf-shard-${{{{ matrix.shard }}}}
          path: records/
          retention-days: 7

  merge:
    needs: shard
    # Also after a failed shard: the merge names what is missing.
    if: ${{{{ !cancelled() }}}}
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v6
      - uses: dtolnay/rust-toolchain@stable
      - run: cargo install --locked --git https://github.com/cargo-perf/cargo-perf cargo-perf
      - uses: actions/download-artifact@v7
        with:
          pattern: perf-shard-*
          path: records
          merge-multiple: true
      # Gates like one run (exit 11 or 12 fails the check) and writes the
      # job summary (GITHUB_STEP_SUMMARY) and the reports.
      - name: Merge, gate and summarise
        run: cargo perf merge records -o target/perf/merged.json
      - uses: actions/upload-artifact@v6
        if: always()
        with:
          name: perf-report
          path: |
            target/perf/merged.json
            target/perf/report/
"#,
        shards = shards.join(", "),
    )
}

#[cfg(test)]
mod tests;
