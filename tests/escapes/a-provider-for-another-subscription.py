# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: providers-target-own-estate on other-subscription
other = azure_native.Provider("other-subscription",
    subscription_id="99999999-9999-4999-8999-999999999999",
    tenant_id="22222222-2222-4222-8222-222222222222")
