#include "pkg/kube/controller/status_writer.h"

#include <gtest/gtest.h>

#include <thread>

#include "pkg/base/json.h"
#include "test/mocks/fake_rest_client.h"
#include "test/mocks/simulated_clock.h"

namespace ccm::kube {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kPath[] = "/apis/g/v1/things/a";
constexpr char kOther[] = "/apis/g/v1/things/b";

std::string Phase(const testing::FakeRestClient& api, const std::string& path) {
  auto obj = api.Object(path);
  if (!obj) return "<gone>";
  auto doc = json::Parse(*obj, "object");
  if (!doc || !doc->HasMember("status") || !(*doc)["status"].HasMember("phase")) return "";
  return (*doc)["status"]["phase"].GetString();
}

std::string Body(const std::string& phase) { return R"({"status":{"phase":")" + phase + R"("}})"; }

class StatusWriterTest : public ::testing::Test {
 protected:
  StatusWriterTest() {
    EXPECT_TRUE(api.Seed(kPath, R"({"metadata":{"name":"a"}})"));
    EXPECT_TRUE(api.Seed(kOther, R"({"metadata":{"name":"b"}})"));
  }
  testing::SimulatedClock clock;
  testing::FakeRestClient api{clock};
  StatusWriter writer{api, clock, {.name = "test", .start_thread = false}};
};

TEST_F(StatusWriterTest, OnlyTheLatestStatusOfAnObjectIsSent) {
  writer.Patch(kPath, Body("REGISTERING"));
  writer.Patch(kPath, Body("READY"));
  EXPECT_EQ(writer.queued(), 1u);
  EXPECT_TRUE(writer.WriteNext());
  EXPECT_FALSE(writer.WriteNext());
  EXPECT_EQ(Phase(api, kPath), "READY");
  EXPECT_EQ(api.CountRequests("PATCH", kPath), 1);
}

TEST_F(StatusWriterTest, ObjectsAreWrittenInTheOrderTheirStatusWasDecided) {
  writer.Patch(kOther, Body("PENDING"));
  writer.Patch(kPath, Body("PENDING"));
  ASSERT_TRUE(writer.WriteNext());
  EXPECT_EQ(Phase(api, kOther), "PENDING");
  EXPECT_EQ(Phase(api, kPath), "");
  ASSERT_TRUE(writer.WriteNext());
  EXPECT_EQ(Phase(api, kPath), "PENDING");
}

TEST_F(StatusWriterTest, AFailedWriteIsRetriedOnADoublingDelay) {
  int failures = 3;
  api.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method != "PATCH" || failures == 0) return std::nullopt;
    --failures;
    return MakeError(ErrorKind::kUnavailable, "etcdserver: request timed out");
  });
  writer.Patch(kPath, Body("READY"));
  ASSERT_TRUE(writer.WriteNext());  // fails
  EXPECT_FALSE(writer.WriteNext()) << "not due before its delay";
  std::vector<int64_t> delays;
  for (int i = 0; i < 3; ++i) {
    int64_t waited = 0;
    while (!writer.WriteNext()) {
      clock.Advance(milliseconds(100));
      waited += 100;
    }
    delays.push_back(waited);
  }
  EXPECT_EQ(delays, (std::vector<int64_t>{1000, 2000, 4000}));
  EXPECT_EQ(Phase(api, kPath), "READY");
  EXPECT_EQ(writer.queued(), 0u);
}

TEST_F(StatusWriterTest, ANewerStatusReplacesOneWaitingToBeRetried) {
  bool fail = true;
  api.SetReactor([&](const testing::FakeRequest& r) -> std::optional<Error> {
    if (r.method == "PATCH" && fail) return MakeError(ErrorKind::kUnavailable, "unavailable");
    return std::nullopt;
  });
  writer.Patch(kPath, Body("REGISTERING"));
  ASSERT_TRUE(writer.WriteNext());
  fail = false;
  writer.Patch(kPath, Body("READY"));  // due at once, not after the retry delay
  ASSERT_TRUE(writer.WriteNext());
  EXPECT_EQ(Phase(api, kPath), "READY");
  EXPECT_FALSE(writer.WriteNext());
}

TEST_F(StatusWriterTest, AGoneObjectOrAForgottenOneIsDropped) {
  writer.Patch("/apis/g/v1/things/nosuch", Body("READY"));
  ASSERT_TRUE(writer.WriteNext());  // 404: dropped, not retried
  EXPECT_EQ(writer.queued(), 0u);
  writer.Patch(kPath, Body("READY"));
  writer.Forget(kPath);
  EXPECT_FALSE(writer.WriteNext());
  EXPECT_EQ(Phase(api, kPath), "");
}

TEST(StatusWriterThreadTest, TheBackgroundThreadWritesWithoutBeingAsked) {
  testing::SimulatedClock clock;
  testing::FakeRestClient api{clock};
  ASSERT_TRUE(api.Seed(kPath, R"({"metadata":{"name":"a"}})"));
  StatusWriter writer(api, clock, {.name = "test"});
  writer.Patch(kPath, Body("READY"));
  for (int i = 0; i < 500 && Phase(api, kPath) != "READY"; ++i) std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(Phase(api, kPath), "READY");
}

TEST(StatusWriterThreadTest, StopWritesWhatIsQueued) {
  testing::SimulatedClock clock;
  testing::FakeRestClient api{clock};
  ASSERT_TRUE(api.Seed(kPath, R"({"metadata":{"name":"a"}})"));
  ASSERT_TRUE(api.Seed(kOther, R"({"metadata":{"name":"b"}})"));
  StatusWriter writer(api, clock, {.name = "test"});
  writer.Patch(kPath, Body("READY"));
  writer.Patch(kOther, Body("READY"));
  writer.Stop();
  EXPECT_EQ(Phase(api, kPath), "READY");
  EXPECT_EQ(Phase(api, kOther), "READY");
  EXPECT_EQ(writer.queued(), 0u);
}

}  // namespace
}  // namespace ccm::kube
