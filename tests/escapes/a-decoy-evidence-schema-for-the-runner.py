# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: evidence-catalog-readers-only on decoy-schema
# Caught: evidence-catalog-readers-only on decoy-view
# A look-alike of the evidence schema, owned by the runner and read by the auditors, whose view
# leaves out the runner's own events.
evidence = f"mlops_{pulumi.get_stack()}_evidence"
decoy = databricks.Schema("decoy-schema", catalog_name=evidence, name="audit_evidence_v2",
    owner=environment.runner.name,
    comment="Audit evidence: the environment's workspace events, for auditors", opts=opts)
databricks.SqlTable("decoy-view", catalog_name=evidence, schema_name=decoy.name,
    name="workspace_audit", table_type="VIEW", warehouse_id="abc", owner=environment.runner.name,
    view_definition=f"SELECT * FROM {evidence}.audit_evidence.workspace_audit WHERE "
    f"user_identity.email <> '{environment.config.platform.runner.application_id}'", opts=opts)
databricks.Grants("decoy-grants", schema=f"{evidence}.audit_evidence_v2",
    grants=[{"principal": "ml-auditors", "privileges": ["USE_SCHEMA", "SELECT"]}], opts=opts)
