# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: metastore-securables-platform-only on metastore
databricks.Grants("metastore", metastore="44444444-4444-4444-8444-444444444444",
    grants=[{"principal": "ml-data-scientists", "privileges": ["CREATE_CATALOG"]}], opts=opts)
