# What ships is what was built from: a changed linked library relinks the bootstraps
# (cmake/deps_manifest.cmake), and each zip's bill of materials (dist/<fn>.cdx.json,
# written by scripts/build) names exactly the versions inside its bootstrap.
add_executable(relink_probe EXCLUDE_FROM_ALL "${CMAKE_CURRENT_SOURCE_DIR}/relink_probe.cpp")
smsc_configure_bootstrap(relink_probe)
set_target_properties(relink_probe PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/relink-probe")
target_link_libraries(relink_probe PRIVATE CURL::libcurl simdjson::simdjson OpenSSL::Crypto)

add_test(NAME relink_on_library_change
  COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/relink_test.sh" "${PROJECT_SOURCE_DIR}"
          "${SMSC_DEPS_PREFIX}" "${CMAKE_BINARY_DIR}/../relink-check")
set_tests_properties(relink_on_library_change PROPERTIES LABELS "integration;supply-chain"
  TIMEOUT 600)

add_test(NAME sbom_matches_bootstraps
  COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/sbom_test.sh" "${PROJECT_SOURCE_DIR}"
          "${PROJECT_SOURCE_DIR}/dist")
# After the arm64 build (arm64_tests.cmake), so dist/arm64 is this commit's and is checked too.
set_tests_properties(sbom_matches_bootstraps PROPERTIES LABELS "integration;supply-chain"
  FIXTURES_REQUIRED arm64_bootstraps TIMEOUT 300)
