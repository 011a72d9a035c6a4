# Family: Private networking
# Stacks: uat, prod
# Caught: pe-approvals-own-ncc on let-them-in
azure_native.storage.PrivateEndpointConnection("let-them-in",
    account_name=environment.config.azure.storage_account,
    resource_group_name=environment.resource_group_name,
    private_endpoint_connection_name="stranger.0f0f0f0f-0000-4000-8000-000000000000",
    private_link_service_connection_state={"status": "Approved", "description": "ok"},
    opts=azure)
