# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: evidence-catalog-readers-only on engineers-evidence
# Caught: one-grants-per-securable on engineers-evidence
# Caught: one-grants-per-securable on {stack}-audit-evidence-schema-grants
databricks.Grants("engineers-evidence",
    schema=f"mlops_{pulumi.get_stack()}_evidence.audit_evidence",
    grants=[{"principal": "ml-engineers", "privileges": ["USE_SCHEMA", "SELECT"]}], opts=opts)
