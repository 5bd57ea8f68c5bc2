"""The shared golden vectors (tests/cases/*.toml) through the Python API.

Same cases, same expectations as the Rust harness: findings compared with
UTF-8 byte offsets (`byte_start`/`byte_end`), and every finding's Python
str indices (`start`/`end`) checked by slicing.
"""

from __future__ import annotations

import pytest

import xianshen
from conftest import CASES_DIR, load_cases

CASES = load_cases()


def test_cases_found_and_names_unique() -> None:
    assert len(CASES) > 100, f"only {len(CASES)} golden cases in {CASES_DIR}"
    names = [case["name"] for _, case in CASES]
    dupes = {n for n in names if names.count(n) > 1}
    assert not dupes, f"duplicate case names: {sorted(dupes)}"


def _wanted(rule: str, prefixes: list[str] | None) -> bool:
    return prefixes is None or any(rule.startswith(p) for p in prefixes)


def _screener(case: dict) -> xianshen.Screener:
    if "policy" not in case:
        return xianshen.Screener()
    return xianshen.Screener.from_toml(case["policy"], base_dir=CASES_DIR)


def _show(findings: list[tuple[str, int, int, str, str | None]]) -> str:
    return "[" + ", ".join(f"{r} {s}..{e} {t!r} {v or ''}" for r, s, e, t, v in findings) + "]"


@pytest.mark.parametrize(
    "case", [c for _, c in CASES], ids=[f"{stem}:{c['name']}" for stem, c in CASES]
)
def test_golden(case: dict) -> None:
    if "error" in case:
        expected = case["error"]
        with pytest.raises(xianshen.PolicyError) as info:
            _screener(case)
        err = info.value
        assert isinstance(err, ValueError)
        assert err.kind == expected["kind"], str(err)
        if "line" in expected:
            assert err.line == expected["line"], str(err)
        if "column" in expected:
            assert err.column == expected["column"], str(err)
        if "contains" in expected:
            assert expected["contains"] in str(err)
        return

    text = case["input"]
    report = _screener(case).screen(
        text,
        title=case.get("title"),
        repost=case.get("repost"),
        source=case.get("source"),
        kind=case.get("kind"),
    )
    data = text.encode("utf-8")
    units = text.encode("utf-16-le")
    for f in report.findings:
        assert text[f.start : f.end] == f.text, f
        assert units[2 * f.utf16_start : 2 * f.utf16_end].decode("utf-16-le") == f.text, f
        assert data[f.byte_start : f.byte_end].decode("utf-8") == f.text, f
        assert len(text[: f.start].encode("utf-8")) == f.byte_start, f
        line_start = text.rfind("\n", 0, f.start) + 1
        assert f.line == text.count("\n", 0, f.start) + 1, f
        assert f.column == f.start - line_start + 1, f

    if "findings" in case:
        actual = [
            (f.rule, f.byte_start, f.byte_end, f.text, f.evasion)
            for f in report.findings
            if _wanted(f.rule, case.get("rules"))
        ]
        expected = [
            (e["rule"], e["start"], e["end"], e["text"], e.get("evasion")) for e in case["findings"]
        ]
        assert actual == expected, f"\nexpected: {_show(expected)}\nactual:   {_show(actual)}"
    if "title_findings" in case:
        title = case.get("title") or ""
        for f in report.title_findings:
            assert title[f.start : f.end] == f.text, f
        actual = [
            (f.rule, f.byte_start, f.byte_end, f.text, f.evasion)
            for f in report.title_findings
            if _wanted(f.rule, case.get("rules"))
        ]
        expected = [
            (e["rule"], e["start"], e["end"], e["text"], e.get("evasion"))
            for e in case["title_findings"]
        ]
        assert actual == expected, f"\nexpected: {_show(expected)}\nactual:   {_show(actual)}"
    if "verdict" in case:
        assert report.verdict == case["verdict"]
    if "approval" in case:
        assert report.approval == case["approval"]
    if "truncated" in case:
        assert report.truncated == case["truncated"]
    if "redact" in case:
        r = case["redact"]
        rules = r.get("rules")
        if "mask" in r:
            out = report.redact(r["mask"], rules=rules)
        elif "replace" in r:
            out = report.redact(replace=r["replace"], rules=rules)
        else:
            out = report.redact(r["suggest"], suggestions=True, rules=rules)
        assert out == r["output"]
