#include "pkg/kube/client/http_rest_client.h"

#include "pkg/base/curl_transport.h"
#include "pkg/base/status_macros.h"
#include "pkg/kube/client/api_error.h"
#include "pkg/kube/watch/event_decoder.h"

namespace ccm::kube {
namespace {

std::string Describe(const std::string& method, const std::string& path) {
  size_t q = path.find('?');
  return method + " " + (q == std::string::npos ? path : path.substr(0, q));
}

void AddParam(std::string& url, std::string_view name, std::string_view value) {
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += name;
  url += '=';
  url += QueryEscape(value);
}

std::string SubresourcePath(const std::string& path, std::string_view sub) {
  size_t q = path.find('?');
  if (q == std::string::npos) return path + "/" + std::string(sub);
  return path.substr(0, q) + "/" + std::string(sub) + path.substr(q);
}

}  // namespace

std::string QueryEscape(std::string_view value) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

HttpRestClient::HttpRestClient(RestConfig config, HttpTransport& transport, const Clock& clock)
    : config_(std::move(config)), transport_(transport),
      limiter_(std::make_shared<TokenBucket>(config_.qps, config_.burst, clock)) {}

HttpRestClient::HttpRestClient(RestConfig config, std::unique_ptr<HttpTransport> owned, const Clock& clock)
    : config_(std::move(config)), owned_transport_(std::move(owned)), transport_(*owned_transport_),
      limiter_(std::make_shared<TokenBucket>(config_.qps, config_.burst, clock)) {}

HttpRestClient::HttpRestClient(const HttpRestClient& first, bool yielding)
    : config_(first.config_), transport_(first.transport_), limiter_(first.limiter_), yielding_(yielding),
      request_timeout_(first.request_timeout_) {}

std::unique_ptr<HttpRestClient> HttpRestClient::Yielding() {
  return std::unique_ptr<HttpRestClient>(new HttpRestClient(*this, true));
}

std::unique_ptr<HttpRestClient> HttpRestClient::Create(RestConfig config, const Clock& clock) {
  auto transport = std::make_unique<CurlTransport>(
      CurlTransportOptions{.tls = config.tls, .user_agent = config.user_agent});
  return std::unique_ptr<HttpRestClient>(new HttpRestClient(std::move(config), std::move(transport), clock));
}

Result<HttpRequest> HttpRestClient::NewRequest(const std::string& method, const std::string& path_and_query) {
  HttpRequest req;
  req.method = method;
  req.url = config_.host + path_and_query;
  req.timeout = request_timeout_;
  req.headers.emplace_back("Accept", "application/json");
  if (config_.token_source) {
    ASSIGN_OR_RETURN(auto token, config_.token_source->Token());
    if (!token.empty()) req.headers.emplace_back("Authorization", "Bearer " + token);
  }
  return req;
}

Result<std::string> HttpRestClient::Do(std::string_view verb, HttpRequest request) {
  Clock::Duration waited = yielding_ ? limiter_->TakeSpare() : limiter_->Take();
  if (config_.observer != nullptr) config_.observer->OnKubeRateLimiterWait(verb, waited);
  std::string what = Describe(request.method, request.url.substr(config_.host.size()));
  auto response = transport_.Send(request);
  if (config_.observer != nullptr) config_.observer->OnKubeRequest(verb, response ? response->status : 0);
  if (!response) return Fail(response.error().Wrap(what));
  if (response->status >= 200 && response->status < 300) return std::move(response->body);
  return Fail(ErrorFromResponse(*response, what));
}

Result<std::string> HttpRestClient::Get(const std::string& path) {
  ASSIGN_OR_RETURN(auto req, NewRequest("GET", path));
  return Do("get", std::move(req));
}

Result<std::string> HttpRestClient::List(const std::string& path, const ListOptions& options,
                                         const std::function<Status(const json::Document& page)>& on_page) {
  std::string continue_token;
  std::string resource_version;
  do {
    std::string url = path;
    if (!options.label_selector.empty()) AddParam(url, "labelSelector", options.label_selector);
    if (!options.field_selector.empty()) AddParam(url, "fieldSelector", options.field_selector);
    if (options.limit > 0) AddParam(url, "limit", std::to_string(options.limit));
    if (!continue_token.empty()) {
      AddParam(url, "continue", continue_token);
    } else if (!options.resource_version.empty()) {
      AddParam(url, "resourceVersion", options.resource_version);
    }
    ASSIGN_OR_RETURN(auto req, NewRequest("GET", url));
    ASSIGN_OR_RETURN(auto body, Do("list", std::move(req)));
    ASSIGN_OR_RETURN(auto doc, json::ParseInPlace(body, "list " + path));  // a page of nodes is megabytes
    const json::Value* meta = json::Find(doc, "metadata");
    if (meta == nullptr) return Fail(ErrorKind::kMalformedResponse, "list " + path + " has no metadata");
    auto rv = json::String(*meta, "resourceVersion", "metadata");
    auto cont = json::String(*meta, "continue", "metadata");
    if (!rv || !cont) return Fail((rv ? cont.error() : rv.error()).Wrap("list " + path));
    resource_version = std::move(*rv);
    continue_token = std::move(*cont);
    RETURN_IF_ERROR(on_page(doc));
  } while (!continue_token.empty());
  return resource_version;
}

Result<std::string> HttpRestClient::Create(const std::string& collection_path, const std::string& body) {
  ASSIGN_OR_RETURN(auto req, NewRequest("POST", collection_path));
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  return Do("create", std::move(req));
}

Result<std::string> HttpRestClient::Update(const std::string& path, const std::string& body) {
  ASSIGN_OR_RETURN(auto req, NewRequest("PUT", path));
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body;
  return Do("update", std::move(req));
}

Result<std::string> HttpRestClient::UpdateStatus(const std::string& path, const std::string& body) {
  return Update(SubresourcePath(path, "status"), body);
}

Result<std::string> HttpRestClient::Patch(const std::string& path, PatchType type, const std::string& body,
                                          bool status_subresource) {
  ASSIGN_OR_RETURN(auto req, NewRequest("PATCH", status_subresource ? SubresourcePath(path, "status") : path));
  const char* content_type = type == PatchType::kMerge  ? "application/merge-patch+json"
                             : type == PatchType::kJson ? "application/json-patch+json"
                                                        : "application/strategic-merge-patch+json";
  req.headers.emplace_back("Content-Type", content_type);
  req.body = body;
  return Do("patch", std::move(req));
}

Status HttpRestClient::Delete(const std::string& path, const Preconditions& preconditions) {
  ASSIGN_OR_RETURN(auto req, NewRequest("DELETE", path));
  if (!preconditions.uid.empty() || !preconditions.resource_version.empty()) {
    std::string body = R"({"apiVersion":"v1","kind":"DeleteOptions","preconditions":{)";
    bool first = true;
    if (!preconditions.uid.empty()) {
      body += "\"uid\":";
      json::AppendQuoted(body, preconditions.uid);
      first = false;
    }
    if (!preconditions.resource_version.empty()) {
      if (!first) body += ',';
      body += "\"resourceVersion\":";
      json::AppendQuoted(body, preconditions.resource_version);
    }
    body += "}}";
    req.headers.emplace_back("Content-Type", "application/json");
    req.body = std::move(body);
  }
  RETURN_IF_ERROR(Do("delete", std::move(req)));
  return {};
}

Status HttpRestClient::Watch(const std::string& path, const WatchOptions& options,
                             const std::function<bool(const WatchEvent&)>& on_event,
                             const std::atomic<bool>* cancel) {
  std::string url = path;
  AddParam(url, "watch", "true");
  if (!options.resource_version.empty()) AddParam(url, "resourceVersion", options.resource_version);
  if (options.allow_bookmarks) AddParam(url, "allowWatchBookmarks", "true");
  if (!options.label_selector.empty()) AddParam(url, "labelSelector", options.label_selector);
  if (!options.field_selector.empty()) AddParam(url, "fieldSelector", options.field_selector);
  if (options.timeout_seconds > 0) AddParam(url, "timeoutSeconds", std::to_string(options.timeout_seconds));
  ASSIGN_OR_RETURN(auto req, NewRequest("GET", url));
  req.cancel = cancel;
  // The server ends the watch after timeoutSeconds; the transport deadline only guards a
  // server that never does.
  req.timeout = std::chrono::seconds(std::max(options.timeout_seconds, 0) + 60);
  std::string what = Describe("WATCH", path);

  watch::EventDecoder decoder(on_event);
  HttpResponse error_response;
  bool failed_status = false;
  bool answered = false;
  StreamHandler handler{
      [&](int status, const HttpHeaders& headers) {
        answered = true;
        if (config_.observer != nullptr) config_.observer->OnKubeRequest("watch", status);
        if (status >= 200 && status < 300) return true;
        failed_status = true;
        error_response.status = status;
        error_response.headers = headers;
        return true;  // read the Status body
      },
      [&](std::string_view chunk) {
        if (failed_status) {
          if (error_response.body.size() < (1u << 20)) error_response.body.append(chunk);
          return true;
        }
        if (cancel != nullptr && cancel->load()) return false;
        return decoder.Feed(chunk);
      }};
  Status st = transport_.Stream(req, handler);
  if (!answered && config_.observer != nullptr) config_.observer->OnKubeRequest("watch", 0);
  if (failed_status) return Fail(ErrorFromResponse(error_response, what));
  if (decoder.error()) return Fail(decoder.error()->Wrap(what));
  if (cancel != nullptr && cancel->load()) return {};
  if (!st) {
    if (st.error().kind == ErrorKind::kCanceled) return {};
    return Fail(st.error().Wrap(what));
  }
  return {};
}

}  // namespace ccm::kube
