"""hypothesis: for random text and a small random lexicon, every finding
slices the text exactly with Python str indices, and its other positions
agree."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import xianshen

# Characters that stress offsets: CJK (BMP and astral), emoji and ZWJ
# sequences, combining marks, zero-width and bidi controls, variation
# selectors, full-width forms, and plain ASCII.
ALPHABET = list(
    "本店出售冰毒大麻烦赌博六合彩ab AV 69 1\n，。！"
    "𠀋𠀌𪚥😀👨‍👩‍👧🇨🇳"
    "\u0301\u0308\u200b\u200c\u200d\u2060\ufeff\u202e\ufe0f"
    "ＡＢ６９"
)
chars = st.sampled_from(ALPHABET)
texts = st.lists(chars, max_size=60).map("".join)
terms = st.lists(st.sampled_from("出售冰毒大麻赌博六合彩ab69𠀋😀"), min_size=2, max_size=4).map("".join)


def policy(lexicon: list[str], boundary: str) -> str:
    return (
        '[meta]\nname = "prop"\n\n[[lexicon]]\ntag = "p"\nseverity = "review"\n'
        f'boundary = "{boundary}"\nterms = {json.dumps(lexicon, ensure_ascii=False)}\n'
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=texts,
    lexicon=st.lists(terms, min_size=1, max_size=5),
    boundary=st.sampled_from(["any", "word"]),
)
def test_findings_slice_the_text(text: str, lexicon: list[str], boundary: str) -> None:
    try:
        s = xianshen.Screener.from_toml(policy(lexicon, boundary))
    except xianshen.PolicyError:
        return  # e.g. a term the policy loader rejects; loading must not crash
    reports = [s.screen(text), *s.screen_many([text, text], threads=2)]
    assert reports[0] == reports[1] == reports[2]
    r = reports[0]
    data = text.encode("utf-8")
    last = (-1, "")
    for f in r.findings:
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.text
        assert data[f.byte_start : f.byte_end] == f.text.encode("utf-8")
        assert f.line == text.count("\n", 0, f.start) + 1
        assert f.column == f.start - (text.rfind("\n", 0, f.start) + 1) + 1
        assert (f.start, f.rule) >= last
        last = (f.start, f.rule)
    severities = {f.severity for f in r.findings}
    expected = "block" if "block" in severities else "review" if "review" in severities else "pass"
    if not r.truncated:
        assert r.verdict == expected


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=80))
def test_any_valid_text_screens_with_the_default_policy(text: str) -> None:
    s = xianshen.Screener()
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return
    r = s.screen(text)
    for f in r.findings:
        assert text[f.start : f.end] == f.text
