//! How an argument of `args = [...]` (or a constant of `consts = [...]`)
//! is named and handed to the benchmark, as divan does: by its `Display`
//! if it has one, else its `Debug`; by value (a copy) or by reference,
//! whichever the function's parameter asks for.

use std::fmt;

/// An argument being named; the generated code calls `arg_name` on a
/// reference to it, so that [`ByDisplay`] is preferred to [`ByDebug`].
pub struct ArgName<'a, T>(pub &'a T);

impl<T> Clone for ArgName<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ArgName<'_, T> {}

/// Names an argument by its `Display` (`10`, `hello`).
pub trait ByDisplay {
    /// The name.
    fn arg_name(self) -> String;
}

impl<T: fmt::Display> ByDisplay for &ArgName<'_, T> {
    fn arg_name(self) -> String {
        self.0.to_string()
    }
}

/// Names an argument by its `Debug`, when it has no `Display`.
pub trait ByDebug {
    /// The name.
    fn arg_name(self) -> String;
}

impl<T: fmt::Debug> ByDebug for ArgName<'_, T> {
    fn arg_name(self) -> String {
        format!("{:?}", self.0)
    }
}

/// The parameter's value made from one item of `args`.
pub trait FromArg<'a, I>: Sized {
    /// Makes it.
    fn from_arg(item: &'a I) -> Self;
}

/// `fn f(s: &String)` over `args = vec![String::new()]`.
impl<'a, I> FromArg<'a, I> for &'a I {
    fn from_arg(item: &'a I) -> Self {
        item
    }
}

/// `fn f(n: u64)` over `args = [1, 2]`, or `fn f(s: &str)` over
/// `args = ["a", "b"]`: a copy.
impl<'a, T: Clone> FromArg<'a, T> for T {
    fn from_arg(item: &'a T) -> Self {
        item.clone()
    }
}

/// `fn f(n: u64)` over `args = &[1, 2]`, whose items are references.
impl<'a, 'b, T: Clone> FromArg<'a, &'b T> for T {
    fn from_arg(item: &'a &'b T) -> Self {
        (*item).clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct OnlyDebug;

    #[test]
    #[expect(
        clippy::needless_borrow,
        reason = "the borrow is what prefers `Display` to `Debug`, as in the generated code"
    )]
    fn arguments_are_named_by_display_before_debug() {
        assert_eq!((&ArgName(&10_u64)).arg_name(), "10");
        assert_eq!((&ArgName(&"hello")).arg_name(), "hello");
        assert_eq!((&ArgName(&OnlyDebug)).arg_name(), "OnlyDebug");
    }

    #[test]
    fn parameters_take_a_copy_or_a_reference() {
        let number: u64 = FromArg::from_arg(&7_u64);
        assert_eq!(number, 7);
        let text = String::from("x");
        let borrowed: &String = FromArg::from_arg(&text);
        assert!(std::ptr::eq(borrowed, &text));
        let through: u64 = FromArg::from_arg(&&9_u64);
        assert_eq!(through, 9);
        let slice: &str = FromArg::from_arg(&"s");
        assert_eq!(slice, "s");
    }
}
