# Family: Secrets, providers, unknown types
# Stacks: uat
# Caught: role-assignments-declared-principals on unknown-data-owner
# Caught: cross-environment-read-only on unknown-binding
# Caught: catalog-bound-to-own-workspace on uat-governed-catalog
# Values the program leaves unknown while their sources are known: in a real preview they
# would pass for "coming from" the deployer or the workspace, and be forged in the update.
ROLES = "/providers/Microsoft.Authorization/roleDefinitions/"
azure_native.authorization.RoleAssignment("unknown-data-owner",
    principal_id=environment.deployer.principal_id.apply(lambda _: pulumi.UNKNOWN),
    principal_type="User", role_definition_id=ROLES + "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    scope=environment.storage_account.account_id, opts=azure)
databricks.WorkspaceBinding("unknown-binding", securable_name=f"mlops_{pulumi.get_stack()}",
    workspace_id=environment.workspace.workspace_id.apply(lambda _: pulumi.UNKNOWN),
    binding_type="BINDING_TYPE_READ_WRITE", opts=opts)
