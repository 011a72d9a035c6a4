# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: providers-target-own-estate on other-workspace
other = databricks.Provider("other-workspace", host="https://adb-9.9.azuredatabricks.net")
databricks.Directory("elsewhere", path="/Deployments/x",
    opts=pulumi.ResourceOptions(provider=other))
