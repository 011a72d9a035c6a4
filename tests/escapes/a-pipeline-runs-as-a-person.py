# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: jobs-run-as-service-principal on personal-pipeline
# Caught: estate-deploys-no-workloads on personal-pipeline
databricks.Pipeline("personal-pipeline", name="p", catalog=f"mlops_{pulumi.get_stack()}",
    run_as={"user_name": "eve@contoso.com"}, opts=opts)
