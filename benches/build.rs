//! Finds jieba-rs's dictionary (`src/data/dict.txt` in its package source)
//! so the corpus generator can sample real words by frequency: the version
//! comes from the workspace's Cargo.lock, the source from cargo's registry.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let lock_path = manifest.join("../Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).expect("the workspace has a Cargo.lock");
    let version = lock
        .split("[[package]]")
        .find(|p| p.contains("name = \"jieba-rs\""))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .expect("jieba-rs is in Cargo.lock");
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME is set");
    let registry = cargo_home.join("registry/src");
    let dict = std::fs::read_dir(&registry)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", registry.display()))
        .filter_map(|e| e.ok())
        .map(|e| {
            e.path()
                .join(format!("jieba-rs-{version}/src/data/dict.txt"))
        })
        .find(|p| p.exists())
        .unwrap_or_else(|| panic!("no jieba-rs-{version} source under {}", registry.display()));
    println!("cargo:rustc-env=JIEBA_DICT_PATH={}", dict.display());
    println!("cargo:rerun-if-changed=../Cargo.lock");
}
