# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: providers-target-own-estate on ambient
databricks.Directory("ambient", path="/Deployments/ambient")
