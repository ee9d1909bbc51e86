#include "pkg/oci/auth/rsa_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <vector>

namespace ccm::oci {
namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free_all(b); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

std::shared_ptr<EVP_PKEY> Own(EVP_PKEY* key) { return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free); }

// The labels of every "-----BEGIN <label>-----" line, in order. Labels are quoted in errors
// and what follows a damaged BEGIN line is key material, so a label is only what a real one
// is made of (upper-case letters, digits, spaces: "RSA PRIVATE KEY"), at most 40 characters.
std::vector<std::string> PemLabels(std::string_view pem) {
  constexpr size_t kMaxLabel = 40;
  std::vector<std::string> labels;
  constexpr std::string_view kBegin = "-----BEGIN ";
  for (size_t pos = pem.find(kBegin); pos != std::string_view::npos; pos = pem.find(kBegin, pos + 1)) {
    std::string label;
    for (size_t i = pos + kBegin.size(); i < pem.size() && label.size() < kMaxLabel; ++i) {
      char c = pem[i];
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ')) break;
      label.push_back(c);
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

struct PassphraseState {
  std::string_view passphrase;
  bool asked = false;
};

int PassphraseCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
  auto* state = static_cast<PassphraseState*>(userdata);
  state->asked = true;
  if (state->passphrase.empty() || static_cast<int>(state->passphrase.size()) > size) return -1;
  std::memcpy(buf, state->passphrase.data(), state->passphrase.size());
  return static_cast<int>(state->passphrase.size());
}

std::string KeyTypeName(EVP_PKEY* key) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC: return "EC";
    case EVP_PKEY_DSA: return "DSA";
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_ED448: return "Ed448";
    case EVP_PKEY_RSA_PSS: return "RSA-PSS";
    default: break;
  }
  const char* name = EVP_PKEY_get0_type_name(key);
  return name != nullptr ? name : "unknown";
}

}  // namespace

std::string ColonHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 3);
  for (unsigned char c : bytes) {
    if (!out.empty()) out.push_back(':');
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

Result<RsaPrivateKey> RsaPrivateKey::FromPem(std::string_view pem, std::string_view passphrase,
                                             std::string_view what) {
  const std::string where(what);
  std::vector<std::string> labels = PemLabels(pem);
  std::string label;
  for (const auto& l : labels) {
    if (l.find("PRIVATE KEY") != std::string::npos) {
      label = l;
      break;
    }
  }
  if (label.empty()) {
    if (labels.empty()) {
      return Fail(ErrorKind::kInvalidArgument,
                  where + " is not a PEM private key: expected a '-----BEGIN RSA PRIVATE KEY-----' or "
                          "'-----BEGIN PRIVATE KEY-----' block; check that the file is the API signing key");
    }
    return Fail(ErrorKind::kInvalidArgument,
                where + " holds a PEM '" + labels.front() +
                    "' block but no private key; configure the private key, not the public key or certificate");
  }
  if (label == "OPENSSH PRIVATE KEY") {
    return Fail(ErrorKind::kInvalidArgument,
                where + " is in OpenSSH format; convert it to PEM (ssh-keygen -p -m PEM -f <file>) or "
                        "generate an OCI API key with openssl genrsa");
  }
  if (label != "RSA PRIVATE KEY" && label != "PRIVATE KEY" && label != "ENCRYPTED PRIVATE KEY") {
    return Fail(ErrorKind::kInvalidArgument,
                where + " is a '" + label + "' key; OCI API signing keys must be RSA (PKCS#1 or PKCS#8)");
  }
  const bool encrypted = label == "ENCRYPTED PRIVATE KEY" ||
                         (label == "RSA PRIVATE KEY" && pem.find("Proc-Type: 4,ENCRYPTED") != std::string_view::npos);
  if (encrypted && passphrase.empty()) {
    return Fail(ErrorKind::kInvalidArgument,
                where + " is encrypted but no passphrase is configured; set the key's passphrase");
  }

  ERR_clear_error();
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PassphraseState state{passphrase};
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, PassphraseCallback, &state);
  ERR_clear_error();  // OpenSSL's queue can name internals; our message says what to do.
  if (raw == nullptr) {
    if (encrypted) {
      return Fail(ErrorKind::kInvalidArgument,
                  where + " could not be decrypted with the configured passphrase; check the passphrase "
                          "(or the key file is corrupt)");
    }
    return Fail(ErrorKind::kInvalidArgument,
                where + " is not a valid PEM private key (the '" + label +
                    "' block does not decode); check that the file was copied whole");
  }
  std::shared_ptr<EVP_PKEY> key = Own(raw);
  if (EVP_PKEY_get_base_id(raw) != EVP_PKEY_RSA) {
    return Fail(ErrorKind::kInvalidArgument,
                where + " is a " + KeyTypeName(raw) + " key; OCI API signing keys must be RSA");
  }
  // A damaged key can decode yet not sign (found by test/fuzz/pem_keys): say so now, not as
  // a signing failure on the first request.
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> check(EVP_PKEY_CTX_new(raw, nullptr), EVP_PKEY_CTX_free);
  bool consistent = check && EVP_PKEY_pairwise_check(check.get()) == 1;
  ERR_clear_error();
  if (!consistent) {
    return Fail(ErrorKind::kInvalidArgument,
                where + " is a damaged RSA key (its parts do not belong together); check that the file was "
                        "copied whole");
  }
  return RsaPrivateKey(std::move(key));
}

Result<RsaPrivateKey> RsaPrivateKey::Generate(int bits) {
  EVP_PKEY* raw = EVP_RSA_gen(static_cast<unsigned>(bits));
  ERR_clear_error();
  if (raw == nullptr) {
    return Fail(ErrorKind::kInternal, "generating an RSA " + std::to_string(bits) + "-bit session key failed");
  }
  return RsaPrivateKey(Own(raw));
}

std::string RsaPrivateKey::PublicKeyDer() const {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key_.get(), &der);
  if (len <= 0) return {};
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

std::string RsaPrivateKey::PublicKeyPem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PUBKEY(bio.get(), key_.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string RsaPrivateKey::Fingerprint() const {
  std::string der = PublicKeyDer();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  EVP_Digest(der.data(), der.size(), md, &md_len, EVP_md5(), nullptr);
  return ColonHex(std::string_view(reinterpret_cast<char*>(md), md_len));
}

int RsaPrivateKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

Result<std::string> RsaPrivateKey::SignSha256(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  size_t len = 0;
  std::string sig;
  bool ok = ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()),
                           data.size()) == 1;
  if (ok) {
    sig.resize(len);
    ok = EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                        reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1;
  }
  ERR_clear_error();
  if (!ok) return Fail(ErrorKind::kInternal, "RSA-SHA256 signing failed");
  sig.resize(len);
  return sig;
}

}  // namespace ccm::oci
