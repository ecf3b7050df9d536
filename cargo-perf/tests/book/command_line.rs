//! The command-line page, `docs/src/reference/command-line.md`, from
//! clap's definition of `cargo perf`: the usage, the about text, each
//! argument's help under its heading (as `--help` groups them), its
//! default and possible values, the subcommands,
//! and the closing exit codes.

use std::fmt::Write as _;

/// Markdown of one table cell: no line breaks, no unescaped `|`.
fn cell(text: &str) -> String {
    text.split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// How an argument is written: `` `-p`, `--package <SPEC>` ``.
fn written(arg: &clap::Arg) -> String {
    let values = arg
        .get_value_names()
        .map(|names| {
            names
                .iter()
                .map(|name| format!("<{name}>"))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|_| arg.get_action().takes_values())
        .unwrap_or_default();
    if arg.is_positional() {
        let many = if arg.get_num_args().is_some_and(|n| n.max_values() > 1) {
            "..."
        } else {
            ""
        };
        let name = arg
            .get_value_names()
            .and_then(|names| names.first())
            .map_or_else(|| arg.get_id().to_string(), ToString::to_string);
        let written = if arg.is_required_set() {
            format!("<{name}>")
        } else {
            format!("[{name}]")
        };
        return format!("`{}{many}`", written.replace('|', "\\|"));
    }
    let mut names = Vec::new();
    if let Some(short) = arg.get_short() {
        names.push(format!("`-{short}`"));
    }
    if let Some(long) = arg.get_long() {
        let space = if values.is_empty() { "" } else { " " };
        names.push(format!("`--{long}{space}{values}`"));
    }
    // A `|` ends a table cell, inside code too, unless escaped.
    names.join(", ").replace('|', "\\|")
}

/// What an argument does: its long help (as `--help` prints it), then
/// what clap adds: possible values and the default.
fn meaning(arg: &clap::Arg) -> String {
    let mut text = arg
        .get_long_help()
        .or_else(|| arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    // clap drops a doc comment's closing period; the sentences added
    // below need one.
    if !text.is_empty() && !text.ends_with('.') {
        text.push('.');
    }
    let possible: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|value| !value.is_hide_set())
        .map(|value| match value.get_help() {
            Some(help) => format!("`{}`: {help}", value.get_name()),
            None => format!("`{}`", value.get_name()),
        })
        .collect();
    if !possible.is_empty() && arg.get_action().takes_values() {
        let _ = write!(text, " Possible values: {}.", possible.join("; "));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|value| format!("`{}`", value.to_string_lossy()))
        .collect();
    if let Some(variable) = arg.get_env() {
        let _ = write!(text, " [env: {}]", variable.to_string_lossy());
    }
    if !defaults.is_empty() && arg.get_action().takes_values() {
        let _ = write!(text, " Default: {}.", defaults.join(", "));
    }
    cell(&text)
}

/// The arguments of `command` under each heading, in the order `--help`
/// shows them: headless ones first (as "Arguments" and "Options").
fn tables(command: &clap::Command, level: &str) -> String {
    let shown: Vec<&clap::Arg> = command
        .get_arguments()
        .filter(|arg| !arg.is_hide_set())
        .collect();
    let mut headings: Vec<&str> = Vec::new();
    if shown.iter().any(|arg| arg.is_positional()) {
        headings.push("Arguments");
    }
    if shown
        .iter()
        .any(|arg| !arg.is_positional() && arg.get_help_heading().is_none())
    {
        headings.push("Options");
    }
    for arg in &shown {
        if let Some(heading) = arg.get_help_heading().filter(|h| !headings.contains(h)) {
            headings.push(heading);
        }
    }
    let mut text = String::new();
    for heading in headings {
        let _ = write!(
            text,
            "\n{level} {heading}\n\n| flag | meaning |\n| --- | --- |\n"
        );
        for arg in shown.iter().filter(|arg| {
            let under = match arg.get_help_heading() {
                Some(own) => own,
                None if arg.is_positional() => "Arguments",
                None => "Options",
            };
            under == heading
        }) {
            let _ = writeln!(text, "| {} | {} |", written(arg), meaning(arg));
        }
    }
    text
}

/// The page.
pub(crate) fn render() -> String {
    let mut cargo = cargo_perf::cli::command();
    cargo.build();
    let perf = cargo
        .find_subcommand_mut("perf")
        .expect("cargo perf is the `perf` subcommand of the cargo command");
    let usage = perf.render_usage().to_string();
    let perf = perf.clone();
    let mut page =
        super::generated_header("`cargo perf --help` (clap's definition in cargo-perf/src/cli.rs)");
    let _ = write!(
        page,
        "\n# Command line\n\n{}\n\n```text\n{}\n```\n",
        cell(
            &perf
                .get_about()
                .map(ToString::to_string)
                .unwrap_or_default()
        ),
        usage.trim()
    );
    page.push_str(
        "\nThis page is `cargo perf --help`: each flag with its help text, under the headings \
         `--help` prints. [Selecting tests and packages](selection.md) says how filters and \
         cargo's flags pick what runs.\n",
    );
    page.push_str(&tables(&perf, "##"));
    if let Some(after) = perf.get_after_long_help().or_else(|| perf.get_after_help()) {
        let _ = write!(page, "\n{}\n", cell(&after.to_string()));
    }
    for sub in perf.get_subcommands() {
        let mut sub = sub.clone();
        let usage = sub.render_usage().to_string();
        let _ = write!(
            page,
            "\n## `cargo perf {}`\n\n{}\n\n```text\n{}\n```\n",
            sub.get_name(),
            cell(
                &sub.get_long_about()
                    .or_else(|| sub.get_about())
                    .map(ToString::to_string)
                    .unwrap_or_default()
            ),
            usage.trim()
        );
        page.push_str(&tables(&sub, "###"));
    }
    page
}
