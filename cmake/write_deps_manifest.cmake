# Run at every build (cmake -P, from cmake/deps_manifest.cmake): records what the
# bootstraps link or embed, and rewrites two files only when their content changes:
#   OUT_MANIFEST  JSON: per component its Debian package and version, upstream
#                 version, and the sha256 of each file linked in (the bootstraps'
#                 LINK_DEPENDS: a library replaced in content relinks them, whatever
#                 its date, which dpkg sets to the packaging time);
#   OUT_SOURCE    C++: the build-time half of common/build_info.hpp (versions only,
#                 no paths or hashes, so reproducible builds stay byte-identical).
# Inputs (-D): OUT_MANIFEST, OUT_SOURCE, ARCH, CXX (the compiler: its --version line
# and the sha256 of its cc1plus are recorded too, so a new compiler relinks), and
# COMPONENTS: "@"-separated entries "name|file[,file...]|source-stamp" where
# source-stamp (curl, simdjson) names the .stamp file scripts/setup wrote with the
# Debian source version those libraries were built from.
cmake_minimum_required(VERSION 3.25)

# upstream_version(OUT debian-version): "1:1.2.13.dfsg-1" -> "1.2.13".
function(upstream_version out version)
  string(REGEX REPLACE "^[0-9]+:" "" v "${version}")
  string(REGEX REPLACE "-[^-]*$" "" v "${v}")
  string(REGEX REPLACE "[.+~]dfsg.*$" "" v "${v}")
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# Escapes a value for a JSON string (our values: package names, versions, paths).
function(json_quote out value)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

set(json_components "")
set(cpp_components "")
string(REPLACE "@" ";" components "${COMPONENTS}")
foreach(entry IN LISTS components)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 0 name)
  list(GET fields 1 files)
  list(LENGTH fields n)
  set(stamp "")
  if(n GREATER 2)
    list(GET fields 2 stamp)
  endif()
  string(REPLACE "," ";" files "${files}")

  set(json_files "")
  set(package "")
  set(arch "")
  foreach(f IN LISTS files)
    if(NOT EXISTS "${f}")
      message(FATAL_ERROR "deps manifest: ${name}: ${f} does not exist (run scripts/setup)")
    endif()
    file(REAL_PATH "${f}" real)
    file(SHA256 "${real}" hash)
    json_quote(qpath "${real}")
    list(APPEND json_files "{\"path\":${qpath},\"sha256\":\"${hash}\"}")
    if(package STREQUAL "" AND stamp STREQUAL "")
      # Which installed Debian package holds the file (dpkg -S wants the real path).
      execute_process(COMMAND dpkg-query -S "${real}" OUTPUT_VARIABLE owner
                      RESULT_VARIABLE rc ERROR_QUIET OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT rc EQUAL 0)
        message(FATAL_ERROR "deps manifest: ${name}: no Debian package owns ${real}")
      endif()
      string(REGEX REPLACE ":[ ].*$" "" package "${owner}")
      string(REGEX REPLACE ",.*$" "" package "${package}")
    endif()
  endforeach()

  if(NOT stamp STREQUAL "")
    # Built by scripts/setup from Debian's source package of that name.
    file(READ "${stamp}" debian_version)
    string(STRIP "${debian_version}" debian_version)
    if(debian_version STREQUAL "")
      message(FATAL_ERROR "deps manifest: ${stamp} holds no source version (run scripts/setup)")
    endif()
    set(package "${name}")
    set(source_package "${name}")
    set(arch "source")
  else()
    execute_process(COMMAND dpkg-query -W "-f=\${Version} \${Architecture} \${source:Package}"
                            "${package}"
                    OUTPUT_VARIABLE info RESULT_VARIABLE rc ERROR_QUIET)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "deps manifest: dpkg-query ${package} failed")
    endif()
    string(REPLACE " " ";" info "${info}")
    list(GET info 0 debian_version)
    list(GET info 1 arch)
    list(GET info 2 source_package)
    string(REGEX REPLACE ":.*$" "" package "${package}")
  endif()
  upstream_version(version "${debian_version}")
  list(JOIN json_files "," json_files)
  list(APPEND json_components
    "    {\"name\":\"${name}\",\"version\":\"${version}\",\"debian_package\":\"${package}\",\"debian_arch\":\"${arch}\",\"debian_version\":\"${debian_version}\",\"debian_source\":\"${source_package}\",\"files\":[${json_files}]}")
  string(APPEND cpp_components
    "      {\"${name}\", \"${version}\", \"${package}\", \"${arch}\", \"${debian_version}\"},\n")
endforeach()

list(JOIN json_components ",\n" json_components)
execute_process(COMMAND "${CXX}" --version OUTPUT_VARIABLE compiler_id ERROR_QUIET)
string(REGEX REPLACE "\n.*$" "" compiler_id "${compiler_id}")
execute_process(COMMAND "${CXX}" -print-prog-name=cc1plus OUTPUT_VARIABLE cc1plus
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
set(compiler_hash "")
if(EXISTS "${cc1plus}")
  file(SHA256 "${cc1plus}" compiler_hash)
endif()
json_quote(qcompiler "${compiler_id}")
file(WRITE "${OUT_MANIFEST}.tmp"
  "{\n  \"arch\":\"${ARCH}\",\n  \"compiler\":${qcompiler},\n  \"compiler_sha256\":\"${compiler_hash}\",\n  \"components\":[\n${json_components}\n  ]\n}\n")
file(COPY_FILE "${OUT_MANIFEST}.tmp" "${OUT_MANIFEST}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT_MANIFEST}.tmp")

file(WRITE "${OUT_SOURCE}.tmp" "// Generated at build time by cmake/write_deps_manifest.cmake. Do not edit.
#include \"common/build_info.hpp\"

namespace common::build_info {

const std::vector<PackagedComponent>& packaged_components() {
  static const std::vector<PackagedComponent> kComponents = {
${cpp_components}  };
  return kComponents;
}

}  // namespace common::build_info
")
file(COPY_FILE "${OUT_SOURCE}.tmp" "${OUT_SOURCE}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT_SOURCE}.tmp")
