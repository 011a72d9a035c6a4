# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: no-deployments-under-shared-or-users on shared
databricks.Directory("shared", path="/Shared/mlops", opts=opts)
