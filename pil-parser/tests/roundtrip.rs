//! Property test: random ASTs pretty-print to PIL that parses back to the same tree.
//!
//! The generator produces trees in the canonical shape the parser builds (for example no
//! adjacent text parts in template strings), with dummy spans; `PartialEq` ignores spans.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestRunner};
use zisk_pil_parser::ast::*;
use zisk_pil_parser::{parse_ok, render_all};

fn sp() -> Span {
    Span::default()
}

fn id(name: &str) -> Ident {
    Ident {
        name: name.to_string(),
        span: sp(),
    }
}

fn ident() -> impl Strategy<Value = Ident> {
    prop::sample::select(vec![
        "a",
        "b",
        "x1",
        "CLK_0",
        "sel",
        "__",
        "step_addr",
        "v$",
    ])
    .prop_map(id)
}

fn name() -> impl Strategy<Value = Name> {
    prop::sample::select(vec![
        vec!["a"],
        vec!["b"],
        vec!["x1"],
        vec!["CLK_0"],
        vec!["air", "x"],
        vec!["airgroup", "cnt"],
        vec!["proof", "std", "n"],
        vec!["Tables", "fill"],
    ])
    .prop_map(|segs| Name {
        segs: segs.into_iter().map(|s| NameSeg::Ident(id(s))).collect(),
        span: sp(),
    })
}

fn ty() -> impl Strategy<Value = Type> {
    prop_oneof![
        Just(Type::Int),
        Just(Type::Fe),
        Just(Type::Expr),
        Just(Type::String)
    ]
}

fn ex(kind: ExprKind) -> Expr {
    Expr { kind, span: sp() }
}

fn number() -> impl Strategy<Value = Expr> {
    prop_oneof![
        (0u64..1000).prop_map(|n| n.to_string()),
        (0u64..u64::MAX).prop_map(|n| format!("0x{n:X}")),
        Just("0xA000_0000".to_string()),
        Just(
            "115792089237316195423570985008687907853269984665640564039457584007908834671663"
                .to_string()
        ),
    ]
    .prop_map(|n| ex(ExprKind::Number(n)))
}

fn string_lit() -> impl Strategy<Value = StringLit> {
    "[a-z0-9 _.,:;{}()/*-]{0,8}".prop_map(|value| StringLit { value, span: sp() })
}

fn binary_op() -> impl Strategy<Value = BinaryOp> {
    prop::sample::select(vec![
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::BitOr,
        BinaryOp::BitXor,
        BinaryOp::BitAnd,
        BinaryOp::In,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Gt,
        BinaryOp::Le,
        BinaryOp::Ge,
        BinaryOp::Shl,
        BinaryOp::Shr,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
        BinaryOp::Mod,
        BinaryOp::IntDiv,
        BinaryOp::Pow,
    ])
}

fn reference(e: BoxedStrategy<Expr>) -> impl Strategy<Value = Reference> {
    (name(), prop::collection::vec(e, 0..3)).prop_map(|(name, indices)| Reference {
        name,
        indices,
        span: sp(),
    })
}

fn leaf() -> BoxedStrategy<Expr> {
    prop_oneof![
        4 => number(),
        4 => name().prop_map(|name| ex(ExprKind::Ref(Reference { name, indices: vec![], span: sp() }))),
        1 => string_lit().prop_map(|s| ex(ExprKind::Str(s))),
    ]
    .boxed()
}

fn template(e: BoxedStrategy<Expr>) -> impl Strategy<Value = Template> {
    prop::collection::vec(("[a-z _]{1,4}", e), 0..3).prop_map(|parts| {
        let mut out = Vec::new();
        for (text, e) in parts {
            out.push(TemplatePart::Text(text));
            out.push(TemplatePart::Interp(e));
        }
        Template {
            parts: out,
            span: sp(),
        }
    })
}

fn times(e: BoxedStrategy<Expr>) -> impl Strategy<Value = Option<Expr>> {
    prop::option::of(e)
}

/// An item of a plain array literal (allowed anywhere): a value or a spread.
fn plain_item(e: BoxedStrategy<Expr>) -> impl Strategy<Value = ArrayItem> {
    prop_oneof![
        1 => e.clone().prop_map(ArrayItem::Spread),
        4 => e.prop_map(|value| ArrayItem::Seq(SeqItem {
            kind: SeqKind::Value { value, times: None },
            fill: false,
            span: sp(),
        })),
    ]
}

/// A fixed-column sequence: an array whose items may use repeats, ranges, progressions,
/// fills and nested sequence blocks. Only valid as an initialiser or assigned value.
fn sequence() -> BoxedStrategy<Expr> {
    let flat = prop::collection::vec(plain_item(expr()), 0..3)
        .prop_map(|items| ex(ExprKind::Array { items, fill: false }))
        .boxed();
    flat.prop_recursive(3, 24, 4, |block| {
        let e = expr();
        let value = prop_oneof![2 => e.clone(), 1 => block];
        let seq = prop_oneof![
            (value, times(e.clone())).prop_map(|(value, times)| SeqKind::Value { value, times }),
            (e.clone(), times(e.clone()), e.clone(), times(e.clone())).prop_map(
                |(from, from_times, to, to_times)| SeqKind::Range(Box::new(SeqRange {
                    from,
                    from_times,
                    to,
                    to_times
                }))
            ),
            (e.clone(), times(e.clone()), any::<bool>()).prop_map(|(value, times, geometric)| {
                SeqKind::Progression {
                    value,
                    times,
                    geometric,
                }
            }),
        ];
        let item = prop_oneof![
            1 => e.prop_map(ArrayItem::Spread),
            4 => (seq, any::<bool>())
                .prop_map(|(kind, fill)| ArrayItem::Seq(SeqItem { kind, fill, span: sp() })),
        ];
        (prop::collection::vec(item, 0..4), any::<bool>())
            .prop_map(|(items, fill)| ex(ExprKind::Array { items, fill }))
    })
    .boxed()
}

/// A value on the right of `=` in a declaration or assignment.
fn rhs() -> BoxedStrategy<Expr> {
    prop_oneof![3 => expr(), 1 => sequence()].boxed()
}

fn expr() -> BoxedStrategy<Expr> {
    leaf()
        .prop_recursive(4, 48, 4, |e| {
            let b = |x: Expr| Box::new(x);
            prop_oneof![
                (binary_op(), e.clone(), e.clone())
                    .prop_map(move |(op, l, r)| ex(ExprKind::Binary(op, b(l), b(r)))),
                (
                    prop::sample::select(vec![UnaryOp::Neg, UnaryOp::Plus, UnaryOp::Not]),
                    e.clone()
                )
                    .prop_map(move |(op, x)| ex(ExprKind::Unary(op, b(x)))),
                (e.clone(), e.clone(), e.clone()).prop_map(move |(c, x, y)| ex(ExprKind::Ternary(
                    b(c),
                    b(x),
                    b(y)
                ))),
                (e.clone(), ty(), 0usize..3).prop_map(move |(x, t, d)| ex(ExprKind::Is(
                    b(x),
                    t,
                    d
                ))),
                reference(e.clone()).prop_map(|r| ex(ExprKind::Ref(r))),
                (reference(e.clone()), prop::option::of(e.clone())).prop_map(move |(base, by)| ex(
                    ExprKind::Next {
                        base,
                        by: by.map(b)
                    }
                )),
                (reference(e.clone()), prop::option::of(e.clone())).prop_map(move |(base, by)| ex(
                    ExprKind::Prev {
                        base,
                        by: by.map(b)
                    }
                )),
                call(e.clone()).prop_map(|c| ex(ExprKind::Call(c))),
                (ty(), e.clone()).prop_map(move |(t, x)| ex(ExprKind::Cast(t, b(x)))),
                prop::collection::vec(plain_item(e.clone()), 0..4)
                    .prop_map(|items| ex(ExprKind::Array { items, fill: false })),
                template(e.clone()).prop_map(|t| ex(ExprKind::Template(t))),
            ]
        })
        .boxed()
}

fn call(e: BoxedStrategy<Expr>) -> impl Strategy<Value = Call> {
    let arg = prop_oneof![
        e.clone().prop_map(Arg::Positional),
        (ident(), prop::option::of(e.clone())).prop_map(|(n, v)| Arg::Named(n, v)),
        e.prop_map(Arg::Spread),
    ];
    (name(), prop::collection::vec(arg, 0..4)).prop_map(|(callee, args)| Call {
        callee,
        args,
        span: sp(),
    })
}

fn st(kind: StmtKind) -> Stmt {
    Stmt { kind, span: sp() }
}

fn block(s: BoxedStrategy<Stmt>) -> impl Strategy<Value = Block> {
    prop::collection::vec(s, 0..4).prop_map(|stmts| Block { stmts, span: sp() })
}

fn decl_items() -> impl Strategy<Value = Vec<DeclItem>> {
    prop::collection::vec(
        (
            name(),
            prop::collection::vec(prop::option::of(expr()), 0..3),
        )
            .prop_map(|(name, dims)| DeclItem {
                name,
                dims,
                span: sp(),
            }),
        1..3,
    )
}

fn alias() -> impl Strategy<Value = AliasName> {
    prop_oneof![
        ident().prop_map(AliasName::Ident),
        string_lit().prop_map(AliasName::Str),
        template(leaf()).prop_map(AliasName::Template),
    ]
}

fn params() -> impl Strategy<Value = Vec<Param>> {
    prop::collection::vec(
        (
            any::<bool>(),
            ty(),
            ident(),
            0usize..3,
            prop::option::of(expr()),
        )
            .prop_map(|(is_const, ty, name, array_dims, default)| Param {
                is_const,
                ty,
                name,
                array_dims,
                default,
                span: sp(),
            }),
        0..3,
    )
}

fn hint_value() -> impl Strategy<Value = HintValue> {
    let leaf = expr().prop_map(HintValue::Expr);
    leaf.prop_recursive(2, 8, 3, |v| {
        let field = (ident(), v.clone()).prop_map(|(name, value)| HintField { name, value });
        let fields = prop::collection::vec(field, 0..3).boxed();
        prop_oneof![
            fields.clone().prop_map(HintValue::Object),
            (fields, prop::collection::vec(expr(), 0..2)).prop_map(|(obj, rest)| {
                // An array holding an object cannot be an expression; its other items are
                // expressions.
                let mut items = vec![HintValue::Object(obj)];
                items.extend(rest.into_iter().map(HintValue::Expr));
                HintValue::Array(items)
            }),
        ]
    })
}

/// Statements usable in `for (…)` headers.
fn header_stmt() -> impl Strategy<Value = Stmt> {
    let target = reference(leaf()).prop_map(AssignTarget::Ref);
    let op = prop::sample::select(vec![
        AssignOp::Assign,
        AssignOp::AddAssign,
        AssignOp::SubAssign,
        AssignOp::MulAssign,
    ]);
    prop_oneof![
        (target, op, rhs()).prop_map(|(target, op, value)| st(StmtKind::Assign(Assign {
            target,
            op,
            value
        }))),
        (reference(leaf()), any::<bool>(), any::<bool>()).prop_map(
            |(target, increment, prefix)| {
                st(StmtKind::IncDec(IncDec {
                    target,
                    increment,
                    prefix,
                }))
            }
        ),
    ]
}

fn simple_stmt() -> BoxedStrategy<Stmt> {
    let col_kind = prop_oneof![
        Just(ColKind::Witness),
        Just(ColKind::Fixed),
        Just(ColKind::Custom(id("rom")))
    ];
    let col_attr = prop_oneof![
        (expr(), any::<bool>()).prop_map(|(width, signed)| ColAttr::Bits { width, signed }),
        expr().prop_map(ColAttr::Stage),
        expr().prop_map(ColAttr::Virtual),
    ];
    let value_kind = prop::sample::select(vec![
        ValueKind::Public,
        ValueKind::ProofVal,
        ValueKind::AirVal,
        ValueKind::AirGroupVal,
        ValueKind::Challenge,
    ]);
    let value_attr = prop_oneof![
        expr().prop_map(ValueAttr::Stage),
        ident().prop_map(ValueAttr::Aggregate),
        expr().prop_map(ValueAttr::Default),
    ];
    let commit_attr = prop_oneof![
        expr().prop_map(CommitAttr::Stage),
        prop::collection::vec(name(), 1..3).prop_map(CommitAttr::Public),
    ];
    let var_target = prop_oneof![
        decl_items().prop_map(VarTarget::Items),
        prop::collection::vec(name(), 1..3).prop_map(VarTarget::Destructure),
    ];
    prop_oneof![
        (expr(), expr()).prop_map(|(l, r)| st(StmtKind::Constraint(l, r))),
        (expr(), expr()).prop_map(|(l, r)| st(StmtKind::WitnessAssign(l, r))),
        expr().prop_map(|e| st(StmtKind::Expr(e))),
        header_stmt(),
        (prop::collection::vec(name(), 1..3), rhs()).prop_map(|(names, value)| {
            st(StmtKind::Assign(Assign {
                target: AssignTarget::Destructure(names),
                op: AssignOp::Assign,
                value,
            }))
        }),
        (any::<bool>(), ty(), var_target, prop::option::of(rhs())).prop_map(
            |(is_const, ty, target, init)| {
                let init = match (&target, init) {
                    (VarTarget::Destructure(_), None) => Some(ex(ExprKind::Number("0".into()))),
                    (_, init) => init,
                };
                st(StmtKind::Var(VarDecl {
                    is_const,
                    ty,
                    target,
                    init,
                }))
            }
        ),
        (
            col_kind,
            prop::collection::vec(col_attr, 0..3),
            decl_items(),
            prop::option::of(rhs())
        )
            .prop_map(|(kind, attrs, items, init)| st(StmtKind::Col(ColDecl {
                kind,
                attrs,
                items,
                init
            }))),
        (
            value_kind,
            prop::collection::vec(value_attr, 0..3),
            decl_items()
        )
            .prop_map(|(kind, attrs, items)| st(StmtKind::Value(ValueDecl {
                kind,
                attrs,
                items
            }))),
        (prop::collection::vec(commit_attr, 0..3), ident())
            .prop_map(|(attrs, name)| st(StmtKind::Commit(CommitDecl { attrs, name }))),
        prop::option::of(expr()).prop_map(|e| st(StmtKind::Return(e))),
        Just(st(StmtKind::Break)),
        Just(st(StmtKind::Continue)),
        (name(), prop::option::of(alias()))
            .prop_map(|(name, alias)| st(StmtKind::Use(Use { name, alias }))),
        (
            prop::option::of(expr()),
            prop::sample::select(vec![
                FinalScope::Air,
                FinalScope::AirGroup,
                FinalScope::Proof
            ]),
            call(expr())
        )
            .prop_map(|(priority, scope, call)| st(StmtKind::OnFinal(OnFinal {
                priority,
                scope,
                call
            }))),
        (any::<bool>(), call(expr()), prop::option::of(alias())).prop_map(
            |(is_virtual, call, alias)| {
                // Without `virtual`, an instantiation needs an alias (else it is a call).
                let alias = if is_virtual {
                    alias
                } else {
                    alias.or(Some(AliasName::Ident(id("X"))))
                };
                st(StmtKind::Instance(Instance {
                    is_virtual,
                    call,
                    alias,
                }))
            }
        ),
        (
            ident(),
            prop::collection::vec((ident(), hint_value()), 0..3)
        )
            .prop_map(|(name, fields)| st(StmtKind::Hint(Hint {
                name,
                fields: fields
                    .into_iter()
                    .map(|(name, value)| HintField { name, value })
                    .collect(),
            }))),
        "[a-z_ ]{0,10}[a-z]".prop_map(|t| st(StmtKind::Pragma(t.trim().to_string()))),
        string_lit().prop_map(|s| st(StmtKind::Require(StrOrTemplate::Str(s)))),
        template(leaf()).prop_map(|t| st(StmtKind::Include(StrOrTemplate::Template(t)))),
    ]
    .boxed()
}

fn stmt() -> BoxedStrategy<Stmt> {
    simple_stmt()
        .prop_recursive(3, 24, 4, |s| {
            let body = prop_oneof![
                block(s.clone()).prop_map(|b| st(StmtKind::Block(b))),
                simple_stmt(),
            ];
            let boxed = |x: Stmt| Box::new(x);
            let case_label = prop_oneof![
                expr().prop_map(CaseLabel::Value),
                (expr(), expr()).prop_map(|(a, b)| CaseLabel::Range(a, b)),
            ];
            let case = (
                prop::collection::vec(case_label, 1..3),
                prop::collection::vec(s.clone(), 0..3),
            )
                .prop_map(|(labels, body)| Case {
                    labels,
                    body,
                    span: sp(),
                });
            prop_oneof![
                block(s.clone()).prop_map(|b| st(StmtKind::Block(b))),
                (expr(), body.clone(), prop::option::of(body.clone())).prop_map(
                    move |(cond, then, otherwise)| st(StmtKind::If(If {
                        cond,
                        then: boxed(then),
                        otherwise: otherwise.map(boxed),
                    }))
                ),
                (expr(), body.clone()).prop_map(move |(cond, b)| st(StmtKind::While(While {
                    cond,
                    body: boxed(b)
                }))),
                (block(s.clone()), expr())
                    .prop_map(|(body, cond)| st(StmtKind::DoWhile(DoWhile { body, cond }))),
                (
                    prop::option::of(header_stmt()),
                    prop::option::of(expr()),
                    prop::collection::vec(header_stmt(), 0..3),
                    body.clone()
                )
                    .prop_map(move |(init, cond, steps, b)| st(StmtKind::For(
                        For {
                            init: init.map(boxed),
                            cond,
                            steps,
                            body: boxed(b),
                        }
                    ))),
                (
                    prop::option::of((any::<bool>(), ty())),
                    name(),
                    expr(),
                    body
                )
                    .prop_map(move |(decl, var, iter, b)| st(StmtKind::ForIn(
                        ForIn {
                            is_const: decl.is_some_and(|(c, _)| c),
                            ty: decl.map(|(_, t)| t),
                            var,
                            iter,
                            body: boxed(b),
                        }
                    ))),
                (
                    expr(),
                    prop::collection::vec(case, 0..3),
                    prop::option::of(prop::collection::vec(s.clone(), 0..2))
                )
                    .prop_map(|(value, cases, default)| st(StmtKind::Switch(
                        Switch {
                            value,
                            cases,
                            default
                        }
                    ))),
                (ident(), params(), block(s.clone())).prop_map(|(name, params, body)| st(
                    StmtKind::AirTemplate(AirTemplate { name, params, body })
                )),
                (ident(), block(s.clone()))
                    .prop_map(|(name, body)| st(StmtKind::AirGroup(AirGroup { name, body }))),
                (
                    prop::option::of(prop_oneof![
                        Just(Visibility::Private),
                        Just(Visibility::Public)
                    ]),
                    ident(),
                    params(),
                    prop::option::of((any::<bool>(), ty(), 0usize..3)),
                    block(s.clone())
                )
                    .prop_map(|(visibility, name, params, ret, body)| st(
                        StmtKind::Function(FunctionDef {
                            visibility,
                            name,
                            params,
                            ret: ret.map(|(is_const, ty, array_dims)| RetType {
                                is_const,
                                ty,
                                array_dims
                            }),
                            body,
                        })
                    )),
                (
                    name(),
                    prop::option::of(alias()),
                    prop::option::of(block(s))
                )
                    .prop_map(|(name, alias, body)| st(StmtKind::Container(
                        Container { name, alias, body }
                    ))),
            ]
        })
        .boxed()
}

fn file() -> impl Strategy<Value = Ast> {
    prop::collection::vec(stmt(), 0..6).prop_map(|stmts| Ast { stmts, span: sp() })
}

fn runner(cases: u32) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(0x5EED_0F91_1C00),
        ..Config::default()
    };
    TestRunner::new(config)
}

#[test]
fn random_asts_round_trip_through_printer_and_parser() {
    runner(512)
        .run(&file(), |ast| {
            let printed = ast.to_string();
            let reparsed = match parse_ok(&printed, "gen.pil") {
                Ok(t) => t,
                Err(e) => {
                    return Err(TestCaseError::fail(format!(
                        "printed tree does not parse:\n{printed}\n{}",
                        render_all(&e.diagnostics, &printed, "gen.pil")
                    )))
                }
            };
            prop_assert_eq!(&ast, &reparsed, "printed:\n{}", printed);
            Ok(())
        })
        .expect("round trip");
}

#[test]
fn random_expressions_round_trip() {
    runner(2048)
        .run(&expr(), |e| {
            let printed = format!("x = {e};");
            let ast = parse_ok(&printed, "gen.pil")
                .map_err(|err| TestCaseError::fail(format!("{printed}\n{err:?}")))?;
            let StmtKind::Assign(a) = &ast.stmts[0].kind else {
                return Err(TestCaseError::fail(format!("not an assignment: {printed}")));
            };
            prop_assert_eq!(&a.value, &e, "printed: {}", printed);
            Ok(())
        })
        .expect("expression round trip");
}
