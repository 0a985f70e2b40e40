// AWS credentials: the access key pair and, for temporary credentials, the session token.
#pragma once

#include <string>

namespace common::aws {

/// AWS credentials as the standard environment variables give them
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN). In Lambda they
/// are always temporary, so session_token is normally set there.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty when not temporary credentials
};

// ---- Reading credentials from the environment (credentials.cpp): add below. ----

}  // namespace common::aws
