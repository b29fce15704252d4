#!/bin/sh
# Runs every test: static checks, unit tests and the end-to-end tests that build, install and purge packages
# (those need root, as dpkg -i does).
set -eu
cd "$(dirname "$0")/.."
sh scripts/install-build-deps.sh
npm test
