//! What `#[perf_test]` expands to: the user's function unchanged, and one
//! registration entry that reaches the runtime through `__private`.

use crate::options::PerfTestOptions;
use crate::signature::Shape;

/// The function and its entry.
pub(crate) fn emit(
    function: &syn::ItemFn,
    options: &PerfTestOptions,
    shape: Shape,
) -> proc_macro2::TokenStream {
    let ident = &function.sig.ident;
    let name = ident.to_string();
    let private = quote::quote! { ::perf_runtime::__private };
    let (wrapper, run) = match shape {
        Shape::SyncBench => (
            quote::quote! {},
            quote::quote! { #private::TestFn::Bench(#ident) },
        ),
        Shape::AsyncBench => (
            quote::quote! {
                fn __perf_test_async(bencher: &mut ::perf_runtime::Bencher) {
                    #private::block_on(#ident(bencher))
                }
            },
            quote::quote! { #private::TestFn::Bench(__perf_test_async) },
        ),
        Shape::Load => {
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
            let thresholds = options.thresholds.iter().map(|(m, v, name)| {
                let name = option_tokens(name.as_ref());
                quote::quote! { (#m, #v, #name) }
            });
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
    let time_limit = option_tokens(options.time_limit_ns.as_ref());
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
                    time_limit_ns: #time_limit,
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
