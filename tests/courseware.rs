//! Integration tests: courseware.
