"""xianshen (先审): screen drafts before they are published on official
new-media accounts.

>>> import xianshen
>>> s = xianshen.Screener()                 # the embedded default policy
>>> text = "本店出售冰毒，量大从优"
>>> r = s.screen(text)
>>> r.verdict, r.approval
('block', 'head')
>>> f = r.findings[0]
>>> text[f.start:f.end] == f.text         # Python str indices, always exact
True

``Screener.from_file(path)`` and ``Screener.from_toml(text)`` load an
organisation's policy; a bad policy raises ``PolicyError`` (a
``ValueError``) with ``path``, ``line`` and ``column``.
``Screener.screen_many(texts)`` screens in parallel with the GIL released;
screeners pickle, so multiprocessing and Dask ship them to workers.
``xianshen.audit(posts, messages, ...)`` audits an account's archive
(cadence, reply deadlines in working days, boilerplate, screened posts),
the same code as ``xianshen audit archive``.
"""

from ._xianshen import (
    AUDIT_SCHEMA,
    DEFAULT_POLICY_TOML,
    Audit,
    REPORT_SCHEMA,
    Finding,
    PolicyError,
    Report,
    Screener,
    __version__,
    audit,
)

__all__ = [
    "AUDIT_SCHEMA",
    "Audit",
    "DEFAULT_POLICY_TOML",
    "REPORT_SCHEMA",
    "Finding",
    "PolicyError",
    "Report",
    "Screener",
    "__version__",
    "audit",
]
