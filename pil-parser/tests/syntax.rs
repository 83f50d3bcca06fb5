//! Focused syntax tests: expression shapes (precedence, associativity, row offsets) and
//! statement forms, checked through a fully parenthesised rendering of the tree.

use zisk_pil_parser::ast::*;
use zisk_pil_parser::{parse, parse_ok};

/// Renders an expression as a fully parenthesised s-expression.
fn sexp(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Number(n) => n.clone(),
        ExprKind::Ref(r) => reference(r),
        ExprKind::Next { base, by } => format!(
            "(next {} {})",
            reference(base),
            by.as_ref().map_or("1".to_string(), |b| sexp(b))
        ),
        ExprKind::Prev { base, by } => format!(
            "(prev {} {})",
            reference(base),
            by.as_ref().map_or("1".to_string(), |b| sexp(b))
        ),
        ExprKind::Unary(op, x) => format!("({op:?} {})", sexp(x)),
        ExprKind::Binary(op, l, r) => format!("({} {} {})", op.symbol(), sexp(l), sexp(r)),
        ExprKind::Ternary(c, a, b) => format!("(? {} {} {})", sexp(c), sexp(a), sexp(b)),
        ExprKind::Is(x, ty, dims) => format!("(is {} {ty}{})", sexp(x), "[]".repeat(*dims)),
        other => format!(
            "{}",
            Expr {
                kind: other.clone(),
                span: e.span
            }
        ),
    }
}

fn reference(r: &Reference) -> String {
    let mut s = r.name.to_string();
    for i in &r.indices {
        s.push_str(&format!("[{}]", sexp(i)));
    }
    s
}

/// Parses `x = <src>;` and returns the s-expression of the right-hand side.
fn shape(src: &str) -> String {
    let text = format!("x = {src};");
    let ast = parse_ok(&text, "t.pil").unwrap_or_else(|e| panic!("{src}: {e:?}"));
    match &ast.stmts[0].kind {
        StmtKind::Assign(a) => sexp(&a.value),
        other => panic!("not an assignment: {other:?}"),
    }
}

#[test]
fn arithmetic_precedence_and_associativity() {
    assert_eq!(shape("a + b * c"), "(+ a (* b c))");
    assert_eq!(shape("a - b - c"), "(- (- a b) c)");
    assert_eq!(shape("a * b / c % d \\ e"), "(\\ (% (/ (* a b) c) d) e)");
    assert_eq!(shape("2 ** 3 ** 2"), "(** 2 (** 3 2))");
    assert_eq!(shape("-2 ** 2"), "(Neg (** 2 2))");
    assert_eq!(shape("-a * b"), "(* (Neg a) b)");
    assert_eq!(shape("2 ** -1"), "(** 2 (Neg 1))");
    assert_eq!(shape("- -a"), "(Neg (Neg a))");
    assert_eq!(shape("!a && b"), "(&& (Not a) b)");
}

#[test]
fn bitwise_comparison_and_logic_levels() {
    assert_eq!(shape("a | b ^ c & d"), "(| a (^ b (& c d)))");
    assert_eq!(shape("a & b == c"), "(& a (== b c))");
    assert_eq!(shape("a << 2 + 1"), "(<< a (+ 2 1))");
    assert_eq!(shape("a < b == c"), "(== (< a b) c)");
    assert_eq!(shape("a || b && c"), "(|| a (&& b c))");
    assert_eq!(shape("a <= b && c >= d"), "(&& (<= a b) (>= c d))");
    assert_eq!(shape("a != b"), "(!= a b)");
    assert_eq!(shape("a >> 1 >> 2"), "(>> (>> a 1) 2)");
}

#[test]
fn ternary_is_lowest_and_right_associative() {
    assert_eq!(shape("a ? b : c ? d : e"), "(? a b (? c d e))");
    assert_eq!(shape("a || b ? c + 1 : d"), "(? (|| a b) (+ c 1) d)");
    assert_eq!(shape("a ? b ? 1 : 2 : 3"), "(? a (? b 1 2) 3)");
}

#[test]
fn in_and_is_bind_between_bitand_and_comparisons() {
    assert_eq!(shape("a is int && b"), "(&& (is a int) b)");
    assert_eq!(shape("a == b is int"), "(is (== a b) int)");
    assert_eq!(shape("x in y & z"), "(& (in x y) z)");
    assert_eq!(shape("t is string[][]"), "(is t string[][])");
}

#[test]
fn row_offsets() {
    assert_eq!(shape("a'"), "(next a 1)");
    assert_eq!(shape("a'2"), "(next a 2)");
    assert_eq!(shape("a'(i + 1)"), "(next a (+ i 1))");
    assert_eq!(shape("'a"), "(prev a 1)");
    assert_eq!(shape("3'a"), "(prev a 3)");
    assert_eq!(shape("(N - 1)'a"), "(prev a (- N 1))");
    assert_eq!(shape("'c[index]"), "(prev c[index] 1)");
    assert_eq!(shape("e[2]'3"), "(next e[2] 3)");
    assert_eq!(shape("a' * 'b"), "(* (next a 1) (prev b 1))");
    assert_eq!(
        shape("x1'2 * y1 - 2'e[i]"),
        "(- (* (next x1 2) y1) (prev e[i] 2))"
    );
    assert_eq!(shape("air.CLK[i]'"), "(next air.CLK[i] 1)");
}

#[test]
fn numbers_strings_and_templates() {
    assert_eq!(shape("0xA000_0000"), "0xA000_0000");
    assert_eq!(shape("1_000"), "1_000");
    assert_eq!(shape("\"a\\\"b\""), "\"a\\\"b\"");
    assert_eq!(shape("`x_${i + 1}_y`"), "`x_${i + 1}_y`");
}

#[test]
fn sequences() {
    let ast = parse_ok(
        "col fixed X = [1, 0:3..5:2, [2, 3]:4, 7..+.., 9...]...;",
        "t.pil",
    )
    .expect("parses");
    let StmtKind::Col(col) = &ast.stmts[0].kind else {
        panic!("not a col")
    };
    let Some(Expr {
        kind: ExprKind::Array { items, fill },
        ..
    }) = &col.init
    else {
        panic!("init is not a sequence")
    };
    assert!(*fill);
    let kinds: Vec<&str> = items
        .iter()
        .map(|i| match i {
            ArrayItem::Seq(SeqItem {
                kind: SeqKind::Value { times: None, .. },
                fill: false,
                ..
            }) => "value",
            ArrayItem::Seq(SeqItem {
                kind: SeqKind::Range(r),
                ..
            }) if r.from_times.is_some() && r.to_times.is_some() => "range-repeat",
            ArrayItem::Seq(SeqItem {
                kind: SeqKind::Value { times: Some(_), .. },
                ..
            }) => "block-repeat",
            ArrayItem::Seq(SeqItem {
                kind:
                    SeqKind::Progression {
                        geometric: false, ..
                    },
                ..
            }) => "arith",
            ArrayItem::Seq(SeqItem {
                kind: SeqKind::Value { .. },
                fill: true,
                ..
            }) => "fill",
            _ => "other",
        })
        .collect();
    assert_eq!(
        kinds,
        ["value", "range-repeat", "block-repeat", "arith", "fill"]
    );
}

fn first_kind(src: &str) -> StmtKind {
    parse_ok(src, "t.pil")
        .unwrap_or_else(|e| panic!("{src}: {e:?}"))
        .stmts
        .into_iter()
        .next()
        .expect("one statement")
        .kind
}

#[test]
fn statement_forms() {
    assert!(matches!(first_kind("a === b;"), StmtKind::Constraint(..)));
    assert!(matches!(
        first_kind("a <== b * c;"),
        StmtKind::WitnessAssign(..)
    ));
    assert!(matches!(
        first_kind("range_check(x, 0, 255);"),
        StmtKind::Expr(_)
    ));
    assert!(matches!(
        first_kind("virtual T(1) alias U;"),
        StmtKind::Instance(Instance {
            is_virtual: true,
            alias: Some(_),
            ..
        })
    ));
    assert!(matches!(
        first_kind("Mem(N: 2) alias RomData;"),
        StmtKind::Instance(Instance {
            is_virtual: false,
            ..
        })
    ));
    assert!(matches!(
        first_kind("x += 1;"),
        StmtKind::Assign(Assign {
            op: AssignOp::AddAssign,
            ..
        })
    ));
    assert!(matches!(
        first_kind("x++;"),
        StmtKind::IncDec(IncDec {
            prefix: false,
            increment: true,
            ..
        })
    ));
    assert!(matches!(
        first_kind("--x;"),
        StmtKind::IncDec(IncDec {
            prefix: true,
            increment: false,
            ..
        })
    ));
    assert!(matches!(
        first_kind("int [a, b] = [1, 2];"),
        StmtKind::Var(VarDecl {
            target: VarTarget::Destructure(_),
            ..
        })
    ));
    assert!(matches!(
        first_kind("[a, b] = [b, a];"),
        StmtKind::Assign(Assign {
            target: AssignTarget::Destructure(_),
            ..
        })
    ));
    assert!(matches!(first_kind("#pragma transpile"), StmtKind::Pragma(p) if p == "transpile"));
    // contextual keywords stay usable as names
    assert!(matches!(first_kind("signed = 1;"), StmtKind::Assign(_)));
    assert!(matches!(first_kind("virtual(x);"), StmtKind::Expr(_)));
    assert!(matches!(first_kind("use_x2 = 1;"), StmtKind::Assign(_)));
}

#[test]
fn named_and_shorthand_arguments() {
    let StmtKind::Expr(Expr {
        kind: ExprKind::Call(call),
        ..
    }) = first_kind("proves_operation(OP, a:, b: , c: x + 1, ...rest);")
    else {
        panic!("not a call")
    };
    assert_eq!(call.callee.to_string(), "proves_operation");
    assert!(matches!(&call.args[0], Arg::Positional(_)));
    assert!(matches!(&call.args[1], Arg::Named(n, None) if n.name == "a"));
    assert!(matches!(&call.args[2], Arg::Named(n, None) if n.name == "b"));
    assert!(matches!(&call.args[3], Arg::Named(n, Some(_)) if n.name == "c"));
    assert!(matches!(&call.args[4], Arg::Spread(_)));
}

#[test]
fn column_declarations() {
    let StmtKind::Col(col) = first_kind("col witness bits(64, signed) stage(1) carry[7], x;")
    else {
        panic!("not a col")
    };
    assert_eq!(col.kind, ColKind::Witness);
    assert!(matches!(&col.attrs[0], ColAttr::Bits { signed: true, .. }));
    assert!(matches!(&col.attrs[1], ColAttr::Stage(_)));
    assert_eq!(col.items.len(), 2);
    assert_eq!(col.items[0].dims.len(), 1);
    let StmtKind::Col(custom) = first_kind("col rom line;") else {
        panic!("not a col")
    };
    assert!(matches!(custom.kind, ColKind::Custom(ref id) if id.name == "rom"));
}

#[test]
fn spans_point_into_the_source() {
    let src = "const int a = 1;\n  x === a + 2;\n";
    let ast = parse_ok(src, "t.pil").expect("parses");
    let s = &ast.stmts[1];
    assert_eq!(&src[s.span.start..s.span.end], "x === a + 2");
    let StmtKind::Constraint(_, rhs) = &s.kind else {
        panic!("not a constraint")
    };
    assert_eq!(&src[rhs.span.start..rhs.span.end], "a + 2");
}

#[test]
fn recovery_reports_every_error_and_keeps_good_statements() {
    let src = "const int a = ;\ncol witness x\ncol witness y;\nairtemplate T() {\n  x === ;\n  y === 1;\n  z = (1 + ;\n}\nconst int ok = 1;\n";
    let (ast, diags) = parse(src, "t.pil");
    let lines: Vec<usize> = diags.iter().map(|d| d.span.line).collect();
    assert_eq!(lines, [1, 3, 5, 7], "{diags:#?}");
    let ast = ast.expect("partial ast");
    // `const int ok` and the template (with its good constraint) survive.
    assert!(ast.stmts.iter().any(|s| matches!(&s.kind, StmtKind::Var(v)
        if matches!(&v.target, VarTarget::Items(i) if i[0].name.to_string() == "ok"))));
    let tpl = ast
        .stmts
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::AirTemplate(t) => Some(t),
            _ => None,
        })
        .expect("template kept");
    assert_eq!(tpl.body.stmts.len(), 1);
}

#[test]
fn messages_use_plain_words() {
    for src in [
        "x === ;",
        "col witness",
        "airtemplate A( {",
        "f(a b);",
        "x = [1, 2;",
        "}",
    ] {
        let (_, diags) = parse(src, "t.pil");
        assert!(!diags.is_empty(), "{src}");
        for d in &diags {
            assert!(!d.message.contains("Rule"), "{src}: {}", d.message);
            assert!(!d.message.contains('_'), "{src}: {}", d.message);
        }
    }
}

#[test]
fn deep_nesting_is_a_diagnostic() {
    let src = format!("x = {}1{};", "(".repeat(300), ")".repeat(300));
    let (ast, diags) = parse(&src, "t.pil");
    assert!(ast.is_none());
    assert_eq!(diags[0].code, zisk_pil_parser::Code::TooDeep);
    let ok = format!("x = {}1{};", "(".repeat(100), ")".repeat(100));
    assert!(parse_ok(&ok, "t.pil").is_ok());
}

#[test]
fn spans_exclude_trailing_whitespace_and_comments() {
    let src = "x === a  // trailing \"//\" comment\n  /* block */ ;\ny = f(b) /* c */;\n";
    let ast = parse_ok(src, "t.pil").expect("parses");
    let text = |s: Span| &src[s.start..s.end];
    assert_eq!(text(ast.stmts[0].span), "x === a");
    let StmtKind::Constraint(_, rhs) = &ast.stmts[0].kind else {
        panic!("not a constraint")
    };
    assert_eq!(text(rhs.span), "a");
    assert_eq!(text(ast.stmts[1].span), "y = f(b)");
}
