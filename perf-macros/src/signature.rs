//! Which function signatures `#[perf_test]` accepts.
//!
//! Errors are built with `syn::Error::new_spanned` on the offending tokens:
//! on stable Rust that is the only way to underline a whole type or argument
//! list rather than its first token.

use proc_macro2::TokenStream;
use quote::ToTokens as _;

/// An accepted signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `fn name(b: &mut Bencher)`
    SyncBench,
    /// `async fn name(b: &mut Bencher)`
    AsyncBench,
    /// `async fn name(user: &mut User) -> perf_runtime::Result<()>`
    Load,
}

const ALLOWED_LOAD: &str =
    "a load test is `async fn name(user: &mut User) -> perf_runtime::Result<()>`";

const ALLOWED: &str =
    "a perf test is `fn name(b: &mut Bencher)` or `async fn name(b: &mut Bencher)`";

/// Checks the signature; every problem found is one combined error.
pub(crate) fn check(function: &syn::ItemFn, load: bool) -> syn::Result<Shape> {
    if load {
        return check_load(function);
    }
    let sig = &function.sig;
    let mut errors: Vec<syn::Error> = Vec::new();
    let mut fail = |tokens: &dyn quote::ToTokens, message: String| {
        errors.push(syn::Error::new_spanned(tokens, message));
    };
    if !sig.generics.params.is_empty() {
        fail(
            &sig.generics,
            format!("perf tests cannot be generic; {ALLOWED}, so write one test per concrete type"),
        );
    } else if let Some(where_clause) = &sig.generics.where_clause {
        fail(
            where_clause,
            format!("perf tests cannot have a `where` clause; {ALLOWED}"),
        );
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        fail(
            token,
            format!("perf tests cannot be `unsafe fn`; {ALLOWED}"),
        );
    }
    if let Some(token) = &sig.constness {
        fail(token, format!("perf tests cannot be `const fn`; {ALLOWED}"));
    }
    if let Some(abi) = &sig.abi {
        fail(
            abi,
            format!("perf tests cannot have an `extern` ABI; {ALLOWED}"),
        );
    }
    if let Some(variadic) = &sig.variadic {
        fail(
            variadic,
            format!("perf tests cannot be variadic; {ALLOWED}"),
        );
    }
    match sig.inputs.first() {
        None => {
            let mut parens = TokenStream::new();
            sig.paren_token.surround(&mut parens, |_| {});
            fail(
                &parens,
                format!("missing the `&mut Bencher` argument; {ALLOWED}"),
            );
        }
        // A method cannot be registered at all, so its other arguments
        // are not worth a second error.
        Some(syn::FnArg::Receiver(receiver)) => fail(
            receiver,
            format!(
                "perf tests are free functions, not methods: move it out of the `impl` block; {ALLOWED}"
            ),
        ),
        Some(syn::FnArg::Typed(typed)) => {
            match bencher_ref(&typed.ty) {
                BencherRef::Mutable => {}
                BencherRef::Shared => fail(
                    &typed.ty,
                    format!("the bencher must be borrowed mutably: `&mut Bencher`; {ALLOWED}"),
                ),
                BencherRef::Other => fail(&typed.ty, format!("expected `&mut Bencher`; {ALLOWED}")),
            }
            if sig.inputs.len() > 1 {
                let extra: TokenStream = sig
                    .inputs
                    .pairs()
                    .skip(1)
                    .map(|pair| pair.into_value().to_token_stream())
                    .collect();
                fail(
                    &extra,
                    format!(
                        "perf tests take one argument, the `&mut Bencher`: build other inputs in the \
                         body or with `b.iter_with_setup(...)`; {ALLOWED}"
                    ),
                );
            }
        }
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        let unit = matches!(&**ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty());
        if !unit {
            fail(
                &sig.output,
                format!(
                    "perf tests return nothing: return the value from the closure given to \
                     `b.iter(...)` instead; {ALLOWED}"
                ),
            );
        }
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        None if sig.asyncness.is_some() => Ok(Shape::AsyncBench),
        None => Ok(Shape::SyncBench),
        Some(mut first) => {
            for error in errors {
                first.combine(error);
            }
            Err(first)
        }
    }
}

/// Checks a load test's signature.
fn check_load(function: &syn::ItemFn) -> syn::Result<Shape> {
    let sig = &function.sig;
    let mut errors: Vec<syn::Error> = Vec::new();
    let mut fail = |tokens: &dyn quote::ToTokens, message: String| {
        errors.push(syn::Error::new_spanned(tokens, message));
    };
    if sig.asyncness.is_none() {
        fail(
            &sig.fn_token,
            format!("load tests are async: write `async fn`; {ALLOWED_LOAD}"),
        );
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        fail(
            &sig.generics,
            format!("load tests cannot be generic; {ALLOWED_LOAD}"),
        );
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        fail(
            token,
            format!("load tests cannot be `unsafe fn`; {ALLOWED_LOAD}"),
        );
    }
    match sig.inputs.first() {
        None => {
            let mut parens = TokenStream::new();
            sig.paren_token.surround(&mut parens, |_| {});
            fail(
                &parens,
                format!("missing the `&mut User` argument; {ALLOWED_LOAD}"),
            );
        }
        Some(syn::FnArg::Receiver(receiver)) => fail(
            receiver,
            format!("load tests are free functions, not methods; {ALLOWED_LOAD}"),
        ),
        Some(syn::FnArg::Typed(typed)) => {
            if !matches!(type_ref(&typed.ty, "User"), BencherRef::Mutable) {
                fail(&typed.ty, format!("expected `&mut User`; {ALLOWED_LOAD}"));
            }
            if sig.inputs.len() > 1 {
                let extra: TokenStream = sig
                    .inputs
                    .pairs()
                    .skip(1)
                    .map(|pair| pair.into_value().to_token_stream())
                    .collect();
                fail(
                    &extra,
                    format!("load tests take one argument, the `&mut User`; {ALLOWED_LOAD}"),
                );
            }
        }
    }
    if matches!(sig.output, syn::ReturnType::Default) {
        fail(
            &sig.ident,
            format!(
                "a load test returns `perf_runtime::Result<()>`, so failed checks can be counted; {ALLOWED_LOAD}"
            ),
        );
    }
    let mut errors = errors.into_iter();
    match errors.next() {
        None => Ok(Shape::Load),
        Some(mut first) => {
            for error in errors {
                first.combine(error);
            }
            Err(first)
        }
    }
}

/// How the argument's type relates to `&mut Bencher`.
enum BencherRef {
    /// `&mut Bencher` or `&mut path::to::Bencher`.
    Mutable,
    /// `&Bencher`: right type, missing `mut`.
    Shared,
    /// Anything else.
    Other,
}

fn bencher_ref(ty: &syn::Type) -> BencherRef {
    type_ref(ty, "Bencher")
}

fn type_ref(ty: &syn::Type, name: &str) -> BencherRef {
    let syn::Type::Reference(reference) = ty else {
        return BencherRef::Other;
    };
    let is_bencher = match &*reference.elem {
        syn::Type::Path(path) => {
            path.qself.is_none()
                && path
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == name && s.arguments.is_empty())
        }
        _ => false,
    };
    match (is_bencher, reference.mutability.is_some()) {
        (true, true) => BencherRef::Mutable,
        (true, false) => BencherRef::Shared,
        (false, _) => BencherRef::Other,
    }
}
