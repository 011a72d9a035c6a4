# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on snowflake
databricks.Connection("snowflake", name="sf", connection_type="SNOWFLAKE",
    options={"host": "x.snowflakecomputing.com", "port": "443", "sfWarehouse": "wh",
        "user": "svc", "pem_private_key": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"},
    owner="ml-platform-admins", opts=opts)
