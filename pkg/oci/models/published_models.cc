#include "pkg/oci/models/published_models.h"

#include "pkg/base/status_macros.h"
#include "pkg/oci/models/json_writer.h"

namespace ccm::oci {
namespace {

constexpr PublishedField kLbHealthCheckerFields[] = {
    {"protocol"}, {"urlPath"}, {"port"}, {"returnCode"}, {"retries"}, {"timeoutInMillis"}, {"intervalInMillis"},
    {"responseBodyRegex"}, {"isForcePlainText"}};
constexpr PublishedField kLbSslFields[] = {
    {"verifyDepth"}, {"verifyPeerCertificate"}, {"hasSessionResumption"}, {"trustedCertificateAuthorityIds"},
    {"certificateIds"}, {"certificateName"}, {"protocols"}, {"cipherSuiteName"}, {"serverOrderPreference"}};
constexpr PublishedField kLbSessionFields[] = {{"cookieName"}, {"disableFallback"}};
constexpr PublishedField kLbCookieFields[] = {{"cookieName"}, {"disableFallback"}, {"domain"}, {"path"},
                                              {"maxAgeInSeconds"}, {"isSecure"}, {"isHttpOnly"}};
constexpr PublishedField kNlbDnsFields[] = {{"transportProtocol"}, {"domainName"}, {"queryClass"}, {"queryType"},
                                            {"rcodes"}};
const PublishedModel kNlbDnsHealthCheckerDetails{"DnsHealthCheckerDetails", kNlbDnsFields};
constexpr PublishedField kNlbHealthCheckerFields[] = {
    {"protocol"}, {"port"}, {"retries"}, {"timeoutInMillis"}, {"intervalInMillis"}, {"urlPath"},
    {"responseBodyRegex"}, {"returnCode"}, {"requestData"}, {"responseData"}, {"dns", &kNlbDnsHealthCheckerDetails}};

const PublishedField* FieldOf(const PublishedModel& model, std::string_view name) {
  for (const auto& f : model.fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

const PublishedModel kLbHealthCheckerDetails{"HealthCheckerDetails", kLbHealthCheckerFields};
const PublishedModel kLbSslConfigurationDetails{"SSLConfigurationDetails", kLbSslFields};
const PublishedModel kLbSessionPersistenceConfigurationDetails{"SessionPersistenceConfigurationDetails",
                                                               kLbSessionFields};
const PublishedModel kLbCookieSessionPersistenceConfigurationDetails{"LBCookieSessionPersistenceConfigurationDetails",
                                                                     kLbCookieFields};
const PublishedModel kNlbHealthCheckerDetails{"HealthCheckerDetails", kNlbHealthCheckerFields};

std::string SerializeAs(const json::Value& value, const PublishedModel& model) {
  if (!value.IsObject()) return json::Serialize(value);
  JsonObjectWriter w;
  for (auto m = value.MemberBegin(); m != value.MemberEnd(); ++m) {
    std::string_view name(m->name.GetString(), m->name.GetStringLength());
    const PublishedField* field = FieldOf(model, name);
    if (field == nullptr) continue;
    if (field->nested == nullptr) {
      w.Raw(name, json::Serialize(m->value));
    } else if (m->value.IsArray()) {
      std::vector<std::string> items;
      for (const auto& item : m->value.GetArray()) items.push_back(SerializeAs(item, *field->nested));
      w.RawArray(name, items);
    } else {
      w.Raw(name, SerializeAs(m->value, *field->nested));
    }
  }
  return std::move(w).Finish();
}

Result<std::string> PublishedObject(const json::Value& obj, std::string_view field, std::string_view path,
                                    const PublishedModel& model, bool required) {
  ASSIGN_OR_RETURN(auto v, json::Object(obj, field, path, required));
  if (v == nullptr) return std::string();
  return SerializeAs(*v, model);
}

}  // namespace ccm::oci
