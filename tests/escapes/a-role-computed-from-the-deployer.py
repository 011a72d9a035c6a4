# Family: Azure
# Stacks: uat, prod
# Caught: role-assignments-declared-principals on forged-data-owner
ROLES = "/providers/Microsoft.Authorization/roleDefinitions/"
HUMAN = "12121212-1212-4121-8121-121212121212"
# The principal id depends on the deployer identity, but its value is a person's object id.
azure_native.authorization.RoleAssignment("forged-data-owner",
    principal_id=environment.deployer.principal_id.apply(lambda _: HUMAN), principal_type="User",
    role_definition_id=ROLES + "b7e6dc6d-f1e8-4753-8033-0f276bb0955b",
    scope=environment.storage_account.account_id, opts=azure)
