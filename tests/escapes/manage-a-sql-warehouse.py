# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: object-permissions-read-run-only on warehouse-acl
databricks.Permissions("warehouse-acl", sql_endpoint_id="w1", access_controls=[
    {"group_name": "ml-auditors", "permission_level": "CAN_MANAGE"}], opts=opts)
