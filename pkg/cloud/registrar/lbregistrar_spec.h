// Reads an LBRegistrar spec, as the Go operator wrote them, into bindings. Every problem is
// reported with its field path (spec.services[1].port) and what to do, all at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pkg/base/error.h"
#include "pkg/base/json.h"
#include "pkg/cloud/registrar/binding.h"

namespace ccm::cloud::registrar {

struct SpecProblem {
  std::string field;
  std::string message;
};

struct ParsedSpec {
  std::vector<Binding> bindings;
  std::vector<SpecProblem> problems;  // non-empty: the resource must not be acted on
  std::vector<std::string> notes;     // deprecations and ignored fields, for events
};

// `default_secret_namespace` applies to apiKey.privateKey without a namespace.
ParsedSpec ParseLBRegistrarSpec(const std::string& name, const json::Value& spec,
                                const std::string& default_secret_namespace);
ParsedSpec ParseLBRegistrarSpecJson(const std::string& name, std::string_view spec_json,
                                    const std::string& default_secret_namespace);

std::string JoinProblems(const std::vector<SpecProblem>& problems);

}  // namespace ccm::cloud::registrar
