# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: object-permissions-read-run-only on token-acl
# Caught: token-permissions-need-tokens on token-acl
databricks.Permissions("token-acl", authorization="tokens", access_controls=[
    {"group_name": "ml-data-scientists", "permission_level": "CAN_MANAGE"}], opts=opts)
