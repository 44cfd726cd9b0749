//! Scenarios: the model a teacher writes, loading, validation and analysis. No Bevy here.

pub mod cond;
pub mod diag;
pub mod fastron;
pub mod formula;
pub mod ident;
pub mod load;
pub mod model;
pub mod ranges;
pub mod reply;
pub mod rubric;
pub mod rules;
pub mod source_map;
pub mod text;
pub mod validate;

pub use diag::{Diagnostic, Severity};
pub use ident::{IdentMap, Value};
pub use load::{Found, Loaded, content_hash, find_scenario_files, load_file, load_str, scan_scenario_files};
pub use model::*;
pub use rubric::{Dim, Mode, Rubric};
pub use text::{Forms, Lang, Text};
pub use validate::{check_file, validate};
