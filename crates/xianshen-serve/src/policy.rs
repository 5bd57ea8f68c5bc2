//! The screener in service, and reloading it without downtime.
//!
//! Requests load the current screener from an [`ArcSwap`]: one atomic
//! load, no lock. A reload builds the new screener on a blocking thread,
//! off the request path, and swaps it in; a request that started before
//! the swap finishes with the screener it loaded, and the old screener is
//! freed when its last request ends. A policy that fails to load leaves
//! the old one serving.

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
        let source = self.source.clone();
        let built = tokio::task::spawn_blocking(move || source.build())
            .await
            .map_err(|e| ReloadError::Panicked(e.to_string()))??;
        let current = built.policy().fingerprint().to_string();
        let built = Arc::new(built);
        if let Ok(mut generations) = self.generations.lock() {
            generations.retain(|g| g.strong_count() > 0);
            generations.push(Arc::downgrade(&built));
        }
        let previous = self.current.swap(built);
        Ok(Reloaded {
            previous: previous.policy().fingerprint().to_string(),
            current,
        })
    }
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

    #[tokio::test]
    async fn the_old_screener_is_freed_when_its_last_request_ends() {
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
        assert!(old.upgrade().is_none(), "freed with its last request");
        assert_eq!(cell.live_generations(), 1);
        // A broken policy leaves the current one serving.
        std::fs::write(&path, "[meta]\nname = 1\n").unwrap();
        assert!(matches!(cell.reload().await, Err(ReloadError::Policy(_))));
        assert_eq!(cell.current().policy().name(), "b");
        std::fs::remove_dir_all(&dir).ok();
    }
}
