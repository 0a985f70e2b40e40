# The runtime loop under the Runtime API emulator: a static probe bootstrap
# driven by its events, checked through the emulator's --output json lines.
add_executable(runtime_probe_function "${CMAKE_CURRENT_SOURCE_DIR}/runtime_probe_function.cpp")
set_target_properties(runtime_probe_function PROPERTIES OUTPUT_NAME bootstrap
  RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/runtime-probe")
target_link_options(runtime_probe_function PRIVATE -static)
target_link_libraries(runtime_probe_function PRIVATE smsc_runtime smsc_warnings)

add_executable(runtime_emulator_test "${CMAKE_CURRENT_SOURCE_DIR}/runtime_emulator_test.cpp")
target_link_libraries(runtime_emulator_test PRIVATE GTest::gtest_main nlohmann_json::nlohmann_json
                      smsc_warnings)
add_dependencies(runtime_emulator_test runtime_probe_function lambda-emulator)
target_compile_definitions(runtime_emulator_test PRIVATE
  SMSC_EMULATOR="$<TARGET_FILE:lambda-emulator>"
  SMSC_PROBE="$<TARGET_FILE:runtime_probe_function>")
gtest_discover_tests(runtime_emulator_test PROPERTIES LABELS integration DISCOVERY_TIMEOUT 30)
