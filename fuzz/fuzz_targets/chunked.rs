#![no_main]
//! Fuzz target `chunked`: see `xianshen_fuzz_check::chunked` for the invariants.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| xianshen_fuzz_check::chunked(data));
