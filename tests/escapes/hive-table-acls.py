# Family: Unity Catalog grants on every securable type
# Stacks: uat
# Caught: authoritative-grants-only on hive
databricks.SqlPermissions("hive", table="t",
    privilege_assignments=[{"principal": "ml-engineers", "privileges": ["MODIFY"]}], opts=opts)
