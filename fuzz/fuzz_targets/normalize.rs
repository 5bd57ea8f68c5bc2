#![no_main]
//! Fuzz target `normalize`: see `xianshen_fuzz_check::normalize` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::normalize(data));
