#include "test/ocisim/request_models.h"

#include <span>
#include <string>
#include <string_view>

namespace ccm::ocisim {
namespace {

struct Model;
struct Field {
  std::string_view name;
  const Model* nested = nullptr;  // an object, or an array of objects, of this model
};
struct Model {
  std::string_view name;
  std::span<const Field> fields;
};

// Load Balancer API (20170115).
constexpr Field kLbHealthCheckerFields[] = {{"protocol"}, {"urlPath"}, {"port"}, {"returnCode"}, {"retries"},
                                            {"timeoutInMillis"}, {"intervalInMillis"}, {"responseBodyRegex"},
                                            {"isForcePlainText"}};
constexpr Model kLbHealthChecker{"HealthCheckerDetails", kLbHealthCheckerFields};
constexpr Field kLbSslFields[] = {{"verifyDepth"}, {"verifyPeerCertificate"}, {"hasSessionResumption"},
                                  {"trustedCertificateAuthorityIds"}, {"certificateIds"}, {"certificateName"},
                                  {"protocols"}, {"cipherSuiteName"}, {"serverOrderPreference"}};
constexpr Model kLbSsl{"SSLConfigurationDetails", kLbSslFields};
constexpr Field kLbSessionFields[] = {{"cookieName"}, {"disableFallback"}};
constexpr Model kLbSession{"SessionPersistenceConfigurationDetails", kLbSessionFields};
constexpr Field kLbCookieFields[] = {{"cookieName"}, {"disableFallback"}, {"domain"}, {"path"},
                                     {"maxAgeInSeconds"}, {"isSecure"}, {"isHttpOnly"}};
constexpr Model kLbCookie{"LBCookieSessionPersistenceConfigurationDetails", kLbCookieFields};
constexpr Field kLbBackendFields[] = {{"ipAddress"}, {"port"}, {"weight"}, {"maxConnections"},
                                      {"backup"}, {"drain"}, {"offline"}};
constexpr Model kLbBackend{"BackendDetails", kLbBackendFields};
constexpr Model kLbCreateBackend{"CreateBackendDetails", kLbBackendFields};
constexpr Field kLbUpdateBackendFields[] = {{"weight"}, {"maxConnections"}, {"backup"}, {"drain"}, {"offline"}};
constexpr Model kLbUpdateBackend{"UpdateBackendDetails", kLbUpdateBackendFields};
constexpr Field kLbUpdateSetFields[] = {{"policy"},
                                        {"backends", &kLbBackend},
                                        {"backendMaxConnections"},
                                        {"healthChecker", &kLbHealthChecker},
                                        {"sslConfiguration", &kLbSsl},
                                        {"sessionPersistenceConfiguration", &kLbSession},
                                        {"lbCookieSessionPersistenceConfiguration", &kLbCookie}};
constexpr Model kLbUpdateSet{"UpdateBackendSetDetails", kLbUpdateSetFields};

// Network Load Balancer API (20200501).
constexpr Field kNlbDnsFields[] = {{"transportProtocol"}, {"domainName"}, {"queryClass"}, {"queryType"}, {"rcodes"}};
constexpr Model kNlbDns{"DnsHealthCheckerDetails", kNlbDnsFields};
constexpr Field kNlbHealthCheckerFields[] = {{"protocol"}, {"port"}, {"retries"}, {"timeoutInMillis"},
                                             {"intervalInMillis"}, {"urlPath"}, {"responseBodyRegex"},
                                             {"returnCode"}, {"requestData"}, {"responseData"}, {"dns", &kNlbDns}};
constexpr Model kNlbHealthChecker{"HealthCheckerDetails", kNlbHealthCheckerFields};
constexpr Field kNlbBackendFields[] = {{"name"}, {"ipAddress"}, {"targetId"}, {"port"},
                                       {"weight"}, {"isBackup"}, {"isDrain"}, {"isOffline"}};
constexpr Model kNlbBackend{"BackendDetails", kNlbBackendFields};
constexpr Model kNlbCreateBackend{"CreateBackendDetails", kNlbBackendFields};
constexpr Field kNlbUpdateBackendFields[] = {{"weight"}, {"isBackup"}, {"isDrain"}, {"isOffline"}};
constexpr Model kNlbUpdateBackend{"UpdateBackendDetails", kNlbUpdateBackendFields};
constexpr Field kNlbUpdateSetFields[] = {{"policy"},
                                         {"isPreserveSource"},
                                         {"isFailOpen"},
                                         {"isInstantFailoverEnabled"},
                                         {"isInstantFailoverTcpResetEnabled"},
                                         {"areOperationallyActiveBackendsPreferred"},
                                         {"ipVersion"},
                                         {"backends", &kNlbBackend},
                                         {"healthChecker", &kNlbHealthChecker}};
constexpr Model kNlbUpdateSet{"UpdateBackendSetDetails", kNlbUpdateSetFields};

const Model& ModelOf(LbKind kind, WriteBody body) {
  bool lb = kind == LbKind::kClassic;
  switch (body) {
    case WriteBody::kUpdateBackendSet: return lb ? kLbUpdateSet : kNlbUpdateSet;
    case WriteBody::kCreateBackend: return lb ? kLbCreateBackend : kNlbCreateBackend;
    case WriteBody::kUpdateBackend: return lb ? kLbUpdateBackend : kNlbUpdateBackend;
  }
  return kLbUpdateSet;
}

Status Check(const json::Value& obj, const Model& model, const std::string& path) {
  if (!obj.IsObject()) return {};  // a type error is the handlers' to report
  for (auto m = obj.MemberBegin(); m != obj.MemberEnd(); ++m) {
    std::string_view name(m->name.GetString(), m->name.GetStringLength());
    const Field* field = nullptr;
    for (const auto& f : model.fields) {
      if (f.name == name) field = &f;
    }
    const std::string at = path + "." + std::string(name);
    if (field == nullptr) {
      return Fail(ErrorKind::kInvalidArgument,
                  at + " is not a field of " + std::string(model.name) + " (see the API reference)");
    }
    if (field->nested == nullptr) continue;
    if (m->value.IsArray()) {
      for (rapidjson::SizeType i = 0; i < m->value.Size(); ++i) {
        if (auto st = Check(m->value[i], *field->nested, at + "[" + std::to_string(i) + "]"); !st) return st;
      }
    } else if (auto st = Check(m->value, *field->nested, at); !st) {
      return st;
    }
  }
  return {};
}

}  // namespace

Status CheckBodyFields(LbKind kind, WriteBody body_kind, const json::Value& body) {
  const Model& model = ModelOf(kind, body_kind);
  return Check(body, model, std::string(model.name));
}

}  // namespace ccm::ocisim
