// gmock double for the HTTP seam.
#pragma once

#include <gmock/gmock.h>

#include "pkg/base/http_transport.h"

namespace ccm::testing {

class MockHttpTransport : public HttpTransport {
 public:
  MOCK_METHOD(Result<HttpResponse>, Send, (const HttpRequest& request), (override));
  MOCK_METHOD(Status, Stream, (const HttpRequest& request, const StreamHandler& handler), (override));
};

}  // namespace ccm::testing
