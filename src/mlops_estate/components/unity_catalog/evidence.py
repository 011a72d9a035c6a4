"""Audit evidence for auditors: Unity Catalog's system tables, enabled once per metastore, and
views of them filtered to the environment's workspace, in a schema of the governed catalog.

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
READER_PRIVILEGES = ("USE_SCHEMA", "SELECT")
# Unity Catalog's permission changes in the audit log (service unityCatalog; the reference
# architecture's alert on permission changes lists these actions: terraform-databricks-sra
# aws/customizations/.../system_tables_audit_log/queries_and_alerts.json).
PERMISSION_CHANGE_ACTIONS = ("updatePermissions", "changeSecurableOwner", "updateSharePermissions")


@dataclass(frozen=True)
class AuditEvidenceArgs:
    catalog_name: pulumi.Input[str]
    """The governed catalog, from its resource: the schema waits for it."""
    catalog: str
    """The governed catalog's name."""
    schema_name: str
    """The evidence schema's name."""
    workspace_id: pulumi.Input[str]
    """The environment's workspace: the views keep its events only."""
    owner: Principal
    """The platform runner: it owns the schema and the views, and reads the audit table."""
    readers: list[Principal]
    """Who may query the views (auditors, platform admins)."""
    sql_warehouse_id: str | None
    """The SQL warehouse that creates the views (SqlTable runs its DDL on one); None: no views
    yet, as no warehouse exists before the workspace does (the second `pulumi up`)."""
    system_schemas: list[str]
    """The system schemas this stack enables for the whole metastore (UAT's only)."""
    protect: bool = False
    """Prod: the schema and the views cannot be deleted by `pulumi up`."""


class AuditEvidence(UnityCatalogComponent):
    """Pass the workspace-level Databricks provider through `opts.providers`."""

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
        schema = databricks.Schema(
            f"{name}-schema",
            catalog_name=args.catalog_name,
            name=args.schema_name,
            owner=args.owner.name,
            comment="Audit evidence: the environment's workspace events, for auditors",
            opts=child,
        )
        full_schema = f"{args.catalog}.{args.schema_name}"
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
        self.queries = sample_queries(full_schema, args.catalog)
        for view, (comment, definition) in definitions.items():
            if args.sql_warehouse_id is None:
                break
            databricks.SqlTable(
                f"{name}-{view.replace('_', '-')}",
                catalog_name=args.catalog_name,
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
            pulumi.Output.concat(args.catalog, ".", schema.name),
            [
                AccessGrant("schema", full_schema, reader, READER_PRIVILEGES)
                for reader in args.readers
            ],
        )
        self.register_outputs({})


def sample_queries(evidence_schema: str, governed_catalog: str) -> dict[str, str]:
    """Two ready-to-run questions for auditors, on the evidence views. Reads of tables are
    the temporary table credentials Unity Catalog issues for them, with the operation and the
    table in the request (the reference architecture's read/write queries use these actions:
    terraform-databricks-sra system_tables_audit_log/queries_and_alerts.json)."""
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
