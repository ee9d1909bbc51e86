#include "test/mocks/simulated_clock.h"

#include <thread>

namespace ccm::testing {

SimulatedClock::SimulatedClock()
    : now_(TimePoint{} + std::chrono::hours(1000)),
      wall_(std::chrono::system_clock::from_time_t(1700000000)) {}

Clock::TimePoint SimulatedClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

Clock::WallTime SimulatedClock::WallNow() const {
  std::lock_guard lock(mu_);
  return wall_;
}

bool SimulatedClock::WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                               TimePoint deadline) const {
  if (Now() >= deadline) return true;
  std::multiset<TimePoint>::iterator mine;
  {
    std::lock_guard g(mu_);
    cvs_.insert(&cv);
    mine = deadlines_.insert(deadline);
  }
  // A short real wait closes the race between checking the time and Advance()'s notify;
  // callers loop on their own condition, as with any condition variable.
  cv.wait_for(lock, std::chrono::milliseconds(2));
  {
    std::lock_guard g(mu_);
    cvs_.erase(&cv);
    deadlines_.erase(mine);
  }
  return Now() >= deadline;
}

void SimulatedClock::Advance(Duration d) {
  std::set<std::condition_variable*> cvs;
  {
    std::lock_guard lock(mu_);
    now_ += d;
    wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(d);
    cvs = cvs_;
  }
  for (auto* cv : cvs) cv->notify_all();
}

int SimulatedClock::waiters() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(deadlines_.size());
}

bool SimulatedClock::Parked(int threads) const {
  std::lock_guard lock(mu_);
  return static_cast<int>(deadlines_.size()) >= threads && (deadlines_.empty() || *deadlines_.begin() > now_);
}

void SimulatedClock::SetWall(WallTime t) {
  std::lock_guard lock(mu_);
  wall_ = t;
}

}  // namespace ccm::testing
