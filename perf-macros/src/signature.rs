//! Which function signatures `#[perf_test]` accepts.

use syn::spanned::Spanned as _;

/// An accepted signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// `fn name(b: &mut Bencher)`
    SyncBench,
    /// `async fn name(b: &mut Bencher)`
    AsyncBench,
}

const ALLOWED: &str = "a perf test is `fn name(b: &mut Bencher)` or `async fn name(b: &mut Bencher)`";

/// Checks the signature; every problem found is one combined error.
pub(crate) fn check(function: &syn::ItemFn) -> syn::Result<Shape> {
    let sig = &function.sig;
    let mut errors: Vec<syn::Error> = Vec::new();
    let mut fail = |span: proc_macro2::Span, message: String| {
        errors.push(syn::Error::new(span, message));
    };
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        fail(
            sig.generics.span(),
            format!("perf tests cannot be generic; {ALLOWED}, so write one test per concrete type"),
        );
    }
    if let syn::Safety::Unsafe(token) = &sig.safety {
        fail(token.span, format!("perf tests cannot be `unsafe fn`; {ALLOWED}"));
    }
    if let Some(token) = &sig.constness {
        fail(token.span, format!("perf tests cannot be `const fn`; {ALLOWED}"));
    }
    if let Some(abi) = &sig.abi {
        fail(abi.span(), format!("perf tests cannot have an `extern` ABI; {ALLOWED}"));
    }
    if let Some(variadic) = &sig.variadic {
        fail(variadic.span(), format!("perf tests cannot be variadic; {ALLOWED}"));
    }
    match sig.inputs.len() {
        1 => {}
        0 => fail(
            sig.paren_token.span.join(),
            format!("missing the `&mut Bencher` argument; {ALLOWED}"),
        ),
        _ => fail(
            sig.inputs.span(),
            format!("too many arguments; {ALLOWED}"),
        ),
    }
    if let Some(input) = sig.inputs.first() {
        match input {
            syn::FnArg::Receiver(receiver) => fail(
                receiver.span(),
                format!("perf tests are free functions, not methods; {ALLOWED}"),
            ),
            syn::FnArg::Typed(typed) if !is_mut_ref_to(&typed.ty, "Bencher") => fail(
                typed.ty.span(),
                format!("expected `&mut Bencher`; {ALLOWED}"),
            ),
            syn::FnArg::Typed(_) => {}
        }
    }
    if let syn::ReturnType::Type(_, ty) = &sig.output {
        let unit = matches!(&**ty, syn::Type::Tuple(tuple) if tuple.elems.is_empty());
        if !unit {
            fail(
                ty.span(),
                format!("a perf test returns nothing (`()`): it times its routine with `b.iter(...)`; {ALLOWED}"),
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

/// Whether `ty` is `&mut Name` or `&mut path::to::Name`.
fn is_mut_ref_to(ty: &syn::Type, name: &str) -> bool {
    let syn::Type::Reference(reference) = ty else {
        return false;
    };
    if reference.mutability.is_none() {
        return false;
    }
    match &*reference.elem {
        syn::Type::Path(path) => path.qself.is_none() && path.path.segments.last().is_some_and(|s| s.ident == name && s.arguments.is_empty()),
        _ => false,
    }
}
