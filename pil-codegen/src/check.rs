//! Checks that need the whole program: every participant of a bus agrees on its shape.
//!
//! Per-statement checks (degree, row window, types) run while compiling, in `eval`.

use std::collections::BTreeMap;

use zisk_pil_parser::{Label, SourceSpan};

use crate::diag::{Code, Diagnostic};
use crate::ir::{BusKind, Interaction, Ir, Loc};

fn span_of(loc: &Loc, sources: &BTreeMap<String, String>) -> SourceSpan {
    match sources.get(&loc.file) {
        Some(text) => SourceSpan::new(text, &loc.file, loc.start..loc.end),
        None => SourceSpan {
            file: loc.file.clone(),
            line: loc.line,
            col: loc.col,
            range: loc.start..loc.end,
        },
    }
}

fn kind_class(kind: BusKind) -> Option<&'static str> {
    match kind {
        BusKind::Lookup => Some("lookup"),
        BusKind::Permutation => Some("permutation"),
        BusKind::RangeCheck => Some("range check"),
        BusKind::Direct => None,
    }
}

/// Every bus id must be used with one tuple width and one kind (lookup, permutation or
/// range check; direct terms may join either).
pub fn check_buses(ir: &Ir, sources: &BTreeMap<String, String>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut width: BTreeMap<u64, &Interaction> = BTreeMap::new();
    let mut class: BTreeMap<u64, &Interaction> = BTreeMap::new();
    let all = ir
        .airs
        .iter()
        .flat_map(|a| a.interactions.iter())
        .chain(ir.global_interactions.iter());
    for i in all {
        match width.get(&i.bus) {
            Some(first) if first.values.len() != i.values.len() => {
                diags.push(Diagnostic {
                    code: Code::Bus,
                    span: span_of(&i.loc, sources),
                    message: format!(
                        "bus {} carries tuples of {} value(s) here but {} value(s) elsewhere",
                        i.bus,
                        i.values.len(),
                        first.values.len()
                    ),
                    labels: vec![Label {
                        span: span_of(&first.loc, sources),
                        message: format!("{} value(s) here", first.values.len()),
                    }],
                });
            }
            Some(_) => {}
            None => {
                width.insert(i.bus, i);
            }
        }
        if let Some(k) = kind_class(i.kind) {
            match class.get(&i.bus) {
                Some(first) if kind_class(first.kind) != Some(k) => {
                    diags.push(Diagnostic {
                        code: Code::Bus,
                        span: span_of(&i.loc, sources),
                        message: format!(
                            "bus {} is used as a {k} here but as a {} elsewhere",
                            i.bus,
                            kind_class(first.kind).unwrap_or("direct")
                        ),
                        labels: vec![Label {
                            span: span_of(&first.loc, sources),
                            message: "first used here".to_string(),
                        }],
                    });
                }
                Some(_) => {}
                None => {
                    class.insert(i.bus, i);
                }
            }
        }
    }
    diags
}
