# notify end to end: the static bootstrap under the Runtime API emulator against the local_stack
# fixture, its clock taken from each event (NOTIFY_ACCEPT_EVENT_TIME=1); every decision read back
# from DynamoDB and the stand-in's outbox, and delivery events through delivery-events.
add_executable(notify_test "${CMAKE_CURRENT_SOURCE_DIR}/notify_test.cpp")
target_link_libraries(notify_test PRIVATE smsc_common GTest::gtest_main PkgConfig::TEST_HTTPLIB
                      smsc_warnings)
add_dependencies(notify_test notify delivery-events lambda-emulator)
target_compile_definitions(notify_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_NOTIFY="$<TARGET_FILE:notify>"
  SMSC_DELIVERY_EVENTS="$<TARGET_FILE:delivery-events>"
  SMSC_NOTIFY_SAMPLES="${PROJECT_SOURCE_DIR}/functions/notify/events"
  SMSC_STACK_DIR="${CMAKE_BINARY_DIR}/test-local-stack")
gtest_discover_tests(notify_test TEST_PREFIX "notify." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)
