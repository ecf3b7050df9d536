//! Words quoted for a POSIX shell, for the commands that `cargo perf k8s`
//! and `cargo perf ci` write into manifests.

/// `word` as one word of `sh`: bare when it holds only characters no
/// shell reads specially, else in single quotes (a `'` written `'\''`).
pub(crate) fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./:=,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `words` quoted and joined with spaces.
pub(crate) fn join<S: AsRef<str>>(words: &[S]) -> String {
    words
        .iter()
        .map(|w| quote(w.as_ref()))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_survive_the_shell() {
        assert_eq!(quote("--duration-scale"), "--duration-scale");
        assert_eq!(quote("http://shop:8080"), "http://shop:8080");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("$(rm -rf /)"), "'$(rm -rf /)'");
        // Read back by a real shell, each word is what was written.
        let words = ["a b", "it's", "$HOME", "`x`", "\\n", "*"];
        let output = std::process::Command::new("sh")
            .args(["-c", &format!("printf '%s\\n' {}", join(&words))])
            .output()
            .unwrap();
        let text = String::from_utf8(output.stdout).unwrap();
        assert_eq!(text.lines().collect::<Vec<_>>(), words);
    }
}
