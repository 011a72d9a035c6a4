# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: metastore-securables-platform-only on files
databricks.Grants("files", external_location=f"{pulumi.get_stack()}_catalog_root",
    grants=[{"principal": "ml-engineers", "privileges": ["READ_FILES", "WRITE_FILES"]}],
    opts=opts)
