#!/usr/bin/env bash
# The one place that pins the Pulumi CLI of CI: its version and the SHA-256 of its linux-x64
# release archive. The archive is verified before anything runs it; jobs install it before
# they log in anywhere. Check PULUMI_SHA256 against the release's
# pulumi-<version>-checksums.txt (signed with cosign by Pulumi's release workflow) before you
# rely on it, and whenever you change the version; change the `pulumi` pin in pyproject.toml
# with it.
#
# Installs into $RUNNER_TEMP/pulumi; steps that run pulumi put that folder first on PATH.
set -euo pipefail

PULUMI_VERSION=3.253.0
PULUMI_SHA256=33161e521280e6c77395a46344dba5ff9c118a90df254801e662087143b4d1ac

archive="pulumi-v${PULUMI_VERSION}-linux-x64.tar.gz"
curl --fail --silent --show-error --location --retry 3 --output "$RUNNER_TEMP/$archive" \
  "https://github.com/pulumi/pulumi/releases/download/v${PULUMI_VERSION}/${archive}"
echo "${PULUMI_SHA256}  ${RUNNER_TEMP}/${archive}" | sha256sum --check --strict
tar --extract --gzip --file "$RUNNER_TEMP/$archive" --directory "$RUNNER_TEMP"
"$RUNNER_TEMP/pulumi/pulumi" version
