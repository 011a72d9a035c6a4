# Family: Azure
# Stacks: uat, prod
# Caught: keys-expire-and-rotate on everything-key
# Caught: keys-wrap-only on everything-key
azure_native.keyvault.Key("everything-key", key_name="everything-key",
    vault_name=environment.keys.vault.name, resource_group_name=environment.resource_group_name,
    properties={"kty": "RSA", "key_size": 3072, "attributes": {"expires": 1877558400},
        "rotation_policy": {"attributes": {"expiry_time": "P1Y"}, "lifetime_actions": [
            {"action": {"type": "rotate"}, "trigger": {"time_after_create": "P13M"}}]}},
    opts=pulumi.ResourceOptions(provider=environment.azure_provider, protect=True))
