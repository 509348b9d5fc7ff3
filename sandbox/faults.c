/* faults: rate limiting, deterministic failures and canned bad answers. */
#include "faults.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define NS_PER_SEC 1000000000ull

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* splitmix64: request number n of seed s always gets the same draw. */
static uint64_t mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

int faults_init(struct faults *f, const struct faults_cfg *cfg)
{
	memset(f, 0, sizeof *f);
	f->cfg = *cfg;
	if (cfg->rate_limit) {
		f->window = calloc(cfg->rate_limit, sizeof *f->window);
		if (!f->window)
			return -1;
	}
	pthread_mutex_init(&f->mu, NULL);
	return 0;
}

void faults_destroy(struct faults *f)
{
	free(f->window);
	pthread_mutex_destroy(&f->mu);
}

/* Sliding window over the last rate_limit accepted requests: the next one
 * is refused while the oldest of them is less than a second old. Refused
 * requests do not count, so a client that waits Retry-After gets through. */
static bool rate_limited(struct faults *f, uint64_t now)
{
	if (!f->cfg.rate_limit)
		return false;
	if (f->window_len == f->cfg.rate_limit) {
		uint64_t oldest = f->window[f->window_head];
		if (now - oldest < NS_PER_SEC)
			return true;
		f->window[f->window_head] = now;
		f->window_head = (f->window_head + 1) % f->cfg.rate_limit;
		return false;
	}
	f->window[(f->window_head + f->window_len) % f->cfg.rate_limit] = now;
	f->window_len++;
	return false;
}

enum fault faults_decide(struct faults *f)
{
	uint64_t now = now_ns();
	pthread_mutex_lock(&f->mu);
	bool limited = rate_limited(f, now);
	uint64_t n = f->served++;
	pthread_mutex_unlock(&f->mu);
	if (limited)
		return FAULT_RATE_LIMITED;
	if (f->cfg.redirect)
		return FAULT_REDIRECT;
	if (f->cfg.html)
		return FAULT_HTML;
	if (f->cfg.fail_rate > 0) {
		double u = (double)(mix(f->cfg.seed ^ mix(n)) >> 11) / (double)(1ull << 53);
		if (u < f->cfg.fail_rate)
			return FAULT_FAIL;
	}
	if (f->cfg.malformed)
		return FAULT_MALFORMED;
	return FAULT_NONE;
}

void faults_answer(const struct faults *f, enum fault which, struct fault_answer *out)
{
	memset(out, 0, sizeof *out);
	switch (which) {
	case FAULT_RATE_LIMITED:
		out->status = 429;
		out->content_type = "application/json";
		out->body = "{\"error\":\"Too many requests\"}";
		out->header = "Retry-After";
		out->header_value = "1";
		break;
	case FAULT_REDIRECT:
		out->status = 302;
		out->content_type = "text/html";
		out->body = "<html><body>Moved</body></html>\n";
		out->header = "Location";
		out->header_value = f->cfg.redirect;
		break;
	case FAULT_HTML:
		out->status = 502;
		out->content_type = "text/html";
		out->body = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n"
			    "<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
			    "<hr><center>okaya-sandbox</center>\r\n</body>\r\n</html>\r\n";
		break;
	case FAULT_FAIL:
		out->status = 500;
		out->content_type = "text/html";
		out->body = "<html><head><title>500 Internal Server Error</title></head>"
			    "<body><h1>Internal Server Error</h1></body></html>\n";
		break;
	case FAULT_MALFORMED:
		out->status = 200;
		out->content_type = "application/json";
		out->body = "{\"message\": \"succ";
		break;
	case FAULT_NONE:
		break;
	}
}

void faults_delay(const struct faults *f)
{
	if (!f->cfg.delay_ms)
		return;
	struct timespec ts = {
		.tv_sec = f->cfg.delay_ms / 1000,
		.tv_nsec = (long)(f->cfg.delay_ms % 1000) * 1000000L,
	};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}
