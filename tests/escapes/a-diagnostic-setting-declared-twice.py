# Family: Azure
# Stacks: uat
# Caught: workspace-logs-collected on same-setting-again
# Caught: workspace-logs-collected on uat-diagnostics-databricks-workspace
# The same setting as the estate's own, by name and resource: deleting either deletes both.
azure_native.monitor.DiagnosticSetting("same-setting-again", name="TO-ESTATE-LOG-ANALYTICS",
    resource_uri=environment.workspace.resource_id,
    workspace_id=environment.diagnostics.log_analytics_workspace_id,
    logs=[{"category_group": "allLogs", "enabled": True}], opts=azure)
