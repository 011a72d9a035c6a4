# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: jobs-run-as-service-principal on personal-job
# Caught: estate-deploys-no-workloads on personal-job
databricks.Job("personal-job", name="j", run_as={"user_name": "eve@contoso.com"}, opts=opts)
