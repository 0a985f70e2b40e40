# opt-out-api and deadline-monitor end to end: the real static bootstraps under the Runtime API
# emulator, against the `local_stack` fixture of sms_inbound_tests.cmake (dynalite + SMS stand-in),
# with the results read back from the stores.
foreach(fn opt-out-api deadline-monitor)
  string(REPLACE "-" "_" test "${fn}")
  add_executable(${test}_test "${CMAKE_CURRENT_SOURCE_DIR}/${test}_test.cpp")
  target_link_libraries(${test}_test PRIVATE smsc_common GTest::gtest_main PkgConfig::TEST_HTTPLIB
                        smsc_warnings)
  add_dependencies(${test}_test opt-out-api deadline-monitor lambda-emulator)
  target_compile_definitions(${test}_test PRIVATE
    SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
    SMSC_OPT_OUT_API="$<TARGET_FILE:opt-out-api>"
    SMSC_DEADLINE_MONITOR="$<TARGET_FILE:deadline-monitor>"
    SMSC_OPT_OUT_API_EVENTS="${PROJECT_SOURCE_DIR}/functions/opt-out-api/events"
    SMSC_CREATE_TABLES="${PROJECT_SOURCE_DIR}/scripts/node/create-tables.mjs"
    SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}")
  gtest_discover_tests(${test}_test TEST_PREFIX "${test}." PROPERTIES LABELS integration
    FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)
endforeach()
