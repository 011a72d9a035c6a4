"""The `estate` commands, one package each: plan, report, diff, bundle and audit."""
