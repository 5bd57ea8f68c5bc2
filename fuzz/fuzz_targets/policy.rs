#![no_main]
//! Fuzz target `policy`: see `xianshen_fuzz_check::policy` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::policy(data));
