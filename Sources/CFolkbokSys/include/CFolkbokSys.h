#ifndef CFOLKBOKSYS_H
#define CFOLKBOKSYS_H
#include <stddef.h>
#include <stdint.h>

/* Thin wrappers over Linux calls that Glibc's Swift overlay does not expose (epoll, accept4,
   eventfd, SO_PEERCRED). Each returns what the call returns (-1 with errno set on failure). */

/* Event bits, mirroring EPOLLIN/EPOLLOUT/EPOLLERR/EPOLLHUP/EPOLLRDHUP/EPOLLEXCLUSIVE. */
enum { FB_EV_IN = 0x001, FB_EV_OUT = 0x004, FB_EV_ERR = 0x008, FB_EV_HUP = 0x010, FB_EV_RDHUP = 0x2000, FB_EV_EXCLUSIVE = 0x10000000 };

typedef struct { uint32_t events; uint64_t token; } fb_event;

int fb_epoll_create(void);
int fb_epoll_add(int ep, int fd, uint32_t events, uint64_t token);
int fb_epoll_mod(int ep, int fd, uint32_t events, uint64_t token);
int fb_epoll_del(int ep, int fd);
/* Waits up to timeout_ms; fills out[0..n). Retries are the caller's business (EINTR returns -1). */
int fb_epoll_wait(int ep, fb_event *out, int max, int timeout_ms);

/* accept4 with SOCK_NONBLOCK | SOCK_CLOEXEC. */
int fb_accept_nonblocking(int listen_fd);
/* A non-blocking, close-on-exec eventfd. */
int fb_eventfd(void);
/* The peer's user id of a connected Unix socket (SO_PEERCRED); 0 on success. */
int fb_peer_uid(int fd, uint32_t *uid);
/* Binds and listens on a Unix stream socket at path (non-blocking, close-on-exec), mode applied with chmod. */
int fb_unix_listen(const char *path, int backlog, uint32_t mode);
/* Connects (blocking) to a Unix stream socket at path. */
int fb_unix_connect(const char *path);
/* Sets O_NONBLOCK on fd. */
int fb_set_nonblocking(int fd);

/* systemd's protocols (sd_listen_fds, sd_notify), without libsystemd. */
/* Whether fd is a listening AF_UNIX stream socket: 1 yes (then O_NONBLOCK and FD_CLOEXEC are set on
   it and its path, empty when unnamed or abstract, is copied to path[0..len)), 0 no, -1 with errno
   when it cannot be inspected. */
int fb_adopt_unix_listener(int fd, char *path, size_t len);
/* Sends the datagram `state` to the AF_UNIX datagram socket at `address`: a path, or an abstract
   name written with a leading '@' as NOTIFY_SOCKET spells it. 0 on success. */
int fb_notify_datagram(const char *address, const char *state);
/* A close-on-exec AF_UNIX datagram socket bound at `address` (path or '@abstract'): what tests
   use to stand in for systemd's notify socket. */
int fb_unix_datagram_bind(const char *address);

/* Returns free heap memory to the system (glibc malloc_trim) after a bulk load. */
void fb_release_free_memory(void);
/* Installs one handler for `signals` (e.g. SIGTERM, SIGINT) that writes each caught signal's
   number to a pipe, and returns the pipe's blocking read end (-1 with errno on failure). The
   handler replaces the default action in one step: from the return on, such a signal is never
   lost and never kills the process; it waits in the pipe until read. */
int fb_catch_shutdown_signals(const int *signals, int count);
/* Puts the calling thread (not the process) under the idle scheduling policy, SCHED_IDLE: it
   runs only on a core no normal thread wants, and a normal thread waking up preempts it at
   once. Where the policy is refused, the thread gets nice 10 instead. Once per thread (later
   calls do nothing; an unprivileged thread cannot leave the policy again). 1 when the thread
   is under the idle policy, 0 when at nice 10, -1 with errno when neither was possible. */
int fb_idle_thread_priority(void);
/* The size from which fb_map_large_allocations serves an allocation from its own mapping. */
#define FB_LARGE_ALLOCATION_BYTES (256 * 1024)
/* Serves every allocation of 256 KiB or more from its own mapping, returned to the system when
   freed (glibc otherwise raises that threshold as big blocks are freed, and the store's large
   arrays, grown by doubling, then leave holes in the heap that are never returned). */
void fb_map_large_allocations(void);
/* While on (1), an import's large transient arrays (batches of records, up to 32 MiB) come from
   the heap and its free memory is kept for the next batch instead of each being a fresh mapping
   whose every page faults in; off (0) restores fb_map_large_allocations (then call
   fb_release_free_memory). */
void fb_bulk_allocations(int on);

/* Whether this processor has the SSE 4.2 CRC32 instruction (always 0 off x86-64). */
int fb_crc32c_available(void);
/* CRC-32C of n bytes at p continuing from seed (a previous result, 0 to start), with the
   CRC32 instruction; call only when fb_crc32c_available(). */
uint32_t fb_crc32c(uint32_t seed, const void *p, size_t n);

/* Whether this processor has the SHA extensions (always 0 off x86-64). */
int fb_sha256_available(void);
/* SHA-256 compression of `blocks` 64-byte blocks at data into state[0..7] (a..h), with the SHA
   extensions and the 64 round constants k; call only when fb_sha256_available(). */
void fb_sha256_blocks(uint32_t state[8], const void *data, size_t blocks, const uint32_t k[64]);

/* Asks the processor to start loading the cache line at p for a read soon (a hint: never
   faults, whatever p is). Inline, so a Swift caller pays no call. */
static inline void fb_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
