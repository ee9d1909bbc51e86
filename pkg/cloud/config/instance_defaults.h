// Oracle's cloud-provider.yaml may leave out the region and the compartment: Oracle's
// controller takes both from the instance metadata service of the node it runs on. This
// fills them the same way, once at startup, before anything talks to OCI.
#pragma once

#include <chrono>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"
#include "pkg/cloud/config/cloud_config.h"

namespace ccm::cloud {

// True when auth.region or compartment is missing.
bool NeedsInstanceMetadata(const CloudConfig& config);

// Fills the missing auth.region / compartment from IMDS (endpoints.metadata, v2 then v1).
// Each request is bounded by `timeout`, so a controller off OCI fails fast with an error
// naming the fields to set.
Status FillFromInstanceMetadata(CloudConfig& config, HttpTransport& transport,
                                std::chrono::milliseconds timeout = std::chrono::seconds(3));

}  // namespace ccm::cloud
