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

#[cfg(test)]
mod tests {
    use super::*;

    fn error(attr: TokenStream, target: Target) -> String {
        match Options::parse(attr, target) {
            Ok(_) => panic!("accepted"),
            Err(error) => error.to_string(),
        }
    }

    #[test]
    fn divans_options_are_read() {
        let options = Options::parse(
            quote::quote! { args = [1, 2], types = [u8, Vec<u8>], consts = [4], name = "x",
            sample_count = 10, min_time = 1, ignore, threads, counters = [a(), b()] },
            Target::Bench,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(options.args.is_some() && options.name.is_some() && options.ignore.is_some());
        assert_eq!(options.types.map(|t| t.len()), Some(2));
        assert_eq!(options.consts.map(|c| c.len()), Some(1));
        assert_eq!(options.settings.len(), 2);
        assert!(options.threads.is_some());
        assert_eq!(options.counters.len(), 2);
    }

    #[test]
    fn a_mistake_is_named() {
        assert_eq!(
            error(quote::quote! { sample_rate = 3 }, Target::Bench),
            "unsupported divan option `sample_rate`"
        );
        assert_eq!(
            error(quote::quote! { name = "a", name = "b" }, Target::Bench),
            "repeated divan option `name`"
        );
        assert_eq!(
            error(quote::quote! { args = [1] }, Target::Group),
            "`args` belongs to `#[divan::bench]`, not to a group"
        );
        assert!(error(quote::quote! { consts = SIZES }, Target::Bench).contains("array literal"));
    }
}
