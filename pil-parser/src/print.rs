//! Pretty-printer: `Display` for AST nodes, producing valid PIL that re-parses to the same tree.

use std::fmt::{self, Display, Formatter, Write as _};

use crate::ast::*;

const INDENT: &str = "    ";

impl Display for Ast {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        for stmt in &self.stmts {
            write_stmt(&mut out, stmt, 0);
        }
        f.write_str(&out)
    }
}

impl Display for Stmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_stmt(&mut out, self, 0);
        f.write_str(out.trim_end_matches('\n'))
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_expr(&mut out, self);
        f.write_str(&out)
    }
}

impl Display for Type {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Type::Int => "int",
            Type::Fe => "fe",
            Type::Expr => "expr",
            Type::String => "string",
        })
    }
}

impl Display for Name {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_name(&mut out, self);
        f.write_str(&out)
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level {
        out.push_str(INDENT);
    }
}

/// Writes one statement on its own line(s), at `level`, ending with a newline.
fn write_stmt(out: &mut String, stmt: &Stmt, level: usize) {
    indent(out, level);
    write_stmt_body(out, stmt, level);
    out.push('\n');
}

/// Writes a statement starting at the current position (no leading indentation, no newline).
fn write_stmt_body(out: &mut String, stmt: &Stmt, level: usize) {
    match &stmt.kind {
        StmtKind::Empty => out.push(';'),
        StmtKind::Pragma(text) => {
            out.push_str("#pragma ");
            out.push_str(text);
        }
        StmtKind::Require(path) => {
            out.push_str("require ");
            write_str_or_template(out, path);
            out.push(';');
        }
        StmtKind::Include(path) => {
            out.push_str("include ");
            write_str_or_template(out, path);
            out.push(';');
        }
        StmtKind::AirTemplate(t) => {
            let _ = write!(out, "airtemplate {}(", t.name.name);
            write_params(out, &t.params);
            out.push_str(") ");
            write_block(out, &t.body, level);
        }
        StmtKind::AirGroup(g) => {
            let _ = write!(out, "airgroup {} ", g.name.name);
            write_block(out, &g.body, level);
        }
        StmtKind::Function(func) => {
            match func.visibility {
                Some(Visibility::Private) => out.push_str("private "),
                Some(Visibility::Public) => out.push_str("public "),
                None => {}
            }
            let _ = write!(out, "function {}(", func.name.name);
            write_params(out, &func.params);
            out.push(')');
            if let Some(ret) = &func.ret {
                out.push_str(": ");
                if ret.is_const {
                    out.push_str("const ");
                }
                let _ = write!(out, "{}", ret.ty);
                out.push_str(&"[]".repeat(ret.array_dims));
            }
            out.push(' ');
            write_block(out, &func.body, level);
        }
        StmtKind::Container(c) => {
            out.push_str("container ");
            write_name(out, &c.name);
            write_alias(out, c.alias.as_ref());
            match &c.body {
                Some(body) => {
                    out.push(' ');
                    write_block(out, body, level);
                }
                None => out.push(';'),
            }
        }
        StmtKind::Use(u) => {
            out.push_str("use ");
            write_name(out, &u.name);
            write_alias(out, u.alias.as_ref());
            out.push(';');
        }
        StmtKind::If(i) => {
            out.push_str("if (");
            write_expr(out, &i.cond);
            out.push_str(") ");
            write_nested(out, &i.then, level);
            if let Some(otherwise) = &i.otherwise {
                if matches!(i.then.kind, StmtKind::Block(_)) {
                    out.push_str(" else ");
                } else {
                    out.push('\n');
                    indent(out, level);
                    out.push_str("else ");
                }
                write_nested(out, otherwise, level);
            }
        }
        StmtKind::For(fr) => {
            out.push_str("for (");
            if let Some(init) = &fr.init {
                write_simple(out, init);
            }
            out.push_str("; ");
            if let Some(cond) = &fr.cond {
                write_expr(out, cond);
            }
            out.push_str("; ");
            for (i, step) in fr.steps.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_simple(out, step);
            }
            out.push_str(") ");
            write_nested(out, &fr.body, level);
        }
        StmtKind::ForIn(fi) => {
            out.push_str("for (");
            if fi.is_const {
                out.push_str("const ");
            }
            if let Some(ty) = fi.ty {
                let _ = write!(out, "{ty} ");
            }
            write_name(out, &fi.var);
            out.push_str(" in ");
            write_expr(out, &fi.iter);
            out.push_str(") ");
            write_nested(out, &fi.body, level);
        }
        StmtKind::While(w) => {
            out.push_str("while (");
            write_expr(out, &w.cond);
            out.push_str(") ");
            write_nested(out, &w.body, level);
        }
        StmtKind::DoWhile(d) => {
            out.push_str("do ");
            write_block(out, &d.body, level);
            out.push_str(" while (");
            write_expr(out, &d.cond);
            out.push_str(");");
        }
        StmtKind::Switch(s) => {
            out.push_str("switch (");
            write_expr(out, &s.value);
            out.push_str(") {\n");
            for case in &s.cases {
                indent(out, level + 1);
                out.push_str("case ");
                for (i, label) in case.labels.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    match label {
                        CaseLabel::Value(v) => write_expr(out, v),
                        CaseLabel::Range(a, b) => {
                            write_expr(out, a);
                            out.push_str("..");
                            write_expr(out, b);
                        }
                    }
                }
                out.push_str(":\n");
                for st in &case.body {
                    write_stmt(out, st, level + 2);
                }
            }
            if let Some(default) = &s.default {
                indent(out, level + 1);
                out.push_str("default:\n");
                for st in default {
                    write_stmt(out, st, level + 2);
                }
            }
            indent(out, level);
            out.push('}');
        }
        StmtKind::Block(b) => write_block(out, b, level),
        StmtKind::Hint(h) => {
            let _ = write!(out, "@{}", h.name.name);
            write_hint_object(out, &h.fields);
            out.push(';');
        }
        _ => {
            write_simple(out, stmt);
            out.push(';');
        }
    }
}

/// Writes the body of `if`/`for`/`while` (a block stays on the same line).
fn write_nested(out: &mut String, stmt: &Stmt, level: usize) {
    match &stmt.kind {
        StmtKind::Block(b) => write_block(out, b, level),
        _ => write_stmt_body(out, stmt, level),
    }
}

fn write_block(out: &mut String, block: &Block, level: usize) {
    out.push_str("{\n");
    for stmt in &block.stmts {
        write_stmt(out, stmt, level + 1);
    }
    indent(out, level);
    out.push('}');
}

/// Writes a simple statement without its terminating `;` (also used in `for` headers).
fn write_simple(out: &mut String, stmt: &Stmt) {
    match &stmt.kind {
        StmtKind::Return(e) => {
            out.push_str("return");
            if let Some(e) = e {
                out.push(' ');
                write_expr(out, e);
            }
        }
        StmtKind::Break => out.push_str("break"),
        StmtKind::Continue => out.push_str("continue"),
        StmtKind::Col(c) => {
            out.push_str("col ");
            match &c.kind {
                ColKind::Witness => out.push_str("witness"),
                ColKind::Fixed => out.push_str("fixed"),
                ColKind::Custom(id) => out.push_str(&id.name),
            }
            for attr in &c.attrs {
                out.push(' ');
                match attr {
                    ColAttr::Bits { width, signed } => {
                        out.push_str("bits(");
                        write_expr(out, width);
                        if *signed {
                            out.push_str(", signed");
                        }
                        out.push(')');
                    }
                    ColAttr::Stage(e) => write_call_like(out, "stage", e),
                    ColAttr::Virtual(e) => write_call_like(out, "virtual", e),
                }
            }
            out.push(' ');
            write_decl_items(out, &c.items);
            if let Some(init) = &c.init {
                out.push_str(" = ");
                write_expr(out, init);
            }
        }
        StmtKind::Commit(c) => {
            out.push_str("commit");
            for attr in &c.attrs {
                out.push(' ');
                match attr {
                    CommitAttr::Stage(e) => write_call_like(out, "stage", e),
                    CommitAttr::Public(names) => {
                        out.push_str("public(");
                        for (i, n) in names.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            write_name(out, n);
                        }
                        out.push(')');
                    }
                }
            }
            out.push(' ');
            out.push_str(&c.name.name);
        }
        StmtKind::Value(v) => {
            out.push_str(match v.kind {
                ValueKind::Public => "public",
                ValueKind::ProofVal => "proofval",
                ValueKind::AirVal => "airval",
                ValueKind::AirGroupVal => "airgroupval",
                ValueKind::Challenge => "challenge",
            });
            for attr in &v.attrs {
                out.push(' ');
                match attr {
                    ValueAttr::Stage(e) => write_call_like(out, "stage", e),
                    ValueAttr::Default(e) => write_call_like(out, "default", e),
                    ValueAttr::Aggregate(id) => {
                        let _ = write!(out, "aggregate({})", id.name);
                    }
                }
            }
            out.push(' ');
            write_decl_items(out, &v.items);
        }
        StmtKind::Var(v) => {
            if v.is_const {
                out.push_str("const ");
            }
            let _ = write!(out, "{} ", v.ty);
            match &v.target {
                VarTarget::Items(items) => write_decl_items(out, items),
                VarTarget::Destructure(names) => write_destructure(out, names),
            }
            if let Some(init) = &v.init {
                out.push_str(" = ");
                write_expr(out, init);
            }
        }
        StmtKind::OnFinal(o) => {
            out.push_str("on final");
            if let Some(p) = &o.priority {
                out.push('(');
                write_expr(out, p);
                out.push(')');
            }
            out.push_str(match o.scope {
                FinalScope::Air => " air ",
                FinalScope::AirGroup => " airgroup ",
                FinalScope::Proof => " proof ",
            });
            write_call(out, &o.call);
        }
        StmtKind::Instance(i) => {
            if i.is_virtual {
                out.push_str("virtual ");
            }
            write_call(out, &i.call);
            write_alias(out, i.alias.as_ref());
        }
        StmtKind::Assign(a) => {
            match &a.target {
                AssignTarget::Ref(r) => write_ref(out, r),
                AssignTarget::Destructure(names) => write_destructure(out, names),
            }
            out.push_str(match a.op {
                AssignOp::Assign => " = ",
                AssignOp::AddAssign => " += ",
                AssignOp::SubAssign => " -= ",
                AssignOp::MulAssign => " *= ",
            });
            write_expr(out, &a.value);
        }
        StmtKind::IncDec(i) => {
            let op = if i.increment { "++" } else { "--" };
            if i.prefix {
                out.push_str(op);
                write_ref(out, &i.target);
            } else {
                write_ref(out, &i.target);
                out.push_str(op);
            }
        }
        StmtKind::Constraint(l, r) => {
            write_expr(out, l);
            out.push_str(" === ");
            write_expr(out, r);
        }
        StmtKind::WitnessAssign(l, r) => {
            write_expr(out, l);
            out.push_str(" <== ");
            write_expr(out, r);
        }
        StmtKind::Expr(e) => write_expr(out, e),
        _ => {
            let mut inner = String::new();
            write_stmt_body(&mut inner, stmt, 0);
            out.push_str(inner.trim_end_matches(';'));
        }
    }
}

fn write_call_like(out: &mut String, kw: &str, e: &Expr) {
    out.push_str(kw);
    out.push('(');
    write_expr(out, e);
    out.push(')');
}

fn write_params(out: &mut String, params: &[Param]) {
    for (i, p) in params.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        if p.is_const {
            out.push_str("const ");
        }
        let _ = write!(out, "{} {}", p.ty, p.name.name);
        out.push_str(&"[]".repeat(p.array_dims));
        if let Some(d) = &p.default {
            out.push_str(" = ");
            write_expr(out, d);
        }
    }
}

fn write_alias(out: &mut String, alias: Option<&AliasName>) {
    if let Some(alias) = alias {
        out.push_str(" alias ");
        match alias {
            AliasName::Ident(id) => out.push_str(&id.name),
            AliasName::Str(s) => write_string(out, s),
            AliasName::Template(t) => write_template(out, t),
        }
    }
}

fn write_decl_items(out: &mut String, items: &[DeclItem]) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_name(out, &item.name);
        for dim in &item.dims {
            out.push('[');
            if let Some(d) = dim {
                write_expr(out, d);
            }
            out.push(']');
        }
    }
}

fn write_destructure(out: &mut String, names: &[Name]) {
    out.push('[');
    for (i, n) in names.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_name(out, n);
    }
    out.push(']');
}

fn write_hint_object(out: &mut String, fields: &[HintField]) {
    out.push('{');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{}: ", field.name.name);
        write_hint_value(out, &field.value);
    }
    out.push('}');
}

fn write_hint_value(out: &mut String, v: &HintValue) {
    match v {
        HintValue::Expr(e) => write_expr(out, e),
        HintValue::Object(fields) => write_hint_object(out, fields),
        HintValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_hint_value(out, item);
            }
            out.push(']');
        }
    }
}

fn write_name(out: &mut String, name: &Name) {
    for (i, seg) in name.segs.iter().enumerate() {
        if i > 0 {
            out.push('.');
        }
        match seg {
            NameSeg::Ident(id) => out.push_str(&id.name),
            NameSeg::Template(t) => write_template(out, t),
        }
    }
}

fn write_string(out: &mut String, s: &StringLit) {
    out.push('"');
    out.push_str(&s.value);
    out.push('"');
}

fn write_template(out: &mut String, t: &Template) {
    out.push('`');
    for part in &t.parts {
        match part {
            TemplatePart::Text(text) => out.push_str(text),
            TemplatePart::Interp(e) => {
                out.push_str("${");
                write_expr(out, e);
                out.push('}');
            }
        }
    }
    out.push('`');
}

fn write_str_or_template(out: &mut String, s: &StrOrTemplate) {
    match s {
        StrOrTemplate::Str(s) => write_string(out, s),
        StrOrTemplate::Template(t) => write_template(out, t),
    }
}

fn write_ref(out: &mut String, r: &Reference) {
    write_name(out, &r.name);
    for idx in &r.indices {
        out.push('[');
        write_expr(out, idx);
        out.push(']');
    }
}

fn write_call(out: &mut String, call: &Call) {
    write_name(out, &call.callee);
    out.push('(');
    for (i, arg) in call.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match arg {
            Arg::Positional(e) => write_expr(out, e),
            Arg::Named(name, value) => {
                out.push_str(&name.name);
                out.push(':');
                if let Some(v) = value {
                    out.push(' ');
                    write_expr(out, v);
                }
            }
            Arg::Spread(e) => {
                out.push_str("...");
                write_expr(out, e);
            }
        }
    }
    out.push(')');
}

/// Binding power of an expression's top operator; atoms bind tightest.
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Ternary(..) => 1,
        ExprKind::Binary(op, ..) => op.precedence(),
        ExprKind::Is(..) => 7,
        ExprKind::Unary(..) => 12,
        _ => 14,
    }
}

fn write_paren_if(out: &mut String, e: &Expr, paren: bool) {
    if paren {
        out.push('(');
        write_expr(out, e);
        out.push(')');
    } else {
        write_expr(out, e);
    }
}

fn write_expr(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Number(n) => out.push_str(n),
        ExprKind::Str(s) => write_string(out, s),
        ExprKind::Template(t) => write_template(out, t),
        ExprKind::Ref(r) => write_ref(out, r),
        ExprKind::Next { base, by } => {
            write_ref(out, base);
            out.push('\'');
            if let Some(by) = by {
                if matches!(by.kind, ExprKind::Number(_)) {
                    write_expr(out, by);
                } else {
                    write_paren_if(out, by, true);
                }
            }
        }
        ExprKind::Prev { base, by } => {
            if let Some(by) = by {
                if matches!(by.kind, ExprKind::Number(_)) {
                    write_expr(out, by);
                } else {
                    write_paren_if(out, by, true);
                }
            }
            out.push('\'');
            write_ref(out, base);
        }
        ExprKind::Call(c) => write_call(out, c),
        ExprKind::Cast(ty, inner) => {
            let _ = write!(out, "{ty}(");
            write_expr(out, inner);
            out.push(')');
        }
        ExprKind::Array { items, fill } => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_array_item(out, item);
            }
            out.push(']');
            if *fill {
                out.push_str("...");
            }
        }
        ExprKind::Unary(op, inner) => {
            out.push(match op {
                UnaryOp::Neg => '-',
                UnaryOp::Plus => '+',
                UnaryOp::Not => '!',
            });
            let paren = prec(inner) < 12 || matches!(inner.kind, ExprKind::Unary(..));
            write_paren_if(out, inner, paren);
        }
        ExprKind::Binary(op, l, r) => {
            let p = op.precedence();
            let right_assoc = op.is_right_assoc();
            let lp = prec(l) < p || (prec(l) == p && right_assoc);
            let rp = prec(r) < p || (prec(r) == p && !right_assoc);
            write_paren_if(out, l, lp);
            let _ = write!(out, " {} ", op.symbol());
            write_paren_if(out, r, rp);
        }
        ExprKind::Ternary(c, a, b) => {
            write_paren_if(out, c, prec(c) <= 1);
            out.push_str(" ? ");
            write_expr(out, a);
            out.push_str(" : ");
            write_expr(out, b);
        }
        ExprKind::Is(inner, ty, dims) => {
            write_paren_if(out, inner, prec(inner) < 7);
            let _ = write!(out, " is {ty}");
            out.push_str(&"[]".repeat(*dims));
        }
    }
}

fn write_array_item(out: &mut String, item: &ArrayItem) {
    match item {
        ArrayItem::Spread(e) => {
            out.push_str("...");
            write_expr(out, e);
        }
        ArrayItem::Seq(s) => {
            // Before an item's `...`, an expression ending in `]` would take the `...` as
            // its own array fill: parenthesise it.
            let last = |out: &mut String, e: &Expr| {
                let mut text = String::new();
                write_expr(&mut text, e);
                if s.fill && text.ends_with(']') {
                    out.push('(');
                    out.push_str(&text);
                    out.push(')');
                } else {
                    out.push_str(&text);
                }
            };
            match &s.kind {
                SeqKind::Value { value, times } => match times {
                    Some(t) => {
                        write_expr(out, value);
                        out.push(':');
                        last(out, t);
                    }
                    None => last(out, value),
                },
                SeqKind::Range(range) => {
                    let SeqRange {
                        from,
                        from_times,
                        to,
                        to_times,
                    } = &**range;
                    write_expr(out, from);
                    write_times(out, from_times.as_ref());
                    out.push_str("..");
                    match to_times {
                        Some(t) => {
                            write_expr(out, to);
                            out.push(':');
                            last(out, t);
                        }
                        None => last(out, to),
                    }
                }
                SeqKind::Progression {
                    value,
                    times,
                    geometric,
                } => {
                    write_expr(out, value);
                    write_times(out, times.as_ref());
                    out.push_str(if *geometric { "..*.." } else { "..+.." });
                }
            }
            if s.fill {
                out.push_str("...");
            }
        }
    }
}

fn write_times(out: &mut String, times: Option<&Expr>) {
    if let Some(t) = times {
        out.push(':');
        write_expr(out, t);
    }
}
