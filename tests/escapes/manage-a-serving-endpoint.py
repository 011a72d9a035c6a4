# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: object-permissions-read-run-only on endpoint-acl
databricks.Permissions("endpoint-acl", serving_endpoint_id="churn", access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
