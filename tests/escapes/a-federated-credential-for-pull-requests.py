# Family: Azure
# Stacks: uat, prod
# Caught: federated-credentials-restricted on pr
azure_native.managedidentity.FederatedIdentityCredential("pr",
    federated_identity_credential_resource_name="pr",
    resource_name_=f"id-mlops-deployer-{pulumi.get_stack()}",
    resource_group_name=environment.resource_group_name,
    issuer="https://token.actions.githubusercontent.com", audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:pull_request",
    opts=pulumi.ResourceOptions.merge(azure, pulumi.ResourceOptions(
        depends_on=[environment.deployer])))
