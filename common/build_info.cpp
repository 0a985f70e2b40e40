#include "common/build_info.hpp"

#include <absl/base/config.h>
#include <curl/curl.h>
#include <gnu/libc-version.h>
#include <openssl/crypto.h>
#include <simdjson.h>
#include <zlib.h>

#include <ostream>

#include "common/tz/embedded_zone_data.hpp"

namespace common::build_info {
namespace {

std::string dotted(long major, long minor, long patch) {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

// libstdc++ and libgcc come with the compiler that built this file: g++ for every
// bootstrap (clang, used only for the fuzz targets, reports its own GNU version).
std::string gcc_version() {
#if defined(__GNUC__) && !defined(__clang__)
  return dotted(__GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  return "unknown";
#endif
}

LinkedComponent linked(std::string_view name) {
  if (name == "openssl") {
    return {"openssl",
            dotted(static_cast<long>(OPENSSL_version_major()),
                   static_cast<long>(OPENSSL_version_minor()),
                   static_cast<long>(OPENSSL_version_patch())),
            OpenSSL_version(OPENSSL_VERSION)};
  }
  if (name == "curl") {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    std::string detail = std::string("libcurl/") + info->version;
    if (info->ssl_version) detail += std::string(" ") + info->ssl_version;
    if (info->libz_version) detail += std::string(" zlib/") + info->libz_version;
    return {"curl", info->version, detail};
  }
  if (name == "zlib") return {"zlib", zlibVersion(), std::string("zlib ") + zlibVersion()};
  if (name == "simdjson") {
    return {"simdjson",
            dotted(simdjson::SIMDJSON_VERSION_MAJOR, simdjson::SIMDJSON_VERSION_MINOR,
                   simdjson::SIMDJSON_VERSION_REVISION),
            std::string("implementation ") + simdjson::get_active_implementation()->name()};
  }
  if (name == "abseil") {
    return {"abseil",
            std::to_string(ABSL_LTS_RELEASE_VERSION) + "." +
                std::to_string(ABSL_LTS_RELEASE_PATCH_LEVEL),
            "LTS (time zones: CCTZ)"};
  }
  if (name == "nlohmann-json") {
    return {"nlohmann-json",
            dotted(NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR,
                   NLOHMANN_JSON_VERSION_PATCH),
            "header-only"};
  }
  if (name == "glibc") {
    return {"glibc", gnu_get_libc_version(),
            std::string("GNU C Library ") + gnu_get_libc_version() + " (" + gnu_get_libc_release() +
                ")"};
  }
  if (name == "libstdc++") {
    return {"libstdc++", gcc_version(), "__GLIBCXX__ " + std::to_string(__GLIBCXX__)};
  }
  if (name == "libgcc") return {"libgcc", gcc_version(), "compiler runtime"};
  if (name == "tzdata") {
    const std::string v(tz::detail::embedded_tzdata_version());
    return {"tzdata", v,
            std::to_string(tz::detail::embedded_zones().size()) + " US zones embedded"};
  }
  return {std::string(name), "unknown", "not known to this build"};
}

}  // namespace

std::vector<LinkedComponent> linked_components() {
  std::vector<LinkedComponent> out;
  for (const PackagedComponent& c : packaged_components()) out.push_back(linked(c.name));
  return out;
}

std::string version_text(std::string_view program) {
  std::string text = std::string(program) + " (sms-compliance)\n";
  const auto& packaged = packaged_components();
  const auto linked_list = linked_components();
  for (std::size_t i = 0; i < packaged.size(); ++i) {
    const PackagedComponent& p = packaged[i];
    const LinkedComponent& l = linked_list[i];
    text += l.name + " " + l.version + " (" + std::string(p.debian_package) + ":" +
            std::string(p.debian_arch) + " " + std::string(p.debian_version) + ") " + l.detail +
            "\n";
  }
  return text;
}

nlohmann::json cold_start_fields() {
  return {{"openssl", linked("openssl").version}, {"libcurl", linked("curl").version}};
}

int handle_command_line(int argc, char** argv, std::string_view program, std::ostream& out,
                        std::ostream& err) {
  if (argc <= 1) return -1;
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    out << version_text(program);
    return 0;
  }
  err << "usage: " << program
      << " [--version]\n(Lambda starts it without arguments; it then serves the Runtime API "
         "named by AWS_LAMBDA_RUNTIME_API)\n";
  return 2;
}

}  // namespace common::build_info
