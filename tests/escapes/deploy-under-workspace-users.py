# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: no-deployments-under-shared-or-users on notebook
# Caught: estate-deploys-no-workloads on notebook
databricks.Notebook("notebook", path="/Workspace/Users/eve@contoso.com/nb",
    content_base64="", language="PYTHON", opts=opts)
