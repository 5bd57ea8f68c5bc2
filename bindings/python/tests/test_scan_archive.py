"""The example script scan_archive.py, on a folder and on a JSONL export."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import xianshen
from conftest import HERE, SAMPLE_DOCS, read_folder

SCRIPT = HERE.parent / "examples" / "scan_archive.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, timeout=120)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_folder(doc_folder: Path, tmp_path: Path) -> None:
    (doc_folder / "broken.txt").write_bytes(b"\xff\xfe not utf-8")
    out = tmp_path / "summary.csv"
    proc = run(str(doc_folder), "--out", str(out), "--batch", "7", "--threads", "2")
    assert proc.returncode == 3, proc.stderr  # the unreadable file is an error
    assert "post" in proc.stderr  # tqdm's bar went to stderr
    got = {r["id"]: r for r in rows(out)}
    assert got.pop("broken.txt")["verdict"] == "error"
    s = xianshen.Screener()
    (doc_folder / "broken.txt").unlink()
    expected = {name: s.screen(text) for name, text in read_folder(doc_folder)}
    assert set(got) == set(expected)
    for name, report in expected.items():
        row = got[name]
        assert row["verdict"] == report.verdict
        assert row["approval"] == report.approval
        assert int(row["findings"]) == len(report.findings)
        assert row["sha256"] == report.input_sha256
        if report.findings:
            assert row["first_rule"] == report.findings[0].rule
            assert int(row["first_line"]) == report.findings[0].line


def test_jsonl(tmp_path: Path) -> None:
    export = tmp_path / "posts.jsonl"
    with export.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(SAMPLE_DOCS):
            fh.write(json.dumps({"id": f"p{i}", "text": text}, ensure_ascii=False) + "\n")
        fh.write(json.dumps({"id": "repost", "text": "会议要求加强内容审核。", "repost": True}) + "\n")
        fh.write("\n")
    out = tmp_path / "summary.csv"
    proc = run(str(export), "--out", str(out), "--no-progress")
    assert proc.returncode == 2, proc.stderr
    got = {r["id"]: r for r in rows(out)}
    s = xianshen.Screener()
    for i, text in enumerate(SAMPLE_DOCS):
        assert got[f"p{i}"]["verdict"] == s.screen(text).verdict
    assert got["repost"]["verdict"] == "block"
    assert "attribution.missing" in got["repost"]["rules"]
    assert len(got) == len(SAMPLE_DOCS) + 1
