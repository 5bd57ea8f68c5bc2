//! Replays every committed fuzz input (`fuzz/seeds/<target>/` and
//! `fuzz/regressions/<target>/`) through its target's check function, so a
//! regression fails CI without a fuzzer or a nightly toolchain.

use std::path::{Path, PathBuf};

type Check = fn(&[u8]);

const TARGETS: &[(&str, Check)] = &[
    ("normalize", xianshen_fuzz_check::normalize),
    ("screen", xianshen_fuzz_check::screen),
    ("policy", xianshen_fuzz_check::policy),
    ("c_abi", xianshen_fuzz_check::c_abi),
    ("extract", xianshen_fuzz_check::extract),
    ("chunked", xianshen_fuzz_check::chunked),
];

fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("readable folder entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

fn replay(target: &str, check: Check) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut count = 0;
    for kind in ["seeds", "regressions"] {
        for path in inputs(&root.join(kind).join(target)) {
            let data = std::fs::read(&path).expect("readable input");
            let result = std::panic::catch_unwind(|| check(&data));
            assert!(result.is_ok(), "{target}: {} fails", path.display());
            count += 1;
        }
    }
    assert!(count > 0, "no committed inputs for {target}");
    eprintln!("{target}: {count} inputs replayed");
}

#[test]
fn normalize_corpus() {
    replay(TARGETS[0].0, TARGETS[0].1);
}

#[test]
fn screen_corpus() {
    replay(TARGETS[1].0, TARGETS[1].1);
}

#[test]
fn policy_corpus() {
    replay(TARGETS[2].0, TARGETS[2].1);
}

#[test]
fn c_abi_corpus() {
    replay(TARGETS[3].0, TARGETS[3].1);
}

#[test]
fn extract_corpus() {
    replay(TARGETS[4].0, TARGETS[4].1);
}

#[test]
fn chunked_corpus() {
    replay(TARGETS[5].0, TARGETS[5].1);
}
