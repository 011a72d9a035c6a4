# Family: Azure
# Stacks: prod
# Caught: federated-credentials-restricted on uat-jobs
azure_native.managedidentity.FederatedIdentityCredential("uat-jobs",
    federated_identity_credential_resource_name="uat",
    resource_name_="id-mlops-deployer-prod",
    resource_group_name=environment.resource_group_name,
    issuer="https://token.actions.githubusercontent.com", audiences=["api://AzureADTokenExchange"],
    subject="repo:contoso/ml-projects:environment:uat",
    opts=pulumi.ResourceOptions.merge(azure, pulumi.ResourceOptions(
        depends_on=[environment.deployer])))
