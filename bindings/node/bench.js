'use strict';
/**
 * Benchmarks of the Node.js client:
 *   1. screen() of one deterministic 5 KB Chinese draft, 10,000 times after a
 *      warm-up: the median µs per call;
 *   2. the same through C (a tiny program compiled with cc against the same
 *      libxianshen, timing xs_screen_json + xs_string_free the same way), and
 *      the Node/native ratio;
 *   3. screenMany over 2,000 such drafts on 1 and 2 threads: the speed-up,
 *      and against screen() in a loop on the main thread.
 *
 *   node bench.js [path/to/libxianshen.so]
 *
 * The library: the argument, else XIANSHEN_LIBRARY, else the repository's
 * target/release/libxianshen.so (build it with
 * `cargo build --release --manifest-path bindings/c/Cargo.toml`), else
 * target/debug/libxianshen.so. Measure a release build: a debug build's
 * numbers are mostly unoptimised Rust.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { Screener } = require('.');
const { draft } = require('./support/drafts');

const ROOT = path.resolve(__dirname, '..', '..');
const CALLS = 10000;
const WARMUP = 1000;
const BATCH = 2000;
/** Rounds of each batch timing: the best is kept (this VM stalls now and then). */
const ROUNDS = 7;

/** The library to measure. */
function libraryPath() {
  if (process.argv[2]) return path.resolve(process.argv[2]);
  if (process.env.XIANSHEN_LIBRARY) return process.env.XIANSHEN_LIBRARY;
  const target = process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target');
  for (const profile of ['release', 'debug']) {
    const p = path.join(target, profile, 'libxianshen.so');
    if (fs.existsSync(p)) return p;
  }
  throw new Error('no libxianshen.so: build bindings/c (cargo build --release) or pass its path');
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The native baseline: median ns per xs_screen_json call, or null without cc. */
function nativeMedianNs(lib, textFile) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xianshen-bench-'));
  try {
    const src = path.join(dir, 'bench.c');
    const exe = path.join(dir, 'bench');
    fs.writeFileSync(src, NATIVE_SOURCE);
    const libDir = path.dirname(lib);
    try {
      execFileSync('cc', ['-O2', '-std=c11', `-I${path.join(ROOT, 'bindings', 'c', 'include')}`, src, '-o', exe,
        lib, `-Wl,-rpath,${libDir}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    } catch (err) {
      console.log(`native baseline: skipped (cc failed: ${err.message.split('\n')[0]})`);
      return null;
    }
    const out = execFileSync(exe, [textFile, String(CALLS), String(WARMUP)], { encoding: 'utf8' });
    return Number(out.trim());
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const NATIVE_SOURCE = String.raw`
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "xianshen.h"

static int cmp(const void *a, const void *b) {
  long long x = *(const long long *)a, y = *(const long long *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  FILE *f = fopen(argv[1], "rb");
  if (!f) return 2;
  static char text[1 << 20];
  size_t len = fread(text, 1, sizeof text, f);
  fclose(f);
  int calls = atoi(argv[2]), warmup = atoi(argv[3]);
  struct xs_screener *s = NULL;
  if (xs_screener_new_json(NULL, &s, NULL) != 0) return 3;
  long long *ns = malloc(sizeof *ns * (size_t)calls);
  for (int i = -warmup; i < calls; i++) {
    struct timespec t0, t1;
    char *json = NULL;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (xs_screen_json(s, text, len, NULL, &json) != 0) return 4;
    xs_string_free(json);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (i >= 0) ns[i] = (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
  }
  qsort(ns, (size_t)calls, sizeof *ns, cmp);
  printf("%lld\n", ns[calls / 2]);
  xs_screener_free(s);
  return 0;
}
`;

async function main() {
  const lib = libraryPath();
  const version = Screener.loadLibrary(lib);
  console.log(`libxianshen ${version}: ${lib}`);
  console.log(`node ${process.version}, ${os.availableParallelism()} cores, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}`);
  const screener = new Screener();
  const text = draft(7, 5000);
  const r = screener.screen(text);
  console.log(`draft: ${Buffer.byteLength(text)} bytes, ${text.length} UTF-16 units, ${r.findings.length} findings, ${r.verdict}`);

  for (let i = 0; i < WARMUP; i++) screener.screen(text);
  const times = new Array(CALLS);
  for (let i = 0; i < CALLS; i++) {
    const t0 = process.hrtime.bigint();
    screener.screen(text);
    times[i] = Number(process.hrtime.bigint() - t0);
  }
  const nodeNs = median(times);
  console.log(`screen(): median ${(nodeNs / 1000).toFixed(1)} µs per call (${CALLS} calls)`);

  const textFile = path.join(os.tmpdir(), `xianshen-bench-${process.pid}.txt`);
  fs.writeFileSync(textFile, text);
  try {
    const native = nativeMedianNs(lib, textFile);
    if (native !== null) {
      console.log(`native xs_screen_json: median ${(native / 1000).toFixed(1)} µs per call`);
      console.log(`Node/native: ${(nodeNs / native).toFixed(2)}x (target <= 2x)`);
    }
  } finally {
    fs.rmSync(textFile, { force: true });
  }

  const drafts = Array.from({ length: BATCH }, (_, i) => draft(1000 + i, 5000));
  await screener.screenMany(drafts.slice(0, 200), { threads: 2 }); // starts the workers
  let serial = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = process.hrtime.bigint();
    for (const d of drafts) screener.screen(d);
    serial = Math.min(serial, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  console.log(`screen() in a loop over the ${BATCH} drafts: ${serial.toFixed(0)} ms (best of ${ROUNDS})`);
  const best = {};
  for (const threads of [1, 2]) {
    best[threads] = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const t0 = process.hrtime.bigint();
      await screener.screenMany(drafts, { threads });
      best[threads] = Math.min(best[threads], Number(process.hrtime.bigint() - t0) / 1e6);
    }
    console.log(`screenMany(${BATCH} drafts, threads: ${threads}): ${best[threads].toFixed(0)} ms (best of ${ROUNDS})`);
  }
  console.log(`speed-up 2 threads / 1 thread: ${(best[1] / best[2]).toFixed(2)}x (target >= 1.7x); ` +
    `2 threads / screen() loop: ${(serial / best[2]).toFixed(2)}x`);
  screener.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
