//! Thin procedural-macro shims over `zisk-pil-codegen`.
//!
//! * `#[derive(AirRow)]` on a `#[repr(C)]` struct whose fields are `T` or (nested) arrays of
//!   `T`: adds `NUM_COLS`, `column_names()` and `Borrow`/`BorrowMut` from `[T]`, exactly as
//!   the generated row structs have.
//! * `pil!("…PIL source…")`: compiles inline PIL at macro-expansion time (for tests) and
//!   expands to one `pub mod <air_name>` per AIR, as `cargo xtask codegen` would generate it,
//!   using `::zisk_generated::support`. Compile errors become `compile_error!` with every
//!   diagnostic rendered.

use proc_macro::TokenStream;
use quote::quote;
use syn::{parse_macro_input, Data, DeriveInput, Fields, LitStr, Type};

/// Column-name code for a field of type `ty` named by the expression `name` (a `String`).
fn names_code(ty: &Type, name: proc_macro2::TokenStream, depth: usize) -> proc_macro2::TokenStream {
    match ty {
        Type::Array(arr) => {
            let len = &arr.len;
            let i = quote::format_ident!("i{}", depth);
            let inner = names_code(
                &arr.elem,
                quote! { format!("{}[{}]", #name, #i) },
                depth + 1,
            );
            quote! {
                for #i in 0..#len {
                    #inner
                }
            }
        }
        _ => quote! { names.push(#name); },
    }
}

/// Derives `NUM_COLS`, `column_names()` and `Borrow`/`BorrowMut<Self>` for `[T]`.
#[proc_macro_derive(AirRow)]
pub fn derive_air_row(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    let name = &input.ident;
    let Data::Struct(data) = &input.data else {
        return syn::Error::new_spanned(name, "AirRow can only be derived for structs")
            .to_compile_error()
            .into();
    };
    let Fields::Named(fields) = &data.fields else {
        return syn::Error::new_spanned(name, "AirRow needs named fields")
            .to_compile_error()
            .into();
    };
    let names = fields.named.iter().map(|f| {
        let ident = f
            .ident
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        names_code(&f.ty, quote! { String::from(#ident) }, 0)
    });
    let impls = zisk_pil_codegen::strip_comment_markers(zisk_pil_codegen::row_borrow_impls(name));
    quote! {
        impl<T> #name<T> {
            /// Number of columns (scalar cells) in a row.
            pub const NUM_COLS: usize = core::mem::size_of::<#name<u8>>();

            /// Column names in row order, with indices for array elements (`b[1]`).
            pub fn column_names() -> Vec<String> {
                let mut names = Vec::new();
                #(#names)*
                names
            }
        }
        #impls
    }
    .into()
}

/// Compiles inline PIL into AIR modules (see the crate docs).
#[proc_macro]
pub fn pil(input: TokenStream) -> TokenStream {
    let source = parse_macro_input!(input as LitStr);
    match zisk_pil_codegen::compile_str(&source.value(), "inline.pil") {
        Ok(ir) => {
            let options = zisk_pil_codegen::EmitOptions {
                support_path: "::zisk_generated::support".to_string(),
            };
            zisk_pil_codegen::emit_inline(&ir, &options).into()
        }
        Err(e) => syn::Error::new(source.span(), e.rendered)
            .to_compile_error()
            .into(),
    }
}
