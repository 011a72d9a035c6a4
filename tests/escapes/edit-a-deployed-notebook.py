# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: deployment-folder-locked on notebook-acl
# Caught: object-permissions-read-run-only on notebook-acl
databricks.Permissions("notebook-acl", notebook_path="/Deployments/mlops/train",
    access_controls=[{"group_name": "ml-engineers", "permission_level": "CAN_EDIT"}], opts=opts)
