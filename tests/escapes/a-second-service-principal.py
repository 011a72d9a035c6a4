# Family: Workspace admins, membership, rule sets, principals
# Stacks: uat, prod
# Caught: account-principals-declared on helper
# Caught: service-principals-declared on helper
databricks.ServicePrincipal("helper", application_id="12345678-1234-4123-8123-123456789abc",
    display_name="helper", opts=account)
