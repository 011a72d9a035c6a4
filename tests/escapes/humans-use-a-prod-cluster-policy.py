# Family: Object permissions, jobs, folders, compute
# Stacks: prod
# Caught: prod-no-human-cluster-policy on policy-acl
databricks.Permissions("policy-acl", cluster_policy_id="1", access_controls=[
    {"group_name": "ml-data-scientists", "permission_level": "CAN_USE"}], opts=opts)
