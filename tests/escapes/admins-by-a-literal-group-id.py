# Family: Workspace admins, membership, rule sets, principals
# Stacks: prod
# Caught: group-membership-declared on deployer-admin
# Caught: group-membership-declared on forged-admin
ADMINS_GROUP_ID = "1015151515151515"
databricks.GroupMember("deployer-admin", group_id=ADMINS_GROUP_ID,
    member_id=environment.deployer.service_principal_id, opts=account)
databricks.GroupMember("forged-admin", group_id=ADMINS_GROUP_ID,
    member_id=environment.deployer.service_principal_id.apply(lambda _: "7777777777"), opts=account)
