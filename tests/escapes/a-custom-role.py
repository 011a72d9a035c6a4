# Family: Azure
# Stacks: uat, prod
# Caught: role-assignments-declared-principals on custom
azure_native.authorization.RoleDefinition("custom", role_name="custom",
    scope="/subscriptions/x", permissions=[{"actions": ["*"]}], opts=azure)
