# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: federation-policies-restricted on admin-sp-federated
databricks.ServicePrincipalFederationPolicy("admin-sp-federated", service_principal_id=31337,
    oidc_policy={"issuer": "https://token.actions.githubusercontent.com",
                 "subject": f"repo:contoso/ml-projects:environment:{pulumi.get_stack()}"},
    opts=account)
