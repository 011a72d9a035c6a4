"""The config of what protects the data at rest and what records who did what: customer-managed
keys, the enhanced security features, diagnostic logs and Unity Catalog's system tables."""

from __future__ import annotations

import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from .errors import rejected
from .model import StrictModel
from .values import LogAnalyticsWorkspaceId, UcName, Uuid, matching

# Key Vault names: "3-24 ... Alphanumerics and hyphens. Start with letter. End with letter or
# digit. Can't contain consecutive hyphens" (https://learn.microsoft.com/azure/
# azure-resource-manager/management/resource-name-rules#microsoftkeyvault).
_key_vault_pattern = matching(
    r"[A-Za-z](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){1,22}[A-Za-z0-9]",
    "3-24 letters, digits and hyphens, starting with a letter, ending with a letter or digit, "
    "without consecutive hyphens (Azure's Key Vault naming rule)",
)
KeyVaultName = Annotated[str, AfterValidator(_key_vault_pattern)]

# The standards the Workspace API's complianceStandards accepts
# (pulumi_azure_native.databricks.ComplianceStandard), NONE excepted: a profile needs one.
ComplianceStandard = Literal[
    "HIPAA",
    "PCI_DSS",
    "CYBER_ESSENTIAL_PLUS",
    "FEDRAMP_HIGH",
    "CANADA_PROTECTED_B",
    "IRAP_PROTECTED",
    "ISMAP",
    "HITRUST",
    "K_FSI",
]

# System schemas that hold evidence. `billing` is enabled by Databricks and is not declared
# ("Certain system schemas (such as billing) may be auto-enabled once GA and should not be
# manually declared": terraform-provider-databricks docs/resources/system_schema.md).
EvidenceSchema = Literal["access", "compute", "lakeflow", "query"]

# The default evidence catalog is the governed catalog's name with this suffix.
EVIDENCE_CATALOG_SUFFIX = "_evidence"


def _iso_date(value: str) -> str:
    """A quoted ISO date (YYYY-MM-DD), kept as text, as the CLI passes config. It is not
    compared with today: the keys are created once, so a stack deployed before the date stays
    valid after it, and their rotation policy makes each later version's expiry."""
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        raise rejected(value, "a quoted date such as '2028-06-30'") from None
    if len(value) != 10:
        raise rejected(value, "a quoted date such as '2028-06-30'")
    return value


KeyExpiry = Annotated[str, AfterValidator(_iso_date)]


class EncryptionSettings(StrictModel):
    """Customer-managed keys: on by default in Prod, a choice in UAT."""

    customer_managed_keys: bool | None = Field(
        default=None,
        description="Encrypt managed services and managed disks with the estate's keys; "
        "default: true in prod, false in uat.",
    )
    microsoft_managed_keys_reason: str | None = Field(
        default=None,
        min_length=20,
        description="Prod only: why Prod may do without customer-managed keys (required to turn "
        "them off there; reports show it).",
    )
    key_vault: KeyVaultName | None = Field(
        default=None, description="The Key Vault that holds the keys (globally unique name)."
    )
    azure_databricks_object_id: Uuid | None = Field(
        default=None,
        description="The object id, in this tenant, of the AzureDatabricks enterprise "
        "application (app id 2ff814a6-3304-4ab8-85cb-cd0e6f879c1d): it unwraps the managed "
        "services key.",
    )
    key_expires: KeyExpiry | None = Field(
        default=None, description="When the first version of each key expires (a date)."
    )
    key_lifetime_days: int = Field(
        default=365, ge=30, le=730, description="How long each rotated key version lives."
    )
    rotate_before_expiry_days: int = Field(
        default=30, ge=7, le=90, description="Rotate this many days before a version expires."
    )
    workspace_storage: bool = Field(
        default=False,
        description="Encrypt the workspace's root (DBFS) storage too. Its storage identity "
        "exists only once the workspace does: switch this on for the second `pulumi up`.",
    )


class ComplianceProfile(StrictModel):
    enabled: bool = Field(default=False, description="Permanent once a workspace has it.")
    standards: list[ComplianceStandard] = Field(
        default_factory=list, description="The standards the profile enforces."
    )


class EnhancedSecuritySettings(StrictModel):
    """The Enhanced Security and Compliance add-on's features, on the workspace itself."""

    monitoring: bool | None = Field(
        default=None, description="Enhanced security monitoring; default: on in prod."
    )
    automatic_cluster_update: bool | None = Field(
        default=None, description="Automatic cluster update; default: on in prod."
    )
    compliance_security_profile: ComplianceProfile = Field(default_factory=ComplianceProfile)


class LogSettings(StrictModel):
    existing_workspace_id: LogAnalyticsWorkspaceId | None = Field(
        default=None,
        description="An existing Log Analytics workspace; none: the estate creates one.",
    )
    workspace_name: str | None = Field(
        default=None,
        min_length=4,
        max_length=63,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9-]{2,61}[A-Za-z0-9]$",
        description="The Log Analytics workspace the estate creates.",
    )
    # The workspace's default retention is 30 days and Analytics tables keep data "up to two
    # years" (Learn, azure-monitor/logs/data-retention-configure); 4 days is a per-table
    # minimum through the API, and azurerm's log_analytics_workspace takes 30 to 730.
    retention_days: int = Field(
        default=365,
        ge=30,
        le=730,
        description="How long the Log Analytics workspace keeps logs (30-730 days).",
    )


class EvidenceSettings(StrictModel):
    logs: LogSettings = Field(default_factory=LogSettings)
    system_schemas: list[EvidenceSchema] = Field(
        default_factory=lambda: ["access"],
        description="System schemas uat enables for the whole metastore.",
    )
    catalog_name: UcName | None = Field(
        default=None,
        description="The evidence catalog, of this environment only: it holds the evidence "
        "schema, out of the reach of the deployer, which writes the governed catalog; default: "
        "the governed catalog's name with the suffix _evidence.",
    )
    schema_name: UcName = Field(
        default="audit_evidence",
        description="The schema, in the evidence catalog, of the auditors' evidence views.",
    )
    sql_warehouse_id: str | None = Field(
        default=None,
        pattern=r"^[0-9a-f]{16}$",
        description="The SQL warehouse that creates the evidence views. A warehouse exists "
        "only once the workspace does: set this for the second `pulumi up`; until then the "
        "views are not created.",
    )

    def catalog(self, governed_catalog: str) -> str:
        """The evidence catalog's name: the configured one, or the governed catalog's with
        EVIDENCE_CATALOG_SUFFIX, unique in the metastore as the governed catalog's name is."""
        return self.catalog_name or f"{governed_catalog}{EVIDENCE_CATALOG_SUFFIX}"
