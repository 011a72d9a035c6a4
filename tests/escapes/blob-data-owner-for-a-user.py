# Family: Azure
# Stacks: uat, prod
# Caught: role-assignments-declared-principals on data-owner
HUMAN, ROLES = "12121212-1212-4121-8121-121212121212", (
    "/providers/Microsoft.Authorization/roleDefinitions/")
azure_native.authorization.RoleAssignment("data-owner", principal_id=HUMAN,
    role_definition_id=ROLES + "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    scope=environment.storage_account.account_id, opts=azure)
