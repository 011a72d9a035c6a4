"""Diagnostic logs: every log of the Azure Databricks workspace and of the catalog storage's
blob service, into a Log Analytics workspace of the environment (or one the config names).

Retention is the Log Analytics workspace's: "The diagnostic settings storage retention feature
stopped applying retention on September 30, 2025 ... For logs sent to a Log Analytics
workspace, retention is set for each table" (https://learn.microsoft.com/azure/azure-monitor/
essentials/migrate-to-azure-storage-lifecycle-policy), so no diagnostic setting sets one.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, operationalinsights

from ...vocabulary.azure import ALL_LOGS, BLOB_SERVICE

DIAGNOSTIC_SETTING = "to-estate-log-analytics"


@dataclass(frozen=True)
class DiagnosticLogsArgs:
    resource_group_name: pulumi.Input[str]
    """The estate's resource group."""
    location: str
    """The Azure region."""
    workspace_name: str | None
    """The Log Analytics workspace the estate creates; None: `existing_workspace_id`."""
    existing_workspace_id: str | None
    """An existing Log Analytics workspace, e.g. a landing zone's."""
    retention_days: int
    """How long the created workspace keeps logs."""
    databricks_workspace_id: pulumi.Input[str]
    """The ARM id of the Azure Databricks workspace."""
    storage_account_id: pulumi.Input[str]
    """The ARM id of the catalog storage account."""
    tags: dict[str, str]
    """Tags on the created Log Analytics workspace."""
    protect: bool
    """Prod: the created Log Analytics workspace cannot be deleted by `pulumi up`."""


class DiagnosticLogs(pulumi.ComponentResource):
    """Pass the azure-native provider through `opts.providers`."""

    log_analytics_workspace_id: pulumi.Output[str]

    def __init__(
        self, name: str, args: DiagnosticLogsArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__("mlops-estate:azure:DiagnosticLogs", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        if args.existing_workspace_id is not None:
            self.log_analytics_workspace_id = pulumi.Output.from_input(args.existing_workspace_id)
        else:
            logs = operationalinsights.Workspace(
                f"{name}-log-analytics",
                workspace_name=args.workspace_name,
                resource_group_name=args.resource_group_name,
                location=args.location,
                sku=operationalinsights.WorkspaceSkuArgs(
                    name=operationalinsights.WorkspaceSkuNameEnum.PER_GB2018
                ),
                retention_in_days=args.retention_days,
                tags=args.tags,
                opts=pulumi.ResourceOptions(
                    parent=self, protect=args.protect, retain_on_delete=True
                ),
            )
            self.log_analytics_workspace_id = logs.id
        for target, resource_uri in (
            ("databricks-workspace", pulumi.Output.from_input(args.databricks_workspace_id)),
            (
                "catalog-storage-blobs",
                pulumi.Output.concat(args.storage_account_id, BLOB_SERVICE),
            ),
        ):
            monitor.DiagnosticSetting(
                f"{name}-{target}",
                name=DIAGNOSTIC_SETTING,
                resource_uri=resource_uri,
                workspace_id=self.log_analytics_workspace_id,
                logs=[monitor.DiagnosticsLogSettingsArgs(category_group=ALL_LOGS, enabled=True)],
                opts=child,
            )
        self.register_outputs({"log_analytics_workspace_id": self.log_analytics_workspace_id})
