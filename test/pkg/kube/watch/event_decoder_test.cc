#include "pkg/kube/watch/event_decoder.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace ccm::kube::watch {
namespace {

struct Decoded {
  std::string type;
  std::string object;  // re-serialized
  bool operator==(const Decoded&) const = default;
};

std::string Stream() {
  return "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"1\"}}}\n"
         "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"b\\n\",\"resourceVersion\":\"2\"},\"x\":[1,2]}}\r\n"
         "\n"
         "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"3\"}}}\n"
         "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"ü\",\"resourceVersion\":\"4\"}}}\n";
}

std::vector<Decoded> Decode(const std::vector<std::string_view>& chunks) {
  std::vector<Decoded> out;
  EventDecoder decoder([&](const WatchEvent& e) {
    out.push_back({std::string(e.type), json::Serialize(e.object)});
    return true;
  });
  for (auto c : chunks) EXPECT_TRUE(decoder.Feed(c));
  EXPECT_FALSE(decoder.error().has_value());
  return out;
}

TEST(EventDecoderTest, DecodesAllEventsInOrder) {
  auto events = Decode({Stream()});
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].type, "ADDED");
  EXPECT_EQ(events[1].type, "MODIFIED");
  EXPECT_EQ(events[1].object, R"({"metadata":{"name":"b\n","resourceVersion":"2"},"x":[1,2]})");
  EXPECT_EQ(events[2].type, "BOOKMARK");
  EXPECT_EQ(events[3].type, "DELETED");
}

TEST(EventDecoderTest, EverySplitPointGivesTheSameEvents) {
  const std::string s = Stream();
  const auto whole = Decode({s});
  std::string_view v(s);
  for (size_t i = 0; i <= s.size(); ++i) {
    ASSERT_EQ(Decode({v.substr(0, i), v.substr(i)}), whole) << "split at " << i;
  }
}

TEST(EventDecoderTest, EveryPairOfSplitPointsGivesTheSameEvents) {
  const std::string s = Stream();
  const auto whole = Decode({s});
  std::string_view v(s);
  for (size_t i = 0; i <= s.size(); ++i) {
    for (size_t j = i; j <= s.size(); ++j) {
      ASSERT_EQ(Decode({v.substr(0, i), v.substr(i, j - i), v.substr(j)}), whole) << i << "," << j;
    }
  }
}

TEST(EventDecoderTest, OneByteChunksOnALargeStreamRunInLinearTime) {
  // 2000 events of ~5 KB each (10 MB). A quadratic framer re-scanning the carried buffer would
  // take minutes byte by byte; linear framing takes well under the bound.
  std::string padding(5000, 'x');
  std::string s;
  for (int i = 0; i < 2000; ++i) {
    s += "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"n" + std::to_string(i) + "\"},\"pad\":\"" +
         padding + "\"}}\n";
  }
  size_t count = 0;
  EventDecoder decoder([&](const WatchEvent& e) {
    EXPECT_EQ(json::Find(*json::Find(e.object, "metadata"), "name")->GetString(), "n" + std::to_string(count));
    ++count;
    return true;
  });
  auto start = std::chrono::steady_clock::now();
  for (char c : s) ASSERT_TRUE(decoder.Feed(std::string_view(&c, 1)));
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(count, 2000u);
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST(EventDecoderTest, ErrorEventWith410IsGone) {
  std::vector<Decoded> events;
  EventDecoder decoder([&](const WatchEvent& e) {
    events.push_back({std::string(e.type), ""});
    return true;
  });
  EXPECT_FALSE(decoder.Feed(
      "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n"
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
      "\"message\":\"too old resource version: 1 (5)\",\"reason\":\"Expired\",\"code\":410}}\n"
      "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"never\"}}}\n"));
  ASSERT_TRUE(decoder.error().has_value());
  EXPECT_EQ(decoder.error()->kind, ErrorKind::kGone);
  EXPECT_EQ(decoder.error()->http_status, 410);
  EXPECT_NE(decoder.error()->message.find("too old resource version"), std::string::npos);
  EXPECT_EQ(events.size(), 1u);  // nothing after the error is delivered
}

TEST(EventDecoderTest, ErrorEventOtherThanGoneKeepsItsKind) {
  EventDecoder decoder([](const WatchEvent&) { return true; });
  EXPECT_FALSE(decoder.Feed(
      "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"reason\":\"InternalError\",\"code\":500,"
      "\"message\":\"boom\"}}\n"));
  ASSERT_TRUE(decoder.error().has_value());
  EXPECT_EQ(decoder.error()->kind, ErrorKind::kUnavailable);
}

TEST(EventDecoderTest, GarbageLineIsMalformed) {
  EventDecoder decoder([](const WatchEvent&) { return true; });
  EXPECT_FALSE(decoder.Feed("not json\n"));
  ASSERT_TRUE(decoder.error().has_value());
  EXPECT_EQ(decoder.error()->kind, ErrorKind::kMalformedResponse);
}

TEST(EventDecoderTest, CallbackReturningFalseStops) {
  int n = 0;
  EventDecoder decoder([&](const WatchEvent&) { return ++n < 2; });
  EXPECT_FALSE(decoder.Feed(Stream()));
  EXPECT_TRUE(decoder.stopped());
  EXPECT_EQ(n, 2);
}

}  // namespace
}  // namespace ccm::kube::watch
