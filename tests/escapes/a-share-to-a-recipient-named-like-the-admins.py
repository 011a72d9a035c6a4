# Family: Catalogs, bindings, storage
# Stacks: uat
# Caught: no-delta-sharing-of-governed-data on dev-share
# Caught: no-delta-sharing-of-governed-data on partner
# Caught: no-delta-sharing-of-governed-data on share-to-partner
view = databricks.SqlTable("leak-view", catalog_name="mlops_dev", schema_name="feature_development",
    name="customers_v", table_type="VIEW", owner="ml-platform-admins",
    view_definition="SELECT * FROM mlops_uat.churn_features.customers", opts=opts)
databricks.Share("dev-share", name="dev_share", owner="ml-platform-admins", objects=[
    {"name": "mlops_dev.feature_development.customers_v", "data_object_type": "VIEW"}],
    opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(depends_on=[view])))
databricks.Recipient("partner", name="ml-platform-admins", authentication_type="DATABRICKS",
    data_recipient_global_metastore_id="azure:westeurope:99999999-9999-4999-8999-999999999999",
    owner="ml-platform-admins", opts=opts)
databricks.Grants("share-to-partner", share="dev_share",
    grants=[{"principal": "ml-platform-admins", "privileges": ["SELECT"]}], opts=opts)
