/*
 * flood.c - a slow-client flood for the tests of okra serve
 * (tests/faults/server_flood.sh); not part of okra.
 *
 *   okra_flood PORT FIRST_ADDRESS N_ADDRESSES PER_ADDRESS SECONDS [keepalive]
 *
 * Opens PER_ADDRESS connections from each of N_ADDRESSES loopback source
 * addresses (FIRST_ADDRESS, then the next ones: 127.0.0.2, 127.0.0.3, ...)
 * to 127.0.0.1:PORT, and on each sends a request that never ends, one
 * byte a second ("GET /api/lint HTTP/1.1\r\nHost: ...\r\nX-Slow: aaaa...").
 * A connection the server closes is opened again 0.2 s later, for
 * SECONDS.  With keepalive, each connection first sends a whole request
 * and reads its answer, then trickles the next one.
 *
 * Prints one line of counts for the test to check:
 *   connections=N refused=N cut=N open=N cut_min_ms=N cut_max_ms=N
 *   oldest_open_ms=N answered=N
 * refused: closed before its second byte, within a second of connecting;
 * cut: closed later, with cut_min_ms/cut_max_ms the time from its first
 * trickled byte to the close; open: still open at the end, oldest_open_ms
 * the longest time since the first trickled byte among them; answered:
 * connections that received an HTTP answer to a trickled request (a slow
 * request is never answered, only cut, so this should stay 0).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct slot {
	int fd;              /* -1: closed */
	struct in_addr from; /* source address */
	long long opened_ms; /* connect */
	long long first_ms;  /* first trickled byte; 0: not yet */
	long long next_ms;   /* next byte, or the next connect */
	long long reopen_ms; /* when closed: reconnect at */
	size_t sent;         /* trickled bytes */
	int phase; /* keepalive: 0 sending whole, 1 reading, 2 trickling */
	char reply[512];
	size_t reply_len;
} slot;

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int port;
static bool keepalive;
static char head[256];
static size_t head_len;
static char whole[256];
static size_t whole_len;
static unsigned long long n_conn, n_refused, n_cut, n_answered;
static long long cut_min = -1, cut_max = -1;

static void open_slot(slot *s, long long now)
{
	s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	s->opened_ms = now;
	s->first_ms = 0;
	s->sent = 0;
	s->phase = keepalive ? 0 : 2;
	s->reply_len = 0;
	s->next_ms = now;
	if (s->fd < 0) {
		perror("socket");
		exit(2);
	}
	struct sockaddr_in src = {.sin_family = AF_INET, .sin_addr = s->from};
	struct sockaddr_in dst = {.sin_family = AF_INET,
	                          .sin_port = htons((uint16_t)port)};
	dst.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int one = 1;
	setsockopt(s->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&src, sizeof(src)) != 0) {
		perror("bind (is 127.0.0.0/8 on the loopback?)");
		exit(2);
	}
	if (connect(s->fd, (struct sockaddr *)&dst, sizeof(dst)) != 0 &&
	    errno != EINPROGRESS) {
		close(s->fd);
		s->fd = -1;
		s->reopen_ms = now + 200;
		n_refused++;
		return;
	}
	n_conn++;
}

static void closed(slot *s, long long now)
{
	/* Refused: closed before its second byte (a second after the
	 * first), however late this loop notices it on a busy machine. */
	if (s->sent <= 1 && now - s->opened_ms < 1000) {
		n_refused++;
	} else {
		n_cut++;
		long long from = s->first_ms ? s->first_ms : s->opened_ms;
		long long d = now - from;
		if (cut_min < 0 || d < cut_min)
			cut_min = d;
		if (d > cut_max)
			cut_max = d;
	}
	close(s->fd);
	s->fd = -1;
	s->reopen_ms = now + 200;
}

/* Sends the next byte (or the whole first request); false when the
 * server has gone. */
static bool send_some(slot *s, long long now)
{
	if (s->phase == 0) {
		ssize_t w = send(s->fd, whole, whole_len, MSG_NOSIGNAL);
		if (w < 0 && errno == EAGAIN)
			return true; /* not connected yet */
		if (w != (ssize_t)whole_len)
			return false;
		s->phase = 1;
		return true;
	}
	if (s->phase == 1)
		return true;
	char c = s->sent < head_len ? head[s->sent] : 'a';
	ssize_t w = send(s->fd, &c, 1, MSG_NOSIGNAL);
	if (w < 0 && errno == EAGAIN && s->sent == 0)
		return true; /* still connecting */
	if (w != 1)
		return false;
	if (s->sent++ == 0)
		s->first_ms = now;
	s->next_ms = now + 1000;
	return true;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr,
		        "usage: okra_flood PORT FIRST_ADDRESS "
		        "N_ADDRESSES PER_ADDRESS SECONDS [keepalive]\n");
		return 2;
	}
	port = atoi(argv[1]);
	struct in_addr first;
	if (inet_pton(AF_INET, argv[2], &first) != 1) {
		fprintf(stderr, "okra_flood: bad address %s\n", argv[2]);
		return 2;
	}
	int n_addr = atoi(argv[3]), per = atoi(argv[4]);
	long long seconds = atoll(argv[5]);
	keepalive = argc > 6 && strcmp(argv[6], "keepalive") == 0;
	head_len = (size_t)snprintf(head, sizeof(head),
	                            "GET /api/lint HTTP/1.1\r\nHost: "
	                            "127.0.0.1:%d\r\nX-Slow: ",
	                            port);
	whole_len = (size_t)snprintf(whole, sizeof(whole),
	                             "GET /api/lint HTTP/1.1\r\nHost: "
	                             "127.0.0.1:%d\r\n\r\n",
	                             port);
	size_t n = (size_t)n_addr * (size_t)per;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < n + 64) {
		rl.rlim_cur = rl.rlim_max < n + 64 ? rl.rlim_max : n + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	slot *slots = calloc(n, sizeof(*slots));
	struct pollfd *pfd = calloc(n, sizeof(*pfd));
	if (!slots || !pfd)
		return 2;
	long long start = now_ms();
	for (size_t i = 0; i < n; i++) {
		slots[i].from.s_addr =
		    htonl(ntohl(first.s_addr) + (uint32_t)(i / (size_t)per));
		open_slot(&slots[i], start);
	}
	for (;;) {
		long long now = now_ms();
		if (now - start >= seconds * 1000)
			break;
		for (size_t i = 0; i < n; i++) {
			slot *s = &slots[i];
			if (s->fd < 0 && now >= s->reopen_ms)
				open_slot(s, now);
			if (s->fd >= 0 && now >= s->next_ms &&
			    !send_some(s, now))
				closed(s, now);
			pfd[i].fd = s->fd;
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, n, 50) < 0 && errno != EINTR) {
			perror("poll");
			return 2;
		}
		now = now_ms();
		for (size_t i = 0; i < n; i++) {
			slot *s = &slots[i];
			if (s->fd < 0 || !pfd[i].revents)
				continue;
			char buf[4096];
			ssize_t r = recv(s->fd, buf, sizeof(buf), 0);
			if (r > 0 && s->phase == 1) {
				/* The answer to the whole request: trickle
				 * the next one once it is in. */
				size_t room =
				    sizeof(s->reply) - 1 - s->reply_len;
				size_t k = (size_t)r < room ? (size_t)r : room;
				memcpy(s->reply + s->reply_len, buf, k);
				s->reply_len += k;
				s->reply[s->reply_len] = '\0';
				if (strstr(s->reply, "\r\n\r\n")) {
					s->phase = 2;
					s->next_ms = now + 100;
				}
				continue;
			}
			if (r > 0) {
				if (memcmp(buf, "HTTP/", 5) == 0)
					n_answered++;
				continue;
			}
			if (r < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			closed(s, now);
		}
	}
	long long now = now_ms(), oldest = 0;
	unsigned long long n_open = 0;
	for (size_t i = 0; i < n; i++) {
		slot *s = &slots[i];
		if (s->fd < 0)
			continue;
		char c;
		ssize_t r = recv(s->fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
		bool gone = r == 0 || (r < 0 && errno != EAGAIN);
		if (!gone && now - s->opened_ms > 500) {
			long long from =
			    s->first_ms ? s->first_ms : s->opened_ms;
			n_open++;
			if (now - from > oldest)
				oldest = now - from;
		}
		close(s->fd);
	}
	printf("connections=%llu refused=%llu cut=%llu open=%llu "
	       "cut_min_ms=%lld cut_max_ms=%lld oldest_open_ms=%lld "
	       "answered=%llu\n",
	       n_conn, n_refused, n_cut, n_open, cut_min, cut_max, oldest,
	       n_answered);
	free(slots);
	free(pfd);
	return 0;
}
