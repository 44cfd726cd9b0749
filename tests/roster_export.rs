//! Integration tests: roster_export.
