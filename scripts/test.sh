#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, runs the unit, the
# black-box HTTP, the OpenAPI and the browser tests, then runs the unit tests
# again under AddressSanitizer and UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."

jobs=$(nproc)
bash scripts/setup.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNUMBERDESK_SANITIZE=ON \
  -DNUMBERDESK_HTTP_TESTS=OFF > /dev/null
cmake --build build-asan -j "$jobs" --target numberdesk_unit_tests
ctest --test-dir build-asan --output-on-failure -j "$jobs"
