# reminders end to end: the static bootstrap under the Runtime API emulator with a fixed clock
# (event {"now": ...}), against the shared local_stack fixture; results read back from DynamoDB
# and the stand-in's outbox. Includes the 10,000-reminder scale run, the pacing measurement and the
# AWS calls per run, counted at the wire (scripts/node/count-proxy.mjs).
add_executable(reminders_test "${CMAKE_CURRENT_SOURCE_DIR}/reminders_test.cpp")
target_link_libraries(reminders_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
add_dependencies(reminders_test reminders opt-out-api lambda-emulator)
target_compile_definitions(reminders_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_REMINDERS="$<TARGET_FILE:reminders>"
  SMSC_OPT_OUT_API="$<TARGET_FILE:opt-out-api>"
  SMSC_STACK_DIR="${CMAKE_BINARY_DIR}/test-local-stack"
  SMSC_SEED_SCRIPT="${PROJECT_SOURCE_DIR}/scripts/node/seed-appointments.mjs"
  SMSC_COUNT_PROXY="${PROJECT_SOURCE_DIR}/scripts/node/count-proxy.mjs")
gtest_discover_tests(reminders_test TEST_PREFIX "reminders." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)

# static_bootstrap_reminders: with every function's in sms_inbound_tests.cmake (functions.json).
