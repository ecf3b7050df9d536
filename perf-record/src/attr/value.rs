//! An option as written (a key and a plain value), the checks shared by
//! every option, and errors that say which token they are about.

use crate::units::{parse_bytes, parse_duration, parse_percent};

/// A value as written in the attribute. The macro turns tokens into this
/// and does nothing else with them.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `"2s"`
    Str(String),
    /// `4`, `1.5`, `-1`
    Number(f64),
    /// `[1, 2, 4]`
    List(Vec<Value>),
    /// `("10s", 20)`
    Tuple(Vec<Value>),
    /// Anything else (a path, a call, a block).
    Other,
}

/// One `key = value` as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Given {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: Value,
}

impl Given {
    /// `key = value`.
    pub fn new(key: impl Into<String>, value: Value) -> Self {
        Self {
            key: key.into(),
            value,
        }
    }
}

/// The token an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// The name before the parentheses (`stress` in `stress(...)`).
    Name,
    /// The key of the n-th option given.
    Key(usize),
    /// The value of the n-th option given.
    Value(usize),
    /// The m-th element of the n-th option's list.
    Element(usize, usize),
    /// Part k of the m-th element (a tuple) of the n-th option's list.
    Part(usize, usize, usize),
}

/// A wrong option: where, and what to write instead.
#[derive(Debug, Clone, PartialEq)]
pub struct OptionError {
    /// The token it is about.
    pub spot: Spot,
    /// The message, which names the fix.
    pub message: String,
}

impl OptionError {
    /// An error at `spot`.
    pub fn new(spot: Spot, message: impl Into<String>) -> Self {
        Self {
            spot,
            message: message.into(),
        }
    }
}

/// What checking an option gives.
pub type Checked<T> = Result<T, OptionError>;

/// Refuses a key given twice, at its second place.
pub fn no_repeats(given: &[Given]) -> Checked<()> {
    for (i, option) in given.iter().enumerate() {
        if given[..i].iter().any(|g| g.key == option.key) {
            return Err(OptionError::new(
                Spot::Key(i),
                format!("`{}` is given twice; keep one", option.key),
            ));
        }
    }
    Ok(())
}

/// One option being read: where it is, its key and its value.
#[derive(Debug, Clone, Copy)]
pub struct Arg<'a> {
    /// Its place among the options given.
    pub index: usize,
    /// Its key.
    pub key: &'a str,
    /// Its value.
    pub value: &'a Value,
}

impl<'a> Arg<'a> {
    /// The options given, each with its place.
    pub fn all(given: &'a [Given]) -> impl Iterator<Item = Arg<'a>> {
        given.iter().enumerate().map(|(index, g)| Arg {
            index,
            key: &g.key,
            value: &g.value,
        })
    }

    /// An error about the value.
    pub fn error(&self, message: impl Into<String>) -> OptionError {
        OptionError::new(Spot::Value(self.index), message)
    }

    /// An error about the key.
    pub fn key_error(&self, message: impl Into<String>) -> OptionError {
        OptionError::new(Spot::Key(self.index), message)
    }

    fn element_error(&self, element: usize, message: impl Into<String>) -> OptionError {
        OptionError::new(Spot::Element(self.index, element), message)
    }

    /// A number (`hint` follows "takes a number" when it is not one).
    pub fn number(&self) -> Checked<f64> {
        number(self.value).ok_or_else(|| self.error(format!("`{}` takes a number", self.key)))
    }

    /// A number above `above`.
    pub fn above(&self, above: f64) -> Checked<f64> {
        let value = self.number()?;
        if !(value.is_finite() && value > above) {
            return Err(self.error(format!("`{}` must be a number above {above}", self.key)));
        }
        Ok(value)
    }

    /// A whole number of at least 1.
    pub fn whole(&self) -> Checked<u64> {
        whole(self.value, self.key).map_err(|m| self.error(m))
    }

    /// A whole number of users, from 1 to [`MAX_USERS`].
    pub fn users(&self) -> Checked<u32> {
        if let Some(many) = number(self.value).filter(|n| *n > f64::from(MAX_USERS)) {
            return Err(self.error(too_many_users(self.key, many)));
        }
        let users = self.whole()?;
        u32::try_from(users).map_err(|_| self.error(too_many_users(self.key, users)))
    }

    /// A string (`hint`: " such as \"2s\"").
    pub fn string(&self, hint: &str) -> Checked<&'a str> {
        match self.value {
            Value::Str(s) => Ok(s),
            _ => Err(self.error(format!("`{}` takes a string{hint}", self.key))),
        }
    }

    /// A duration, ns.
    pub fn duration_ns(&self) -> Checked<u64> {
        let text = self.string(" such as \"2s\"")?;
        duration_ns(text).map_err(|e| self.error(format!("invalid `{}`: {e}", self.key)))
    }

    /// A duration above zero, ns.
    pub fn positive_duration_ns(&self) -> Checked<u64> {
        let ns = self.duration_ns()?;
        if ns == 0 {
            return Err(self.error(format!("`{}` must be above zero, e.g. \"2s\"", self.key)));
        }
        Ok(ns)
    }

    /// A percentage.
    pub fn percent(&self) -> Checked<f64> {
        let text = self.string(" such as \"50%\"")?;
        parse_percent(text).map_err(|e| self.error(format!("invalid `{}`: {e}", self.key)))
    }

    /// `think = "1s"` or `think = "0.5s..1.5s"`: (min ns, max ns).
    pub fn think(&self) -> Checked<(u64, u64)> {
        let text = self.string(" such as \"1s\" or \"0.5s..1.5s\"")?;
        think(text).map_err(|m| self.error(m))
    }

    /// An absolute path such as `"/health"`.
    pub fn path(&self) -> Checked<String> {
        let value = self.string(" such as \"/health\"")?;
        if !value.starts_with('/') || value.bytes().any(|b| b.is_ascii_whitespace()) {
            return Err(self.error(format!(
                "`{}` is an absolute path such as \"/health\"",
                self.key
            )));
        }
        Ok(value.to_owned())
    }

    /// The elements of a list that is not empty (`example`: the whole
    /// option, for the message).
    fn list(&self, what: &str, example: &str) -> Checked<&'a [Value]> {
        let Value::List(list) = self.value else {
            return Err(self.error(format!("`{}` takes a list of {what}: {example}", self.key)));
        };
        if list.is_empty() {
            return Err(self.error(format!("the list `{}` is empty: {example}", self.key)));
        }
        Ok(list)
    }

    /// Levels: whole numbers, each above the one before.
    pub fn levels(&self, example: &str) -> Checked<Vec<u64>> {
        self.rising(example, |value| whole(value, self.key))
    }

    /// Sizes such as `["1KB", "64KB"]`, in bytes, each above the one before.
    pub fn sizes(&self, example: &str) -> Checked<Vec<u64>> {
        self.rising(example, |value| {
            let Value::Str(size) = value else {
                return Err("a size is a string such as \"64KB\"".to_owned());
            };
            match parse_bytes(size) {
                Ok(0) => Err("a size must be above zero".to_owned()),
                Ok(bytes) => Ok(bytes),
                Err(e) => Err(format!("invalid size: {e}")),
            }
        })
    }

    fn rising(
        &self,
        example: &str,
        level: impl Fn(&Value) -> Result<u64, String>,
    ) -> Checked<Vec<u64>> {
        let mut levels: Vec<u64> = Vec::new();
        for (i, element) in self.list("levels", example)?.iter().enumerate() {
            let value = level(element).map_err(|m| self.element_error(i, m))?;
            if levels.last().is_some_and(|&last| value <= last) {
                return Err(
                    self.element_error(i, "the levels must go up, each above the one before")
                );
            }
            levels.push(value);
        }
        Ok(levels)
    }

    /// Distinct strings that are not empty (`what`: "query").
    pub fn strings(&self, what: &str, example: &str) -> Checked<Vec<String>> {
        let mut strings: Vec<String> = Vec::new();
        for (i, element) in self.list("strings", example)?.iter().enumerate() {
            let Value::Str(text) = element else {
                return Err(
                    self.element_error(i, format!("a {what} is a string such as \"red chair\""))
                );
            };
            if text.is_empty() {
                return Err(self.element_error(i, format!("a {what} cannot be empty")));
            }
            if strings.contains(text) {
                return Err(self.element_error(i, format!("the {what} \"{text}\" is listed twice")));
            }
            strings.push(text.clone());
        }
        Ok(strings)
    }
}

/// A number, negated or not.
pub fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => Some(*n),
        _ => None,
    }
}

/// The most virtual users one load generator may be asked for: each holds
/// a connection, so a socket, and one Linux process opens at most
/// `nr_open` files (1,048,576 by default). Past that no setting of the
/// machine helps; below it, the runtime checks the limits of the machine
/// it runs on before it starts.
pub const MAX_USERS: u32 = 1_000_000;

/// Why `users` (or a stage's target) of `users` is too many.
pub fn too_many_users(key: &str, users: impl std::fmt::Display) -> String {
    format!(
        "`{key}` = {users} is more than one load generator can run: each user holds a connection, \
         and one process opens at most about a million; lower it to at most {MAX_USERS}, \
         or run the load from several machines"
    )
}

/// A whole number of at least 1, or what is wrong with it.
pub fn whole(value: &Value, key: &str) -> Result<u64, String> {
    let number = number(value).ok_or_else(|| format!("`{key}` takes a number"))?;
    if number < 1.0 || number.fract() != 0.0 {
        return Err(format!("`{key}` takes whole numbers of at least 1"));
    }
    if number > f64::from(u32::MAX) {
        return Err(format!(
            "`{key}` = {number} is too large: it takes whole numbers from 1 to {}",
            u32::MAX
        ));
    }
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "checked just above"
    )]
    Ok(number as u64)
}

/// A duration in ns, saturating.
pub fn duration_ns(text: &str) -> Result<u64, crate::UnitError> {
    parse_duration(text).map(|d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX))
}

/// `"1s"` or `"0.5s..1.5s"`: (min ns, max ns), or what is wrong.
pub fn think(text: &str) -> Result<(u64, u64), String> {
    let (low, high) = text.split_once("..").unwrap_or((text, text));
    let parse = |t: &str| {
        duration_ns(t).map_err(|e| format!("invalid `think`: {e}; a range is \"0.5s..1.5s\""))
    };
    let (low, high) = (parse(low)?, parse(high)?);
    if low > high {
        return Err("invalid `think`: the range's start is after its end".to_owned());
    }
    Ok((low, high))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(value: &Value) -> Arg<'_> {
        Arg {
            index: 2,
            key: "users",
            value,
        }
    }

    #[test]
    fn a_key_given_twice_is_refused_at_its_second_place() {
        let given = [
            Given::new("step", Value::Str("1s".into())),
            Given::new("users", Value::Number(2.0)),
            Given::new("step", Value::Str("2s".into())),
        ];
        let error = no_repeats(&given).unwrap_err();
        assert_eq!(error.spot, Spot::Key(2));
        assert_eq!(error.message, "`step` is given twice; keep one");
        assert!(no_repeats(&given[..2]).is_ok());
    }

    #[test]
    fn whole_numbers_are_at_least_one() {
        assert_eq!(arg(&Value::Number(4.0)).whole(), Ok(4));
        for bad in [0.0, 1.5, -2.0] {
            let error = arg(&Value::Number(bad)).whole().unwrap_err();
            assert_eq!(error.spot, Spot::Value(2));
            assert_eq!(error.message, "`users` takes whole numbers of at least 1");
        }
        let error = arg(&Value::Str("4".into())).whole().unwrap_err();
        assert_eq!(error.message, "`users` takes a number");
        let error = arg(&Value::Number(4_294_967_296.0)).whole().unwrap_err();
        assert_eq!(
            error.message,
            "`users` = 4294967296 is too large: it takes whole numbers from 1 to 4294967295"
        );
    }

    #[test]
    fn users_stop_at_what_one_generator_can_open() {
        assert_eq!(arg(&Value::Number(1_000_000.0)).users(), Ok(1_000_000));
        for many in [1_000_001.0, 4_294_967_296.0] {
            let error = arg(&Value::Number(many)).users().unwrap_err();
            assert_eq!(error.spot, Spot::Value(2));
            assert!(
                error
                    .message
                    .contains("more than one load generator can run")
                    && error.message.contains("at most 1000000"),
                "{}",
                error.message
            );
        }
    }

    #[test]
    fn levels_go_up_and_point_at_the_element_that_does_not() {
        let value = Value::List(vec![
            Value::Number(1.0),
            Value::Number(4.0),
            Value::Number(2.0),
        ]);
        let error = arg(&value).levels("`x(users = [1, 2])`").unwrap_err();
        assert_eq!(error.spot, Spot::Element(2, 2));
        assert_eq!(
            error.message,
            "the levels must go up, each above the one before"
        );
        let empty = arg(&Value::List(Vec::new())).levels("`x`").unwrap_err();
        assert_eq!(empty.message, "the list `users` is empty: `x`");
        let scalar = arg(&Value::Number(1.0)).levels("`x`").unwrap_err();
        assert_eq!(scalar.message, "`users` takes a list of levels: `x`");
    }

    #[test]
    fn sizes_are_bytes_above_zero() {
        let sizes = Value::List(vec![Value::Str("1KB".into()), Value::Str("1MB".into())]);
        assert_eq!(arg(&sizes).sizes("`x`"), Ok(vec![1024, 1024 * 1024]));
        let zero = Value::List(vec![Value::Str("0KB".into())]);
        assert_eq!(
            arg(&zero).sizes("`x`").unwrap_err().message,
            "a size must be above zero"
        );
        let number = Value::List(vec![Value::Number(1.0)]);
        assert_eq!(
            arg(&number).sizes("`x`").unwrap_err().message,
            "a size is a string such as \"64KB\""
        );
    }

    #[test]
    fn think_is_a_duration_or_a_range() {
        assert_eq!(think("1s"), Ok((1_000_000_000, 1_000_000_000)));
        assert_eq!(think("10ms..30ms"), Ok((10_000_000, 30_000_000)));
        assert_eq!(
            think("2s..1s"),
            Err("invalid `think`: the range's start is after its end".to_owned())
        );
        assert!(
            think("soon")
                .unwrap_err()
                .contains("a range is \"0.5s..1.5s\"")
        );
    }

    #[test]
    fn strings_are_distinct_and_not_empty() {
        let twice = Value::List(vec![Value::Str("a".into()), Value::Str("a".into())]);
        let error = arg(&twice).strings("query", "`x`").unwrap_err();
        assert_eq!(error.spot, Spot::Element(2, 1));
        assert_eq!(error.message, "the query \"a\" is listed twice");
    }

    #[test]
    fn paths_are_absolute() {
        assert_eq!(
            arg(&Value::Str("/health".into())).path(),
            Ok("/health".to_owned())
        );
        assert!(arg(&Value::Str("health".into())).path().is_err());
    }
}
