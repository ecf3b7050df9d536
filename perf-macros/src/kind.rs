//! A catalogue kind's options, `stress(...)`, `caching(...)` and the rest:
//! read as written, checked by `perf_record::kinds`, emitted as the
//! runtime's `SweepOptions`.

use perf_record::kinds::{Kind, KindOptions};
use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;

use crate::value::Written;

/// Reads and checks `kind(...)`; `name` is the kind as written.
pub(crate) fn parse(
    meta: &ParseNestedMeta<'_>,
    name: &syn::Ident,
    kind: Kind,
) -> syn::Result<KindOptions> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(syn::Error::new(
            name.span(),
            kind.needs_parentheses().message,
        ));
    }
    let written = Written::parse(meta)?;
    kind.check(&written.given)
        .map_err(|error| written.error(error, name.span()))
}

/// The runtime's `SweepOptions` for checked options.
pub(crate) fn to_tokens(options: &KindOptions, private: &TokenStream) -> TokenStream {
    let opt = |value: Option<TokenStream>| match value {
        Some(v) => quote! { ::core::option::Option::Some(#v) },
        None => quote! { ::core::option::Option::None },
    };
    let kind = syn::Ident::new(options.kind.spec().variant, proc_macro2::Span::call_site());
    let labels = &options.labels;
    let header = opt(options.counter_header.as_ref().map(|h| quote! { #h }));
    let metrics_path = &options.metrics_path;
    let metric = opt(options
        .counter_metric
        .as_ref()
        .map(|m| quote! { (#m, #metrics_path) }));
    let (limit, factor, timeout, keys) = (
        options.limit,
        options.factor,
        options.timeout_ns,
        options.keys,
    );
    let probe = &options.probe;
    let levels = &options.levels;
    let (step, users) = (options.step_ns, options.users);
    let [before, during, after] = options.phases_ns;
    let (window, tolerance) = (options.window_ns, options.tolerance_pct);
    quote! {
        #private::SweepOptions {
            kind: #private::Kind::#kind,
            levels: &[#(#levels),*],
            step_ns: #step,
            users: #users,
            phases_ns: [#before, #during, #after],
            window_ns: #window,
            tolerance_pct: #tolerance,
            labels: &[#(#labels),*],
            counter_header: #header,
            counter_metric: #metric,
            limit: #limit,
            factor: #factor,
            timeout_ns: #timeout,
            probe: #probe,
            keys: #keys,
        }
    }
}
