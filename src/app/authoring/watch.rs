//! The thread that watches the authoring folder and wakes the window when a file changed.

use super::*;

/// The thread that watches the folder for the window (see the module docs).
struct Watcher {
    folder: PathBuf,
    stop: Arc<AtomicBool>,
    /// Set by the thread when a file changed; the next frame polls whatever its timer says.
    changed: Arc<AtomicBool>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[derive(Resource, Default)]
pub(super) struct Watch(Option<Watcher>);

impl Watch {
    /// Whether the thread saw a file change since the last call (and clear it).
    pub(super) fn take_change(&self) -> bool {
        self.0.as_ref().is_some_and(|w| w.changed.swap(false, Ordering::Relaxed))
    }
}

/// Every scenario file below `folder` with its size and modification time.
fn fingerprint(folder: &Path) -> Vec<(PathBuf, Option<Stamp>)> {
    let files = find_scenario_files(&[folder.to_path_buf()]).unwrap_or_default();
    files.into_iter().map(|p| (stamp(&p), p)).map(|(s, p)| (p, s)).collect()
}

fn spawn_watcher(folder: PathBuf, wake: impl Fn() + Send + 'static) -> Option<Watcher> {
    let stop = Arc::new(AtomicBool::new(false));
    let changed = Arc::new(AtomicBool::new(false));
    let (stop2, changed2, dir) = (Arc::clone(&stop), Arc::clone(&changed), folder.clone());
    let spawned = std::thread::Builder::new().name("kefu-authoring-watch".into()).spawn(move || {
        // Starts from nothing: the first look wakes the window once, so a save made while the
        // thread was starting is not missed.
        let mut last = Vec::new();
        while !stop2.load(Ordering::Relaxed) {
            let now = fingerprint(&dir);
            if now != last {
                last = now;
                changed2.store(true, Ordering::Relaxed);
                wake();
            }
            std::thread::sleep(POLL);
        }
    });
    match spawned {
        Ok(_) => Some(Watcher { folder, stop, changed }),
        Err(e) => {
            bevy::log::warn!("authoring: cannot start the file watcher: {e}");
            None
        }
    }
}

/// A watcher on the folder shown while polling (and only with a window to wake); none otherwise.
pub(super) fn manage_watcher(state: Res<State<Screen>>, authoring: Res<Authoring>, proxy: Option<Res<EventLoopProxyWrapper>>, mut watch: ResMut<Watch>) {
    let wanted = polling(state, Res::clone(&authoring)) && !authoring.folder.as_os_str().is_empty();
    let Some(proxy) = proxy.filter(|_| wanted) else {
        watch.0 = None;
        return;
    };
    if watch.0.as_ref().is_some_and(|w| w.folder == authoring.folder) {
        return;
    }
    let proxy = proxy.deref().deref().clone();
    watch.0 = spawn_watcher(authoring.folder.clone(), move || {
        let _ = proxy.send_event(WinitUserEvent::WakeUp);
    });
}
