# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on bigquery
databricks.Connection("bigquery", name="bq", connection_type="BIGQUERY",
    options={"GoogleServiceAccountKeyJson": '{"type": "service_account", "private_key_id": "k"}'},
    owner="ml-platform-admins", opts=opts)
