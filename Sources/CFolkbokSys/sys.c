#define _GNU_SOURCE
#include "CFolkbokSys.h"
#include <errno.h>
#include <malloc.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <fcntl.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

int fb_epoll_create(void) { return epoll_create1(EPOLL_CLOEXEC); }

static int ctl(int ep, int op, int fd, uint32_t events, uint64_t token) {
    struct epoll_event ev;
    memset(&ev, 0, sizeof ev);
    ev.events = events;
    ev.data.u64 = token;
    return epoll_ctl(ep, op, fd, &ev);
}

int fb_epoll_add(int ep, int fd, uint32_t events, uint64_t token) { return ctl(ep, EPOLL_CTL_ADD, fd, events, token); }
int fb_epoll_mod(int ep, int fd, uint32_t events, uint64_t token) { return ctl(ep, EPOLL_CTL_MOD, fd, events, token); }
int fb_epoll_del(int ep, int fd) { return ctl(ep, EPOLL_CTL_DEL, fd, 0, 0); }

int fb_epoll_wait(int ep, fb_event *out, int max, int timeout_ms) {
    struct epoll_event evs[256];
    if (max > 256) max = 256;
    int n = epoll_wait(ep, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) { out[i].events = evs[i].events; out[i].token = evs[i].data.u64; }
    return n;
}

int fb_accept_nonblocking(int listen_fd) { return accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }

int fb_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

int fb_peer_uid(int fd, uint32_t *uid) {
    struct ucred cred;
    socklen_t len = sizeof cred;
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    *uid = (uint32_t)cred.uid;
    return 0;
}

static int fill_addr(struct sockaddr_un *addr, const char *path) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof addr->sun_path) { errno = ENAMETOOLONG; return -1; }
    strcpy(addr->sun_path, path);
    return 0;
}

int fb_unix_listen(const char *path, int backlog, uint32_t mode) {
    struct sockaddr_un addr;
    if (fill_addr(&addr, path) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || chmod(path, (mode_t)mode) != 0 ||
        listen(fd, backlog) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int fb_unix_connect(const char *path) {
    struct sockaddr_un addr;
    if (fill_addr(&addr, path) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

int fb_set_nonblocking(int fd) {
    int flags = fcntl(fd, F_GETFL, 0);
    if (flags < 0) return -1;
    return fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

void fb_release_free_memory(void) { malloc_trim(0); }

static int shutdown_pipe_write = -1;

static void on_shutdown_signal(int sig) {
    int saved = errno;
    unsigned char number = (unsigned char)sig;
    ssize_t written = write(shutdown_pipe_write, &number, 1);
    (void)written; /* a full pipe already holds a shutdown request */
    errno = saved;
}

int fb_catch_shutdown_signals(const int *signals, int count) {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return -1;
    if (fcntl(fds[1], F_SETFL, O_NONBLOCK) != 0) {
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    shutdown_pipe_write = fds[1];
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_shutdown_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    for (int i = 0; i < count; i++) {
        if (sigaction(signals[i], &action, NULL) != 0) return -1;
    }
    return fds[0];
}

int fb_idle_thread_priority(void) {
    static __thread int level;  /* 0: not set yet; else the answer given */
    if (level != 0) return level > 1 ? 1 : 0;
    struct sched_param param = {.sched_priority = 0};
    /* pid 0: the calling thread. Unprivileged threads may always move to SCHED_IDLE. */
    if (sched_setscheduler(0, SCHED_IDLE, &param) == 0) {
        level = 2;
        return 1;
    }
    if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10) == 0) {
        level = 1;
        return 0;
    }
    return -1;
}

void fb_map_large_allocations(void) {
    mallopt(M_MMAP_THRESHOLD, FB_LARGE_ALLOCATION_BYTES);
    mallopt(M_TRIM_THRESHOLD, 1024 * 1024);
}

void fb_bulk_allocations(int on) {
    if (!on) {
        fb_map_large_allocations();
        return;
    }
    /* The trim threshold stays: malloc_trim never trims the top of a thread's arena, so
       memory kept there for the next batch would stay resident after the import. */
    mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t crc32c_instruction(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t v;
        memcpy(&v, p, 8);
        c = __builtin_ia32_crc32di(c, v);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n-- > 0) c32 = __builtin_ia32_crc32qi(c32, *p++);
    return c32;
}

int fb_crc32c_available(void) { return __builtin_cpu_supports("sse4.2") ? 1 : 0; }

uint32_t fb_crc32c(uint32_t seed, const void *p, size_t n) { return ~crc32c_instruction(~seed, (const uint8_t *)p, n); }
#else
int fb_crc32c_available(void) { return 0; }

uint32_t fb_crc32c(uint32_t seed, const void *p, size_t n) { (void)p; (void)n; return seed; }
#endif

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>


/* SHA-256 block compression with the SHA extensions (FIPS 180-4 rounds, four at a time: two
   sha256rnds2 per group; the message schedule by sha256msg1/msg2). state[0..7] = a..h. */
__attribute__((target("sha,sse4.1,ssse3")))
static void sha256_blocks_ni(uint32_t state[8], const uint8_t *data, size_t blocks, const uint32_t k[64]) {
    const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
    __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
    __m128i state1 = _mm_loadu_si128((const __m128i *)&state[4]);
    tmp = _mm_shuffle_epi32(tmp, 0xB1);             /* CDAB */
    state1 = _mm_shuffle_epi32(state1, 0x1B);       /* EFGH */
    __m128i state0 = _mm_alignr_epi8(tmp, state1, 8); /* ABEF */
    state1 = _mm_blend_epi16(state1, tmp, 0xF0);      /* CDGH */
    while (blocks-- > 0) {
        const __m128i abef = state0, cdgh = state1;
        __m128i w[4];
        for (int i = 0; i < 16; i++) {
            if (i < 4) {
                w[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), mask);
            } else {
                __m128i t = _mm_sha256msg1_epu32(w[(i - 4) & 3], w[(i - 3) & 3]);
                t = _mm_add_epi32(t, _mm_alignr_epi8(w[(i - 1) & 3], w[(i - 2) & 3], 4));
                w[i & 3] = _mm_sha256msg2_epu32(t, w[(i - 1) & 3]);
            }
            __m128i msg = _mm_add_epi32(w[i & 3], _mm_loadu_si128((const __m128i *)&k[4 * i]));
            state1 = _mm_sha256rnds2_epu32(state1, state0, msg);
            msg = _mm_shuffle_epi32(msg, 0x0E);
            state0 = _mm_sha256rnds2_epu32(state0, state1, msg);
        }
        state0 = _mm_add_epi32(state0, abef);
        state1 = _mm_add_epi32(state1, cdgh);
        data += 64;
    }
    tmp = _mm_shuffle_epi32(state0, 0x1B);          /* FEBA */
    state1 = _mm_shuffle_epi32(state1, 0xB1);       /* DCHG */
    state0 = _mm_blend_epi16(tmp, state1, 0xF0);    /* DCBA */
    state1 = _mm_alignr_epi8(state1, tmp, 8);       /* ABEF */
    _mm_storeu_si128((__m128i *)&state[0], state0);
    _mm_storeu_si128((__m128i *)&state[4], state1);
}

int fb_sha256_available(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    int sha = (b >> 29) & 1;
    return sha && __builtin_cpu_supports("sse4.1") && __builtin_cpu_supports("ssse3") ? 1 : 0;
}

void fb_sha256_blocks(uint32_t state[8], const void *data, size_t blocks, const uint32_t k[64]) {
    sha256_blocks_ni(state, (const uint8_t *)data, blocks, k);
}
#else
int fb_sha256_available(void) { return 0; }

void fb_sha256_blocks(uint32_t state[8], const void *data, size_t blocks, const uint32_t k[64]) {
    (void)state; (void)data; (void)blocks; (void)k;
}
#endif

/* An AF_UNIX address from a path or, with a leading '@', an abstract name (systemd's spelling). */
static int fill_address(struct sockaddr_un *addr, socklen_t *len, const char *address) {
    memset(addr, 0, sizeof *addr);
    addr->sun_family = AF_UNIX;
    size_t n = strlen(address);
    if (n == 0 || n >= sizeof addr->sun_path) { errno = n == 0 ? EINVAL : ENAMETOOLONG; return -1; }
    memcpy(addr->sun_path, address, n);
    if (address[0] == '@') {
        addr->sun_path[0] = 0;
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
    } else {
        *len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
    }
    return 0;
}

int fb_adopt_unix_listener(int fd, char *path, size_t len) {
    int type = 0, listening = 0;
    socklen_t optlen = sizeof type;
    if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &optlen) != 0) return errno == ENOTSOCK ? 0 : -1;
    optlen = sizeof listening;
    if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optlen) != 0) return -1;
    struct sockaddr_un addr;
    socklen_t addrlen = sizeof addr;
    memset(&addr, 0, sizeof addr);
    if (getsockname(fd, (struct sockaddr *)&addr, &addrlen) != 0) return -1;
    if (addr.sun_family != AF_UNIX || type != SOCK_STREAM || !listening) return 0;
    if (len > 0) {
        size_t n = addr.sun_path[0] == 0 ? 0 : strnlen(addr.sun_path, sizeof addr.sun_path);
        if (n >= len) n = len - 1;
        memcpy(path, addr.sun_path, n);
        path[n] = 0;
    }
    int flags = fcntl(fd, F_GETFD, 0);
    if (flags < 0 || fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0 || fb_set_nonblocking(fd) != 0) return -1;
    return 1;
}

int fb_notify_datagram(const char *address, const char *state) {
    struct sockaddr_un addr;
    socklen_t len;
    if (fill_address(&addr, &len, address) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    ssize_t sent;
    do { sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&addr, len); } while (sent < 0 && errno == EINTR);
    int saved = errno;
    close(fd);
    errno = saved;
    return sent < 0 ? -1 : 0;
}

int fb_unix_datagram_bind(const char *address) {
    struct sockaddr_un addr;
    socklen_t len;
    if (fill_address(&addr, &len, address) != 0) return -1;
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    if (bind(fd, (struct sockaddr *)&addr, len) != 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}
