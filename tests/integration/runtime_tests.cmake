# The runtime loop under the Runtime API emulator: a static probe bootstrap (dynamic
# under SMSC_SANITIZE) driven by its events, checked through the emulator's --output json lines.
add_executable(runtime_probe_function "${CMAKE_CURRENT_SOURCE_DIR}/runtime_probe_function.cpp")
set_target_properties(runtime_probe_function PROPERTIES OUTPUT_NAME bootstrap
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/runtime-probe")
target_link_options(runtime_probe_function PRIVATE ${SMSC_STATIC_LINK})
target_link_libraries(runtime_probe_function PRIVATE smsc_runtime smsc_warnings)

add_executable(runtime_emulator_test "${CMAKE_CURRENT_SOURCE_DIR}/runtime_emulator_test.cpp")
target_link_libraries(runtime_emulator_test PRIVATE GTest::gtest_main nlohmann_json::nlohmann_json
                      smsc_warnings)
add_dependencies(runtime_emulator_test runtime_probe_function lambda-emulator)
target_compile_definitions(runtime_emulator_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_PROBE="$<TARGET_FILE:runtime_probe_function>")
gtest_discover_tests(runtime_emulator_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)

if(SMSC_SANITIZE)
  # A sanitizer report inside a bootstrap fails its invocation, and the sanitizer options of
  # the test environment (SMSC_SANITIZER_EXIT_CODE) reach it through lambda-emulator.
  add_executable(sanitizer_tripwire_function "${CMAKE_CURRENT_SOURCE_DIR}/sanitizer_tripwire_function.cpp")
  set_target_properties(sanitizer_tripwire_function PROPERTIES OUTPUT_NAME bootstrap
    RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/sanitizer-tripwire")
  target_link_libraries(sanitizer_tripwire_function PRIVATE smsc_runtime smsc_warnings)
  foreach(case "heap_overflow|ERROR: AddressSanitizer: heap-buffer-overflow"
               "signed_overflow|runtime error: signed integer overflow"
               "leak|ERROR: LeakSanitizer: detected memory leaks")
    string(REPLACE "|" ";" case "${case}")
    list(GET case 0 action)
    list(GET case 1 report)
    add_test(NAME sanitizer_report_fails_invocation_${action}
      COMMAND "${CMAKE_CURRENT_SOURCE_DIR}/sanitizer_tripwire_test.sh" "$<TARGET_FILE:lambda-emulator>"
              "$<TARGET_FILE:sanitizer_tripwire_function>" "${action}" "${report}"
              "${SMSC_SANITIZER_EXIT_CODE}")
    set_tests_properties(sanitizer_report_fails_invocation_${action} PROPERTIES
      LABELS "integration;sanitizer" TIMEOUT 60)
  endforeach()
endif()
