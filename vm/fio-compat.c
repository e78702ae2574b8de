// SPDX-License-Identifier: GPL-2.0
/*
 * LD_PRELOAD for fio in the test kernel, which is tinyconfig and has neither
 * CONFIG_SYSVIPC nor CONFIG_TIMERFD:
 *  - fio keeps its job table in a SysV shm segment: shmget/shmat/shmdt/shmctl
 *    become shared anonymous mappings (seen by fio's threads, and by the
 *    processes it forks after attaching; no keys across process trees);
 *  - fio's helper thread ticks on a timerfd: timerfd_create/timerfd_settime
 *    become a pipe that a thread writes one 8-byte expiration count into.
 * Nothing here touches the I/O fio does.  scripts/fio.sh builds and loads it
 * only for a kernel that lacks one of the two options.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NSEG 64
static struct { size_t size; void *addr; int used, removed; } seg[NSEG];

int shmget(key_t key, size_t size, int flags)
{
	(void)key; (void)flags;
	for (int i = 0; i < NSEG; i++) {
		if (!seg[i].used) {
			seg[i] = (typeof(seg[i])){ .size = size, .used = 1 };
			return i;
		}
	}
	errno = ENOSPC;
	return -1;
}

void *shmat(int id, const void *addr, int flags)
{
	void *p;

	(void)addr; (void)flags;
	if (id < 0 || id >= NSEG || !seg[id].used || seg[id].removed) {
		errno = EINVAL;
		return (void *)-1;
	}
	if (!seg[id].addr) {
		p = mmap(NULL, seg[id].size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return (void *)-1;
		seg[id].addr = p;
	}
	return seg[id].addr;
}

int shmdt(const void *addr)
{
	for (int i = 0; i < NSEG; i++) {
		if (seg[i].used && seg[i].addr == addr) {
			munmap(seg[i].addr, seg[i].size);
			seg[i].addr = NULL;
			if (seg[i].removed)
				seg[i].used = 0;
			return 0;
		}
	}
	errno = EINVAL;
	return -1;
}

int shmctl(int id, int cmd, struct shmid_ds *buf)
{
	if (id < 0 || id >= NSEG || !seg[id].used) {
		errno = EINVAL;
		return -1;
	}
	if (cmd == IPC_RMID) {	/* as SysV: gone at the last detach */
		seg[id].removed = 1;
		if (!seg[id].addr)
			seg[id].used = 0;
	} else if (cmd == IPC_STAT && buf) {
		memset(buf, 0, sizeof(*buf));
		buf->shm_segsz = seg[id].size;
	}
	return 0;
}

#define NTFD 8
static struct tfd {
	int rfd, wfd, used, started;
	struct timespec next, interval;	/* next == 0: disarmed */
	pthread_cond_t cond;
} tfd[NTFD];
static pthread_mutex_t tfd_lock = PTHREAD_MUTEX_INITIALIZER;

static int ts_zero(const struct timespec *t) { return !t->tv_sec && !t->tv_nsec; }

static void ts_add(struct timespec *a, const struct timespec *b)
{
	a->tv_sec += b->tv_sec;
	a->tv_nsec += b->tv_nsec;
	if (a->tv_nsec >= 1000000000L) {
		a->tv_sec++;
		a->tv_nsec -= 1000000000L;
	}
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *tfd_thread(void *arg)
{
	struct tfd *t = arg;
	struct timespec now;
	uint64_t one = 1;
	sigset_t all;

	sigfillset(&all);	/* a closed pipe gives EPIPE, not SIGPIPE to fio */
	pthread_sigmask(SIG_BLOCK, &all, NULL);
	pthread_mutex_lock(&tfd_lock);
	for (;;) {
		if (ts_zero(&t->next)) {
			pthread_cond_wait(&t->cond, &tfd_lock);
			continue;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (ts_before(&now, &t->next)) {
			pthread_cond_timedwait(&t->cond, &tfd_lock, &t->next);
			continue;
		}
		if (write(t->wfd, &one, sizeof(one)) < 0 && errno == EPIPE)
			break;
		if (ts_zero(&t->interval)) {
			t->next = (struct timespec){ 0 };
		} else {
			ts_add(&t->next, &t->interval);
			if (ts_before(&t->next, &now))
				t->next = now;
		}
	}
	pthread_mutex_unlock(&tfd_lock);
	return NULL;
}

int timerfd_create(int clockid, int flags)
{
	int p[2];

	if (clockid != CLOCK_MONOTONIC) {
		errno = EINVAL;
		return -1;
	}
	if (pipe2(p, O_CLOEXEC))
		return -1;
	fcntl(p[1], F_SETFL, O_NONBLOCK);	/* a full pipe: the tick is lost */
	if (flags & TFD_NONBLOCK)
		fcntl(p[0], F_SETFL, O_NONBLOCK);
	pthread_mutex_lock(&tfd_lock);
	for (int i = 0; i < NTFD; i++) {
		if (!tfd[i].used) {
			tfd[i] = (struct tfd){ .rfd = p[0], .wfd = p[1], .used = 1 };
			pthread_condattr_t ca;
			pthread_condattr_init(&ca);
			pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
			pthread_cond_init(&tfd[i].cond, &ca);
			pthread_mutex_unlock(&tfd_lock);
			return p[0];
		}
	}
	pthread_mutex_unlock(&tfd_lock);
	close(p[0]);
	close(p[1]);
	errno = EMFILE;
	return -1;
}

int timerfd_settime(int fd, int flags, const struct itimerspec *new, struct itimerspec *old)
{
	struct timespec now;
	uint64_t junk;
	pthread_t th;
	int i, fl;

	pthread_mutex_lock(&tfd_lock);
	for (i = 0; i < NTFD && !(tfd[i].used && tfd[i].rfd == fd); i++)
		;
	if (i == NTFD) {
		pthread_mutex_unlock(&tfd_lock);
		errno = EBADF;
		return -1;
	}
	if (old)
		memset(old, 0, sizeof(*old));
	fl = fcntl(fd, F_GETFL);	/* a new setting clears the count */
	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (read(fd, &junk, sizeof(junk)) > 0)
		;
	fcntl(fd, F_SETFL, fl);
	tfd[i].interval = new->it_interval;
	tfd[i].next = new->it_value;
	if (!ts_zero(&new->it_value) && !(flags & TFD_TIMER_ABSTIME)) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		ts_add(&now, &new->it_value);
		tfd[i].next = now;
	}
	if (!tfd[i].started && pthread_create(&th, NULL, tfd_thread, &tfd[i]) == 0) {
		pthread_detach(th);
		tfd[i].started = 1;
	}
	pthread_cond_signal(&tfd[i].cond);
	pthread_mutex_unlock(&tfd_lock);
	return 0;
}
