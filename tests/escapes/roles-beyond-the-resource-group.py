# Family: Azure
# Stacks: uat, prod
# Caught: azure-resources-in-own-scope on connector-reads-a-subscription
# Caught: azure-resources-in-own-scope on deployer-everywhere
ROLES = "/providers/Microsoft.Authorization/roleDefinitions/"
azure_native.authorization.RoleAssignment("deployer-everywhere",
    principal_id=environment.deployer.principal_id, principal_type="ServicePrincipal",
    role_definition_id=ROLES + "b24988ac-6180-42a0-ab88-20f7382dd24c",
    scope="/providers/Microsoft.Management/managementGroups/22222222-2222-4222-8222-222222222222",
    opts=azure)
azure_native.authorization.RoleAssignment("connector-reads-a-subscription",
    principal_id=environment.storage_account.access_connector_principal_id,
    principal_type="ServicePrincipal",
    role_definition_id=ROLES + "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
    scope="/subscriptions/55555555-5555-4555-8555-555555555555", opts=azure)
