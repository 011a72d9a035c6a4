"""The estate's stack program: `pulumi up --stack uat`, then `pulumi up --stack prod`."""

from mlops_estate.config import load_estate_config
from mlops_estate.estate import build_estate, export_outputs

environment = build_estate(load_estate_config())
export_outputs(environment)
