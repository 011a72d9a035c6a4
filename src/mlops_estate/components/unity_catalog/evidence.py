"""Audit evidence for auditors: Unity Catalog's system tables, enabled once per metastore, and
views of them filtered to the environment's workspace, in a catalog of their own.

Not in the governed catalog: the deployer, the identity the evidence records, holds
ALL_PRIVILEGES there, and privileges on a catalog "are inherited by all current and future
objects within" it, with no deny (https://learn.microsoft.com/azure/databricks/data-governance/
unity-catalog/manage-privileges, "Privilege inheritance"). In the evidence catalog only the
readers hold anything, and the runner owns everything.

`system.access.audit` covers the whole account ("Account-level audit logs record workspace_id
as 0"; https://learn.microsoft.com/azure/databricks/admin/system-tables/audit-logs), so
auditors read views, not the table. A view reader needs "SELECT on the view itself, USE CATALOG
on its parent catalog, and USE SCHEMA on its parent schema" on SQL warehouses and Databricks
Runtime 15.4 and above (https://learn.microsoft.com/azure/databricks/views/create-views); the
view's owner, the platform runner, reads the table.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_databricks as databricks

from ...vocabulary.unity_catalog import EVIDENCE_VIEWS, SYSTEM_CATALOG
from ..access import AccessGrant, Principal
from .base import UnityCatalogComponent

AUDIT_TABLE = f"{SYSTEM_CATALOG}.access.audit"
AUDIT_EVENTS_VIEW, PERMISSION_CHANGES_VIEW = EVIDENCE_VIEWS
# What the view owner needs on the system catalog. `databricks.Grant` "is authoritative for
# grants on securables for a given singular principal": it leaves every other team's grants on
# the shared system catalog alone, which `Grants` would revoke (pulumi_databricks.Grant).
OWNER_SYSTEM_GRANTS = (
    ("catalog", SYSTEM_CATALOG, ("USE_CATALOG",)),
    ("schema", f"{SYSTEM_CATALOG}.access", ("USE_SCHEMA",)),
    ("table", AUDIT_TABLE, ("SELECT",)),
)
READER_CATALOG_PRIVILEGES = ("USE_CATALOG",)
READER_PRIVILEGES = ("USE_SCHEMA", "SELECT")
# Unity Catalog's permission changes in the audit log (service unityCatalog; the reference
# architecture's alert on permission changes lists these actions: terraform-databricks-sra
# aws/customizations/.../system_tables_audit_log/queries_and_alerts.json).
PERMISSION_CHANGE_ACTIONS = ("updatePermissions", "changeSecurableOwner", "updateSharePermissions")


@dataclass(frozen=True)
class AuditEvidenceArgs:
    catalog_name: str
    """The evidence catalog's name."""
    schema_name: str
    """The evidence schema's name."""
    storage_root: pulumi.Input[str]
    """The environment's storage root; the catalog's managed storage is under it."""
    governed_catalog: str
    """The governed catalog's name: a sample query asks who read its tables."""
    workspace_id: pulumi.Input[str]
    """The environment's workspace: the only one the catalog is bound to, and the views keep
    its events only."""
    owner: Principal
    """The platform runner: it owns the catalog, the schema and the views, and reads the audit
    table."""
    readers: list[Principal]
    """Who may query the views (auditors, platform admins): nobody else holds anything in the
    catalog."""
    sql_warehouse_id: str | None
    """The SQL warehouse that creates the views (SqlTable runs its DDL on one); None: no views
    yet, as no warehouse exists before the workspace does (the second `pulumi up`)."""
    system_schemas: list[str]
    """The system schemas this stack enables for the whole metastore (UAT's only)."""
    protect: bool = False
    """Prod: the catalog, the schema and the views cannot be deleted by `pulumi up`."""


class AuditEvidence(UnityCatalogComponent):
    """Pass the workspace-level Databricks provider through `opts.providers`."""

    catalog_name: pulumi.Output[str]
    views: dict[str, str]
    """Each view's full name, and what it holds."""

    def __init__(
        self, name: str, args: AuditEvidenceArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:unitycatalog:AuditEvidence", name, opts)
        child = pulumi.ResourceOptions(parent=self, protect=args.protect)
        # "System tables must be enabled by an account admin"; "billing may be auto-enabled
        # ... and should not be manually declared" (terraform-provider-databricks
        # docs/resources/system_schema.md). One stack enables them for the metastore; deleting
        # one disables it for every workspace of the metastore, so none is ever deleted.
        metastore_wide = pulumi.ResourceOptions(parent=self, protect=True, retain_on_delete=True)
        enabled = [
            databricks.SystemSchema(f"{name}-system-{schema}", schema=schema, opts=metastore_wide)
            for schema in args.system_schemas
        ]
        readable = [
            databricks.Grant(
                f"{name}-owner-reads-{securable.replace('.', '-')}",
                principal=args.owner.name,
                privileges=list(privileges),
                **{securable_type: securable},
                opts=pulumi.ResourceOptions(parent=self, depends_on=enabled),
            )
            for securable_type, securable, privileges in OWNER_SYSTEM_GRANTS
        ]
        # Bound READ_WRITE, not READ_ONLY: "If you specify read-only, then all write operations
        # are blocked from that workspace to that catalog" (https://learn.microsoft.com/azure/
        # databricks/catalogs/binding), and the views are created (CREATE VIEW) on a SQL
        # warehouse of this workspace. Nobody is granted a privilege to write there.
        catalog = self._home_catalog(
            f"{name}-catalog",
            args.catalog_name,
            args.storage_root,
            args.workspace_id,
            args.owner,
            "Audit evidence: readable by auditors, out of the deployer's reach",
            child,
        )
        self._grant(
            f"{name}-catalog-grants",
            "catalog",
            catalog.name,
            [
                AccessGrant("catalog", args.catalog_name, reader, READER_CATALOG_PRIVILEGES)
                for reader in args.readers
            ],
        )
        schema = databricks.Schema(
            f"{name}-schema",
            catalog_name=catalog.name,
            name=args.schema_name,
            owner=args.owner.name,
            comment="Audit evidence: the environment's workspace events, for auditors",
            opts=child,
        )
        full_schema = f"{args.catalog_name}.{args.schema_name}"
        self._owned("schema", full_schema, args.owner)
        this_workspace = pulumi.Output.concat("workspace_id = '", args.workspace_id, "'")
        actions = ", ".join(f"'{action}'" for action in PERMISSION_CHANGE_ACTIONS)
        definitions = {
            AUDIT_EVENTS_VIEW: (
                "Every audit event of the environment's workspace",
                pulumi.Output.concat(f"SELECT * FROM {AUDIT_TABLE} WHERE ", this_workspace),
            ),
            PERMISSION_CHANGES_VIEW: (
                "Who changed which Unity Catalog permission or owner, and when",
                pulumi.Output.concat(
                    "SELECT event_time, event_date, user_identity.email AS changed_by, "
                    f"action_name, request_params FROM {AUDIT_TABLE} WHERE ",
                    this_workspace,
                    f" AND service_name = 'unityCatalog' AND action_name IN ({actions})",
                ),
            ),
        }
        self.views = {}
        self.catalog_name = catalog.name
        self.queries = sample_queries(full_schema, args.governed_catalog)
        for view, (comment, definition) in definitions.items():
            if args.sql_warehouse_id is None:
                break
            databricks.SqlTable(
                f"{name}-{view.replace('_', '-')}",
                catalog_name=catalog.name,
                schema_name=schema.name,
                name=view,
                table_type="VIEW",
                view_definition=definition,
                owner=args.owner.name,
                comment=comment,
                # "If empty, a cluster will be created automatically" (pulumi_databricks
                # .SqlTable): the views are created on the configured warehouse.
                warehouse_id=args.sql_warehouse_id,
                opts=pulumi.ResourceOptions(parent=self, protect=args.protect, depends_on=readable),
            )
            self.views[f"{full_schema}.{view}"] = comment
        self._grant(
            f"{name}-schema-grants",
            "schema",
            pulumi.Output.concat(catalog.name, ".", schema.name),
            [
                AccessGrant("schema", full_schema, reader, READER_PRIVILEGES)
                for reader in args.readers
            ],
        )
        self.register_outputs({"catalog_name": self.catalog_name})


def sample_queries(evidence_schema: str, governed_catalog: str) -> dict[str, str]:
    """Two ready-to-run questions for auditors, on the evidence views. Reads of tables are
    the temporary table credentials Unity Catalog issues for them: the reference
    architecture's read/write queries take the table from `request_params.table_full_name`,
    the operation from `request_params.operation`, and fall back to `table_id` where the name
    is absent (terraform-databricks-sra aws/customizations/.../system_tables_audit_log/
    queries_and_alerts.json). Events that carry only the table's id do not match a name."""
    return {
        "Unity Catalog grants and owners changed in the last 30 days": (
            "SELECT event_time, changed_by, action_name, request_params "
            f"FROM {evidence_schema}.permission_changes "
            "WHERE event_date >= date_sub(current_date(), 30) ORDER BY event_time DESC"
        ),
        f"Who read tables of {governed_catalog} in the last 30 days": (
            "SELECT event_time, user_identity.email AS reader, "
            "request_params['table_full_name'] AS table_name "
            f"FROM {evidence_schema}.audit_events "
            "WHERE event_date >= date_sub(current_date(), 30) "
            "AND action_name = 'generateTemporaryTableCredential' "
            "AND request_params['operation'] = 'READ' "
            f"AND request_params['table_full_name'] LIKE '{governed_catalog}.%' "
            "ORDER BY event_time DESC"
        ),
    }
