// RsaPrivateKey::FromPem with no passphrase, a wrong one and the seeds' one, plus the X.509
// helpers instance principals use. Invariants: an error is one short line that never holds the
// passphrase or a line of the key; a loaded key signs and has an OCI fingerprint.
#include <cstdint>
#include <string>

#include "pkg/oci/auth/rsa_key.h"
#include "pkg/oci/auth/x509_certificate.h"
#include "test/fuzz/fuzz_check.h"

namespace {

using ccm::fuzz::Check;
namespace oci = ccm::oci;

// The encrypted seeds in corpus/pem_keys were written with this passphrase (test-only keys).
constexpr std::string_view kSeedPassphrase = "fuzz-seed-passphrase";
constexpr std::string_view kWrongPassphrase = "not-the-passphrase-7Qx";
constexpr std::string_view kWhat = "private key file /etc/oci/key.pem";

// Lines of the input that look like key material: long base64-like text (mixed case, no
// spaces), not armor.
void CheckNoKeyLines(std::string_view pem, const std::string& message) {
  size_t start = 0;
  while (start < pem.size()) {
    size_t end = pem.find('\n', start);
    if (end == std::string_view::npos) end = pem.size();
    std::string_view line = pem.substr(start, end - start);
    start = end + 1;
    bool lower = line.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string_view::npos;
    if (line.size() >= 24 && lower && line.find(' ') == std::string_view::npos && !line.starts_with("-----")) {
      Check(!ccm::fuzz::Contains(message, line), "a key error never quotes key material", message);
    }
  }
}

void CheckLoad(std::string_view pem, std::string_view passphrase) {
  auto key = oci::RsaPrivateKey::FromPem(pem, passphrase, kWhat);
  if (!key) {
    const std::string& m = key.error().message;
    Check(m.starts_with(kWhat), "a key error names the key's source", m);
    Check(m.find('\n') == std::string::npos && m.size() < 512, "a key error is one short line", m);
    if (!ccm::fuzz::Contains(pem, passphrase)) {
      Check(!ccm::fuzz::Contains(m, passphrase), "a key error never holds the passphrase", m);
    }
    CheckNoKeyLines(pem, m);
    return;
  }
  Check(key->bits() >= 512, "a loaded RSA key has a plausible size");
  Check(key->Fingerprint().size() == 47, "an OCI fingerprint is 16 colon-separated hex pairs", key->Fingerprint());
  Check(key->PublicKeyPem().starts_with("-----BEGIN PUBLIC KEY-----"), "the public half writes as PEM");
  if (key->bits() <= 4096) {
    auto sig = key->SignSha256("date: Thu, 05 Jan 2014 21:31:40 GMT");
    Check(sig.has_value() && static_cast<int>(sig->size()) * 8 >= key->bits() - 7, "a loaded key signs");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view pem(reinterpret_cast<const char*>(data), size);
  CheckLoad(pem, "");
  CheckLoad(pem, kWrongPassphrase);
  CheckLoad(pem, kSeedPassphrase);

  if (auto bodies = oci::CertificateBodies(pem); bodies) {
    for (const auto& b : *bodies) {
      Check(b.find_first_of(" \t\r\n") == std::string::npos, "a certificate body has no whitespace");
    }
  }
  auto tenancy = oci::TenancyFromCertificate(pem);
  auto fingerprint = oci::CertificateSha256Fingerprint(pem);
  Check(tenancy.has_value() || !tenancy.error().message.empty(), "a certificate error says what is wrong");
  if (fingerprint) {
    Check(fingerprint->size() == 95, "a SHA-256 fingerprint is 32 colon-separated hex pairs", *fingerprint);
  }
  return 0;
}
