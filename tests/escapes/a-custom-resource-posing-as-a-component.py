# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: unreviewed-resource-type on posing
pulumi.CustomResource("mlops-estate:azure:AzureWorkspace", "posing", {})
