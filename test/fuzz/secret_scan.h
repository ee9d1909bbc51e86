// For the YAML config targets: where in a document a given secret value sits, so an
// invariant can say "this secret, when it only appears as a secret, never reaches an error".
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "test/fuzz/fuzz_check.h"

namespace ccm::fuzz {

// Collects the values of mapping keys named in `secret_keys` (at any depth), and reports via
// `elsewhere` whether any of them also occurs in another scalar or key of the document.
class SecretScan {
 public:
  explicit SecretScan(std::set<std::string> secret_keys) : secret_keys_(std::move(secret_keys)) {}

  // False when the text is not YAML this scanner can walk (the target then skips the check).
  bool Scan(const std::string& text) {
    try {
      YAML::Node root = YAML::Load(text);
      Collect(root, false);
      for (const auto& s : secrets_) {
        for (const auto& other : others_) {
          if (other.find(s) != std::string::npos) elsewhere_ = true;
        }
      }
      return true;
    } catch (...) {
      return false;
    }
  }

  // Secrets long enough to be unmistakable in a message.
  std::set<std::string> secrets() const {
    std::set<std::string> out;
    for (const auto& s : secrets_) {
      if (s.size() >= 12) out.insert(s);
    }
    return out;
  }
  bool elsewhere() const { return elsewhere_; }

 private:
  void Collect(const YAML::Node& n, bool is_secret, int depth = 0) {
    if (depth > 64) return;
    if (n.IsScalar()) {
      (is_secret ? secrets_ : others_).insert(n.Scalar());
    } else if (n.IsSequence()) {
      for (const auto& item : n) Collect(item, false, depth + 1);
    } else if (n.IsMap()) {
      for (const auto& kv : n) {
        bool secret_key = kv.first.IsScalar() && secret_keys_.contains(kv.first.Scalar());
        Collect(kv.first, false, depth + 1);
        Collect(kv.second, secret_key, depth + 1);
      }
    }
  }

  std::set<std::string> secret_keys_;
  std::set<std::string> secrets_, others_;
  bool elsewhere_ = false;
};

inline std::string ReplaceAll(std::string text, const std::string& from, char with) {
  const std::string to(from.size(), with);
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

// Fails when `message` (the error for `yaml`) quotes a value held under one of `secret_keys`.
// Differential, so words a message always contains are not mistaken for a leak: the same
// input with the secret blanked out must yield a message that also contains those words.
inline void CheckSecretsNotQuoted(const std::string& yaml, const std::string& message,
                                  const std::set<std::string>& secret_keys,
                                  const std::function<std::string(const std::string&)>& error_of) {
  SecretScan scan(secret_keys);
  if (!scan.Scan(yaml) || scan.elsewhere()) return;
  for (const auto& secret : scan.secrets()) {
    if (!Contains(message, secret) || !Contains(yaml, secret)) continue;
    std::string blanked = error_of(ReplaceAll(yaml, secret, 'Q'));
    Check(Contains(blanked, secret), "an error never quotes a secret (passphrase, key or token)", message);
  }
}

}  // namespace ccm::fuzz
