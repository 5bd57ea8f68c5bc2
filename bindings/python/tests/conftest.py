"""Shared fixtures: the repository's golden vectors and a folder of documents."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.9 and 3.10
    import tomli as tomllib

import xianshen

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
CASES_DIR = REPO / "tests" / "cases"
EXAMPLES_DIR = REPO / "examples"


def load_cases() -> list[tuple[str, dict]]:
    """Every `[[case]]` of tests/cases/*.toml as (file stem, case)."""
    out = []
    for path in sorted(CASES_DIR.glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        out.extend((path.stem, case) for case in data.get("case", []))
    return out


# Drafts with something for every rule family, plus plain text, astral
# characters, combining marks and zero-width characters.
SAMPLE_DOCS = [
    "本店出售冰毒，量大从优。",
    "会议要求加强内容审核。",
    "机密★10年\n此件不得外传",
    "联系人手机13812345678，身份证11010519491231002X。",
    "限时抢购！优惠券包邮，加微信 abc12345，详见 https://shop.example.com/x",
    "原标题：某地召开会议\n据新华社报道，会议强调……",
    "我认为这件事气死了。",
    "今天上午9时，某地发生爆炸，事发后记者从现场获悉。",
    "残废人也能参加比赛。",
    "𠀋𠀌 本店出 售 冰 毒 😀👨‍👩‍👧 e\u0301 a\u200bb",
    "",
    "普通的一天，阳光明媚。" * 50,
]


@pytest.fixture(scope="session")
def screener() -> xianshen.Screener:
    return xianshen.Screener()


@pytest.fixture()
def doc_folder(tmp_path: Path) -> Path:
    """A folder of UTF-8 documents, some in a subfolder."""
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    for i, text in enumerate(SAMPLE_DOCS * 3):
        where = folder / "sub" if i % 4 == 0 else folder
        (where / f"doc{i:03}.txt").write_text(text, encoding="utf-8")
    return folder


def read_folder(folder: Path) -> list[tuple[str, str]]:
    return [
        (str(p.relative_to(folder)), p.read_text(encoding="utf-8"))
        for p in sorted(folder.rglob("*.txt"))
    ]
