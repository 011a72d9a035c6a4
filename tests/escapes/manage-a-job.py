# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: object-permissions-read-run-only on job-acl
# Caught: estate-deploys-no-workloads on job
job = databricks.Job("job", name="job",
    run_as={"service_principal_name": environment.deployer.application_id}, opts=opts)
databricks.Permissions("job-acl", job_id=job.id, access_controls=[
    {"group_name": "ml-engineers", "permission_level": "CAN_MANAGE"}], opts=opts)
