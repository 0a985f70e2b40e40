# arm64 (Graviton): the bootstraps cross-compiled by `scripts/build --arch arm64`
# are fully static AArch64 executables, and sms-inbound answers an event under
# qemu-aarch64-static with the x86_64 Runtime API emulator. Also: packaging and
# builds are reproducible (same commit, same sha256).
set(SMSC_ARM64_BUILD_DIR "${PROJECT_SOURCE_DIR}/build/release-arm64")

# The arm64 tree is built here (not by `cmake --build`), so only ctest pays for it.
add_test(NAME arm64_build COMMAND "${PROJECT_SOURCE_DIR}/scripts/build" --arch arm64)
set_tests_properties(arm64_build PROPERTIES FIXTURES_SETUP arm64_bootstraps
  LABELS "integration;arm64" TIMEOUT 1200)

add_test(NAME arm64_static_bootstraps
  COMMAND bash -c "set -e; n=0; for f in '${SMSC_ARM64_BUILD_DIR}'/functions/*/bootstrap; do readelf -hW \"$f\" | grep -q 'Machine:.*AArch64' || { echo \"$f: not AArch64\"; exit 1; }; if readelf -lW \"$f\" | grep -q INTERP; then echo \"$f has an INTERP segment\"; exit 1; fi; if readelf -dW \"$f\" | grep -q NEEDED; then echo \"$f needs shared libraries\"; exit 1; fi; echo \"$f: static AArch64\"; n=$((n+1)); done; [ $n -gt 0 ]")
set_tests_properties(arm64_static_bootstraps PROPERTIES FIXTURES_REQUIRED arm64_bootstraps
  LABELS "integration;arm64")

add_test(NAME arm64_sms_inbound_under_qemu
  COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/arm64_qemu_test.sh" "$<TARGET_FILE:lambda-emulator>"
          "${SMSC_ARM64_BUILD_DIR}/functions/sms-inbound/bootstrap" "${SMSC_TEST_STACK_DIR}"
          "${PROJECT_SOURCE_DIR}/functions/sms-inbound/events" "${CMAKE_CURRENT_BINARY_DIR}/arm64-qemu")
set_tests_properties(arm64_sms_inbound_under_qemu PROPERTIES
  FIXTURES_REQUIRED "arm64_bootstraps;local_stack" RESOURCE_LOCK local_stack
  LABELS "integration;arm64" TIMEOUT 120)

# Reproducibility: (1) packaging the same bootstrap twice, under another umask
# and after its mtime changed, gives the zip scripts/build wrote; (2) a second
# build of sms-inbound from scratch in another build folder gives the same zip.
add_test(NAME reproducible_packaging
  COMMAND bash -c "set -e; d=$(mktemp -d); trap 'rm -rf $d' EXIT; cp '$<TARGET_FILE:sms-inbound>' $d/bootstrap; touch $d/bootstrap; (umask 077; '${PROJECT_SOURCE_DIR}/scripts/package-zip' $d/bootstrap $d/a.zip); sleep 1; (umask 022; '${PROJECT_SOURCE_DIR}/scripts/package-zip' '$<TARGET_FILE:sms-inbound>' $d/b.zip); sha256sum $d/a.zip $d/b.zip; [ \"$(sha256sum < $d/a.zip)\" = \"$(sha256sum < $d/b.zip)\" ]; unzip -Z -l $d/a.zip | grep -q '^-rwxr-xr-x.* bootstrap$'")
set_tests_properties(reproducible_packaging PROPERTIES LABELS "integration;reproducible")

add_test(NAME reproducible_build
  COMMAND bash -c "set -e; b='${CMAKE_BINARY_DIR}/../reproducible-check'; rm -rf \"$b\"; cmake -S '${PROJECT_SOURCE_DIR}' -B \"$b\" -DCMAKE_BUILD_TYPE=Release -DSMSC_BUILD_TESTS=OFF >/dev/null; cmake --build \"$b\" -j2 --target sms-inbound >/dev/null; '${PROJECT_SOURCE_DIR}/scripts/package-zip' \"$b/functions/sms-inbound/bootstrap\" \"$b/again.zip\"; '${PROJECT_SOURCE_DIR}/scripts/package-zip' '$<TARGET_FILE:sms-inbound>' \"$b/first.zip\"; sha256sum \"$b/first.zip\" \"$b/again.zip\"; cmp \"$b/first.zip\" \"$b/again.zip\"; rm -rf \"$b\"")
set_tests_properties(reproducible_build PROPERTIES LABELS "integration;reproducible" TIMEOUT 900)
