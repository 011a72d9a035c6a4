# Family: Private networking
# Stacks: uat, prod
# Caught: serverless-egress-restricted on open-default
databricks.AccountNetworkPolicy("open-default", network_policy_id="default-policy",
    egress={"network_access": {"restriction_mode": "FULL_ACCESS"}}, opts=account)
