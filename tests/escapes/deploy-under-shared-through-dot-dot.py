# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: no-deployments-under-shared-or-users on dot-dot
databricks.Directory("dot-dot", path="/Deployments/../Shared/./mlops", opts=opts)
