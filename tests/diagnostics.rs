//! Integration tests: diagnostics.
