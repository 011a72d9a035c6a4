# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: cluster-policies-unity-catalog-only on no-isolation
databricks.ClusterPolicy("no-isolation", name="free",
    definition='{"data_security_mode": {"type": "fixed", "value": "NONE"}}', opts=opts)
