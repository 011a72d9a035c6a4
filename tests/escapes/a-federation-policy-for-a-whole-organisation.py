# Family: Azure
# Stacks: uat, prod
# Caught: federation-policies-restricted on org
databricks.ServicePrincipalFederationPolicy("org", service_principal_id=1, oidc_policy={
    "issuer": "https://token.actions.githubusercontent.com", "subject_claim": "repository_owner",
    "subject": "contoso"}, opts=account)
