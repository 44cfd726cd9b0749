//! Reading scenario files: bytes → `Scenario`, with syntax errors as diagnostics.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::diag::{self, Diagnostic, Severity};
use super::model::Scenario;
use super::source_map::{Pos, SourceMap};
use super::validate::validate;

/// A scenario read from a file, with what is needed to point into it.
#[derive(Clone, Debug)]
pub struct Loaded {
    pub scenario: Arc<Scenario>,
    pub path: PathBuf,
    /// blake3 of the file's bytes, hex; records keep it to notice edited scenarios.
    pub hash: String,
    /// The text, kept to place diagnostics; the position map is built on first use only
    /// (a clean file never pays for it).
    source: Arc<str>,
    map: Arc<OnceLock<SourceMap>>,
}

impl Loaded {
    /// Where each value sits in the file.
    pub fn map(&self) -> &SourceMap {
        self.map.get_or_init(|| SourceMap::build(&self.source))
    }
}

/// The blake3 content hash used in records.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// RON as teachers write it: `Line(id: …)` without double brackets, and `speaker: "x"`
/// without `Some(…)` (both spellings are accepted).
pub fn ron_options() -> ron::Options {
    use ron::extensions::Extensions;
    // The recursion limit is what keeps 100,000 nested `(` from overflowing the stack: past it
    // RON stops with `ExceededRecursionLimit`, reported as `too-deep` with its line and column.
    ron::Options::default()
        .with_default_extension(Extensions::UNWRAP_VARIANT_NEWTYPES | Extensions::IMPLICIT_SOME)
        .with_recursion_limit(diag::RON_DEPTH)
}

/// Parse scenario text. `path` is only used in messages.
pub fn load_str(path: &Path, src: &str) -> Result<Loaded, Diagnostic> {
    let hash = content_hash(src.as_bytes());
    let text = src.strip_prefix('\u{feff}').unwrap_or(src);
    let mut scenario: Scenario = ron_options().from_str(text).map_err(|e| diag::from_ron(path, text, &e))?;
    scenario.reindex();
    Ok(Loaded {
        scenario: Arc::new(scenario),
        path: path.to_path_buf(),
        hash,
        source: Arc::from(text),
        map: Arc::new(OnceLock::new()),
    })
}

/// Read and parse a scenario file.
pub fn load_file(path: &Path) -> Result<Loaded, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(
            Severity::Error,
            "io",
            path,
            Pos { line: 1, col: 1 },
            format!("无法读取文件：{e}"),
            format!("cannot read the file: {e}"),
        )
    })?;
    let src = String::from_utf8(bytes).map_err(|e| {
        let before = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(before);
        let line = 1 + text.matches('\n').count();
        let col = 1 + text.rsplit('\n').next().map_or(0, |l| l.chars().count());
        Diagnostic::new(
            Severity::Error,
            "not-utf8",
            path,
            Pos { line, col },
            "文件不是 UTF-8 编码：请在编辑器中“另存为”并选择 UTF-8 编码".into(),
            "the file is not UTF-8: use “Save as” in your editor and choose UTF-8".into(),
        )
    })?;
    load_str(path, &src)
}

/// Load and validate one file: the scenario (if it parsed) and every diagnostic.
pub fn check_file(path: &Path) -> (Option<Loaded>, Vec<Diagnostic>) {
    match load_file(path) {
        Ok(loaded) => {
            let diags = validate(&loaded);
            (Some(loaded), diags)
        }
        Err(d) => (None, vec![d]),
    }
}

/// Every `.ron` file under the given files and folders, sorted, recursively.
pub fn find_scenario_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            // A missing file is reported by the loader with its name.
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Every `.ron` file under `dir`, with an explicit stack (no recursion on folder depth) and each
/// folder visited once by its real path (a symbolic link back up the tree is not a loop).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut seen = std::collections::HashSet::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        if !seen.insert(std::fs::canonicalize(&d).unwrap_or_else(|_| d.clone())) {
            continue;
        }
        for entry in std::fs::read_dir(&d)? {
            let path = entry?.path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "ron") {
                out.push(path);
            }
        }
    }
    Ok(())
}
