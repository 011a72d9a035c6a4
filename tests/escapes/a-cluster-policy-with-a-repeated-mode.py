# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: cluster-policies-unity-catalog-only on repeated-mode
databricks.ClusterPolicy("repeated-mode", name="two-modes",
    definition='{"data_security_mode": {"type": "unlimited"}, '
    '"data_security_mode": {"type": "fixed", "value": "SINGLE_USER"}}', opts=opts)
