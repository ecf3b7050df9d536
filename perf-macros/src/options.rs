//! The options of `#[perf_test(...)]`, checked with spans so that a
//! mistake points at the offending token.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser as _;

/// Every option, for "expected one of" messages.
const OPTIONS: &str = "`ignore`, `ignore = \"reason\"`, `regression_threshold = \"10%\"`, \
                       `warm_up_time = \"1s\"`, `measurement_time = \"3s\"`";

/// The checked options.
#[derive(Default)]
pub(crate) struct PerfTestOptions {
    pub(crate) ignore: bool,
    pub(crate) ignore_reason: Option<String>,
    pub(crate) regression_threshold_pct: Option<f64>,
    pub(crate) warm_up_ns: Option<u64>,
    pub(crate) measurement_ns: Option<u64>,
    seen: Vec<String>,
}

impl PerfTestOptions {
    pub(crate) fn parse(attr: TokenStream) -> syn::Result<Self> {
        let mut options = Self::default();
        let parser = syn::meta::parser(|meta| options.parse_one(&meta));
        parser.parse2(attr)?;
        Ok(options)
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            return Err(meta.error(format!("unknown option; expected one of {OPTIONS}")));
        };
        let key = ident.to_string();
        if self.seen.contains(&key) {
            return Err(meta.error(format!("`{key}` is given twice; keep one")));
        }
        self.seen.push(key.clone());
        match key.as_str() {
            "ignore" => {
                self.ignore = true;
                if meta.input.peek(syn::Token![=]) {
                    let reason: syn::LitStr = meta.value()?.parse().map_err(|e| {
                        syn::Error::new(
                            e.span(),
                            "`ignore` takes a reason as a string: `ignore = \"reason\"`",
                        )
                    })?;
                    self.ignore_reason = Some(reason.value());
                }
            }
            "regression_threshold" => {
                let literal = string_value(meta, &key, "\"10%\"")?;
                let percent = perf_record::parse_percent(&literal.value()).map_err(|e| {
                    syn::Error::new(literal.span(), format!("invalid `{key}`: {e}"))
                })?;
                self.regression_threshold_pct = Some(percent);
            }
            "warm_up_time" | "measurement_time" => {
                let literal = string_value(meta, &key, "\"2s\"")?;
                let duration = perf_record::parse_duration(&literal.value()).map_err(|e| {
                    syn::Error::new(literal.span(), format!("invalid `{key}`: {e}"))
                })?;
                if key == "measurement_time" && duration.is_zero() {
                    return Err(syn::Error::new(
                        literal.span(),
                        "invalid `measurement_time`: it must be above zero, e.g. \"2s\"",
                    ));
                }
                let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
                if key == "warm_up_time" {
                    self.warm_up_ns = Some(nanos);
                } else {
                    self.measurement_ns = Some(nanos);
                }
            }
            _ => {
                let hint = match key.as_str() {
                    "threshold" | "regression" => {
                        " (for the regression gate, write `regression_threshold = \"10%\"`)"
                    }
                    "warmup" | "warm_up" => " (did you mean `warm_up_time`?)",
                    "measurement" | "time" | "budget" => " (did you mean `measurement_time`?)",
                    "ignored" | "skip" => " (did you mean `ignore`?)",
                    _ => "",
                };
                return Err(syn::Error::new(
                    ident.span(),
                    format!("unknown option `{key}`{hint}; expected one of {OPTIONS}"),
                ));
            }
        }
        Ok(())
    }
}

fn string_value(meta: &ParseNestedMeta<'_>, key: &str, example: &str) -> syn::Result<syn::LitStr> {
    if !meta.input.peek(syn::Token![=]) {
        return Err(meta.error(format!("`{key}` needs a value: `{key} = {example}`")));
    }
    let value = meta.value()?;
    let expr: syn::Expr = value.parse()?;
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(literal),
            ..
        }) => Ok(literal),
        other => Err(syn::Error::new_spanned(
            other,
            format!("`{key}` takes a string: `{key} = {example}`"),
        )),
    }
}
