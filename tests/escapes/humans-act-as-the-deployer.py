# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: no-service-principal-impersonation on act-as
databricks.AccessControlRuleSet("act-as", name="accounts/x/servicePrincipals/y/ruleSets/default",
    grant_rules=[{"principals": ["groups/ml-engineers"],
                  "role": "roles/servicePrincipal.user"}], opts=account)
