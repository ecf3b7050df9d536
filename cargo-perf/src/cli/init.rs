//! The flags of `cargo perf init`.

use std::path::PathBuf;

use clap::Args;

/// `cargo perf init`: a bench target, the perf-runtime dev-dependency and
/// a first perf test file in the selected package.
#[derive(Debug, Clone, Args)]
pub struct InitArgs {
    /// Write load tests from this OpenAPI 3.0 or 3.1 document (JSON or
    /// YAML): a response-time test per GET operation and a weighted mix
    /// over the operations, instead of the commented example.
    #[arg(long, value_name = "SPEC")]
    pub openapi: Option<PathBuf>,

    /// The bench target to add: benches/NAME.rs [default: perf; api with
    /// --openapi].
    #[arg(long, value_name = "NAME", value_parser = parse_target_name)]
    pub bench: Option<String>,

    /// Overwrite the file and replace the bench target of that name when
    /// they exist already.
    #[arg(long)]
    pub force: bool,
}

impl InitArgs {
    /// The bench target's name.
    pub fn bench_name(&self) -> &str {
        match (&self.bench, &self.openapi) {
            (Some(name), _) => name,
            (None, Some(_)) => "api",
            (None, None) => "perf",
        }
    }
}

/// A target name cargo takes and a file name: letters, digits, `_` and
/// `-`, starting with a letter.
fn parse_target_name(text: &str) -> Result<String, String> {
    let mut chars = text.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    if first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        Ok(text.to_owned())
    } else {
        Err(format!(
            "`{text}` is not a bench target name: use letters, digits, `_` and `-`, starting \
             with a letter (e.g. api)"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_name_is_a_plain_file_name() {
        assert_eq!(parse_target_name("api_load").unwrap(), "api_load");
        for bad in ["", "../x", "1st", "a b", "a/b"] {
            assert!(parse_target_name(bad).is_err(), "{bad}");
        }
    }
}
