# Family: Unity Catalog grants on every securable type
# Stacks: uat, prod
# Caught: one-grants-per-securable on second-evidence-grants
# Caught: one-grants-per-securable on {stack}-audit-evidence-schema-grants
# Only readers, but authoritative: applied last, it revokes the auditors' SELECT on the evidence.
databricks.Grants("second-evidence-grants",
    schema=f"mlops_{pulumi.get_stack()}_evidence.audit_evidence",
    grants=[{"principal": "ml-platform-admins", "privileges": ["USE_SCHEMA", "SELECT"]}],
    opts=opts)
