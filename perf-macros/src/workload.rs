//! `load = "preset"`, `load(...)` or a catalogue kind: a load test's
//! workload, read as written and checked by perf-record.

use perf_record::attr::{WORKLOAD_KEYS, Workload, check_workload, preset};
use perf_record::kinds::{Kind, KindOptions};
use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::spanned::Spanned as _;

use crate::value::Written;

/// A checked workload: `load` itself, or a kind with its options.
pub(crate) struct LoadSpec {
    workload: Workload,
    /// The kind, if one gives the workload, and where it is written.
    pub(crate) kind: Option<(KindOptions, proc_macro2::Span)>,
}

impl LoadSpec {
    /// `load = "preset"` or `load(...)`.
    pub(crate) fn parse(meta: &ParseNestedMeta<'_>) -> syn::Result<Self> {
        let workload = if meta.input.peek(syn::Token![=]) {
            let literal: syn::LitStr = meta.value()?.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    format!(
                        "`load` takes a preset name (`load = \"normal_load\"`) or a list: `load({WORKLOAD_KEYS})`"
                    ),
                )
            })?;
            let preset = preset(&literal.value())
                .map_err(|message| syn::Error::new(literal.span(), message))?;
            Workload {
                preset: Some(preset),
                ..Workload::default()
            }
        } else {
            let written = Written::parse(meta)?;
            check_workload(&written.given)
                .map_err(|error| written.error(error, meta.path.span()))?
        };
        Ok(Self {
            workload,
            kind: None,
        })
    }

    /// `stress(...)`, `caching(...)` and the rest; `name` is the kind as
    /// written.
    pub(crate) fn parse_kind(
        meta: &ParseNestedMeta<'_>,
        name: &syn::Ident,
        kind: Kind,
    ) -> syn::Result<Self> {
        let options = crate::kind::parse(meta, name, kind)?;
        Ok(Self {
            workload: Workload::default(),
            kind: Some((options, name.span())),
        })
    }

    /// The runtime's `LoadOptions`.
    pub(crate) fn to_tokens(&self, private: &TokenStream) -> TokenStream {
        let opt = |value: Option<TokenStream>| match value {
            Some(v) => quote! { ::core::option::Option::Some(#v) },
            None => quote! { ::core::option::Option::None },
        };
        let w = &self.workload;
        let preset = opt(w.preset.as_ref().map(|p| quote! { #p }));
        let users = opt(w.users.map(|u| quote! { #u }));
        let ramp_up = opt(w.ramp_up_ns.map(|v| quote! { #v }));
        let hold = opt(w.hold_ns.map(|v| quote! { #v }));
        let rate = opt(w.rate.map(|v| quote! { #v }));
        let duration = opt(w.duration_ns.map(|v| quote! { #v }));
        let cap = opt(w.max_in_flight.map(|v| quote! { #v }));
        let think = opt(w.think_ns.map(|(l, h)| quote! { (#l, #h) }));
        let sweep = opt(self
            .kind
            .as_ref()
            .map(|(options, _)| crate::kind::to_tokens(options, private)));
        let stages = w.stages.iter().map(|(d, t)| quote! { (#d, #t) });
        let rate_stages = w.rate_stages.iter().map(|(d, t)| quote! { (#d, #t) });
        quote! {
            #private::LoadOptions {
                preset: #preset,
                users: #users,
                ramp_up_ns: #ramp_up,
                hold_ns: #hold,
                rate: #rate,
                duration_ns: #duration,
                stages: &[#(#stages),*],
                rate_stages: &[#(#rate_stages),*],
                think_ns: #think,
                max_in_flight: #cap,
                sweep: #sweep,
            }
        }
    }
}
