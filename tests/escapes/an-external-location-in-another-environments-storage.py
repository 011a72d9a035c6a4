# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: storage-of-own-environment on other-data
# Caught: external-location-after-storage-access on other-data
# Caught: storage-of-own-environment on other-files
# Caught: storage-of-own-environment on other-schema
stack = pulumi.get_stack()
other = {"uat": "prod", "prod": "uat"}[stack]
foreign = f"abfss://catalog@stmlops{other}catalog.dfs.core.windows.net/"
catalog = {"uat": "mlops_dev", "prod": "mlops_prod"}[stack]
loc = databricks.ExternalLocation("other-data", name="other_data", url=foreign,
    credential_name=f"{stack}_catalog_storage", isolation_mode="ISOLATION_MODE_ISOLATED",
    owner="ml-platform-admins", opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(
        depends_on=[environment.storage_account.storage_access_ready])))
databricks.WorkspaceBinding("other-data-home", securable_type="external_location",
    securable_name=loc.name, workspace_id=environment.workspace.workspace_id, opts=opts)
databricks.Volume("other-files", catalog_name=catalog,
    schema_name={"uat": "feature_development", "prod": "churn_features"}[stack],
    name="other_files", volume_type="EXTERNAL", storage_location=foreign + "files",
    owner="ml-platform-admins", opts=opts)
databricks.Schema("other-schema", catalog_name=catalog, name="other_rooted",
    storage_root=foreign + "schema", owner="ml-platform-admins", opts=opts)
