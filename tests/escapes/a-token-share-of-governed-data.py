# Family: Catalogs, bindings, storage
# Stacks: uat, prod
# Caught: no-delta-sharing-of-governed-data on recipient
# Caught: no-delta-sharing-of-governed-data on share
databricks.Share("share", name="s", objects=[
    {"name": f"mlops_{pulumi.get_stack()}.churn_features.t",
    "data_object_type": "TABLE"}], owner="ml-platform-admins", opts=opts)
databricks.Recipient("recipient", name="r", authentication_type="TOKEN",
    owner="ml-platform-admins", opts=opts)
