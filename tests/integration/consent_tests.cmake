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

# AWS calls per operation counted at the wire, and the STOP sequence killed after each call
# (docs/round-trips.md): sms-inbound and opt-out-api behind tests/integration/wire_proxy.hpp.
add_executable(round_trips_test "${CMAKE_CURRENT_SOURCE_DIR}/round_trips_test.cpp")
target_link_libraries(round_trips_test PRIVATE smsc_common GTest::gtest_main PkgConfig::TEST_HTTPLIB
                      smsc_warnings)
add_dependencies(round_trips_test sms-inbound opt-out-api lambda-emulator)
target_compile_definitions(round_trips_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_SMS_INBOUND="$<TARGET_FILE:sms-inbound>"
  SMSC_OPT_OUT_API="$<TARGET_FILE:opt-out-api>"
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}")
gtest_discover_tests(round_trips_test TEST_PREFIX "round_trips." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)

# The consent history and the period report (opt-out-api GET /contacts/{phone_number}/history and
# GET /opt-outs), made by the real bootstraps: opt-out-api, reminders, sms-inbound, deadline-monitor.
add_executable(history_test "${CMAKE_CURRENT_SOURCE_DIR}/history_test.cpp")
target_link_libraries(history_test PRIVATE smsc_common GTest::gtest_main PkgConfig::TEST_HTTPLIB
                      smsc_warnings)
add_dependencies(history_test opt-out-api reminders sms-inbound deadline-monitor lambda-emulator)
target_compile_definitions(history_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_OPT_OUT_API="$<TARGET_FILE:opt-out-api>"
  SMSC_REMINDERS="$<TARGET_FILE:reminders>"
  SMSC_SMS_INBOUND="$<TARGET_FILE:sms-inbound>"
  SMSC_DEADLINE_MONITOR="$<TARGET_FILE:deadline-monitor>"
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}")
gtest_discover_tests(history_test TEST_PREFIX "history." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)
