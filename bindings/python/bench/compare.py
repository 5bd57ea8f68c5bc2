#!/usr/bin/env python3
"""Throughput of xianshen's screen_many against ahocorasick_rs, one run,
same lexicon, same text.

    python bench/compare.py [--lexicon FILE] [--law-dir DIR] [--mb 8] [--repeat 3]

Data paths come from the arguments or the environment (the same variables
as the Rust benches): ``XIANSHEN_LEXICON`` (default
``../shared/bench-data/lexicon-62k.txt``), ``XIANSHEN_LAW_DIR`` (default
``/tmp/law/lawrefbook``, unpacked from ``XIANSHEN_LAW_TARBALL`` /
``../shared/bench-data/lawrefbook.tar.xz`` when missing). Nothing is
copied into the repository.

Measured (best of ``--repeat``; MB = 10^6 bytes of UTF-8 input):

- ``ahocorasick_rs``: ``AhoCorasick(terms, matchkind=LeftmostLongest)``,
  ``find_matches_as_indexes`` over each document, on one thread. Raw
  matching: no normalization, no offsets mapped back, no report.
- xianshen ``screen_many(threads=1)`` with the terms only (every built-in
  detector off): normalization, one automaton, boundaries, reports with
  byte and char offsets, sha256 of every input.
- the same with the built-in detectors on (the real engine);
- ``screen_many(threads=2)`` of both, and the speed-up over ``threads=1``.

Use a release build of the package for numbers that mean anything
(``maturin develop --release`` or ``pip install``).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import xianshen

HERE = Path(__file__).resolve().parent
SHARED = HERE.parents[3] / "shared" / "bench-data"
DEFAULT_LEXICON = os.environ.get("XIANSHEN_LEXICON", str(SHARED / "lexicon-62k.txt"))
DEFAULT_LAW_DIR = os.environ.get("XIANSHEN_LAW_DIR", "/tmp/law/lawrefbook")
DEFAULT_TARBALL = os.environ.get("XIANSHEN_LAW_TARBALL", str(SHARED / "lawrefbook.tar.xz"))


def read_lexicon(path: Path) -> tuple[list[str], int]:
    """Terms one a line; blank lines and lines with control characters dropped."""
    terms, dropped, seen = [], 0, set()
    for line in path.read_text(encoding="utf-8").split("\n"):
        t = line.strip()
        if not t:
            continue
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in t):
            dropped += 1
            continue
        if t not in seen:
            seen.add(t)
            terms.append(t)
    return terms, dropped


def read_corpus(law_dir: Path, tarball: Path, mb: float) -> list[str]:
    """Sorted law files, whole, until at least `mb` MB."""
    if not law_dir.is_dir():
        dest = law_dir.parent
        dest.mkdir(parents=True, exist_ok=True)
        print(f"unpacking {tarball} into {dest} …", file=sys.stderr)
        subprocess.run(["tar", "-xJf", str(tarball), "-C", str(dest)], check=True)
    docs, size = [], 0
    for p in sorted(law_dir.rglob("*")):
        if p.is_file() and p.suffix in (".md", ".txt"):
            text = p.read_text(encoding="utf-8")
            docs.append(text)
            size += len(text.encode("utf-8"))
            if size >= mb * 1e6:
                break
    return docs


def policy_toml(terms: list[str], detectors: bool) -> str:
    import json

    lines = ['[meta]\nname = "bench"\nversion = "1"\n\n[[lexicon]]\ntag = "bench"\nseverity = "review"\nterms = [']
    lines += [json.dumps(t, ensure_ascii=False) + "," for t in terms]
    lines.append("]")
    if not detectors:
        # Switch off every built-in rule: the engine as a pure term matcher.
        # The rule ids come from the default policy's report of a screen.
        for rule in BUILTIN_RULES:
            lines.append(f'\n[rules."{rule}"]\nenabled = false')
    return "\n".join(lines) + "\n"


BUILTIN_RULES = [
    "classified.marking", "classified.internal", "classified.commercial",
    "privacy.id_card", "privacy.mobile", "privacy.bank_card", "privacy.email", "privacy.passport",
    "ad.link", "ad.contact", "ad.promotion", "ad.absolute",
    "attribution.missing", "attribution.unapproved", "opinion.personal", "event.major", "style.term",
]


def build_screener(terms: list[str], detectors: bool) -> tuple[xianshen.Screener, list[str], float]:
    """Compiles the terms; a term the loader refuses is dropped (its line is
    in the error) and the build retried."""
    terms = list(terms)
    header = policy_toml([], detectors).count("\n", 0, policy_toml([], detectors).index("terms = [")) + 1
    for _ in range(1000):
        t0 = time.perf_counter()
        try:
            s = xianshen.Screener.from_toml(policy_toml(terms, detectors))
            return s, terms, time.perf_counter() - t0
        except xianshen.PolicyError as e:
            index = (e.line or 0) - header - 1
            if not 0 <= index < len(terms):
                raise
            print(f"  dropping term {terms[index]!r}: {e.message}", file=sys.stderr)
            del terms[index]
    raise RuntimeError("too many refused terms")


def best(repeat: int, fn: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def other_libraries(terms: list[str], docs: list[str], repeat: int) -> list[tuple]:
    """pyahocorasick and flashtext2 when installed (benches/compare.sh
    installs them): what a Python user would otherwise pip-install."""
    rows: list[tuple] = []
    try:
        import ahocorasick  # pyahocorasick
    except ImportError:
        print("pyahocorasick not installed: skipped", file=sys.stderr)
    else:
        t0 = time.perf_counter()
        automaton = ahocorasick.Automaton()
        for i, t in enumerate(terms):
            automaton.add_word(t, i)
        automaton.make_automaton()
        build = time.perf_counter() - t0

        def run_pyac() -> int:
            return sum(sum(1 for _ in automaton.iter_long(d)) for d in docs)

        hits = run_pyac()
        rows.append(("pyahocorasick (iter_long, raw)", build, best(repeat, run_pyac), None, hits, len(terms)))
    try:
        from flashtext2 import KeywordProcessor
    except ImportError:
        print("flashtext2 not installed: skipped", file=sys.stderr)
    else:
        t0 = time.perf_counter()
        kp = KeywordProcessor(case_sensitive=False)
        for t in terms:
            kp.add_keyword(t)
        build = time.perf_counter() - t0

        def run_flash() -> int:
            return sum(len(kp.extract_keywords(d)) for d in docs)

        hits = run_flash()
        # flashtext matches whole words split on non-word characters: in
        # Chinese, where words are not separated, it finds almost nothing.
        rows.append(("flashtext2 (whole words only)", build, best(repeat, run_flash), None, hits, len(terms)))
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description="xianshen vs ahocorasick_rs throughput")
    ap.add_argument("--lexicon", type=Path, default=Path(DEFAULT_LEXICON))
    ap.add_argument("--law-dir", type=Path, default=Path(DEFAULT_LAW_DIR))
    ap.add_argument("--tarball", type=Path, default=Path(DEFAULT_TARBALL))
    ap.add_argument("--mb", type=float, default=8.0, help="MB of law text to scan")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    import ahocorasick_rs

    terms, dropped = read_lexicon(args.lexicon)
    docs = read_corpus(args.law_dir, args.tarball, args.mb)
    mb = sum(len(d.encode("utf-8")) for d in docs) / 1e6
    print(f"lexicon: {args.lexicon} ({len(terms)} distinct terms, {dropped} lines with control chars dropped)")
    print(f"text:    {len(docs)} files of {args.law_dir}, {mb:.2f} MB, {sum(map(len, docs)) / 1e6:.2f} M chars")
    print(f"python {sys.version.split()[0]}, xianshen {xianshen.__version__}, ahocorasick_rs {importlib.metadata.version('ahocorasick-rs')}, {os.cpu_count()} cpus\n")

    t0 = time.perf_counter()
    ac = ahocorasick_rs.AhoCorasick(terms, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    ac_build = time.perf_counter() - t0

    def run_ac() -> int:
        return sum(len(ac.find_matches_as_indexes(d)) for d in docs)

    ac_hits = run_ac()
    ac_time = best(args.repeat, run_ac)

    rows = [("ahocorasick_rs (LeftmostLongest, raw)", ac_build, ac_time, None, ac_hits, len(terms))]
    rows += other_libraries(terms, docs, args.repeat)
    for detectors in (False, True):
        s, used, build = build_screener(terms, detectors)
        reports = s.screen_many(docs, threads=1)
        hits = sum(len(r.findings) for r in reports)
        t1 = best(args.repeat, lambda: s.screen_many(docs, threads=1))
        t2 = best(args.repeat, lambda: s.screen_many(docs, threads=2))
        name = "xianshen screen_many, terms + detectors" if detectors else "xianshen screen_many, terms only"
        rows.append((name, build, t1, t2, hits, len(used)))

    print(f"{'engine':42} {'terms':>6} {'build s':>8} {'1 thread MB/s':>14} {'2 threads MB/s':>15} {'speed-up':>9} {'matches':>8}")
    for name, build, t1, t2, hits, nterms in rows:
        two = f"{mb / t2:15.1f}" if t2 else f"{'-':>15}"
        speed = f"{t1 / t2:9.2f}" if t2 else f"{'-':>9}"
        print(f"{name:42} {nterms:6} {build:8.3f} {mb / t1:14.1f} {two} {speed} {hits:8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
