# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: cluster-policies-unity-catalog-only on escaped-override
databricks.ClusterPolicy("escaped-override", name="personal-no-isolation",
    policy_family_id="personal-vm",
    policy_family_definition_overrides=r'{"data\u005fsecurity_mode": {"type": "fixed", "value": "NONE"}}',
    opts=opts)
