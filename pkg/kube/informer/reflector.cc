#include "pkg/kube/informer/reflector.h"

#include <glog/logging.h>

#include "pkg/base/mutex.h"
#include "pkg/kube/informer/projections.h"

namespace ccm::kube {
namespace {
// A watch that ends this fast without any event is treated as a failure, so a server that
// closes watches at once is not hammered.
constexpr auto kShortWatch = std::chrono::seconds(1);
}  // namespace

Reflector::Reflector(RestClient& client, ReflectorOptions options, ReflectorSink& sink, const Clock& clock)
    : client_(client), options_(std::move(options)), sink_(sink), clock_(clock), backoff_(options_.backoff, options_.seed),
      rng_(options_.seed ^ 0x9e3779b97f4a7c15ULL) {}

Reflector::~Reflector() { Stop(); }

void Reflector::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void Reflector::Stop() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Reflector::WaitForSync(Clock::Duration timeout) {
  auto deadline = clock_.Now() + timeout;
  MutexLock lock(mu_);
  while (!synced_ && !stop_) {
    if (clock_.WaitUntil(cv_, lock.native(), deadline)) return synced_;
  }
  return synced_;
}

std::string Reflector::last_resource_version() const {
  MutexLock lock(mu_);
  return resource_version_;
}

int Reflector::NextWatchTimeoutSeconds() {
  std::uniform_real_distribution<double> dist(0.0, 1.0);
  return static_cast<int>(static_cast<double>(options_.min_watch_timeout.count()) * (1.0 + dist(rng_)));
}

bool Reflector::Sleep(Clock::Duration delay) {
  auto deadline = clock_.Now() + delay;
  MutexLock lock(mu_);
  while (!stop_) {
    if (clock_.WaitUntil(cv_, lock.native(), deadline)) break;
  }
  return !stop_;
}

void Reflector::OnFailure(const Error& error, bool immediate) {
  ++failures_;
  auto now = clock_.Now();
  if (failed_before_ && now - last_failure_ > options_.healthy_reset) backoff_.Reset();
  failed_before_ = true;
  last_failure_ = now;
  if (immediate) return;
  auto delay = backoff_.Next();
  LOG(WARNING) << "reflector " << options_.name << ": " << error.ToString() << "; retrying in "
               << delay.count() << " ms";
  Sleep(delay);
}

Status Reflector::ListOnce() {
  ++lists_;
  sink_.BeginList();
  ListOptions list_options{.label_selector = options_.label_selector,
                           .field_selector = options_.field_selector,
                           .limit = options_.page_size};
  auto rv = client_.List(options_.path, list_options, [&](const json::Document& page) -> Status {
    if (const json::Value* items = json::Find(page, "items"); items != nullptr && items->IsArray()) {
      sink_.ListItems(*items);
    }
    return {};
  });
  if (!rv) {
    sink_.EndList(false);
    return Fail(rv.error());
  }
  sink_.EndList(true);
  {
    MutexLock lock(mu_);
    resource_version_ = *rv;
  }
  if (!synced_.exchange(true)) cv_.notify_all();
  return {};
}

Status Reflector::WatchOnce(bool& progressed) {
  ++watches_;
  WatchOptions watch_options{.resource_version = last_resource_version(),
                             .label_selector = options_.label_selector,
                             .field_selector = options_.field_selector,
                             .allow_bookmarks = true,
                             .timeout_seconds = NextWatchTimeoutSeconds()};
  return client_.Watch(
      options_.path, watch_options,
      [&](const WatchEvent& event) {
        if (stop_) return false;
        progressed = true;
        std::string_view rv = ResourceVersionOf(event.object);
        if (event.type != "BOOKMARK") sink_.Apply(event.type, event.object);
        if (!rv.empty()) {
          MutexLock lock(mu_);
          resource_version_.assign(rv);
        }
        return !stop_.load();
      },
      &stop_);
}

void Reflector::Run() {
  bool need_list = true;
  int gone_in_a_row = 0;
  while (!stop_) {
    if (need_list) {
      if (auto st = ListOnce(); !st) {
        if (stop_) break;
        OnFailure(st.error().Wrap("list " + options_.path), false);
        continue;
      }
      need_list = false;
    }
    auto started = clock_.Now();
    bool progressed = false;
    Status st = WatchOnce(progressed);
    if (stop_) break;
    if (progressed) gone_in_a_row = 0;
    if (!st) {
      if (st.error().kind == ErrorKind::kGone) {
        // The resourceVersion was compacted away: list again. Immediately the first time;
        // a second 410 in a row without progress goes through the backoff.
        need_list = true;
        LOG(INFO) << "reflector " << options_.name << ": " << st.error().ToString() << "; relisting";
        OnFailure(st.error(), ++gone_in_a_row < 2);
        continue;
      }
      OnFailure(st.error(), false);
      continue;
    }
    if (!progressed && clock_.Now() - started < kShortWatch) {
      OnFailure(MakeError(ErrorKind::kUnavailable, "watch " + options_.path + " ended at once without events"),
                false);
    }
  }
}

}  // namespace ccm::kube
