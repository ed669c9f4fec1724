#include "CAllocCount.h"
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define FB_SANITIZED 1
#endif
#endif

#if defined(FB_SANITIZED)
/* A sanitizer brings its own malloc: counting is off (the test bundle links this target too). */
unsigned long long fb_alloc_count(void) { return 0; }
#else
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

/* Per thread: the calling thread's own allocations, so another thread's (the access log's
   writer, which allocates per group commit) never lands in a measured window. Initial-exec
   TLS: reading it never calls malloc. */
static __thread unsigned long long allocations __attribute__((tls_model("initial-exec")));

/* Under AddressSanitizer (the fuzz builds, Fuzz/run.sh) the sanitizer must own malloc: a second
   definition passing to glibc breaks its allocator, so nothing is counted there. */
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FB_ALLOC_COUNT_OFF 1
#endif
#endif

#ifndef FB_ALLOC_COUNT_OFF

void *malloc(size_t n) {
    allocations += 1;
    return __libc_malloc(n);
}

void *calloc(size_t count, size_t size) {
    allocations += 1;
    return __libc_calloc(count, size);
}

void *realloc(void *p, size_t n) {
    allocations += 1;
    return __libc_realloc(p, n);
}

#endif

unsigned long long fb_alloc_count(void) { return allocations; }
#endif
