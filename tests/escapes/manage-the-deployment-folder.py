# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: deployment-folder-locked on folder-acl
# Caught: object-permissions-read-run-only on folder-acl
databricks.Permissions("folder-acl", directory_path="/Deployments/mlops", access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
