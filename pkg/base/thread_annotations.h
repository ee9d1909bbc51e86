// Clang's thread-safety analysis (-Wthread-safety, on in the clang fuzz build): the mutex that
// guards a member is written next to it, and the compiler checks every access. Other compilers
// see nothing. https://clang.llvm.org/docs/ThreadSafetyAnalysis.html
#pragma once

#if defined(__clang__)
#define CCM_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CCM_THREAD_ANNOTATION(x)
#endif

#define CAPABILITY(x) CCM_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY CCM_THREAD_ANNOTATION(scoped_lockable)
#define GUARDED_BY(x) CCM_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) CCM_THREAD_ANNOTATION(pt_guarded_by(x))
#define ACQUIRED_BEFORE(...) CCM_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
#define ACQUIRED_AFTER(...) CCM_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define REQUIRES(...) CCM_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) CCM_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
#define ACQUIRE(...) CCM_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) CCM_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) CCM_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) CCM_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) CCM_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
#define EXCLUDES(...) CCM_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ASSERT_CAPABILITY(x) CCM_THREAD_ANNOTATION(assert_capability(x))
#define RETURN_CAPABILITY(x) CCM_THREAD_ANNOTATION(lock_returned(x))
#define NO_THREAD_SAFETY_ANALYSIS CCM_THREAD_ANNOTATION(no_thread_safety_analysis)
