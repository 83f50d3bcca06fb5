//! PIL2 parser: text to AST, with diagnostics.
