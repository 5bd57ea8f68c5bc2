#![no_main]
//! Fuzz target `extract`: see `xianshen_fuzz_check::extract` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::extract(data));
