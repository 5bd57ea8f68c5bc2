"""xianshen (先审): screen drafts before they are published on official new-media accounts."""

from ._xianshen import (
    AUDIT_SCHEMA as AUDIT_SCHEMA,
    DEFAULT_POLICY_TOML as DEFAULT_POLICY_TOML,
    Audit as Audit,
    REPORT_SCHEMA as REPORT_SCHEMA,
    Finding as Finding,
    PolicyError as PolicyError,
    Report as Report,
    Screener as Screener,
    __version__ as __version__,
    audit as audit,
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
