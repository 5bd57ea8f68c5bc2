#!/usr/bin/env python3
"""Scan an archive of posts and write a CSV summary, one row per post.

    python scan_archive.py ARCHIVE [--out summary.csv] [--policy policy.toml]
                           [--batch 256] [--threads N] [--text-field text]

ARCHIVE is a folder (every ``*.txt``/``*.md``/``*.html`` file under it, in
sorted order) or a JSONL export (one post a line, e.g.
``{"id": "…", "title": "…", "text": "…", "source": "…", "repost": true}``).
A progress bar (tqdm) shows posts screened. The CSV has one row per post:
id, verdict, approval, finding count, the rules hit, the first finding with
its line and column, and the input digest. A post that cannot be read is a
row with verdict ``error``. Exit status: 0 all pass, 1 some review, 2 some
block, 3 any error (as the ``xianshen`` command).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tqdm import tqdm

import xianshen

SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
FIELDS = [
    "id", "verdict", "approval", "findings", "rules",
    "first_rule", "first_text", "first_line", "first_column", "sha256", "error",
]


def posts_from_folder(folder: Path) -> Iterator[dict[str, Any]]:
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES):
        post: dict[str, Any] = {"id": str(path.relative_to(folder))}
        try:
            post["text"] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            post["error"] = f"cannot read: {e}"
        yield post


def posts_from_jsonl(path: Path, text_field: str) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            post: dict[str, Any] = {"id": f"{path.name}:{n}"}
            try:
                obj = json.loads(line)
                post["id"] = str(obj.get("id", post["id"]))
                text = obj[text_field]
                if not isinstance(text, str):
                    raise TypeError(f"{text_field!r} is not a string")
                post.update(text=text, title=obj.get("title"), source=obj.get("source"))
                if isinstance(obj.get("repost"), bool):
                    post["repost"] = obj["repost"]
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                post["error"] = f"bad record: {e!r}"
            yield post


def count_posts(archive: Path) -> int | None:
    if archive.is_dir():
        return sum(1 for p in archive.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    with archive.open("rb") as fh:
        return sum(1 for line in fh if line.strip())


def batches(posts: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for post in posts:
        batch.append(post)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def screen_batch(screener: xianshen.Screener, batch: list[dict[str, Any]], threads: int | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    # Posts without metadata go through screen_many together (parallel, no GIL).
    plain = [p for p in batch if "error" not in p and not any(p.get(k) is not None for k in ("title", "source", "repost"))]
    reports = dict(zip((id(p) for p in plain), screener.screen_many([p["text"] for p in plain], threads=threads)))
    for post in batch:
        row: dict[str, Any] = {k: "" for k in FIELDS}
        row["id"] = post["id"]
        if "error" in post:
            row.update(verdict="error", error=post["error"])
            rows.append(row)
            continue
        try:
            report = reports.get(id(post)) or screener.screen(
                post["text"], title=post.get("title"), repost=post.get("repost"), source=post.get("source")
            )
        except ValueError as e:  # e.g. lone surrogates from a broken export
            row.update(verdict="error", error=str(e))
            rows.append(row)
            continue
        row.update(
            verdict=report.verdict,
            approval=report.approval,
            findings=len(report.findings),
            rules=" ".join(sorted({f.rule for f in report.findings})),
            sha256=report.input_sha256,
        )
        if report.findings:
            f = report.findings[0]
            row.update(first_rule=f.rule, first_text=f.text, first_line=f.line, first_column=f.column)
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("archive", type=Path, help="a folder of posts or a JSONL export")
    ap.add_argument("--out", type=Path, default=Path("summary.csv"), help="CSV to write (- for stdout)")
    ap.add_argument("--policy", type=Path, help="policy file (default: the embedded policy)")
    ap.add_argument("--batch", type=int, default=256, help="posts per screen_many call")
    ap.add_argument("--threads", type=int, default=None, help="threads (default: one per core)")
    ap.add_argument("--text-field", default="text", help="JSONL field holding the body")
    ap.add_argument("--no-progress", action="store_true", help="hide the progress bar")
    args = ap.parse_args(argv)

    try:
        screener = xianshen.Screener.from_file(args.policy) if args.policy else xianshen.Screener()
    except xianshen.PolicyError as e:
        print(f"policy error: {e}", file=sys.stderr)
        return 3
    if not args.archive.exists():
        print(f"no such file or folder: {args.archive}", file=sys.stderr)
        return 3
    posts = posts_from_folder(args.archive) if args.archive.is_dir() else posts_from_jsonl(args.archive, args.text_field)

    verdicts: Counter[str] = Counter()
    out = sys.stdout if str(args.out) == "-" else args.out.open("w", encoding="utf-8", newline="")
    try:
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        with tqdm(total=count_posts(args.archive), unit="post", disable=args.no_progress, file=sys.stderr) as bar:
            for batch in batches(posts, max(1, args.batch)):
                for row in screen_batch(screener, batch, args.threads):
                    writer.writerow(row)
                    verdicts[row["verdict"]] += 1
                bar.update(len(batch))
    finally:
        if out is not sys.stdout:
            out.close()
    print(", ".join(f"{k}: {v}" for k, v in sorted(verdicts.items())) or "no posts", file=sys.stderr)
    if verdicts["error"]:
        return 3
    return 2 if verdicts["block"] else 1 if verdicts["review"] else 0


if __name__ == "__main__":
    sys.exit(main())
