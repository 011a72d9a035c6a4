# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: service-principals-declared on foreign-job
# Caught: estate-deploys-no-workloads on foreign-job
databricks.Job("foreign-job", name="j",
    run_as={"service_principal_name": "12345678-1234-4123-8123-123456789abc"}, opts=opts)
