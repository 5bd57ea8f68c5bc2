//! The screener in service, and reloading it without downtime.
//!
//! Requests load the current screener from an [`ArcSwap`]: one atomic
//! load, no lock. A reload builds the new screener on a thread of its own
//! at a lower priority, off the request path, and swaps it in; a request
//! that started before the swap finishes with the screener it loaded, and
//! the old screener is freed by another such thread once its last request
//! has ended. A policy that fails to load leaves the old one serving.

use arc_swap::ArcSwap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Weak};
use xianshen::{Policy, PolicyError, Screener};

/// Where the policy comes from; a reload reads it again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySource {
    /// The embedded default policy.
    Embedded,
    /// A policy file (list files relative to its folder).
    File(PathBuf),
    /// TOML text, list files relative to `base_dir` (the current
    /// directory when `None`).
    Toml {
        /// The policy text.
        text: String,
        /// Where list files and `extends` paths are resolved.
        base_dir: Option<PathBuf>,
    },
}

impl PolicySource {
    /// Loads and compiles the policy. Blocking: file reads and automaton
    /// construction.
    ///
    /// # Errors
    ///
    /// The [`PolicyError`] with file, line and column.
    pub fn build(&self) -> Result<Screener, PolicyError> {
        match self {
            PolicySource::Embedded => Ok(Screener::new()),
            PolicySource::File(path) => Screener::from_policy(Policy::from_file(path)?),
            PolicySource::Toml { text, base_dir } => {
                Screener::from_policy(Policy::from_toml_in(text, base_dir.as_deref())?)
            }
        }
    }

    /// A short description for logs: the file, or `embedded`.
    pub fn describe(&self) -> String {
        match self {
            PolicySource::Embedded => "embedded".into(),
            PolicySource::File(path) => path.display().to_string(),
            PolicySource::Toml { .. } => "<toml>".into(),
        }
    }
}

/// The screener serving now, swapped atomically on reload.
#[derive(Debug)]
pub struct ScreenerCell {
    current: ArcSwap<Screener>,
    source: PolicySource,
    /// One reload at a time: two racing reloads of the same file would
    /// only waste a build.
    reloading: tokio::sync::Mutex<()>,
    /// Every screener built, held weakly, to count the live ones.
    generations: Mutex<Vec<Weak<Screener>>>,
}

/// What a successful reload changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reloaded {
    /// The fingerprint of the policy before.
    pub previous: String,
    /// The fingerprint of the policy now serving.
    pub current: String,
}

impl ScreenerCell {
    /// Builds the first screener.
    ///
    /// # Errors
    ///
    /// The policy's [`PolicyError`].
    pub fn new(source: PolicySource) -> Result<ScreenerCell, PolicyError> {
        let screener = source.build()?;
        Ok(ScreenerCell::with_screener(source, screener))
    }

    /// A cell serving an already built screener; reloads read `source`.
    pub fn with_screener(source: PolicySource, screener: Screener) -> ScreenerCell {
        let screener = Arc::new(screener);
        ScreenerCell {
            generations: Mutex::new(vec![Arc::downgrade(&screener)]),
            current: ArcSwap::new(screener),
            source,
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    /// How many screeners are alive: the one serving, and older ones
    /// still held by requests in flight. Back to 1 once those end: an old
    /// screener is freed with its last request (`/metrics`:
    /// `xianshen_policy_generations_live`).
    pub fn live_generations(&self) -> usize {
        match self.generations.lock() {
            Ok(mut generations) => {
                generations.retain(|g| g.strong_count() > 0);
                generations.len()
            }
            Err(_) => 1,
        }
    }

    /// The screener serving now. Hold the `Arc` for the whole request, so
    /// that one request is decided by one policy.
    pub fn current(&self) -> Arc<Screener> {
        self.current.load_full()
    }

    /// Where the policy comes from.
    pub fn source(&self) -> &PolicySource {
        &self.source
    }

    /// Rebuilds the screener from the source on a blocking thread and
    /// swaps it in.
    ///
    /// # Errors
    ///
    /// [`ReloadError`]; the old screener keeps serving.
    pub async fn reload(&self) -> Result<Reloaded, ReloadError> {
        let _one_at_a_time = self.reloading.lock().await;
        let built = build_in_background(self.source.clone()).await?;
        let current = built.policy().fingerprint().to_string();
        let built = Arc::new(built);
        if let Ok(mut generations) = self.generations.lock() {
            generations.retain(|g| g.strong_count() > 0);
            generations.push(Arc::downgrade(&built));
        }
        let previous = self.current.swap(built);
        let reloaded = Reloaded {
            previous: previous.policy().fingerprint().to_string(),
            current,
        };
        retire(previous);
        Ok(reloaded)
    }
}

/// The niceness of the thread that builds a reloaded screener: under
/// load, the request threads get the CPU first and the build takes what
/// they leave, so a reload barely slows the requests around it.
pub const RELOAD_NICENESS: i32 = 10;

/// Builds the screener of `source` on a thread of its own (not the
/// blocking pool, whose threads are reused: a thread's priority cannot be
/// raised back without privileges) at [`RELOAD_NICENESS`].
async fn build_in_background(source: PolicySource) -> Result<Screener, ReloadError> {
    let (sender, receiver) = tokio::sync::oneshot::channel();
    std::thread::Builder::new()
        .name("xianshen-reload".into())
        .spawn(move || {
            lower_this_threads_priority(RELOAD_NICENESS);
            let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| source.build()))
                .map_err(|payload| panic_message(payload.as_ref()));
            let _ = sender.send(built); // the reload was dropped: nobody waits
        })
        .map_err(|e| ReloadError::Panicked(format!("cannot start the reload thread: {e}")))?;
    match receiver.await {
        Ok(Ok(built)) => Ok(built?),
        Ok(Err(message)) => Err(ReloadError::Panicked(message)),
        Err(_) => Err(ReloadError::Panicked(
            "the reload thread ended without a screener".into(),
        )),
    }
}

/// How often [`retire`] looks whether the last request has let go.
const RETIRE_POLL: std::time::Duration = std::time::Duration::from_millis(5);
/// After this long it lets go itself (a request holding a screener longer
/// is a bug): that request then frees it.
const RETIRE_WAIT: std::time::Duration = std::time::Duration::from_secs(120);

/// Frees a swapped-out screener off the request path: a thread at
/// [`RELOAD_NICENESS`] waits until no request holds it any more (requests
/// in flight finish with it), then drops it. Freeing a screener with a
/// large lexicon takes milliseconds (3–4 ms for 62,000 terms), which the
/// last request to hold it would otherwise spend, and every request queued
/// behind it on that worker.
fn retire(screener: Arc<Screener>) {
    let spawned = std::thread::Builder::new()
        .name("xianshen-retire".into())
        .spawn({
            let screener = Arc::clone(&screener);
            move || {
                lower_this_threads_priority(RELOAD_NICENESS);
                let started = std::time::Instant::now();
                // After `swap` no new request can reach it, and `swap` has
                // turned every borrowed load into a counted reference.
                while Arc::strong_count(&screener) > 1 && started.elapsed() < RETIRE_WAIT {
                    std::thread::sleep(RETIRE_POLL);
                }
                drop(screener);
            }
        });
    // No thread (out of threads): the last holder frees it, as it would.
    drop(spawned);
    drop(screener);
}

/// Sets the calling thread's niceness (Linux: a per-thread attribute);
/// elsewhere, or if the kernel refuses, the thread keeps its priority.
fn lower_this_threads_priority(niceness: i32) {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        libc::setpriority(libc::PRIO_PROCESS, tid, niceness);
    }
    #[cfg(not(target_os = "linux"))]
    let _ = niceness;
}

/// The message of a panic payload.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "building the screener panicked".into())
}

/// Why a reload did not happen.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReloadError {
    /// The policy does not load: file, line and column inside.
    #[error(transparent)]
    Policy(#[from] PolicyError),
    /// Building the screener panicked (a bug in the engine).
    #[error("building the screener failed: {0}")]
    Panicked(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn the_reload_thread_runs_at_a_lower_priority_and_others_keep_theirs() {
        // SAFETY: reads the calling thread's own niceness.
        let niceness = || unsafe {
            let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
            libc::getpriority(libc::PRIO_PROCESS, tid)
        };
        let before = niceness();
        let lowered = std::thread::spawn(move || {
            lower_this_threads_priority(RELOAD_NICENESS);
            niceness()
        })
        .join()
        .unwrap();
        assert_eq!(lowered, RELOAD_NICENESS.max(before));
        assert_eq!(niceness(), before, "the calling thread keeps its priority");
    }

    #[tokio::test]
    async fn a_failing_build_is_its_policy_error_and_a_good_one_a_screener() {
        let broken = PolicySource::Toml {
            text: "[meta]\nname = 1\n".into(),
            base_dir: None,
        };
        assert!(matches!(
            build_in_background(broken).await,
            Err(ReloadError::Policy(_))
        ));
        let built = build_in_background(PolicySource::Embedded).await.unwrap();
        assert_eq!(built.screen_text("本店出售冰毒").findings.len(), 1);
    }

    #[tokio::test]
    async fn the_old_screener_is_freed_after_its_last_request_ends() {
        let dir = std::env::temp_dir().join(format!("xianshen-serve-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("policy.toml");
        std::fs::write(&path, "[meta]\nname = \"a\"\n").unwrap();
        let cell = ScreenerCell::new(PolicySource::File(path.clone())).unwrap();
        // A request in flight holds the screener it started with.
        let in_flight = cell.current();
        let old = Arc::downgrade(&in_flight);
        std::fs::write(&path, "[meta]\nname = \"b\"\n").unwrap();
        let reloaded = cell.reload().await.unwrap();
        assert_ne!(reloaded.previous, reloaded.current);
        assert_eq!(cell.current().policy().name(), "b");
        assert_eq!(
            in_flight.policy().name(),
            "a",
            "the request keeps its policy"
        );
        assert!(old.upgrade().is_some());
        assert_eq!(cell.live_generations(), 2);
        drop(in_flight);
        // Freed by the retiring thread once its last request has ended.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while old.upgrade().is_some() {
            assert!(
                std::time::Instant::now() < deadline,
                "not freed after its last request"
            );
            std::thread::sleep(RETIRE_POLL);
        }
        assert_eq!(cell.live_generations(), 1);
        // A broken policy leaves the current one serving.
        std::fs::write(&path, "[meta]\nname = 1\n").unwrap();
        assert!(matches!(cell.reload().await, Err(ReloadError::Policy(_))));
        assert_eq!(cell.current().policy().name(), "b");
        std::fs::remove_dir_all(&dir).ok();
    }
}
