"""mlops-estate: a secure two-workspace MLOps estate on Azure Databricks, as Pulumi components."""
