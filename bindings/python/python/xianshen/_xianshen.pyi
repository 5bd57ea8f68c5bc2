"""Type stubs for the native module ``xianshen._xianshen``."""

import datetime
import os
from collections.abc import Iterable
from typing import Any, Literal, final

from typing_extensions import TypeAlias

__all__ = [
    "__version__",
    "REPORT_SCHEMA",
    "DEFAULT_POLICY_TOML",
    "PolicyError",
    "Screener",
    "Report",
    "Finding",
    "AUDIT_SCHEMA",
    "Audit",
    "audit",
    "_report_from_json",
    "_finding_from_json",
]

__version__: str
REPORT_SCHEMA: str
DEFAULT_POLICY_TOML: str

_Verdict: TypeAlias = Literal["pass", "review", "block"]
_Approval: TypeAlias = Literal["reviewer", "head", "leadership"]
_Severity: TypeAlias = Literal["info", "review", "block"]

class PolicyError(ValueError):
    """A policy could not be loaded; names the file, line and column."""

    kind: Literal["syntax", "invalid", "io", "other"]
    message: str
    path: str | None
    line: int | None
    column: int | None

@final
class Finding:
    """One problem at one place; ``start``/``end`` are Python str indices."""

    @property
    def rule(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> _Severity: ...
    @property
    def approval(self) -> _Approval | None: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def byte_start(self) -> int: ...
    @property
    def byte_end(self) -> int: ...
    @property
    def utf16_start(self) -> int: ...
    @property
    def utf16_end(self) -> int: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def term(self) -> str | None: ...
    @property
    def message(self) -> str: ...
    @property
    def suggestion(self) -> str | None: ...
    @property
    def evasion(self) -> str | None: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __hash__(self) -> int: ...
    def __reduce__(self) -> tuple[Any, tuple[str]]: ...

@final
class Report:
    """All findings for one draft, the verdict and who must sign off."""

    @property
    def schema(self) -> str: ...
    @property
    def verdict(self) -> _Verdict: ...
    @property
    def approval(self) -> _Approval: ...
    @property
    def findings(self) -> list[Finding]: ...
    @property
    def title_findings(self) -> list[Finding]: ...
    @property
    def truncated(self) -> bool: ...
    @property
    def input_sha256(self) -> str: ...
    @property
    def input_bytes(self) -> int: ...
    @property
    def input_chars(self) -> int: ...
    @property
    def policy_name(self) -> str: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def policy_fingerprint(self) -> str: ...
    @property
    def engine_version(self) -> str: ...
    @property
    def text(self) -> str: ...
    def to_json(self, *, indent: bool = False) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def redact(
        self,
        mask: str = "*",
        *,
        replace: str | None = None,
        suggestions: bool = False,
        rules: str | Iterable[str] | None = None,
    ) -> str: ...
    def __eq__(self, other: object, /) -> bool: ...
    def __reduce__(self) -> tuple[Any, tuple[str, str]]: ...

@final
class Screener:
    """A compiled policy; immutable, thread-safe, picklable."""

    def __new__(cls) -> Screener: ...
    @staticmethod
    def from_file(path: str | os.PathLike[str]) -> Screener: ...
    @staticmethod
    def from_toml(text: str, base_dir: str | os.PathLike[str] | None = None) -> Screener: ...
    @property
    def policy_name(self) -> str: ...
    @property
    def policy_version(self) -> str: ...
    @property
    def policy_fingerprint(self) -> str: ...
    def policy_toml(self) -> str: ...
    def screen(
        self,
        text: str | bytes | bytearray,
        *,
        title: str | None = None,
        repost: bool | None = None,
        source: str | None = None,
        kind: str | None = None,
        input_format: str | None = None,
        date: datetime.date | str | None = None,
        encoding: str | None = None,
        lossy: bool = False,
    ) -> Report: ...
    def screen_many(
        self,
        texts: Iterable[str | bytes | bytearray],
        *,
        threads: int | None = None,
        title: str | None = None,
        repost: bool | None = None,
        source: str | None = None,
        kind: str | None = None,
        input_format: str | None = None,
        date: datetime.date | str | None = None,
        encoding: str | None = None,
        lossy: bool = False,
    ) -> list[Report]: ...
    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]: ...

def _report_from_json(json: str, text: str) -> Report: ...
def _finding_from_json(json: str) -> Finding: ...

AUDIT_SCHEMA: str

_Path: TypeAlias = str | os.PathLike[str]

@final
class Audit:
    """An archive audit (schema ``xianshen.audit/1``)."""

    def to_json(self, indent: bool = False) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...
    def to_html(self) -> str: ...
    def write_csv(self, path: _Path) -> list[str]: ...
    @property
    def errors(self) -> list[str]: ...

def audit(
    posts: _Path | list[_Path],
    messages: _Path | list[_Path] | None = None,
    *,
    screener: Screener | None = None,
    start: datetime.date | str | None = None,
    end: datetime.date | str | None = None,
    date: datetime.date | str | None = None,
    fields: dict[str, dict[str, str]] | None = None,
    account: str | None = None,
) -> Audit: ...
