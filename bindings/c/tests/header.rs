//! The committed header `include/xianshen.h` must be exactly what cbindgen
//! generates from the sources. Run with `XS_BLESS=1` to rewrite it.

use std::path::Path;

#[test]
fn header_matches_cbindgen_output() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let bindings = cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let path = dir.join("include/xianshen.h");
    if std::env::var_os("XS_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write include/xianshen.h");
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    if committed != generated {
        let committed = String::from_utf8_lossy(&committed);
        let generated = String::from_utf8_lossy(&generated);
        let first = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
        panic!(
            "include/xianshen.h is out of date (first difference at line {}):\n  committed: {:?}\n  generated: {:?}\nregenerate with: XS_BLESS=1 cargo test --test header",
            first + 1,
            committed.lines().nth(first).unwrap_or("<end of file>"),
            generated.lines().nth(first).unwrap_or("<end of file>"),
        );
    }
}
