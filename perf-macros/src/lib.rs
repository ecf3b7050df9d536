//! `#[perf_test]`: registers a function as a perf test of `perf-runtime`.
//!
//! Use it through `perf_runtime::perf_test`; its documentation lives there.
//! The macro only checks and records options: it emits the function
//! unchanged (also when the options are wrong, so IDEs keep working) plus
//! one registration entry that reaches the runtime through
//! `perf_runtime::__private`.

use proc_macro::TokenStream;

mod catalog;
mod load;
mod options;
mod signature;
mod sweep;

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
                if ident == "load"
                    || sweep::SWEEPS.iter().any(|kind| ident == kind)
                    || options::catalogue_kind_like(&ident.to_string()).is_some())
    });
    let options = options::PerfTestOptions::parse(attr);
    let is_load = match &options {
        Ok(options) => options.load.is_some(),
        Err(_) => mentions_load,
    };
    let shape = signature::check(&function, is_load);
    match (options, shape) {
        (Ok(options), Ok(shape)) => emit(&function, &options, shape),
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

fn emit(
    function: &syn::ItemFn,
    options: &options::PerfTestOptions,
    shape: signature::Shape,
) -> proc_macro2::TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let private = quote::quote! { ::perf_runtime::__private };
    let (wrapper, run) = match shape {
        signature::Shape::SyncBench => (
            quote::quote! {},
            quote::quote! { #private::TestFn::Bench(#ident) },
        ),
        signature::Shape::AsyncBench => (
            quote::quote! {
                fn __perf_test_async(bencher: &mut ::perf_runtime::Bencher) {
                    #private::block_on(#ident(bencher))
                }
            },
            quote::quote! { #private::TestFn::Bench(__perf_test_async) },
        ),
        signature::Shape::Load => {
            let load = options.load.as_ref().map(|l| l.to_tokens(&private));
            let body = if options.tasks.is_empty() {
                quote::quote! { ::std::boxed::Box::pin(#ident(user)) }
            } else {
                // Locust-style: the annotated function sets the user up
                // once, then each iteration runs one task picked by weight.
                let weights = options.tasks.iter().map(|(_, w)| *w);
                let arms = options.tasks.iter().enumerate().map(|(i, (task, _))| {
                    quote::quote! { #i => #task(user).await, }
                });
                quote::quote! {
                    ::std::boxed::Box::pin(async move {
                        if user.first_iteration() {
                            #ident(user).await?;
                        }
                        match #private::pick_task(user, &[#(#weights),*]) {
                            #(#arms)*
                            _ => ::core::result::Result::Ok(()),
                        }
                    })
                }
            };
            let thresholds = options
                .thresholds
                .iter()
                .map(|(m, v)| quote::quote! { (#m, #v) });
            (
                quote::quote! {
                    fn __perf_test_load(
                        user: &mut ::perf_runtime::User,
                    ) -> ::core::pin::Pin<
                        ::std::boxed::Box<
                            dyn ::core::future::Future<Output = ::perf_runtime::Result<()>> + ::core::marker::Send + '_,
                        >,
                    > {
                        #body
                    }
                    static __PERF_TEST_LOAD: #private::LoadOptions = #load;
                },
                quote::quote! {
                    #private::TestFn::Load {
                        run: __perf_test_load,
                        options: &__PERF_TEST_LOAD,
                        thresholds: &[#(#thresholds),*],
                    }
                },
            )
        }
    };
    let ignore = options.ignore;
    let ignore_reason = option_tokens(options.ignore_reason.as_ref());
    let threshold = option_tokens(options.regression_threshold_pct.as_ref());
    let warm_up = option_tokens(options.warm_up_ns.as_ref());
    let measurement = option_tokens(options.measurement_ns.as_ref());
    let instructions = options.instructions;
    quote::quote! {
        #function

        const _: () = {
            #wrapper
            #private::inventory::submit! {
                #private::PerfTestEntry {
                    name: #name,
                    module_path: ::core::module_path!(),
                    file: ::core::file!(),
                    line: ::core::line!(),
                    ignore: #ignore,
                    ignore_reason: #ignore_reason,
                    regression_threshold_pct: #threshold,
                    warm_up_ns: #warm_up,
                    measurement_ns: #measurement,
                    count_instructions: #instructions,
                    run: #run,
                }
            }
        };
    }
}

fn option_tokens<T: quote::ToTokens>(value: Option<&T>) -> proc_macro2::TokenStream {
    match value {
        Some(value) => quote::quote! { ::core::option::Option::Some(#value) },
        None => quote::quote! { ::core::option::Option::None },
    }
}
