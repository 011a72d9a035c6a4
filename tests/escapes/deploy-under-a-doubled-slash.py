# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: no-deployments-under-shared-or-users on doubled-slash
databricks.Directory("doubled-slash", path="//Shared/mlops", opts=opts)
