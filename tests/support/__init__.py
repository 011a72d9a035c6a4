"""Helpers shared by the tests: the example estate, rule cases, a local Databricks server."""
