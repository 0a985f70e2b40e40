# The scaffold end to end (scaffold/): the deadline reserve with a hanging SMS endpoint, and
# Lambda's logging controls, on the real bootstraps under the emulator and the local stack.
add_executable(scaffold_test "${CMAKE_CURRENT_SOURCE_DIR}/scaffold_test.cpp")
target_link_libraries(scaffold_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
add_dependencies(scaffold_test sms-inbound opt-out-api lambda-emulator)
target_compile_definitions(scaffold_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_SMS_INBOUND="$<TARGET_FILE:sms-inbound>"
  SMSC_OPT_OUT_API="$<TARGET_FILE:opt-out-api>"
  SMSC_OPT_OUT_API_EVENTS="${PROJECT_SOURCE_DIR}/functions/opt-out-api/events"
  SMSC_STACK_DIR="${CMAKE_BINARY_DIR}/test-local-stack")
gtest_discover_tests(scaffold_test TEST_PREFIX "scaffold." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)
