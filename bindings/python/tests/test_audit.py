"""xianshen.audit: the archive audit from Python, the same code as
``xianshen audit archive``. The golden audits of the Rust crate are run
here too, so that Python, the library and the CLI (tested against the
library) give identical audits."""

import datetime
import json
import os
import pathlib

import pytest

import xianshen

ROOT = pathlib.Path(__file__).resolve().parents[3]
GOLDEN = ROOT / "crates" / "xianshen-audit" / "tests" / "golden"
EXAMPLE = ROOT / "examples" / "archive"


def masked(audit: dict, embedded_policy: bool) -> dict:
    audit["engine"]["version"] = "<version>"
    audit["policy"]["fingerprint"] = "<fingerprint>"
    if embedded_policy:
        audit["policy"]["version"] = "<embedded>"
    return audit


def inputs(case: pathlib.Path, prefix: str) -> list:
    return sorted(
        p.name
        for p in case.iterdir()
        if p.name.startswith(prefix) and p.suffix in (".jsonl", ".csv")
    )


CASES = sorted(p for p in GOLDEN.iterdir() if (p / "case.json").exists())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_audits_equal_the_rust_library(case, monkeypatch):
    spec = json.loads((case / "case.json").read_text(encoding="utf-8"))
    monkeypatch.chdir(case)  # inputs are named as the Rust harness names them
    screener = xianshen.Screener.from_file(spec["policy"]) if "policy" in spec else None
    audit = xianshen.audit(
        inputs(case, "posts"),
        inputs(case, "messages"),
        screener=screener,
        start=spec.get("from"),
        end=spec.get("to"),
        date=spec["audit_date"],
        fields=spec.get("fields"),
        account=spec.get("account"),
    )
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert masked(audit.to_dict(), "policy" not in spec) == expected


def test_the_example_archive():
    audit = xianshen.audit(
        EXAMPLE / "posts.jsonl",
        [os.fspath(EXAMPLE / "messages.jsonl")],
        date=datetime.date(2026, 2, 1),
    )
    d = audit.to_dict()
    assert d["schema"] == xianshen.AUDIT_SCHEMA == "xianshen.audit/1"
    assert [a["account"] for a in d["accounts"]] == ["示例大学", "示例大学图书馆"]
    assert d["accounts"][0]["severe_gaps"] >= 1
    assert audit.errors == []
    assert json.loads(audit.to_json(indent=True)) == d
    assert "<svg" in audit.to_html()
    assert repr(audit).startswith("<Audit 2025-09-01 to 2026-01-30")


def test_csv_tables(tmp_path):
    audit = xianshen.audit(EXAMPLE / "posts.jsonl", EXAMPLE / "messages.jsonl", date="2026-02-01")
    written = audit.write_csv(tmp_path / "tables")
    assert len(written) == 10
    assert all(pathlib.Path(p).suffix == ".csv" and pathlib.Path(p).exists() for p in written)


def test_bad_records_are_listed_and_the_rest_audited(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        '{"account":"甲","published":"2026-03-02 09:00","text":"开学典礼"}\n'
        "not json\n"
        '{"account":"甲","published":"2026-03-04 09:00","text":"运动会"}\n',
        encoding="utf-8",
    )
    audit = xianshen.audit(posts, date="2026-03-05")
    assert len(audit.errors) == 1 and ":2" in audit.errors[0]
    assert audit.to_dict()["inputs"]["posts"]["audited"] == 2


def test_errors():
    with pytest.raises(OSError, match="nowhere.jsonl"):
        xianshen.audit("/nowhere.jsonl")
    with pytest.raises(ValueError, match="start"):
        xianshen.audit(EXAMPLE / "posts.jsonl", start="2026-02-30")
    with pytest.raises(ValueError, match="fields"):
        xianshen.audit(EXAMPLE / "posts.jsonl", fields={"posts": {"body": "x"}})
    with pytest.raises(ValueError, match="path"):
        xianshen.audit(42)
    with pytest.raises(ValueError, match="after its end"):
        xianshen.audit(EXAMPLE / "posts.jsonl", start="2026-02-01", end="2026-01-01")
