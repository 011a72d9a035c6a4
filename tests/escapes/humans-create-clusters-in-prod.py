# Family: Object permissions, jobs, folders, compute
# Stacks: prod
# Caught: prod-humans-no-cluster-create on entitled
# Caught: entitlements-only-for-assigned-principals on entitled
databricks.Entitlements("entitled", group_id="1234", allow_cluster_create=True, opts=opts)
