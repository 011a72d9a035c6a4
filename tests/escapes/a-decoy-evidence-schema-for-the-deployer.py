# Family: Owners
# Stacks: uat, prod
# Caught: evidence-catalog-readers-only on decoy-evidence
databricks.Schema("decoy-evidence", catalog_name=f"mlops_{pulumi.get_stack()}_evidence",
    name="audit_evidence_v2", owner=environment.deployer.application_id, opts=opts)
