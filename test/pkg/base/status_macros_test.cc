#include "pkg/base/status_macros.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace ccm {
namespace {

Error RichError() {
  Error e = MakeError(ErrorKind::kTooManyRequests, "slow down");
  e.http_status = 429;
  e.code = "TooManyRequests";
  e.request_id = "req-1";
  e.retry_after = std::chrono::milliseconds(1500);
  return e;
}

void ExpectSameError(const Error& got, const Error& want) {
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.message, want.message);
  EXPECT_EQ(got.http_status, want.http_status);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.request_id, want.request_id);
  EXPECT_EQ(got.retryable, want.retryable);
  EXPECT_EQ(got.retry_after, want.retry_after);
}

// Each helper counts how often its argument is evaluated: a macro must evaluate it once.
Status CheckStatus(Status in, int& evaluated, bool& reached_end) {
  RETURN_IF_ERROR((++evaluated, in));
  reached_end = true;
  return {};
}

Result<std::string> Describe(Result<int> in, int& evaluated) {
  ASSIGN_OR_RETURN(int n, (++evaluated, in));
  return "got " + std::to_string(n);
}

TEST(StatusMacrosTest, ReturnIfErrorTable) {
  struct Case {
    const char* name;
    Status in;
    bool want_ok;
  };
  const std::vector<Case> cases = {
      {"success falls through", Status{}, true},
      {"error returns unchanged", Fail(RichError()), false},
      {"plain error", Fail(ErrorKind::kNotFound, "gone"), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    int evaluated = 0;
    bool reached_end = false;
    Status out = CheckStatus(c.in, evaluated, reached_end);
    EXPECT_EQ(evaluated, 1);
    EXPECT_EQ(out.has_value(), c.want_ok);
    EXPECT_EQ(reached_end, c.want_ok);
    if (!c.want_ok) ExpectSameError(out.error(), c.in.error());
  }
}

TEST(StatusMacrosTest, AssignOrReturnTable) {
  struct Case {
    const char* name;
    Result<int> in;
    Result<std::string> want;
  };
  const std::vector<Case> cases = {
      {"value is declared and used", 7, std::string("got 7")},
      {"error returns unchanged", Fail(RichError()), Fail(RichError())},
      {"error into another result type", Fail(ErrorKind::kInvalidArgument, "bad"),
       Fail(ErrorKind::kInvalidArgument, "bad")},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    int evaluated = 0;
    Result<std::string> out = Describe(c.in, evaluated);
    EXPECT_EQ(evaluated, 1);
    ASSERT_EQ(out.has_value(), c.want.has_value());
    if (out) EXPECT_EQ(*out, *c.want);
    else ExpectSameError(out.error(), c.want.error());
  }
}

Result<std::unique_ptr<int>> MakeBox(int v) { return std::make_unique<int>(v); }

Result<int> Unbox(int v) {
  ASSIGN_OR_RETURN(auto box, MakeBox(v));  // move-only values move out
  return *box;
}

TEST(StatusMacrosTest, AssignOrReturnMovesMoveOnlyValues) {
  auto r = Unbox(5);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 5);
}

Status AssignTwice(Result<int> a, Result<int> b, int& out) {
  int n = 0;
  ASSIGN_OR_RETURN(n, a);  // into an existing variable; two on one line stay distinct
  out = n;
  ASSIGN_OR_RETURN(n, b); ASSIGN_OR_RETURN(int m, b);
  out = n + m;
  return {};
}

TEST(StatusMacrosTest, AssignOrReturnAssignsExistingVariables) {
  int out = 0;
  ASSERT_TRUE(AssignTwice(1, 2, out));
  EXPECT_EQ(out, 4);
  out = 0;
  Status st = AssignTwice(1, Fail(ErrorKind::kConflict, "lost"), out);
  ASSERT_FALSE(st);
  EXPECT_EQ(st.error().kind, ErrorKind::kConflict);
  EXPECT_EQ(out, 1);  // the first assignment happened, the second returned early
}

Status Forward(const Status& kept) {
  RETURN_IF_ERROR(kept);
  return {};
}

TEST(StatusMacrosTest, ReturnIfErrorLeavesAnLvalueIntact) {
  Status kept = Fail(RichError());
  Status out = Forward(kept);
  ASSERT_FALSE(out);
  ExpectSameError(kept.error(), RichError());  // copied, not moved from
  ExpectSameError(out.error(), RichError());
}

}  // namespace
}  // namespace ccm
