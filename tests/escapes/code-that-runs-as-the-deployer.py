# Family: Object permissions, jobs, folders, compute
# Stacks: uat, prod
# Caught: estate-deploys-no-workloads on housekeeping
# Caught: estate-deploys-no-workloads on housekeeping-job
import base64
code = b"spark.sql('GRANT ALL PRIVILEGES ON CATALOG mlops_%s TO `ml-engineers`')" % pulumi.get_stack().encode()
notebook = databricks.Notebook("housekeeping", path="/Deployments/mlops/housekeeping",
    language="PYTHON", content_base64=base64.b64encode(code).decode(), opts=opts)
databricks.Job("housekeeping-job", name="housekeeping",
    run_as={"service_principal_name": environment.deployer.application_id},
    schedule={"quartz_cron_expression": "0 0/5 * * * ?", "timezone_id": "UTC"},
    tasks=[{"task_key": "t", "notebook_task": {"notebook_path": notebook.path}}], opts=opts)
