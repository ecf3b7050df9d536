//! `#[perf_test]`: registers a function as a perf test of `perf-runtime`.
//!
//! Use it through `perf_runtime::perf_test`; its documentation lives there.
//! The macro only checks and records options: it emits the function
//! unchanged (also when the options are wrong, so IDEs keep working) plus
//! one registration entry that reaches the runtime through
//! `perf_runtime::__private`.

use proc_macro::TokenStream;

mod emit;
mod kind;
mod options;
mod signature;
mod value;
mod workload;

/// Registers a function as a perf test. See `perf_runtime::perf_test`.
#[proc_macro_attribute]
pub fn perf_test(attr: TokenStream, item: TokenStream) -> TokenStream {
    expand(attr.into(), item.into()).into()
}

fn expand(
    attr: proc_macro2::TokenStream,
    item: proc_macro2::TokenStream,
) -> proc_macro2::TokenStream {
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = not_a_function(&item).into_compile_error();
            return quote::quote! { #item #error };
        }
    };
    // Whether this is a load test decides which signature is expected;
    // when the options do not parse, the `load` keyword still tells.
    let mentions_load = attr.clone().into_iter().any(|token| {
        matches!(&token, proc_macro2::TokenTree::Ident(ident)
        if ident == "load" || {
            let name = ident.to_string();
            perf_record::kinds::Kind::from_name(&name).is_some()
                || perf_record::kinds::Kind::like(&name).is_some()
        })
    });
    let options = options::PerfTestOptions::parse(attr);
    let is_load = match &options {
        Ok(options) => options.load.is_some(),
        Err(_) => mentions_load,
    };
    let shape = signature::check(&function, is_load);
    match (options, shape) {
        (Ok(options), Ok(shape)) => emit::emit(&function, &options, shape),
        (options, shape) => {
            let mut errors = Vec::new();
            errors.extend(options.err());
            errors.extend(shape.err());
            let errors = errors.into_iter().map(syn::Error::into_compile_error);
            quote::quote! { #function #(#errors)* }
        }
    }
}

/// The error for an attribute on something other than a function, pointing
/// at the item's keyword and name rather than its whole body.
fn not_a_function(item: &proc_macro2::TokenStream) -> syn::Error {
    use quote::ToTokens as _;
    let head = |keyword: &dyn quote::ToTokens, ident: &syn::Ident| {
        let mut tokens = keyword.to_token_stream();
        ident.to_tokens(&mut tokens);
        tokens
    };
    let (kind, tokens) = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(syn::Item::Struct(s)) => ("a struct", head(&s.struct_token, &s.ident)),
        Ok(syn::Item::Enum(e)) => ("an enum", head(&e.enum_token, &e.ident)),
        Ok(syn::Item::Union(u)) => ("a union", head(&u.union_token, &u.ident)),
        Ok(syn::Item::Trait(t)) => ("a trait", head(&t.trait_token, &t.ident)),
        Ok(syn::Item::Mod(m)) => ("a module", head(&m.mod_token, &m.ident)),
        Ok(syn::Item::Const(c)) => ("a constant", head(&c.const_token, &c.ident)),
        Ok(syn::Item::Static(s)) => ("a static", head(&s.static_token, &s.ident)),
        Ok(syn::Item::Type(t)) => ("a type alias", head(&t.type_token, &t.ident)),
        _ => ("this item", item.clone()),
    };
    syn::Error::new_spanned(
        tokens,
        format!(
            "#[perf_test] goes on a function, not on {kind}: \
             `fn name(b: &mut Bencher)` or `async fn name(b: &mut Bencher)`"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(attr: &str, item: &str) -> String {
        let attr: proc_macro2::TokenStream = attr.parse().unwrap();
        let item: proc_macro2::TokenStream = item.parse().unwrap();
        expand(attr, item).to_string()
    }

    #[test]
    fn wrong_options_still_emit_the_function() {
        let out = expand_str(
            "caching(key = 10)",
            "async fn cached(user: &mut User) -> Result<()> { Ok(()) }",
        );
        assert!(out.contains("async fn cached"));
        assert!(out.contains("compile_error"));
        assert!(out.contains("unknown `caching` option `key`"));
        assert!(!out.contains("inventory"));
    }

    #[test]
    fn a_kind_reaches_the_runtime_only_through_private() {
        let out = expand_str(
            "rate_limit(limit = 50)",
            "async fn limited(user: &mut User) -> Result<()> { Ok(()) }",
        );
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains(
                ":: perf_runtime :: __private :: kinds :: KindOptions :: RateLimit \
             (:: perf_runtime :: __private :: kinds :: RateLimitOptions {"
            ),
            "{out}"
        );
        // The kind's default thresholds come with it.
        assert!(out.contains("\"limited_below\""));
    }
}
