# Family: Secrets, providers, unknown types
# Stacks: uat, prod
# Caught: no-long-lived-secrets on git
databricks.GitCredential("git", git_provider="gitHub", git_username="eve",
    personal_access_token="ghp_x", opts=opts)
