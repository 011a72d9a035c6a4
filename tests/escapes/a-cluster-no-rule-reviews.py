# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: unreviewed-resource-type on cluster
databricks.Cluster("cluster", spark_version="x", node_type_id="y", num_workers=1,
    data_security_mode="NONE", opts=opts)
