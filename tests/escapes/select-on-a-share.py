# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: metastore-securables-platform-only on share-grant
databricks.Grants("share-grant", share="everything",
    grants=[{"principal": "ml-engineers", "privileges": ["SELECT"]}], opts=opts)
