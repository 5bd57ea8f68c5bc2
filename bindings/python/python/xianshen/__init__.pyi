"""xianshen (先审): screen drafts before they are published on official new-media accounts."""

from ._xianshen import (
    DEFAULT_POLICY_TOML as DEFAULT_POLICY_TOML,
    REPORT_SCHEMA as REPORT_SCHEMA,
    Finding as Finding,
    PolicyError as PolicyError,
    Report as Report,
    Screener as Screener,
    __version__ as __version__,
)

__all__ = [
    "DEFAULT_POLICY_TOML",
    "REPORT_SCHEMA",
    "Finding",
    "PolicyError",
    "Report",
    "Screener",
    "__version__",
]
