//! Integration tests: app.

#![cfg(feature = "gui")]
