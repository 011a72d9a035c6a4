# Family: Azure
# Stacks: uat, prod
# Caught: role-assignments-declared-principals on owner
HUMAN, ROLES = "12121212-1212-4121-8121-121212121212", (
    "/providers/Microsoft.Authorization/roleDefinitions/")
azure_native.authorization.RoleAssignment("owner", principal_id=HUMAN,
    role_definition_id=ROLES + "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
    scope=environment.storage_account.account_id, opts=azure)
