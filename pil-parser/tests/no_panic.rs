//! Robustness: random bytes and random mutations of the corpus (seeded, deterministic) must
//! never make the parser panic; diagnostics must point inside the source and render; a
//! mutated file that still parses cleanly must survive a print/parse round trip.

use std::fs;
use std::path::Path;

use zisk_pil_parser::{parse, parse_ok, render_all};

/// Small deterministic PRNG (xorshift64*), so the test needs no extra dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    ";",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    ",",
    ":",
    "'",
    "...",
    "..",
    "=",
    "===",
    "<==",
    "+",
    "-",
    "*",
    "**",
    "\\",
    "?",
    "!",
    "@",
    "#pragma x\n",
    "\"",
    "`",
    "${",
    "/*",
    "*/",
    "//",
    "\n",
    "col",
    "witness",
    "fixed",
    "bits(",
    "airtemplate",
    "airgroup",
    "function",
    "if",
    "else",
    "for",
    "while",
    "switch",
    "case",
    "default:",
    "const",
    "int",
    "expr",
    "virtual",
    "alias",
    "on final air",
    "container",
    "use",
    "x",
    "0x1F",
    "2**3",
    "a'2",
    "'b",
    "é",
    "\u{0}",
];

fn corpus() -> Vec<String> {
    let mut out = Vec::new();
    for kind in ["ok", "err"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(kind);
        let mut paths: Vec<_> = fs::read_dir(dir)
            .expect("corpus dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "pil"))
            .collect();
        paths.sort();
        out.extend(paths.iter().map(|p| fs::read_to_string(p).expect("read")));
    }
    out
}

fn char_floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn mutate(rng: &mut Rng, src: &str) -> String {
    let mut s = src.to_string();
    for _ in 0..1 + rng.below(4) {
        let len = s.len();
        let at = char_floor(&s, rng.below(len + 1));
        match rng.below(5) {
            0 => {
                let end = char_floor(&s, (at + rng.below(40)).min(len));
                s.replace_range(at..end, "");
            }
            1 => s.insert_str(at, TOKENS[rng.below(TOKENS.len())]),
            2 => {
                let end = char_floor(&s, (at + rng.below(80)).min(len));
                let chunk = s[at..end].to_string();
                let to = char_floor(&s, rng.below(len + 1));
                s.insert_str(to, &chunk);
            }
            3 => s.truncate(at),
            _ => {
                let end = char_floor(&s, (at + 1 + rng.below(3)).min(len));
                let tok = TOKENS[rng.below(TOKENS.len())];
                s.replace_range(at..end, tok);
            }
        }
    }
    s
}

fn check(src: &str) {
    let (ast, diags) = parse(src, "fuzz.pil");
    for d in &diags {
        assert!(d.span.range.start <= d.span.range.end, "{d:?}");
        assert!(d.span.range.end <= src.len(), "{d:?}");
        assert!(src.is_char_boundary(d.span.range.start), "{d:?}");
        assert!(d.span.line >= 1 && d.span.col >= 1);
        assert!(!d.message.contains("Rule::"), "{}", d.message);
    }
    let _ = render_all(&diags, src, "fuzz.pil");
    if let (Some(ast), true) = (ast, diags.is_empty()) {
        let printed = ast.to_string();
        let again = parse_ok(&printed, "fuzz.pil").unwrap_or_else(|e| {
            panic!(
                "clean input printed to something unparsable:\n{src}\n---\n{printed}\n{}",
                render_all(&e.diagnostics, &printed, "p.pil")
            )
        });
        assert_eq!(
            ast, again,
            "round trip changed the tree:\n{src}\n---\n{printed}"
        );
    }
}

#[test]
fn mutated_corpus_files_never_panic() {
    let files = corpus();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for _ in 0..1500 {
        let src = &files[rng.below(files.len())];
        check(&mutate(&mut rng, src));
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for _ in 0..1500 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len)
            .map(|_| match rng.below(3) {
                0 => {
                    let punct = b"(){}[];:,'.=+-*/\\\"`@#$ \n";
                    punct[rng.below(punct.len())]
                }
                1 => b'a' + rng.below(26) as u8,
                _ => rng.next() as u8,
            })
            .collect();
        check(&String::from_utf8_lossy(&bytes));
    }
}

#[test]
fn random_token_soup_never_panics() {
    let mut rng = Rng(0xA076_1D64_78BD_642F);
    for _ in 0..1500 {
        let n = rng.below(60);
        let src: Vec<&str> = (0..n).map(|_| TOKENS[rng.below(TOKENS.len())]).collect();
        check(&src.join(" "));
    }
}

/// Unclosed and deeply nested constructs: each must parse quickly (no exponential
/// backtracking in the grammar or in error recovery).
#[test]
fn pathological_inputs_finish_quickly() {
    let inputs = [
        "(".repeat(250),
        "[".repeat(250),
        "{".repeat(250),
        "-".repeat(5000) + "x;",
        "x = ".to_string() + &"a + ".repeat(3000) + "b;",
        "/*".to_string() + &"x".repeat(10_000),
        "\"".repeat(1001),
        "f(".repeat(200) + &")".repeat(200) + ";",
        "f(".repeat(200),
        "if (x) {".repeat(120),
        "x = ".to_string() + &"[".repeat(200),
        "x = ".to_string() + &"a ? ".repeat(200),
        "x = ".to_string() + &"`${".repeat(100),
        "x = ".to_string() + &"a.`${".repeat(100),
        "@h{".to_string() + &"a: {".repeat(100),
        "@h{a: ".to_string() + &"[".repeat(100),
        "switch (x) {".repeat(100),
        "airtemplate A() {".repeat(100),
        "x = ".to_string() + &"(a)'".repeat(200),
        "x = ".to_string() + &"([{([".repeat(50),
        "for (;;) ".repeat(200),
        "function f(".repeat(100),
        "col fixed X = [".to_string() + &"[1:".repeat(100),
        "switch (x) { ".to_string() + &"case 1: if (a) { ".repeat(100),
        "x = a".to_string() + &"[b".repeat(200),
        "x = ".to_string() + &"(".repeat(200) + "1" + &")".repeat(200) + ";",
    ];
    for src in inputs {
        let start = std::time::Instant::now();
        check(&src);
        let elapsed = start.elapsed();
        assert!(
            elapsed < std::time::Duration::from_secs(2),
            "{elapsed:?} for {}…",
            &src[..src.len().min(40)]
        );
    }
}
