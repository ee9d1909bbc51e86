// Hands freed heap pages back to the kernel on a timer. glibc keeps freed memory in its
// arenas; after a burst (thousands of backends planned, multi-megabyte API lists parsed)
// that is tens of MB of RSS nobody uses until the next burst. malloc_trim(0) also releases
// whole free pages in the middle of the heap (madvise), at a cost of milliseconds.
#pragma once

#include <condition_variable>
#include <functional>
#include <thread>

#include "pkg/base/clock.h"
#include "pkg/base/mutex.h"

namespace ccm {

class MemoryTrimmer {
 public:
  // `trim` defaults to malloc_trim(0); injected so tests count calls.
  MemoryTrimmer(const Clock& clock, Clock::Duration period, std::function<void()> trim = {});
  ~MemoryTrimmer();
  MemoryTrimmer(const MemoryTrimmer&) = delete;
  MemoryTrimmer& operator=(const MemoryTrimmer&) = delete;

 private:
  void Loop();

  const Clock& clock_;
  const Clock::Duration period_;
  std::function<void()> trim_;
  Mutex mu_;
  std::condition_variable cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace ccm
