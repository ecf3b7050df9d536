//! Tokens to the plain values perf-record checks, and its errors back to
//! compile errors on the tokens they name.

use perf_record::attr::{Given, OptionError, Spot, Value};
use proc_macro2::Span;
use syn::meta::ParseNestedMeta;

/// `key = value, ...` as written inside parentheses, with the tokens each
/// came from.
pub(crate) struct Written {
    /// The options, as perf-record takes them.
    pub(crate) given: Vec<Given>,
    keys: Vec<syn::Path>,
    values: Vec<syn::Expr>,
}

impl Written {
    /// Reads the parenthesised options after `meta`'s name.
    pub(crate) fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Self> {
        let mut written = Self {
            given: Vec::new(),
            keys: Vec::new(),
            values: Vec::new(),
        };
        meta.parse_nested_meta(|inner| {
            let key = inner
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let expr: syn::Expr = inner.value()?.parse()?;
            written.given.push(Given::new(key, value_of(&expr)));
            written.keys.push(inner.path.clone());
            written.values.push(expr);
            Ok(())
        })?;
        Ok(written)
    }

    /// The compile error for `error`, on its token (`name`: the span of
    /// the name before the parentheses).
    pub(crate) fn error(&self, error: OptionError, name: Span) -> syn::Error {
        let message = error.message;
        let spanned = |tokens: Option<&dyn quote::ToTokens>| match tokens {
            Some(tokens) => syn::Error::new_spanned(tokens, &message),
            None => syn::Error::new(name, &message),
        };
        match error.spot {
            Spot::Name => spanned(None),
            Spot::Key(i) => spanned(self.keys.get(i).map(|k| k as _)),
            Spot::Value(i) => spanned(self.values.get(i).map(|v| v as _)),
            Spot::Element(i, j) => spanned(self.element(i, j).map(|e| e as _)),
            Spot::Part(i, j, k) => match self.element(i, j) {
                Some(syn::Expr::Tuple(tuple)) => spanned(tuple.elems.iter().nth(k).map(|e| e as _)),
                other => spanned(other.map(|e| e as _)),
            },
        }
    }
}

impl Written {
    /// Element `j` of option `i`'s list, or the option's value when it is
    /// not a list.
    fn element(&self, i: usize, j: usize) -> Option<&syn::Expr> {
        match self.values.get(i)? {
            syn::Expr::Array(array) => array.elems.iter().nth(j),
            other => Some(other),
        }
    }
}

/// An expression as a plain value: literals, negated numbers, lists and
/// tuples; anything else is [`Value::Other`].
pub(crate) fn value_of(expr: &syn::Expr) -> Value {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Str(s) => Value::Str(s.value()),
            syn::Lit::Int(int) => int.base10_parse().map_or(Value::Other, Value::Number),
            syn::Lit::Float(float) => float.base10_parse().map_or(Value::Other, Value::Number),
            _ => Value::Other,
        },
        syn::Expr::Unary(syn::ExprUnary {
            op: syn::UnOp::Neg(_),
            expr,
            ..
        }) => match value_of(expr) {
            Value::Number(n) => Value::Number(-n),
            _ => Value::Other,
        },
        syn::Expr::Group(group) => value_of(&group.expr),
        syn::Expr::Array(array) => Value::List(array.elems.iter().map(value_of).collect()),
        syn::Expr::Tuple(tuple) => Value::Tuple(tuple.elems.iter().map(value_of).collect()),
        _ => Value::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_lists_and_tuples_become_values() {
        let value = |tokens: &str| value_of(&syn::parse_str(tokens).unwrap());
        assert_eq!(value("\"2s\""), Value::Str("2s".into()));
        assert_eq!(value("-3"), Value::Number(-3.0));
        assert_eq!(value("1.5"), Value::Number(1.5));
        assert_eq!(
            value("[(\"10s\", 20)]"),
            Value::List(vec![Value::Tuple(vec![
                Value::Str("10s".into()),
                Value::Number(20.0)
            ])])
        );
        assert_eq!(value("SOME_CONST"), Value::Other);
        assert_eq!(value("-\"x\""), Value::Other);
    }
}
