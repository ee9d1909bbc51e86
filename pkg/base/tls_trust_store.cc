#include "pkg/base/tls_trust_store.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <dirent.h>
#include <sys/stat.h>

#include <cctype>

namespace ccm {
namespace {

// OpenSSL finds a root in a directory by its subject-hash name ("5ad8a5d6.0"); a directory
// without such links (no c_rehash run) would trust nothing.
bool HasHashLinks(const std::string& path) {
  DIR* dir = opendir(path.c_str());
  if (dir == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(dir)) {
    std::string_view name(e->d_name);
    if (name.size() < 10 || name[8] != '.') continue;
    bool hex = true;
    for (char c : name.substr(0, 8)) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (hex && std::isdigit(static_cast<unsigned char>(name[9]))) {
      found = true;
      break;
    }
  }
  closedir(dir);
  return found;
}

bool IsFile(const char* path) {
  struct stat st{};
  return path != nullptr && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

// libcurl's compiled-in defaults: the same roots it would have used on its own.
std::pair<std::string, std::string> CurlDefaultCaLocations() {
  std::string dir, bundle;
  if (CURL* probe = curl_easy_init()) {
    char* value = nullptr;
    if (curl_easy_getinfo(probe, CURLINFO_CAPATH, &value) == CURLE_OK && value != nullptr) dir = value;
    value = nullptr;
    if (curl_easy_getinfo(probe, CURLINFO_CAINFO, &value) == CURLE_OK && value != nullptr) bundle = value;
    curl_easy_cleanup(probe);
  }
  return {dir, bundle};
}

}  // namespace

TlsTrustStore::~TlsTrustStore() { X509_STORE_free(store_); }

Result<std::shared_ptr<TlsTrustStore>> TlsTrustStore::Build(const TrustStoreSource& source) {
  std::shared_ptr<TlsTrustStore> out(new TlsTrustStore());
  out->store_ = X509_STORE_new();
  if (out->store_ == nullptr) return Fail(ErrorKind::kInternal, "X509_STORE_new failed");

  if (!source.ca_pem.empty()) {
    BIO* bio = BIO_new_mem_buf(source.ca_pem.data(), static_cast<int>(source.ca_pem.size()));
    if (bio == nullptr) return Fail(ErrorKind::kInternal, "BIO_new_mem_buf failed");
    while (X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      // A duplicate certificate is not an error for trust purposes.
      X509_STORE_add_cert(out->store_, cert);
      X509_free(cert);
      ++out->pem_certificates_;
    }
    BIO_free(bio);
    ERR_clear_error();  // the loop ends on "no start line"
    if (out->pem_certificates_ == 0) {
      return Fail(ErrorKind::kInvalidArgument, "the trusted CA data holds no PEM certificate");
    }
  }

  if (source.system_roots) {
    auto [dir, bundle] = CurlDefaultCaLocations();
    if (!dir.empty() && HasHashLinks(dir) && X509_STORE_load_path(out->store_, dir.c_str()) == 1) {
      out->origin_ = "directory " + dir;
    } else if (IsFile(bundle.c_str()) && X509_STORE_load_file(out->store_, bundle.c_str()) == 1) {
      out->origin_ = "bundle " + bundle;
    }
    ERR_clear_error();
  }
  return out;
}

}  // namespace ccm
