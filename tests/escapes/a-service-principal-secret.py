# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on sp-secret
databricks.ServicePrincipalSecret("sp-secret", service_principal_id="1", opts=account)
