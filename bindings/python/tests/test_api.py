"""The Python surface: types, offsets, errors, JSON, redaction, pickling."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

import xianshen
from conftest import EXAMPLES_DIR, SAMPLE_DOCS


def test_readme_one_liner() -> None:
    assert xianshen.Screener().screen("本店出售冰毒").verdict == "block"


def test_package_layout() -> None:
    assert xianshen.Screener.__module__ == "xianshen"
    assert xianshen._xianshen.__name__ == "xianshen._xianshen"  # type: ignore[attr-defined]
    assert xianshen.__version__
    assert xianshen.REPORT_SCHEMA == "xianshen.report/1"
    assert "[meta]" in xianshen.DEFAULT_POLICY_TOML
    typed = Path(xianshen.__file__).with_name("py.typed")
    assert typed.exists()


def test_finding_fields(screener: xianshen.Screener) -> None:
    text = "😀😀\n本店出售冰毒，量大从优"
    r = screener.screen(text)
    assert (r.verdict, r.approval) == ("block", "head")
    f = r.findings[0]
    assert (f.rule, f.category, f.severity, f.approval) == ("term.drugs", "term", "block", "head")
    assert (f.start, f.end) == (5, 9)
    assert text[f.start : f.end] == f.text == "出售冰毒"
    assert (f.byte_start, f.byte_end) == (15, 27)
    assert (f.line, f.column) == (2, 3)
    assert f.term == "出售冰毒"
    assert f.message and f.suggestion is None
    assert repr(f) == (
        "Finding(rule='term.drugs', severity='block', start=5, end=9, line=2, column=3, text='出售冰毒')"
    )
    assert "verdict='block'" in repr(r)


def test_report_audit_fields(screener: xianshen.Screener) -> None:
    r = screener.screen("会议要求加强内容审核。")
    assert r.verdict == "pass" and r.approval == "reviewer" and r.findings == []
    assert r.truncated is False
    assert len(r.input_sha256) == 64
    assert r.input_chars == 11 and r.input_bytes == 33
    assert r.policy_fingerprint == screener.policy_fingerprint
    assert r.policy_fingerprint.startswith("sha256:")
    assert r.policy_name == screener.policy_name
    assert r.text == "会议要求加强内容审核。"


def test_to_json_and_to_dict_agree(screener: xianshen.Screener) -> None:
    for text in SAMPLE_DOCS:
        r = screener.screen(text)
        d = r.to_dict()
        assert d == json.loads(r.to_json()) == json.loads(r.to_json(indent=True))
        assert list(d) == [
            "schema", "verdict", "approval", "findings", "truncated", "input", "policy", "engine", "date",
        ]
        assert d["input"]["sha256"] == r.input_sha256
        for fd, f in zip(d["findings"], r.findings):
            assert (fd["start"], fd["end"]) == (f.byte_start, f.byte_end)
            assert (fd["char_start"], fd["char_end"]) == (f.start, f.end)


def test_metadata_changes_attribution(screener: xianshen.Screener) -> None:
    text = "会议要求加强内容审核。"
    assert "attribution.missing" in {f.rule for f in screener.screen(text, repost=True).findings}
    r = screener.screen(text, repost=True, source="新华社")
    assert "attribution.missing" not in {f.rule for f in r.findings}
    r = screener.screen(text, title="原标题：会议", repost=False)
    assert r.verdict in ("pass", "review", "block")


def test_redact(screener: xianshen.Screener) -> None:
    r = screener.screen("本店出售冰毒，残废人")
    assert r.redact() == "本店****，***"
    assert r.redact("#", rules=["term."]) == "本店####，残废人"
    assert r.redact(rules="term.") == "本店****，残废人"
    assert r.redact(replace="[已删除]") == "本店[已删除]，[已删除]"
    assert r.redact(suggestions=True) == "本店****，残疾人"
    with pytest.raises(ValueError):
        r.redact("**")
    with pytest.raises(ValueError):
        r.redact(replace="x", suggestions=True)
    with pytest.raises(TypeError):
        r.redact(rules=[1])  # type: ignore[list-item]


def test_type_errors(screener: xianshen.Screener) -> None:
    for bad in (None, 1, ["list"], [0x41]):
        with pytest.raises(TypeError):
            screener.screen(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="apply to bytes"):
        screener.screen("str", encoding="gbk")
    with pytest.raises(TypeError):
        screener.screen("x", repost="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        screener.screen_many("a str is not a batch")
    with pytest.raises(TypeError):
        screener.screen_many(["ok", 3])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        screener.screen_many(42)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        screener.screen_many(["x"], threads=0)
    with pytest.raises((TypeError, OverflowError)):
        screener.screen_many(["x"], threads=-1)


def test_lone_surrogates_are_a_clear_error(screener: xianshen.Screener) -> None:
    for text in ("a\ud800b", "\udfff", "本店\ud83d出售冰毒"):
        with pytest.raises(UnicodeEncodeError) as info:
            screener.screen(text)
        assert isinstance(info.value, ValueError)
        assert "surrogate" in str(info.value)
        with pytest.raises(UnicodeEncodeError):
            screener.screen_many(["fine", text])
    # A valid astral pair written as one code point is fine.
    assert screener.screen("\U0001F600").verdict == "pass"


def test_policy_error_from_text() -> None:
    with pytest.raises(xianshen.PolicyError) as info:
        xianshen.Screener.from_toml('[meta]\nname = "x"\nversoin = "1"\n')
    e = info.value
    assert isinstance(e, ValueError)
    assert (e.kind, e.path, e.line, e.column) == ("syntax", None, 3, 1)
    assert "versoin" in str(e) and "versoin" in e.message


def test_policy_error_from_file(tmp_path: Path) -> None:
    p = tmp_path / "policy.toml"
    p.write_text('[meta]\nname = "x"\n\n[[lexicon]]\ntag = "t"\nseverity = "blocker"\nterms = ["词"]\n', encoding="utf-8")
    with pytest.raises(xianshen.PolicyError) as info:
        xianshen.Screener.from_file(p)
    e = info.value
    assert e.path is not None and Path(e.path).name == "policy.toml"
    assert (e.kind, e.line) == ("syntax", 6)
    assert isinstance(e.column, int)
    assert str(p.name) in str(e)

    with pytest.raises(xianshen.PolicyError) as info:
        xianshen.Screener.from_file(tmp_path / "missing.toml")
    assert info.value.kind == "io"
    assert info.value.path == str(tmp_path / "missing.toml")


def test_list_files_resolve_against_base_dir(tmp_path: Path) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "t.txt").write_text("# test list\n测试违规词\n", encoding="utf-8")
    policy = '[meta]\nname = "t"\n[[lexicon]]\ntag = "t"\nseverity = "review"\nfiles = ["lists/t.txt"]\n'
    s = xianshen.Screener.from_toml(policy, base_dir=tmp_path)
    assert [f.text for f in s.screen("这是测试违规词。").findings] == ["测试违规词"]
    # The canonical source inlines the list: it loads anywhere.
    again = xianshen.Screener.from_toml(s.policy_toml())
    assert again.policy_fingerprint == s.policy_fingerprint
    with pytest.raises(xianshen.PolicyError) as info:
        xianshen.Screener.from_toml(policy, base_dir=tmp_path / "elsewhere")
    assert info.value.kind == "io"
    # The path is the list file that could not be read; line and column say
    # where the policy names it.
    assert info.value.path == str(tmp_path / "elsewhere" / "lists" / "t.txt")
    assert info.value.line == 6


def test_pickle_round_trip(screener: xianshen.Screener) -> None:
    custom = xianshen.Screener.from_file(EXAMPLES_DIR / "policy" / "example.toml")
    for s in (screener, custom):
        again = pickle.loads(pickle.dumps(s))
        assert isinstance(again, xianshen.Screener)
        assert again.policy_fingerprint == s.policy_fingerprint
        assert repr(again) == repr(s)
        for text in SAMPLE_DOCS:
            r = s.screen(text, repost=True, source="某某自媒体")
            r2 = again.screen(text, repost=True, source="某某自媒体")
            assert r == r2 and r.to_json() == r2.to_json()
            r3 = pickle.loads(pickle.dumps(r))
            assert r3 == r and r3.findings == r.findings and r3.text == text
            for f in r.findings:
                assert pickle.loads(pickle.dumps(f)) == f
    # The default screener pickles small: no policy text inside.
    assert len(pickle.dumps(screener)) < 200
    assert len(pickle.dumps(custom)) > 1000


def test_findings_are_values(screener: xianshen.Screener) -> None:
    a = screener.screen("本店出售冰毒").findings
    b = screener.screen("本店出售冰毒").findings
    assert a == b and hash(a[0]) == hash(b[0])
    assert a[0] != screener.screen("出售冰毒").findings[0]
    r = screener.screen("本店出售冰毒")
    assert r.findings is not r.findings  # a new list each time …
    assert r.findings[0] is r.findings[0]  # … of the same objects


def test_screen_many_matches_screen(screener: xianshen.Screener) -> None:
    texts = SAMPLE_DOCS * 20
    serial = [screener.screen(t, repost=True) for t in texts]
    for threads in (None, 1, 2, 3):
        assert screener.screen_many(texts, threads=threads, repost=True) == serial
    assert screener.screen_many(iter(texts), repost=True) == serial
    assert screener.screen_many(t for t in texts[:5]) == [screener.screen(t) for t in texts[:5]]
    assert screener.screen_many([]) == []
    assert screener.screen_many((), threads=4) == []


def test_kind_comment_is_not_the_accounts_voice() -> None:
    screener = xianshen.Screener()
    text = "我认为这个政策很好，我觉得应该早点推行。"
    assert "opinion.personal" in {f.rule for f in screener.screen(text).findings}
    assert "opinion.personal" not in {
        f.rule for f in screener.screen(text, kind="comment").findings
    }
    many = screener.screen_many([text, text], kind="comment", threads=1)
    assert all(not r.findings for r in many)
    with pytest.raises(ValueError, match="tweet"):
        screener.screen(text, kind="tweet")


def test_html_and_markdown_drafts_report_offsets_into_the_source(
    screener: xianshen.Screener,
) -> None:
    html = "<p>本店<b>出售</b>冰毒</p>"
    r = screener.screen(html, input_format="html")
    [f] = [f for f in r.findings if f.rule == "term.drugs"]
    assert html[f.start : f.end] == f.text == "出售</b>冰毒"
    # As plain text the tag breaks the term.
    assert not [f for f in screener.screen(html).findings if f.rule == "term.drugs"]
    md = "# 通知\n\n本店**出售**冰毒"
    [f] = [f for f in screener.screen(md, input_format="markdown").findings if f.rule == "term.drugs"]
    assert md[f.start : f.end] == f.text
    reports = screener.screen_many([html, md], input_format="html", threads=2)
    assert [f.text for f in reports[0].findings if f.rule == "term.drugs"] == ["出售</b>冰毒"]
    with pytest.raises(ValueError, match="input_format"):
        screener.screen(html, input_format="pdf")


def test_the_screening_date_is_an_argument(screener: xianshen.Screener) -> None:
    import datetime
    import json

    r = screener.screen("会议通知", date=datetime.date(2026, 1, 5))
    assert json.loads(r.to_json())["date"] == "2026-01-05"
    r = screener.screen("会议通知", date="2025-12-31")
    assert json.loads(r.to_json())["date"] == "2025-12-31"
    with pytest.raises(ValueError, match="2026-13-01"):
        screener.screen("会议通知", date="2026-13-01")
    with pytest.raises(TypeError, match="date"):
        screener.screen("会议通知", date=20260105)  # type: ignore[arg-type]


def test_bytes_in_any_encoding(screener: xianshen.Screener) -> None:
    text = "第一行\n本店出售冰毒"
    for encoding, data in (
        ("gbk", text.encode("gbk")),
        ("gb18030", text.encode("gb18030")),
        ("utf-16", text.encode("utf-16")),  # with its BOM
        ("utf-8", text.encode("utf-8")),
        (None, text.encode("gb18030")),  # detected
    ):
        r = screener.screen(data, encoding=encoding)
        assert r.verdict == "block", encoding
        assert r.text == text
        f = r.findings[0]
        assert text[f.start : f.end] == f.text == "出售冰毒", encoding
        assert (f.line, f.column) == (2, 3)
    r = screener.screen(bytearray(text.encode("gbk")), encoding="gbk", input_format="text")
    assert r.findings[0].text == "出售冰毒"
    html = "<p>本店<b>出售</b>冰毒</p>".encode("gb18030")
    r = screener.screen(html, encoding="gb18030", input_format="html")
    assert r.findings[0].text == "出售</b>冰毒"
    reports = screener.screen_many([text.encode("gbk"), "本店出售冰毒"], encoding=None)
    assert [r.verdict for r in reports] == ["block", "block"]


def test_undecodable_bytes(screener: xianshen.Screener) -> None:
    bad = "本店".encode("gb18030") + b"\xff"
    with pytest.raises(ValueError, match="byte offset 4"):
        screener.screen(bad, encoding="gb18030")
    r = screener.screen(bad, encoding="gb18030", lossy=True)
    assert r.text == "本店\ufffd"
    with pytest.raises(ValueError, match="latin1"):
        screener.screen(b"x", encoding="latin1")
