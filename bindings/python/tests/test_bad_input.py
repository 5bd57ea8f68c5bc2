"""The bad-input matrix through Python: each row a clear exception or a
correct report (lone surrogates, empty, noise, NUL, a capped repeated term,
bad policies)."""

from __future__ import annotations

from pathlib import Path

import pytest

import xianshen

DRUGS = '[meta]\nname = "t"\n[[lexicon]]\ntag = "d"\nseverity = "block"\nterms = ["冰毒"]\n'


@pytest.mark.parametrize("where", ["text", "title", "source"])
def test_lone_surrogates_anywhere_are_a_clear_error(screener: xianshen.Screener, where: str) -> None:
    bad = "本店\ud800出售冰毒"
    kwargs = {"text": "正文", "title": None, "source": None}
    kwargs[where] = bad
    with pytest.raises(UnicodeEncodeError) as info:
        screener.screen(kwargs["text"], title=kwargs["title"], source=kwargs["source"])
    assert isinstance(info.value, ValueError)
    assert "surrogate" in str(info.value)


def test_lone_surrogate_in_policy_text_is_a_clear_error() -> None:
    with pytest.raises(UnicodeEncodeError):
        xianshen.Screener.from_toml(DRUGS.replace("冰毒", "冰\udc00毒"))


@pytest.mark.parametrize("text", ["", " \n\t　，。…★😀\u200b\ufeff" * 50, "\0" * 100])
def test_empty_noise_and_nul_only_pass(screener: xianshen.Screener, text: str) -> None:
    report = screener.screen(text)
    assert report.verdict == "pass"
    assert report.findings == []


def test_nul_bytes_are_text() -> None:
    s = xianshen.Screener.from_toml(DRUGS)
    text = "\0前\0冰\0毒\0"
    report = s.screen(text)
    assert report.verdict == "block"
    f = report.findings[0]
    assert text[f.start : f.end] == f.text == "冰\0毒"


def test_a_term_repeated_a_million_times_is_capped() -> None:
    s = xianshen.Screener.from_toml(DRUGS + "[limits]\nmax_findings = 25\n")
    report = s.screen("冰毒" * 1_000_000)
    assert report.verdict == "block"
    assert len(report.findings) == 25
    assert report.truncated is True
    assert report.to_dict()["truncated"] is True
    assert report.findings[-1].start == 2 * 24


@pytest.mark.parametrize(
    ("toml", "kind", "needle"),
    [
        ("[meta\nname = 'x'\n", "syntax", ""),
        (DRUGS.replace("冰毒", "，。"), "invalid", "skipped"),
        (DRUGS.replace('terms = ["冰毒"]', 'files = ["lists"]'), "io", "cannot read list file"),
        ('[meta]\nname = "x"\nextends = "self.toml"\n', "invalid", "extends itself"),
    ],
)
def test_bad_policies_raise_policy_error(tmp_path: Path, toml: str, kind: str, needle: str) -> None:
    (tmp_path / "lists").mkdir()
    (tmp_path / "self.toml").write_text('[meta]\nname = "s"\nextends = "self.toml"\n', encoding="utf-8")
    with pytest.raises(xianshen.PolicyError) as info:
        xianshen.Screener.from_toml(toml, base_dir=tmp_path)
    assert isinstance(info.value, ValueError)
    assert info.value.kind == kind
    assert needle in str(info.value)
