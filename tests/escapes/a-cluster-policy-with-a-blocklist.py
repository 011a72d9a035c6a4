# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: cluster-policies-unity-catalog-only on blocklist
databricks.ClusterPolicy("blocklist", name="no-none",
    definition='{"data_security_mode": {"type": "blocklist", "values": ["NONE"]}}', opts=opts)
