"""How long the estate waits where Azure or Databricks is eventually consistent.

Each wait is a `time.Sleep` (pulumiverse-time) in the dependency graph, as Databricks'
reference architecture uses Terraform's `time_sleep` (terraform-databricks-sra: after
workspace creation "to allow for APIs to become available", and "to prevent race condition
between IAM role and external location validation").
"""

from __future__ import annotations

import re

# Workspace assignments on the account are eventually consistent: "Principal ... not in
# workspace ..." on about half of first runs even after the metastore assignment
# (databricks/terraform-provider-databricks#5367). The reference architecture waits 60 s where
# new workspaces "can intermittently fail to find the workspace by its ID" (sra aws/tf/main.tf);
# no shorter figure is documented.
PRINCIPALS_VISIBLE_SECONDS = 60

# "When you assign roles or remove role assignments, it can take up to 10 minutes for changes
# to take effect" (https://learn.microsoft.com/azure/role-based-access-control/troubleshooting).
# Unity Catalog validates the access connector's access when an external location is created
# (pulumi_databricks.ExternalLocation `skip_validation`), the runner creates keys with its Key
# Vault role, and the workspace uses its key through Azure Databricks' role. The reference
# architecture waits 60 s for the same race on AWS; a slower propagation fails that one
# resource, and the next `pulumi up` creates it.
ROLE_PROPAGATION_SECONDS = 120

# A wait longer than this is not a wait for consistency but a stalled deployment.
LONGEST_WAIT_SECONDS = 30 * 60

_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")


def go_duration(seconds: int) -> str:
    """A duration as `time.Sleep` takes it (Go's time.ParseDuration), e.g. "60s"."""
    return f"{seconds}s"


def duration_seconds(text: object) -> float | None:
    """Seconds in a Go duration such as "1m30s"; None if it is not one."""
    if not isinstance(text, str) or not text:
        return None
    parts = _DURATION.findall(text)
    if "".join(number + unit for number, unit in parts) != text:
        return None
    return sum(float(number) * _UNITS[unit] for number, unit in parts)
