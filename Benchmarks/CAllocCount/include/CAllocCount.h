#ifndef CALLOCCOUNT_H
#define CALLOCCOUNT_H
/* Counts heap allocations of the whole benchmark process: this target defines malloc, calloc
   and realloc (passing each to glibc's own), which the dynamic linker prefers for every
   library in the process. Only the benchmark executable links it. */
unsigned long long fb_alloc_count(void);
#endif
