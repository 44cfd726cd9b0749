//! The scenario library: every scenario file found, grouped by course project and task, with
//! the student's best result. Broken files stay in the list with their error.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bevy::prelude::*;

use crate::records::store::read_folder;
use crate::scenario::{CourseRef, Diagnostic, Loaded, check_file, find_scenario_files, load_file};
use crate::scenario::Lang;
use crate::scoring::{Ratings, Scorer};
use crate::session::Session;
use crate::Text;

/// The student's best finished attempt at one scenario (scored now by the core).
#[derive(Clone, Debug, PartialEq)]
pub struct Best {
    pub total: u32,
    pub total_max: u32,
    pub pending_max: u32,
    pub projected: u32,
    pub grade: Text,
    /// Finished attempts found for this student.
    pub attempts: usize,
    /// When the best attempt started (the core's rule breaks a tie by it).
    pub started_at: String,
}

/// A scenario that loaded and passed validation.
#[derive(Clone, Debug)]
pub struct Entry {
    pub loaded: Loaded,
    /// The teaser with placeholders filled from the first variant rows (the attempt itself
    /// draws its own).
    pub teaser: Text,
    pub warnings: Vec<Diagnostic>,
    pub best: Option<Best>,
}

/// A file that could not be used, with every error.
#[derive(Clone, Debug)]
pub struct Broken {
    pub path: PathBuf,
    pub errors: Vec<Diagnostic>,
}

#[derive(Resource, Clone, Debug, Default)]
pub struct Library {
    /// Sorted by (project, task, title).
    pub entries: Vec<Entry>,
    pub broken: Vec<Broken>,
    /// Folders searched (shown when nothing was found).
    pub searched: Vec<PathBuf>,
    /// A records folder that could not be read (best results then unknown).
    pub records_problem: Option<String>,
}

impl Library {
    /// Entries grouped by course project and task.
    pub fn groups(&self) -> BTreeMap<CourseRef, Vec<usize>> {
        let mut g: BTreeMap<CourseRef, Vec<usize>> = BTreeMap::new();
        for (i, e) in self.entries.iter().enumerate() {
            g.entry(e.loaded.scenario.course).or_default().push(i);
        }
        g
    }

    pub fn find(&self, scenario_id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.loaded.scenario.id == scenario_id)
    }
}

/// The title of scenario `id` in these folders, for naming an unfinished attempt before the
/// library has been scanned (the start screen). `<id>.ron` is tried first, then every file.
pub fn title_of(dirs: &[PathBuf], id: &str) -> Option<Text> {
    let dirs = unique_dirs(dirs);
    let named = dirs.iter().map(|d| d.join(format!("{id}.ron")));
    let rest = find_scenario_files(&dirs).unwrap_or_default();
    named.filter(|p| p.is_file()).chain(rest).find_map(|p| load_file(&p).ok().filter(|l| l.scenario.id == id).map(|l| l.scenario.title.clone()))
}

/// Same folder named twice (e.g. the working folder is the program's folder): search it once.
fn unique_dirs(dirs: &[PathBuf]) -> Vec<PathBuf> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for d in dirs {
        if !d.is_dir() {
            continue;
        }
        let key = d.canonicalize().unwrap_or_else(|_| d.clone());
        if !seen.contains(&key) {
            seen.push(key);
            out.push(d.clone());
        }
    }
    out
}

/// Look through `dirs` for scenarios and through `records` for this student's results.
pub fn scan(dirs: &[PathBuf], records: &Path, student_id: &str) -> Library {
    let existing = unique_dirs(dirs);
    let mut lib = Library { searched: dirs.to_vec(), ..Default::default() };
    // Files starting with `_` (the template, drafts) are for teachers: `kefu check` sees them,
    // students don't.
    let files: Vec<PathBuf> = find_scenario_files(&existing)
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('_')))
        .collect();
    let mut seen_ids: BTreeMap<String, PathBuf> = BTreeMap::new();
    for path in files {
        let (loaded, diags) = check_file(&path);
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = diags.into_iter().partition(Diagnostic::is_error);
        match loaded {
            Some(loaded) if errors.is_empty() => {
                // The same scenario in two folders (a copy beside the program): keep the first.
                if let Some(first) = seen_ids.get(&loaded.scenario.id) {
                    bevy::log::info!("{} has the same id as {}; the first is used", path.display(), first.display());
                    continue;
                }
                seen_ids.insert(loaded.scenario.id.clone(), path.clone());
                let raw = loaded.scenario.teaser();
                let teaser = match Session::new(Arc::clone(&loaded.scenario), 0) {
                    Ok(s) => Text { zh: s.render(&raw, Lang::Zh), en: raw.en.as_ref().map(|_| s.render(&raw, Lang::En)) },
                    Err(_) => raw,
                };
                lib.entries.push(Entry { loaded, teaser, warnings, best: None });
            }
            _ => lib.broken.push(Broken { path, errors }),
        }
    }
    lib.entries.sort_by(|a, b| {
        let (x, y) = (&a.loaded.scenario, &b.loaded.scenario);
        (x.course, &x.id).cmp(&(y.course, &y.id))
    });
    if !student_id.is_empty() {
        fill_best(&mut lib, records, student_id);
    }
    lib
}

/// Score every finished record of this student with the scenario as it is now; keep the best.
fn fill_best(lib: &mut Library, records: &Path, student_id: &str) {
    let folder = match read_folder(records, None) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
        Err(e) => {
            lib.records_problem = Some(format!("{}: {e}", records.display()));
            return;
        }
    };
    for entry in &mut lib.entries {
        let sc = &entry.loaded.scenario;
        let scorer = Scorer::new(Arc::clone(sc));
        for (_, rec) in folder.records.iter().filter(|(_, r)| r.finished && r.player.id == student_id && r.scenario_id == sc.id) {
            // A record from an older version of the file may no longer replay: skip it.
            let Ok(report) = scorer.score(rec.seed, &rec.log, &Ratings::new()) else { continue };
            let attempts = entry.best.as_ref().map_or(0, |b| b.attempts) + 1;
            // The core's one rule for the best attempt (the grades' `Counting::Best` too).
            let better = entry.best.as_ref().is_none_or(|b| crate::grades::better_attempt((report.total, &rec.started_at), (b.total, &b.started_at)).is_gt());
            if better {
                entry.best = Some(Best {
                    total: report.total,
                    total_max: report.total_max,
                    pending_max: report.pending_max,
                    projected: report.projected,
                    grade: report.grade.clone(),
                    attempts,
                    started_at: rec.started_at.clone(),
                });
            } else if let Some(b) = entry.best.as_mut() {
                b.attempts = attempts;
            }
        }
    }
}
