//! divan's options of `#[divan::bench(...)]` and `#[divan::bench_group(...)]`,
//! checked with spans so that a mistake points at the offending token.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::parse::Parser as _;
use syn::punctuated::Punctuated;

/// Which attribute the options belong to.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Bench,
    Group,
}

/// The options as written.
#[derive(Default)]
pub(crate) struct Options {
    /// `crate = path`: where the compat crate is (`::divan` otherwise).
    pub(crate) crate_path: Option<syn::Path>,
    /// `name = "..."`.
    pub(crate) name: Option<syn::Expr>,
    /// `args = [...]` (or any `IntoIterator`).
    pub(crate) args: Option<syn::Expr>,
    /// `types = [T, U]`.
    pub(crate) types: Option<Vec<syn::Type>>,
    /// `consts = [1, 2]`.
    pub(crate) consts: Option<Vec<syn::Expr>>,
    /// `ignore` or `ignore = bool`.
    pub(crate) ignore: Option<syn::Expr>,
    /// Options passed on to the run time as they are: `sample_count`,
    /// `sample_size`, `min_time`, `max_time`, `skip_ext_time`.
    pub(crate) settings: Vec<(syn::Ident, syn::Expr)>,
    /// `threads = ...`.
    pub(crate) threads: Option<syn::Expr>,
    /// `counter = ...` and `counters = [...]`.
    pub(crate) counters: Vec<syn::Expr>,
    seen: Vec<String>,
}

/// Options the run time reads, by name.
const SETTINGS: [&str; 5] = [
    "sample_count",
    "sample_size",
    "min_time",
    "max_time",
    "skip_ext_time",
];

impl Options {
    pub(crate) fn parse(attr: TokenStream, target: Target) -> syn::Result<Self> {
        let mut options = Self::default();
        let parser = syn::meta::parser(|meta| options.parse_one(&meta, target));
        parser.parse2(attr)?;
        Ok(options)
    }

    fn parse_one(&mut self, meta: &ParseNestedMeta<'_>, target: Target) -> syn::Result<()> {
        let Some(ident) = meta.path.get_ident() else {
            return Err(meta.error("unsupported divan option"));
        };
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        if self.seen.contains(&name) {
            return Err(meta.error(format!("repeated divan option `{name}`")));
        }
        self.seen.push(name.clone());
        let bench_only = |meta: &ParseNestedMeta<'_>| {
            if target == Target::Group {
                Err(meta.error(format!(
                    "`{name}` belongs to `#[divan::bench]`, not to a group"
                )))
            } else {
                Ok(())
            }
        };
        match name.as_str() {
            "crate" => self.crate_path = Some(meta.value()?.parse()?),
            "name" => self.name = Some(meta.value()?.parse()?),
            "args" => {
                bench_only(meta)?;
                self.args = Some(meta.value()?.parse()?);
            }
            "types" => {
                bench_only(meta)?;
                let content;
                let value = meta.value()?;
                syn::bracketed!(content in value);
                let types = Punctuated::<syn::Type, syn::Token![,]>::parse_terminated(&content)?;
                self.types = Some(types.into_iter().collect());
            }
            "consts" => {
                bench_only(meta)?;
                match meta.value()?.parse::<syn::Expr>()? {
                    syn::Expr::Array(array) => {
                        self.consts = Some(array.elems.into_iter().collect());
                    }
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "perf-divan-compat takes `consts` as an array literal (`consts = [1, 2, 4]`)",
                        ));
                    }
                }
            }
            "ignore" => self.ignore = Some(flag_or_value(meta)?),
            "threads" => self.threads = Some(flag_or_value(meta)?),
            "counter" => self.counters.push(meta.value()?.parse()?),
            "counters" => {
                let content;
                let value = meta.value()?;
                syn::bracketed!(content in value);
                let counters = Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated(&content)?;
                self.counters.extend(counters);
            }
            setting if SETTINGS.contains(&setting) => {
                let value = flag_or_value(meta)?;
                self.settings.push((ident.clone(), value));
            }
            _ => return Err(meta.error(format!("unsupported divan option `{name}`"))),
        }
        Ok(())
    }
}

/// `option = value`, or `option` alone for `true`.
fn flag_or_value(meta: &ParseNestedMeta<'_>) -> syn::Result<syn::Expr> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse()
    } else {
        Ok(syn::parse_quote!(true))
    }
}
