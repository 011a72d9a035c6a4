# Family: Azure
# Stacks: uat, prod
# Caught: workspace-logs-collected on audit-only
azure_native.monitor.DiagnosticSetting("audit-only", name="audit-only",
    resource_uri=environment.workspace.resource_id,
    workspace_id=environment.diagnostics.log_analytics_workspace_id,
    logs=[{"category_group": "audit", "enabled": True}], opts=azure)
