#include "pkg/base/error.h"

#include <gtest/gtest.h>

namespace ccm {
namespace {

TEST(ErrorTest, ToStringCarriesWhatAUserNeedsToAct) {
  Error e = MakeError(ErrorKind::kTooManyRequests, "slow down");
  e.http_status = 429;
  e.code = "TooManyRequests";
  e.request_id = "req-1";
  EXPECT_EQ(e.ToString(), "TooManyRequests (HTTP 429) TooManyRequests: slow down [opc-request-id req-1]");
}

TEST(ErrorTest, RetryabilityFollowsKind) {
  EXPECT_TRUE(MakeError(ErrorKind::kTooManyRequests, "").retryable);
  EXPECT_TRUE(MakeError(ErrorKind::kUnavailable, "").retryable);
  EXPECT_TRUE(MakeError(ErrorKind::kIncorrectState, "").retryable);
  EXPECT_FALSE(MakeError(ErrorKind::kInvalidArgument, "").retryable);
  EXPECT_FALSE(MakeError(ErrorKind::kNotFound, "").retryable);
  EXPECT_FALSE(MakeError(ErrorKind::kUnauthenticated, "").retryable);
}

TEST(ErrorTest, WrapPrefixesContextAndKeepsFields) {
  Error e = MakeError(ErrorKind::kNotFound, "no such backend set");
  e.http_status = 404;
  Error w = e.Wrap("syncing lb1/bs1");
  EXPECT_EQ(w.message, "syncing lb1/bs1: no such backend set");
  EXPECT_EQ(w.http_status, 404);
  EXPECT_EQ(w.kind, ErrorKind::kNotFound);
  EXPECT_EQ(e.message, "no such backend set");
}

}  // namespace
}  // namespace ccm
