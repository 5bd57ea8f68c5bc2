#![no_main]
//! Fuzz target `c_abi`: see `xianshen_fuzz_check::c_abi` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::c_abi(data));
