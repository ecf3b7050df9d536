//! The `--shard` flag's value: `hash:I/N` or `count:I/N`, I from 1.

use perf_record::shard::{ShardInfo, ShardKind};

/// Which share of the test list a run takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// `hash` or `count`.
    pub kind: ShardKind,
    /// Which shard, from 1.
    pub index: u32,
    /// How many.
    pub count: u32,
}

/// The most shards a run is dealt into: more than any CI matrix holds.
const MAX_SHARDS: u32 = 10_000;

impl ShardSpec {
    /// Parses `hash:I/N` or `count:I/N`, with a message that says how to
    /// write it (clap shows it as a usage error, exit 2).
    pub fn parse(text: &str) -> Result<Self, String> {
        let usage = "write `hash:I/N` or `count:I/N` with 1 <= I <= N, e.g. `hash:2/4` for the second of four shards";
        let (kind, share) = text
            .split_once(':')
            .ok_or_else(|| format!("`{text}` names no way of dealing the tests; {usage}"))?;
        let kind = match kind {
            "hash" => ShardKind::Hash,
            "count" => ShardKind::Count,
            other => {
                return Err(format!(
                    "`{other}` is not a way of dealing the test list; {usage}{}",
                    if other == "split" {
                        " (`--split I/N` splits one load test's load)"
                    } else {
                        ""
                    }
                ));
            }
        };
        let (index, count) = share
            .split_once('/')
            .ok_or_else(|| format!("`{share}` is not a share I/N; {usage}"))?;
        let number = |part: &str| {
            part.trim()
                .parse::<u32>()
                .map_err(|_| format!("`{part}` in `{text}` is not a whole number; {usage}"))
        };
        let (index, count) = (number(index)?, number(count)?);
        if count == 0 || count > MAX_SHARDS {
            return Err(format!(
                "`{text}` deals the tests into {count} shards; give 1 to {MAX_SHARDS}"
            ));
        }
        if index == 0 || index > count {
            return Err(format!(
                "`{text}` asks for shard {index} of {count}; shards count from 1 to {count}"
            ));
        }
        Ok(Self { kind, index, count })
    }

    /// The identity a shard's record carries.
    pub fn info(self, run_hash: String) -> ShardInfo {
        ShardInfo {
            kind: self.kind,
            index: self.index,
            count: self.count,
            run_hash,
        }
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}/{}", self.kind.word(), self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn good_specs_parse_and_show_as_written() {
        for text in ["hash:1/1", "hash:2/4", "count:3/3", "count:10/12"] {
            let spec = ShardSpec::parse(text).unwrap();
            assert_eq!(spec.to_string(), text);
        }
        assert_eq!(
            ShardSpec::parse("count:2/3").unwrap(),
            ShardSpec {
                kind: ShardKind::Count,
                index: 2,
                count: 3
            }
        );
    }

    #[test]
    fn bad_specs_say_what_to_write() {
        for (text, says) in [
            ("2/4", "names no way"),
            ("round:1/2", "not a way of dealing"),
            ("split:1/2", "--split I/N"),
            ("hash:2", "not a share"),
            ("hash:0/4", "count from 1 to 4"),
            ("hash:5/4", "count from 1 to 4"),
            ("count:1/0", "into 0 shards"),
            ("hash:a/4", "not a whole number"),
            ("hash:-1/4", "not a whole number"),
        ] {
            let error = ShardSpec::parse(text).unwrap_err();
            assert!(error.contains(says), "{text}: {error}");
        }
    }
}
