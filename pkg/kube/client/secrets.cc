#include "pkg/kube/client/secrets.h"

#include "pkg/base/base64.h"
#include "pkg/base/json.h"
#include "pkg/base/status_macros.h"

namespace ccm::kube {

Result<std::string> GetSecretKey(RestClient& client, const std::string& ns, const std::string& name,
                                 const std::string& key) {
  const std::string what = "secret " + ns + "/" + name;
  auto body = client.Get("/api/v1/namespaces/" + ns + "/secrets/" + name);
  if (!body) return Fail(body.error().Wrap("reading " + what));
  ASSIGN_OR_RETURN(auto doc, json::Parse(*body, what));
  auto data = json::Object(doc, "data", "");
  if (!data) return Fail(data.error().Wrap(what));
  const json::Value* value = *data ? json::Find(**data, key) : nullptr;
  if (value == nullptr) {
    return Fail(ErrorKind::kNotFound, what + " has no key '" + key + "' in data; add it or fix the key name");
  }
  if (!value->IsString()) return Fail(ErrorKind::kMalformedResponse, what + " data." + key + " is not a string");
  auto decoded = Base64Decode(std::string_view(value->GetString(), value->GetStringLength()));
  if (!decoded) return Fail(ErrorKind::kMalformedResponse, what + " data." + key + " is not valid base64");
  return std::move(*decoded);
}

}  // namespace ccm::kube
