#include "test/ocisim/crypto_util.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <vector>

#include "pkg/base/base64.h"
#include "pkg/base/status_macros.h"

namespace ccm::ocisim {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;

BioPtr MemBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return std::string(reinterpret_cast<char*>(digest), sizeof(digest));
}

std::string Sha256Base64(std::string_view data) { return Base64Encode(Sha256(data)); }

std::string HexColon(std::string_view bytes) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    if (!out.empty()) out.push_back(':');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

Result<PKeyPtr> ParsePublicKeyPem(const std::string& pem) {
  if (pem.find("CERTIFICATE") != std::string::npos) {
    ASSIGN_OR_RETURN(auto cert, ParseCertificatePem(pem));
    return PKeyPtr(X509_get_pubkey(cert.get()), PKeyFree{});
  }
  auto bio = MemBio(pem);
  EVP_PKEY* key = PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) {
    return Fail(ErrorKind::kInvalidArgument,
                "public key PEM does not parse: give a SubjectPublicKeyInfo PEM");
  }
  return PKeyPtr(key, PKeyFree{});
}

Result<PKeyPtr> ParsePrivateKeyPem(const std::string& pem) {
  auto bio = MemBio(pem);
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return Fail(ErrorKind::kInvalidArgument, "private key PEM does not parse");
  return PKeyPtr(key, PKeyFree{});
}

Result<X509Ptr> ParseCertificatePem(const std::string& pem) {
  auto bio = MemBio(pem);
  X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
  if (cert == nullptr) return Fail(ErrorKind::kInvalidArgument, "certificate PEM does not parse");
  return X509Ptr(cert);
}

std::string PublicKeyPem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

bool RsaSha256Verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

Result<std::string> RsaSha256Sign(EVP_PKEY* key, std::string_view data) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  size_t len = 0;
  std::string sig;
  bool ok = EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
    sig.resize(len);
  }
  EVP_MD_CTX_free(ctx);
  if (!ok) return Fail(ErrorKind::kInternal, "RSA-SHA256 signing failed");
  return sig;
}

std::string CertFingerprint(X509* cert, bool sha256) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  X509_digest(cert, sha256 ? EVP_sha256() : EVP_sha1(), md, &len);
  return HexColon(std::string_view(reinterpret_cast<char*>(md), len));
}

std::vector<std::string> SubjectValues(X509* cert) {
  std::vector<std::string> values;
  X509_NAME* name = X509_get_subject_name(cert);
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len >= 0) {
      values.emplace_back(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
      OPENSSL_free(utf8);
    }
  }
  return values;
}

}  // namespace ccm::ocisim
