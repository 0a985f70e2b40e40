# The bootstraps' dependency manifest (cmake/write_deps_manifest.cmake, run at every
# build): what is linked or embedded, with Debian package versions and file hashes.
# It makes the build depend on content, not dates: a security update of OpenSSL,
# glibc, ... (dpkg keeps the packaging date on libcrypto.a, older than the last
# build), a new compiler or a rebuilt libcurl/simdjson relinks every bootstrap
# (smsc_add_bootstrap adds the manifest to LINK_DEPENDS). It also feeds
# `bootstrap --version` (common/build_info.hpp) and the SBOM (scripts/build).
# Included from common/CMakeLists.txt, after smsc_common and the embedded zones.

# static_library_path(OUT name): the archive the compiler's driver links for -l<name>.
function(static_library_path out name)
  # With the link flags: the arm64 toolchain's -B decides which libc.a is linked.
  separate_arguments(link_flags UNIX_COMMAND "${CMAKE_EXE_LINKER_FLAGS}")
  execute_process(COMMAND "${CMAKE_CXX_COMPILER}" ${link_flags} -print-file-name=${name}
                  OUTPUT_VARIABLE path OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT IS_ABSOLUTE "${path}" OR NOT EXISTS "${path}")
    message(FATAL_ERROR "the compiler does not know ${name} (got '${path}')")
  endif()
  set(${out} "${path}" PARENT_SCOPE)
endfunction()

static_library_path(smsc_libc libc.a)
static_library_path(smsc_libm libm.a)
static_library_path(smsc_libstdcxx libstdc++.a)
static_library_path(smsc_libgcc libgcc.a)
static_library_path(smsc_libgcc_eh libgcc_eh.a)
get_target_property(smsc_nlohmann_include nlohmann_json::nlohmann_json INTERFACE_INCLUDE_DIRECTORIES)
find_file(SMSC_NLOHMANN_HEADER nlohmann/json.hpp PATHS ${smsc_nlohmann_include} NO_DEFAULT_PATH REQUIRED)

if(CMAKE_SYSTEM_PROCESSOR MATCHES "aarch64|arm64")
  set(smsc_deb_arch arm64)
else()
  set(smsc_deb_arch amd64)
endif()

set(SMSC_DEPS_MANIFEST "${CMAKE_BINARY_DIR}/deps-manifest.json" CACHE INTERNAL
    "What the bootstraps link, with versions and hashes (LINK_DEPENDS of every bootstrap)")
set(smsc_build_info_cpp "${CMAKE_BINARY_DIR}/generated/build_info_data.cpp")
# name|files (comma-separated)|Debian source version stamp (for what setup built)
set(smsc_components
  "openssl|${OPENSSL_CRYPTO_LIBRARY},${OPENSSL_SSL_LIBRARY}"
  "curl|$<TARGET_FILE:CURL::libcurl>|${SMSC_DEPS_PREFIX}/.stamp-curl"
  "zlib|${ZLIB_LIBRARY}"
  "simdjson|$<TARGET_FILE:simdjson::simdjson>|${SMSC_DEPS_PREFIX}/.stamp-simdjson"
  "abseil|${SMSC_ABSL_TIME_ZONE}"
  "nlohmann-json|${SMSC_NLOHMANN_HEADER}"
  "glibc|${smsc_libc},${smsc_libm}"
  "libstdc++|${smsc_libstdcxx}"
  "libgcc|${smsc_libgcc},${smsc_libgcc_eh}"
  "tzdata|${SMSC_ZONEINFO_DIR}/tzdata.zi")
list(JOIN smsc_components "@" smsc_components_arg)
add_custom_target(smsc_deps_manifest
  COMMAND "${CMAKE_COMMAND}" "-DOUT_MANIFEST=${SMSC_DEPS_MANIFEST}"
          "-DOUT_SOURCE=${smsc_build_info_cpp}" "-DARCH=${smsc_deb_arch}"
          "-DCXX=${CMAKE_CXX_COMPILER}" "-DCOMPONENTS=${smsc_components_arg}"
          -P "${PROJECT_SOURCE_DIR}/cmake/write_deps_manifest.cmake"
  BYPRODUCTS "${SMSC_DEPS_MANIFEST}" "${smsc_build_info_cpp}"
  COMMENT "Checking the linked libraries (deps-manifest.json)"
  VERBATIM)
target_sources(smsc_common PRIVATE "${smsc_build_info_cpp}")
add_dependencies(smsc_common smsc_deps_manifest)
# The zone data is generated at configure time: a tzdata update must reconfigure.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${SMSC_ZONEINFO_DIR}/tzdata.zi")
