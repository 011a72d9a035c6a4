# Family: Azure
# Stacks: uat, prod
# Caught: logs-out-of-reach on deployer-purges-logs
# Caught: logs-out-of-reach on connector-edits-diagnostics
ROLES = "/providers/Microsoft.Authorization/roleDefinitions/"
azure_native.authorization.RoleAssignment("deployer-purges-logs",
    principal_id=environment.deployer.principal_id, principal_type="ServicePrincipal",
    role_definition_id=ROLES + "150f5e0c-0603-4f03-8c7f-cf70034c4e90",
    scope=environment.diagnostics.log_analytics_workspace_id, opts=azure)
azure_native.authorization.RoleAssignment("connector-edits-diagnostics",
    principal_id=environment.storage_account.access_connector_principal_id,
    principal_type="ServicePrincipal",
    role_definition_id=ROLES + "92aaf0da-9dab-42b6-94a3-d43ce8d16293",
    scope=environment.workspace.resource_id.apply(
        lambda id: id + "/providers/Microsoft.Insights/diagnosticSettings/to-estate-log-analytics"),
    opts=azure)
