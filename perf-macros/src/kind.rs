//! A catalogue kind's options, `stress(...)`, `caching(...)` and the rest:
//! read as written, checked by `perf_record::kinds` into the kind's own
//! options, and emitted as those, for the test's `static`.

use perf_record::kinds::{Kind, KindOptions, List, QueryCounter, Text};
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

/// The checked options as a constant expression: the variant of
/// `KindOptions` around the kind's own options, through `__private::kinds`
/// (perf-record's).
pub(crate) fn to_tokens(options: &KindOptions, private: &TokenStream) -> TokenStream {
    options.emit(&quote! { #private::kinds })
}

/// A value of the kinds' options as a constant expression; `kinds` is the
/// path to their types.
trait Emit {
    fn emit(&self, kinds: &TokenStream) -> TokenStream;
}

/// `KindOptions`, one variant per kind of perf-record's registry, each
/// wrapping its kind's options.
macro_rules! emit_kind_options {
    ($(
        $(#[$doc:meta])*
        $variant:ident = $name:literal => $module:ident::{$spec:ident, $check:ident, $options:ident};
    )*) => {
        impl Emit for KindOptions {
            fn emit(&self, kinds: &TokenStream) -> TokenStream {
                match self {
                    $(Self::$variant(inner) => {
                        let inner = inner.emit(kinds);
                        quote! { #kinds::KindOptions::$variant(#inner) }
                    })*
                }
            }
        }
    };
}

perf_record::for_each_kind!(emit_kind_options);

/// The kinds' options structs, one line each: every field named, so a
/// field added to one is a compile error here, and a struct left out is
/// one where `KindOptions` is emitted.
macro_rules! emit_structs {
    ($($ty:ident { $($field:ident),* })*) => {$(
        impl Emit for perf_record::kinds::$ty {
            fn emit(&self, kinds: &TokenStream) -> TokenStream {
                let perf_record::kinds::$ty { $($field),* } = self;
                $(let $field = $field.emit(kinds);)*
                quote! { #kinds::$ty { $($field: #$field),* } }
            }
        }
    )*};
}

emit_structs! {
    UserSteps { users, step_ns, think_ns }
    LevelSteps { levels, users, step_ns, think_ns }
    SpikeOptions { users, spike_users, phases_ns, window_ns, tolerance_pct, think_ns }
    ResponseTimeOptions { requests, think_ns }
    SoakOptions { users, warm_up_ns, hold_ns, think_ns }
    RateLimitOptions { limit, factor, step_ns }
    CachingOptions { keys, users, step_ns, think_ns }
    NPlusOneOptions { sizes, counter, users, step_ns, think_ns }
    PoolOptions { users, size, step_ns, think_ns }
    TimeoutOptions { after_ns, users, step_ns, probe, think_ns }
    SearchOptions { queries, users, step_ns, think_ns }
    WebSocketOptions { connections, step_ns, think_ns }
}

impl Emit for QueryCounter {
    fn emit(&self, kinds: &TokenStream) -> TokenStream {
        match self {
            Self::Header(name) => {
                let name = name.emit(kinds);
                quote! { #kinds::QueryCounter::Header(#name) }
            }
            Self::Metric { name, path } => {
                let (name, path) = (name.emit(kinds), path.emit(kinds));
                quote! { #kinds::QueryCounter::Metric { name: #name, path: #path } }
            }
        }
    }
}

macro_rules! emit_numbers {
    ($($ty:ty),*) => {$(
        impl Emit for $ty {
            fn emit(&self, _: &TokenStream) -> TokenStream {
                quote! { #self }
            }
        }
    )*};
}

emit_numbers!(u32, u64, f64);

impl<T: Emit> Emit for Option<T> {
    fn emit(&self, kinds: &TokenStream) -> TokenStream {
        match self {
            Some(value) => {
                let value = value.emit(kinds);
                quote! { ::core::option::Option::Some(#value) }
            }
            None => quote! { ::core::option::Option::None },
        }
    }
}

impl<A: Emit, B: Emit> Emit for (A, B) {
    fn emit(&self, kinds: &TokenStream) -> TokenStream {
        let (a, b) = (self.0.emit(kinds), self.1.emit(kinds));
        quote! { (#a, #b) }
    }
}

impl<T: Emit, const N: usize> Emit for [T; N] {
    fn emit(&self, kinds: &TokenStream) -> TokenStream {
        let items = self.iter().map(|item| item.emit(kinds));
        quote! { [#(#items),*] }
    }
}

/// Borrowed: the options end up in a `static`.
impl Emit for Text {
    fn emit(&self, _: &TokenStream) -> TokenStream {
        let text: &str = self;
        quote! { ::std::borrow::Cow::Borrowed(#text) }
    }
}

impl<T: Emit + Clone> Emit for List<T> {
    fn emit(&self, kinds: &TokenStream) -> TokenStream {
        let items = self.iter().map(|item| item.emit(kinds));
        quote! { ::std::borrow::Cow::Borrowed(&[#(#items),*]) }
    }
}
