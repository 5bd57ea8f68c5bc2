#![no_main]
//! Fuzz target `screen`: see `xianshen_fuzz_check::screen` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::screen(data));
