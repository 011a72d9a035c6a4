# Family: Azure
# Stacks: uat, prod
# Caught: storage-account-private on open-storage
azure_native.storage.StorageAccount("open-storage", account_name="stopen",
    resource_group_name=environment.resource_group_name, location="westeurope",
    kind="StorageV2", sku={"name": "Standard_LRS"}, enable_https_traffic_only=True,
    minimum_tls_version="TLS1_2", allow_blob_public_access=False,
    opts=pulumi.ResourceOptions(provider=environment.azure_provider, protect=True))
