//! The `cargo-perf` binary; everything lives in the library.

fn main() -> std::process::ExitCode {
    cargo_perf::main()
}
