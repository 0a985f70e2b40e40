# Delivery events (issue 13): ConsentStore::record_delivery_event against dynalite, through the
# wire proxy (tests/integration/wire_proxy.hpp) that counts every call, on the `local_stack`
# fixture of sms_inbound_tests.cmake.
if(NOT SMSC_TEST_STACK_DIR)
  set(SMSC_TEST_STACK_DIR "${CMAKE_BINARY_DIR}/test-local-stack")
endif()

add_executable(delivery_store_test "${CMAKE_CURRENT_SOURCE_DIR}/delivery_store_test.cpp")
target_link_libraries(delivery_store_test PRIVATE smsc_common GTest::gtest_main
                      PkgConfig::TEST_HTTPLIB smsc_warnings)
add_dependencies(delivery_store_test lambda-emulator)
target_compile_definitions(delivery_store_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}")
gtest_discover_tests(delivery_store_test TEST_PREFIX "delivery_store." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)

# The same store against our fault-injecting server: a failed condition answered with the item
# (as DynamoDB answers it) needs no GetItem.
add_executable(delivery_store_fault_test "${CMAKE_CURRENT_SOURCE_DIR}/delivery_store_fault_test.cpp")
target_link_libraries(delivery_store_fault_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
gtest_discover_tests(delivery_store_fault_test TEST_PREFIX "delivery_store_fault." PROPERTIES
  LABELS integration DISCOVERY_TIMEOUT 30)

# The function end to end: a HELP reply through sms-inbound and the stand-in, whose delivery events
# (events.jsonl) the delivery-events bootstrap processes under the Runtime API emulator.
add_executable(delivery_events_test "${CMAKE_CURRENT_SOURCE_DIR}/delivery_events_test.cpp")
target_link_libraries(delivery_events_test PRIVATE smsc_common GTest::gtest_main
                      PkgConfig::TEST_HTTPLIB smsc_warnings)
add_dependencies(delivery_events_test delivery-events sms-inbound lambda-emulator)
target_compile_definitions(delivery_events_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_DELIVERY_EVENTS="$<TARGET_FILE:delivery-events>"
  SMSC_SMS_INBOUND="$<TARGET_FILE:sms-inbound>"
  SMSC_DELIVERY_EVENTS_SAMPLES="${PROJECT_SOURCE_DIR}/functions/delivery-events/events"
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}")
gtest_discover_tests(delivery_events_test TEST_PREFIX "delivery_events." PROPERTIES
  LABELS integration FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)
