//! Integration tests: records.
