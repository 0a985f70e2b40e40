# The AWS client layer (common/aws): against our fault-injecting server, against
# the local stack (dynalite, the SMS stand-in), and side by side with the AWS SDK
# for JavaScript v3 (@aws-sdk/client-dynamodb, @smithy/signature-v4; test-only
# npm packages in scripts/node).
if(NOT SMSC_TEST_STACK_DIR)
  set(SMSC_TEST_STACK_DIR "${CMAKE_BINARY_DIR}/test-local-stack")
endif()

add_executable(aws_fault_test "${CMAKE_CURRENT_SOURCE_DIR}/aws_fault_test.cpp")
target_link_libraries(aws_fault_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
gtest_discover_tests(aws_fault_test TEST_PREFIX "aws_fault." PROPERTIES LABELS integration
  DISCOVERY_TIMEOUT 30)

add_executable(aws_stack_test "${CMAKE_CURRENT_SOURCE_DIR}/aws_stack_test.cpp")
target_link_libraries(aws_stack_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
target_compile_definitions(aws_stack_test PRIVATE
  SMSC_STACK_DIR="${SMSC_TEST_STACK_DIR}"
  SMSC_TEST_NODE_DIR="${CMAKE_CURRENT_SOURCE_DIR}/node")
gtest_discover_tests(aws_stack_test TEST_PREFIX "aws_stack." PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack DISCOVERY_TIMEOUT 30)

# aws-request: usage errors exit 2; --sign-only reproduces the published SigV4 vector.
add_test(NAME aws_request_cli_sign_only
  COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/aws_request_cli_test.sh" "$<TARGET_FILE:aws-request>"
          "${SMSC_TEST_STACK_DIR}/env")
set_tests_properties(aws_request_cli_sign_only PROPERTIES LABELS integration
  FIXTURES_REQUIRED local_stack RESOURCE_LOCK local_stack)

# ConsentStore's no-read paths, answered as DynamoDB answers a failed condition (with the item)
# and as dynalite does (without it).
add_executable(consent_store_fault_test "${CMAKE_CURRENT_SOURCE_DIR}/consent_store_fault_test.cpp")
target_link_libraries(consent_store_fault_test PRIVATE smsc_common GTest::gtest_main smsc_warnings)
gtest_discover_tests(consent_store_fault_test TEST_PREFIX "consent_store_fault." PROPERTIES
  LABELS integration DISCOVERY_TIMEOUT 30)
