/* inv_cancel.c: cancelling an investigation's load (inv_int.h): the shared
 * flag, the owner's throttled poll, and waiting for a loader thread while
 * still polling. */
#include <time.h>

#include "../core/tm.h"
#include "inv_int.h"

int inv_cancel_check(inv_cancel *c, int on_owner)
{
	int64_t now;
	if (!c)
		return 0;
	if (atomic_load_explicit(&c->flag, memory_order_relaxed))
		return 1;
	if (!on_owner || !c->poll || (now = tm_mono_ms()) < c->next_ms)
		return 0;
	c->next_ms = now + INV_POLL_MS;
	if (!c->poll(c->ctx))
		return 0;
	c->by_poll = 1;
	atomic_store_explicit(&c->flag, 1, memory_order_relaxed);
	return 1;
}

void inv_join(pthread_t th, atomic_int *done, inv_cancel *c, int on_owner)
{
	if (c && c->poll && on_owner) {
		const struct timespec tick = { 0, 10 * 1000000L };
		while (!atomic_load_explicit(done, memory_order_acquire)) {
			inv_cancel_check(c, 1);
			nanosleep(&tick, NULL);
		}
	}
	pthread_join(th, NULL);
}
