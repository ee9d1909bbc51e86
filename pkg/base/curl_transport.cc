#include "pkg/base/curl_transport.h"

#include <curl/curl.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>

#include "pkg/base/mutex.h"

namespace ccm {
namespace {

// Larger answers are treated as malformed rather than buffered without bound.
constexpr size_t kMaxBufferedBody = 64u << 20;

void GlobalInitOnce() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  (void)done;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

struct TransferState {
  const StreamHandler* handler = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  int status = 0;
  HttpHeaders headers;
  bool headers_complete = false;
  bool headers_delivered = false;
  bool stopped_by_handler = false;

  bool DeliverHeaders() {
    if (headers_delivered) return true;
    headers_delivered = true;
    if (handler->on_headers && !handler->on_headers(status, headers)) {
      stopped_by_handler = true;
      return false;
    }
    return true;
  }
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<TransferState*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {
    // A new status line (after 1xx or a redirect) starts a fresh header set.
    st->headers.clear();
    st->headers_complete = false;
    auto sp = line.find(' ');
    st->status = sp == std::string_view::npos ? 0 : std::atoi(std::string(line.substr(sp + 1, 3)).c_str());
  } else if (line == "\r\n" || line == "\n") {
    st->headers_complete = st->status >= 200;
  } else if (auto colon = line.find(':'); colon != std::string_view::npos) {
    st->headers.emplace_back(Lower(Trim(line.substr(0, colon))), Trim(line.substr(colon + 1)));
  }
  return size * n;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* st = static_cast<TransferState*>(user);
  if (!st->DeliverHeaders()) return 0;
  if (st->handler->on_data && !st->handler->on_data(std::string_view(data, size * n))) {
    st->stopped_by_handler = true;
    return 0;
  }
  return size * n;
}

// Runs for each new TLS connection, after libcurl configured its SSL_CTX.
CURLcode OnSslContext(CURL*, void* ssl_ctx, void* user) {
  auto* ctx = static_cast<SSL_CTX*>(ssl_ctx);
  SSL_CTX_set1_cert_store(ctx, static_cast<TlsTrustStore*>(user)->get());
  // An idle keep-alive or watch connection gives its ~34 KB of record buffers back.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  return CURLE_OK;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* st = static_cast<TransferState*>(user);
  return st->cancel != nullptr && st->cancel->load() ? 1 : 0;
}

Error CurlError(CURLcode code, const char* detail, const std::string& url) {
  std::string what = std::string(curl_easy_strerror(code));
  if (detail != nullptr && detail[0] != '\0') what += ": " + std::string(detail);
  ErrorKind kind = ErrorKind::kUnavailable;
  bool retryable = true;
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: kind = ErrorKind::kTimeout; break;
    case CURLE_ABORTED_BY_CALLBACK: kind = ErrorKind::kCanceled; retryable = false; break;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
      kind = ErrorKind::kInvalidArgument; retryable = false; break;
    default: break;
  }
  Error e = MakeError(kind, "request to " + url + " failed: " + what);
  e.retryable = retryable;
  return e;
}

}  // namespace

std::string HttpResponse::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

struct CurlTransport::Handle {
  CURL* easy = nullptr;
  ~Handle() {
    if (easy != nullptr) curl_easy_cleanup(easy);
  }
};

CurlTransport::CurlTransport(CurlTransportOptions options) : options_(std::move(options)) {
  GlobalInitOnce();
  auto trust = TlsTrustStore::Build({.ca_pem = options_.tls.ca_pem, .system_roots = options_.tls.system_roots});
  if (trust) {
    trust_ = std::move(*trust);
  } else {
    trust_error_ = "TLS trust configuration: " + trust.error().message;
  }
}

CurlTransport::~CurlTransport() = default;

long CurlTransport::connections_opened() const { return connections_opened_.load(); }

std::unique_ptr<CurlTransport::Handle> CurlTransport::Acquire() {
  {
    MutexLock lock(mu_);
    if (!idle_.empty()) {
      auto h = std::move(idle_.back());
      idle_.pop_back();
      return h;
    }
  }
  auto h = std::make_unique<Handle>();
  h->easy = curl_easy_init();
  return h;
}

void CurlTransport::Release(std::unique_ptr<Handle> handle) {
  MutexLock lock(mu_);
  idle_.push_back(std::move(handle));
}

Status CurlTransport::Perform(Handle& handle, const HttpRequest& request,
                              const StreamHandler& handler) {
  CURL* c = handle.easy;
  if (c == nullptr) return Fail(ErrorKind::kInternal, "curl_easy_init failed");
  if (!trust_) return Fail(ErrorKind::kInvalidArgument, trust_error_);
  curl_easy_reset(c);  // keeps the handle's live connections for reuse

  TransferState st;
  st.handler = &handler;
  st.cancel = request.cancel;
  char errbuf[CURL_ERROR_SIZE] = {0};

  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  // Only HTTP(S) (plain HTTP for the instance metadata service): an endpoint URL from a config
  // file can never make libcurl speak file://, ldap:// or the other protocols it is built with.
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  // No CA file or directory of libcurl's own: the shared store is installed per connection.
  curl_easy_setopt(c, CURLOPT_CAINFO, nullptr);
  curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_FUNCTION, OnSslContext);
  curl_easy_setopt(c, CURLOPT_SSL_CTX_DATA, trust_.get());
  curl_blob cert{}, key{};
  if (!options_.tls.client_cert_pem.empty()) {
    cert = {const_cast<char*>(options_.tls.client_cert_pem.data()), options_.tls.client_cert_pem.size(), CURL_BLOB_NOCOPY};
    key = {const_cast<char*>(options_.tls.client_key_pem.data()), options_.tls.client_key_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
  }

  const std::string& m = request.method;
  if (m == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (m != "GET" || !request.body.empty()) {
    if (m != "POST") curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, m.c_str());
    if (m == "POST" || m == "PUT" || m == "PATCH" || !request.body.empty()) {
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    }
  }

  curl_slist* headers = nullptr;
  for (const auto& [k, v] : request.headers) {
    headers = curl_slist_append(headers, (k + ": " + v).c_str());
  }
  headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &st);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &st);
  if (request.cancel != nullptr) {
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, &st);
  }

  CURLcode rc = curl_easy_perform(c);
  curl_slist_free_all(headers);
  long connects = 0;
  curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
  connections_opened_ += connects;

  if (st.stopped_by_handler) return {};
  if (rc != CURLE_OK) return Fail(CurlError(rc, errbuf, request.url));
  if (!st.DeliverHeaders()) return {};
  return {};
}

Result<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  HttpResponse response;
  bool too_big = false;
  StreamHandler handler{
      [&](int status, const HttpHeaders& headers) {
        response.status = status;
        response.headers = headers;
        return true;
      },
      [&](std::string_view chunk) {
        if (request.success_body_filter && response.status >= 200 && response.status < 300) {
          request.success_body_filter(chunk, response.body);
        } else {
          response.body.append(chunk);
        }
        if (response.body.size() > kMaxBufferedBody) {
          too_big = true;
          return false;
        }
        return true;
      }};
  auto handle = Acquire();
  Status st = Perform(*handle, request, handler);
  Release(std::move(handle));
  if (!st) return Fail(st.error());
  if (too_big) {
    return Fail(ErrorKind::kMalformedResponse,
                "response from " + request.url + " exceeds " + std::to_string(kMaxBufferedBody) + " bytes");
  }
  return response;
}

Status CurlTransport::Stream(const HttpRequest& request, const StreamHandler& handler) {
  auto handle = Acquire();
  Status st = Perform(*handle, request, handler);
  Release(std::move(handle));
  return st;
}

}  // namespace ccm
