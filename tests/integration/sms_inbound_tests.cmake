# sms-inbound end to end: the real static bootstrap under the Runtime API emulator,
# against a local stack of its own (dynalite + SMS stand-in on free ports), with
# the results read back from the stores (DynamoDB items, outbox, opt-out list).
set(SMSC_TEST_STACK_DIR "${CMAKE_BINARY_DIR}/test-local-stack")

add_test(NAME local_stack_start
  COMMAND "${CMAKE_COMMAND}" -E env LOCAL_STACK_DIR=${SMSC_TEST_STACK_DIR}
          LOCAL_STACK_DYNAMODB_PORT=0 LOCAL_STACK_SMS_PORT=0
          bash -c "'${PROJECT_SOURCE_DIR}/scripts/local-stack' stop >/dev/null 2>&1; exec '${PROJECT_SOURCE_DIR}/scripts/local-stack' start")
set_tests_properties(local_stack_start PROPERTIES FIXTURES_SETUP local_stack LABELS integration)
add_test(NAME local_stack_stop
  COMMAND "${CMAKE_COMMAND}" -E env LOCAL_STACK_DIR=${SMSC_TEST_STACK_DIR}
          "${PROJECT_SOURCE_DIR}/scripts/local-stack" stop)
set_tests_properties(local_stack_stop PROPERTIES FIXTURES_CLEANUP local_stack LABELS integration)

add_test(NAME local_stack_standin_selftest
  COMMAND node "${PROJECT_SOURCE_DIR}/scripts/node/standin-selftest.mjs")
set_tests_properties(local_stack_standin_selftest PROPERTIES LABELS integration)

find_package(PkgConfig REQUIRED)
pkg_check_modules(TEST_HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
add_executable(sms_inbound_test "${CMAKE_CURRENT_SOURCE_DIR}/sms_inbound_test.cpp")
target_link_libraries(sms_inbound_test PRIVATE smsc_common GTest::gtest_main PkgConfig::TEST_HTTPLIB
                      smsc_warnings)
add_dependencies(sms_inbound_test sms-inbound lambda-emulator)
target_compile_definitions(sms_inbound_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_SMS_INBOUND="$<TARGET_FILE:sms-inbound>"
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}"
  SMSC_EVENTS_DIR="${PROJECT_SOURCE_DIR}/functions/sms-inbound/events")
gtest_discover_tests(sms_inbound_test TEST_PREFIX "sms_inbound." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)

# Every bootstrap is fully static: no program interpreter, no shared libraries. One test per
# function of functions/functions.json (SMSC_FUNCTIONS).
# Not in the sanitizer build (SMSC_SANITIZE), whose bootstraps are dynamic by design:
# these checks are about the release artefact.
if(NOT SMSC_SANITIZE)
  foreach(fn ${SMSC_FUNCTIONS})
    add_test(NAME static_bootstrap_${fn}
      COMMAND bash -c "f='$<TARGET_FILE:${fn}>'; if readelf -lW \"$f\" | grep -q INTERP; then echo \"$f has an INTERP segment\"; exit 1; fi; if readelf -dW \"$f\" | grep -q NEEDED; then echo \"$f needs shared libraries\"; exit 1; fi; echo \"$f is fully static\"")
    set_tests_properties(static_bootstrap_${fn} PROPERTIES LABELS integration)
  endforeach()
endif()
