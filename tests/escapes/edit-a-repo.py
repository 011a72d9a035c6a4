# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: object-permissions-read-run-only on repo-acl
databricks.Permissions("repo-acl", repo_path="/Repos/project", access_controls=[
    {"user_name": "eve@contoso.com", "permission_level": "CAN_EDIT"}], opts=opts)
