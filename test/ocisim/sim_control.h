// A client of the simulator's control API (/_sim/), for tests that run oci-sim as a process
// (SimProcess) or talk to an in-process Simulator over HTTP.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "pkg/base/error.h"
#include "pkg/base/http_transport.h"

namespace ccm::ocisim {

class SimControl {
 public:
  // `url` is the simulator's base URL; `ca_pem` trusts its test CA (empty for plain HTTP).
  SimControl(std::string url, std::string ca_pem);
  ~SimControl();

  // Any control call; returns the response body, or an error carrying status and body.
  Result<std::string> Call(const std::string& method, const std::string& path,
                           const std::string& body = "");

  Status ReplaceState(const std::string& state_json);  // PUT /_sim/state
  Status MergeState(const std::string& state_json);    // POST /_sim/state
  Result<std::string> State();                         // GET /_sim/state
  Result<std::string> BackendSet(bool network, const std::string& lb_id, const std::string& set);
  Status SetInstanceState(const std::string& instance_id, const std::string& lifecycle_state);
  Status AddKey(const std::string& key_id, const std::string& public_key_pem);
  Status SetWorkRequestLatency(int64_t ms);
  Status SetClockOffset(int64_t seconds);
  Status AddFault(const std::string& fault_json);  // one object or an array
  Status ClearFaults();
  Result<std::string> Counters();
  // Calls of `operation` answered with `status` (-1: any), optionally for one service.
  Result<int64_t> CallCount(const std::string& operation, int status = -1,
                            const std::string& service = "");
  Status ResetCounters();
  Status SetImdsIdentity(const std::string& identity_json);  // PUT /_sim/imds

 private:
  std::string url_;
  std::unique_ptr<HttpTransport> transport_;
};

}  // namespace ccm::ocisim
