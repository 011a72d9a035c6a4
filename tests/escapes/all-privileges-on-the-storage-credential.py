# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: manage-only-platform on credential
# Caught: metastore-securables-platform-only on credential
databricks.Grants("credential", storage_credential=f"{pulumi.get_stack()}_catalog_storage",
    grants=[{"principal": "ml-data-scientists", "privileges": ["ALL_PRIVILEGES"]}], opts=opts)
