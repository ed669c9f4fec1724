#ifndef CALLOCCOUNT_H
#define CALLOCCOUNT_H
/* Counts heap allocations in the benchmark process: this target defines malloc, calloc and
   realloc (passing each to glibc's own), which the dynamic linker prefers for every library in
   the process. SwiftPM links it into the test bundle too, where it only counts; under a
   sanitizer (which brings its own malloc) it defines nothing and answers 0. */

/* The calling thread's allocations so far (each thread counts its own). */
unsigned long long fb_alloc_count(void);
#endif
