// A clock that moves only when a test says so. Waiters wake on Advance().
#pragma once

#include <atomic>
#include <mutex>
#include <set>

#include "pkg/base/clock.h"

namespace ccm::testing {

class SimulatedClock final : public Clock {
 public:
  SimulatedClock();

  TimePoint Now() const override;
  WallTime WallNow() const override;
  bool WaitUntil(std::condition_variable& cv, std::unique_lock<std::mutex>& lock,
                 TimePoint deadline) const override;

  void Advance(Duration d);
  void SetWall(WallTime t);
  // Number of threads currently blocked in WaitUntil (tests wait for a worker to park).
  int waiters() const;
  // True when at least `threads` threads wait in WaitUntil and none of them for a time that
  // has come: every thread woken by the last Advance() finished its turn and parked again.
  bool Parked(int threads) const;

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  WallTime wall_;
  mutable std::set<std::condition_variable*> cvs_;
  mutable std::multiset<TimePoint> deadlines_;  // of the threads inside WaitUntil
};

}  // namespace ccm::testing
