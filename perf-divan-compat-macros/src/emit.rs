//! What the attributes expand to: the item unchanged, then one entry that
//! the compat crate turns into benchmarks at run time.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use crate::options::{Options, Target};
use crate::type_name::compact;

/// `#[divan::bench]`.
pub(crate) fn bench(attr: TokenStream, item: TokenStream) -> TokenStream {
    let function: syn::ItemFn = match syn::parse2(item.clone()) {
        Ok(function) => function,
        Err(_) => {
            let error = syn::Error::new_spanned(&item, "`#[divan::bench]` goes on a function")
                .into_compile_error();
            return quote! { #item #error };
        }
    };
    match Options::parse(attr, Target::Bench).and_then(|options| entry(&function, &options)) {
        Ok(entry) => quote! { #function #entry },
        Err(error) => {
            let error = error.into_compile_error();
            quote! { #function #error }
        }
    }
}

/// `#[divan::bench_group]`.
pub(crate) fn bench_group(attr: TokenStream, item: TokenStream) -> TokenStream {
    let module: syn::ItemMod = match syn::parse2(item.clone()) {
        Ok(module) => module,
        Err(_) => {
            let error = syn::Error::new_spanned(&item, "`#[divan::bench_group]` goes on a module")
                .into_compile_error();
            return quote! { #item #error };
        }
    };
    let options = match Options::parse(attr, Target::Group) {
        Ok(options) => options,
        Err(error) => {
            let error = error.into_compile_error();
            return quote! { #module #error };
        }
    };
    let private = private(&options);
    let module_name = module.ident.to_string();
    let module_name = module_name.strip_prefix("r#").unwrap_or(&module_name);
    let name = option(options.name.as_ref());
    let ignore_attr = has_ignore_attr(&module.attrs);
    let settings = settings(&options, &private);
    quote! {
        #module

        const _: () = {
            fn __divan_options() -> #private::BenchOptions {
                #settings
            }
            #private::inventory::submit! {
                #private::GroupEntry {
                    module_path: ::core::concat!(::core::module_path!(), "::", #module_name),
                    name: #name,
                    ignore_attr: #ignore_attr,
                    options: __divan_options,
                }
            }
        };
    }
}

fn private(options: &Options) -> TokenStream {
    match &options.crate_path {
        Some(path) => quote! { #path::__private },
        None => quote! { ::divan::__private },
    }
}

fn option<T: ToTokens>(value: Option<&T>) -> TokenStream {
    match value {
        Some(value) => quote! { ::core::option::Option::Some(#value) },
        None => quote! { ::core::option::Option::None },
    }
}

fn has_ignore_attr(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|attr| attr.path().is_ident("ignore"))
}

/// The body of the function that builds the entry's `BenchOptions`.
fn settings(options: &Options, private: &TokenStream) -> TokenStream {
    let fields = options.settings.iter().map(|(ident, value)| {
        let value = match ident.to_string().as_str() {
            "min_time" | "max_time" => {
                quote! { #private::IntoDuration::into_duration(#value) }
            }
            _ => value.to_token_stream(),
        };
        quote! { options.#ident = ::core::option::Option::Some(#value); }
    });
    let ignore = options
        .ignore
        .as_ref()
        .map(|value| quote! { options.ignore = ::core::option::Option::Some(#value); });
    let threads = options.threads.as_ref().map(|value| {
        let written = value.to_token_stream().to_string();
        quote! { options.threads = ::core::option::Option::Some(#written); }
    });
    let counters = options.counters.iter().map(|counter| {
        quote! { options.counters.push(#private::IntoCounter::into_counter(#counter)); }
    });
    quote! {
        let mut options = <#private::BenchOptions as ::core::default::Default>::default();
        #(#fields)*
        #ignore
        #threads
        #(#counters)*
        options
    }
}

fn entry(function: &syn::ItemFn, options: &Options) -> syn::Result<TokenStream> {
    let private = private(options);
    let sig = &function.sig;
    let ident = &sig.ident;
    let fn_name = ident.to_string();
    let fn_name = fn_name.strip_prefix("r#").unwrap_or(&fn_name).to_owned();
    let name = match &options.name {
        Some(name) => name.to_token_stream(),
        None => fn_name.to_token_stream(),
    };
    let ignore_attr = has_ignore_attr(&function.attrs);
    let settings = settings(options, &private);
    let variants = variants(function, options, &private)?;
    Ok(quote! {
        const _: () = {
            fn __divan_options() -> #private::BenchOptions {
                #settings
            }
            fn __divan_variants(variants: &mut #private::Variants) {
                #variants
            }
            #private::inventory::submit! {
                #private::BenchEntry {
                    name: #name,
                    module_path: ::core::module_path!(),
                    file: ::core::file!(),
                    line: ::core::line!(),
                    ignore_attr: #ignore_attr,
                    options: __divan_options,
                    variants: __divan_variants,
                }
            }
        };
    })
}

/// One registration per type and constant: `types` times `consts`.
fn variants(
    function: &syn::ItemFn,
    options: &Options,
    private: &TokenStream,
) -> syn::Result<TokenStream> {
    let sig = &function.sig;
    let type_param = sig
        .generics
        .params
        .iter()
        .position(|p| matches!(p, syn::GenericParam::Type(_)));
    let const_param = sig
        .generics
        .params
        .iter()
        .enumerate()
        .find_map(|(i, p)| match p {
            syn::GenericParam::Const(c) => Some((i, c.ty.clone())),
            _ => None,
        });
    if type_param.is_some() && options.types.is_none() {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            "a generic benchmark needs `types = [...]` to say which types to run it with",
        ));
    }
    if const_param.is_some() && options.consts.is_none() {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            "a const-generic benchmark needs `consts = [...]` to say which values to run it with",
        ));
    }
    let types: Vec<Option<&syn::Type>> = match &options.types {
        Some(types) => types.iter().map(Some).collect(),
        None => vec![None],
    };
    let consts: Vec<Option<&syn::Expr>> = match &options.consts {
        Some(consts) => consts.iter().map(Some).collect(),
        None => vec![None],
    };
    let type_first = matches!((type_param, &const_param), (Some(t), Some((c, _))) if t < *c);
    let mut out = TokenStream::new();
    for ty in &types {
        for value in &consts {
            let mut generics: Vec<TokenStream> = Vec::new();
            let mut segments: Vec<TokenStream> = Vec::new();
            let mut const_item = TokenStream::new();
            if let Some(ty) = ty {
                let shown = format!("<{}>", compact(&ty.to_token_stream().to_string()));
                segments.push(quote! { ::std::string::String::from(#shown) });
                generics.push(ty.to_token_stream());
            }
            if let (Some(value), Some((_, const_ty))) = (value, &const_param) {
                const_item = quote! { const __DIVAN_CONST: #const_ty = #value; };
                segments.push(quote! {{
                    use #private::{ByDebug as _, ByDisplay as _};
                    (&#private::ArgName(&__DIVAN_CONST)).arg_name()
                }});
                generics.push(quote! { { __DIVAN_CONST } });
            }
            if !type_first && generics.len() == 2 {
                generics.reverse();
            }
            let call = call(function, options, private, &generics)?;
            out.extend(quote! {
                {
                    #const_item
                    let segments: ::std::vec::Vec<::std::string::String> = ::std::vec![#(#segments),*];
                    #call
                }
            });
        }
    }
    Ok(out)
}

/// The registration of one instance: how its function is called.
fn call(
    function: &syn::ItemFn,
    options: &Options,
    private: &TokenStream,
    generics: &[TokenStream],
) -> syn::Result<TokenStream> {
    let sig = &function.sig;
    let ident = &sig.ident;
    let path = if generics.is_empty() {
        quote! { #ident }
    } else {
        quote! { #ident::<#(#generics),*> }
    };
    let arg_type = || -> syn::Result<TokenStream> {
        match sig.inputs.last() {
            Some(syn::FnArg::Typed(arg)) => Ok(match &*arg.ty {
                // The function's own lifetime cannot be named here.
                syn::Type::Reference(reference) => {
                    let mut reference = reference.clone();
                    reference.lifetime = None;
                    reference.to_token_stream()
                }
                other => other.to_token_stream(),
            }),
            _ => Err(syn::Error::new_spanned(
                sig,
                "a benchmark is a free function",
            )),
        }
    };
    let from_arg = |arg_type: &TokenStream| {
        quote! { <#arg_type as #private::FromArg<'_, _>>::from_arg(__divan_arg) }
    };
    let with_args = |args: &syn::Expr, run: TokenStream| {
        quote! {
            variants.with_args(
                segments,
                || #args,
                |__divan_arg| {
                    use #private::{ByDebug as _, ByDisplay as _};
                    (&#private::ArgName(__divan_arg)).arg_name()
                },
                #run,
            );
        }
    };
    Ok(match (sig.inputs.len(), &options.args) {
        (0, None) => quote! {
            variants.plain(segments, |bencher| bencher.bench(#path));
        },
        (1, None) => quote! {
            variants.plain(segments, |bencher| #path(bencher));
        },
        (1, Some(args)) => {
            let value = from_arg(&arg_type()?);
            with_args(
                args,
                quote! { |bencher, __divan_arg| bencher.bench(|| #path(#value)) },
            )
        }
        (2, Some(args)) => {
            let value = from_arg(&arg_type()?);
            with_args(
                args,
                quote! { |bencher, __divan_arg| #path(bencher, #value) },
            )
        }
        (0, Some(args)) => {
            return Err(syn::Error::new_spanned(
                args,
                "`args` needs a parameter to pass each argument to",
            ));
        }
        (_, None) => {
            return Err(syn::Error::new_spanned(
                &sig.inputs,
                "a benchmark takes a `divan::Bencher`, and an argument only with `args = [...]`",
            ));
        }
        (_, Some(_)) => {
            return Err(syn::Error::new_spanned(
                &sig.inputs,
                "a benchmark with `args` takes the argument, or a `divan::Bencher` and the argument",
            ));
        }
    })
}
