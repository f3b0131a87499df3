/* pipeline.c: producer thread (csvin + cdrfmt) and bounded batch queue. */
#include "pipeline.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ITEMS 2048
#define ARENA_BYTES (1 << 20)
#define NSLOTS 4

typedef struct {
	pipe_item items[BATCH_ITEMS];
	int n;
	char *arena;
	size_t used, cap;
	int64_t done, total;       /* bytes read when the batch was sealed */
	int eof;                   /* last batch of the file */
} batch;

typedef struct {
	const char *path;
	unsigned csv_flags;
	cdrfmt_reader *fmt;
	batch slots[NSLOTS];
	int head, count;           /* ring of sealed batches */
	int filling;               /* slot the producer fills, -1 when none */
	_Atomic int stop;          /* consumer asks the producer to stop */
	pthread_mutex_t mu;
	pthread_cond_t can_push, can_pop;
	int status;                /* csvin result */
	csvin_error err;
	int64_t done, total;
	int oom;
} pipe_state;

char *pipeline_row_text(const csvin_row *row, size_t *len)
{
	size_t cap = 16;
	char *buf, *p;
	for (int i = 0; i < row->nfields; i++)
		cap += row->len[i] * 2 + 3;
	if (!(buf = malloc(cap)))
		return NULL;
	p = buf;
	for (int i = 0; i < row->nfields; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (size_t k = 0; k < row->len[i]; k++) {
			if (row->field[i][k] == '"')
				*p++ = '"';
			*p++ = row->field[i][k];
		}
		*p++ = '"';
	}
	*len = (size_t)(p - buf);
	return buf;
}

/* Producer: wait for a free slot and start filling it. Called with mu held. */
static batch *take_slot(pipe_state *s)
{
	/* One slot is always the one being filled. The consumer drains to the
	 * end even after asking us to stop, so this wait always ends. */
	while (s->count == NSLOTS - 1)
		pthread_cond_wait(&s->can_push, &s->mu);
	s->filling = (s->head + s->count) % NSLOTS;
	batch *b = &s->slots[s->filling];
	b->n = 0;
	b->used = 0;
	b->eof = 0;
	return b;
}

/* Producer: seal the filling batch and publish it. */
static void seal(pipe_state *s, int eof)
{
	pthread_mutex_lock(&s->mu);
	batch *b = &s->slots[s->filling];
	b->eof = eof;
	b->done = s->done;
	b->total = s->total;
	s->count++;
	s->filling = -1;
	pthread_cond_signal(&s->can_pop);
	if (!eof)
		take_slot(s);
	pthread_mutex_unlock(&s->mu);
}

static char *arena_put(batch *b, const char *str)
{
	size_t n = str ? strlen(str) + 1 : 1;
	char *p = b->arena + b->used;
	if (str)
		memcpy(p, str, n);
	else
		*p = '\0';
	b->used += n;
	return p;
}

static size_t rec_bytes(const cdr_rec *r)
{
	const char *s[] = { r->record_id, r->call_key, r->account, r->src, r->dst, r->clid,
	                    r->disposition_text, r->direction };
	size_t n = 0;
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		n += (s[i] ? strlen(s[i]) : 0) + 1;
	return n;
}

/* Make room for `need` arena bytes and one item in the filling batch. */
static batch *room(pipe_state *s, size_t need)
{
	batch *b = &s->slots[s->filling];
	if (b->n == BATCH_ITEMS || (b->used + need > b->cap && b->n > 0)) {
		seal(s, 0);
		b = &s->slots[s->filling];
	}
	if (b->used + need > b->cap) { /* empty batch: growing moves no live pointer */
		size_t ncap = need > ARENA_BYTES ? need : ARENA_BYTES;
		char *na = realloc(b->arena, ncap);
		if (!na)
			return NULL;
		b->arena = na;
		b->cap = ncap;
	}
	return b;
}

static int produce_row(const csvin_row *row, void *vctx)
{
	pipe_state *s = vctx;
	char why[400];
	cdr_rec r;
	batch *b;
	pipe_item *it;
	int k;
	if (s->stop)
		return 1;
	k = cdrfmt_reader_row(s->fmt, row, &r, why, sizeof why);
	if (k == CDRFMT_HEADER || k == CDRFMT_SKIP)
		return 0;
	if (k == CDRFMT_EBAD) {
		size_t rawlen = 0;
		char *raw = pipeline_row_text(row, &rawlen);
		if (!raw || !(b = room(s, strlen(why) + 1 + rawlen + 1))) {
			free(raw);
			s->oom = 1;
			return 1;
		}
		it = &b->items[b->n++];
		memset(it, 0, sizeof *it);
		it->kind = PIPE_BAD;
		it->line = row->line;
		it->offset = row->offset;
		it->end_offset = row->end_offset;
		it->repaired = row->repaired;
		it->nfields = row->nfields;
		it->why = arena_put(b, why);
		it->raw = b->arena + b->used;
		memcpy(b->arena + b->used, raw, rawlen);
		b->arena[b->used + rawlen] = '\0';
		b->used += rawlen + 1;
		it->rawlen = rawlen;
		free(raw);
		return 0;
	}
	if (!(b = room(s, rec_bytes(&r)))) {
		s->oom = 1;
		return 1;
	}
	it = &b->items[b->n++];
	it->kind = PIPE_RECORD;
	it->line = row->line;
	it->offset = row->offset;
	it->end_offset = row->end_offset;
	it->repaired = row->repaired;
	it->nfields = row->nfields;
	it->why = NULL;
	it->raw = NULL;
	it->rawlen = 0;
	it->rec = r;
	it->rec.record_id = arena_put(b, r.record_id);
	it->rec.call_key = arena_put(b, r.call_key);
	it->rec.account = arena_put(b, r.account);
	it->rec.src = arena_put(b, r.src);
	it->rec.dst = arena_put(b, r.dst);
	it->rec.clid = arena_put(b, r.clid);
	it->rec.disposition_text = arena_put(b, r.disposition_text);
	it->rec.direction = arena_put(b, r.direction);
	return 0;
}

static void produce_progress(int64_t done, int64_t total, void *vctx)
{
	pipe_state *s = vctx;
	s->done = done; /* read by the consumer only through sealed batches */
	s->total = total;
}

static void *producer(void *vctx)
{
	pipe_state *s = vctx;
	pthread_mutex_lock(&s->mu);
	take_slot(s);
	pthread_mutex_unlock(&s->mu);
	s->status = csvin_read_file_ex(s->path, 0, s->csv_flags, produce_row, produce_progress, s, &s->err);
	seal(s, 1);
	return NULL;
}

int pipeline_run(const char *path, cdrfmt_reader *fmt, pipe_item_fn fn, pipe_progress_fn progress,
                 void *ctx, csvin_error *err)
{
	return pipeline_run_flags(path, 0, fmt, fn, progress, ctx, err);
}

int pipeline_run_flags(const char *path, unsigned csv_flags, cdrfmt_reader *fmt, pipe_item_fn fn,
                       pipe_progress_fn progress, void *ctx, csvin_error *err)
{
	pipe_state *s = calloc(1, sizeof *s);
	pthread_t th;
	int stopped = 0, stop_value = 0, status;

	memset(err, 0, sizeof *err);
	if (!s) {
		err->status = CSVIN_ENOMEM;
		snprintf(err->msg, sizeof err->msg, "out of memory");
		return CSVIN_ENOMEM;
	}
	s->path = path;
	s->csv_flags = csv_flags;
	s->fmt = fmt;
	s->filling = -1;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->can_push, NULL);
	pthread_cond_init(&s->can_pop, NULL);
	if (pthread_create(&th, NULL, producer, s) != 0) {
		/* no second thread: read on this one */
		free(s);
		err->status = CSVIN_EREAD;
		snprintf(err->msg, sizeof err->msg, "cannot start the reader thread");
		return CSVIN_EREAD;
	}
	for (;;) {
		batch *b;
		pthread_mutex_lock(&s->mu);
		while (s->count == 0)
			pthread_cond_wait(&s->can_pop, &s->mu);
		b = &s->slots[s->head];
		pthread_mutex_unlock(&s->mu);
		for (int i = 0; i < b->n && !stopped; i++)
			if ((stop_value = fn(&b->items[i], ctx)) != 0) {
				stopped = 1;
				pthread_mutex_lock(&s->mu);
				s->stop = 1;
				pthread_cond_signal(&s->can_push);
				pthread_mutex_unlock(&s->mu);
			}
		if (progress && !stopped)
			progress(b->done, b->total, ctx);
		int eof = b->eof;
		pthread_mutex_lock(&s->mu);
		s->head = (s->head + 1) % NSLOTS;
		s->count--;
		pthread_cond_signal(&s->can_push);
		pthread_mutex_unlock(&s->mu);
		if (eof)
			break;
	}
	pthread_join(th, NULL);
	status = s->status;
	*err = s->err;
	if (stopped) {
		status = CSVIN_ESTOPPED;
		err->status = CSVIN_ESTOPPED;
		err->stop_value = stop_value;
	} else if (s->oom) {
		status = CSVIN_ENOMEM;
		err->status = CSVIN_ENOMEM;
		snprintf(err->msg, sizeof err->msg, "out of memory");
	}
	for (int i = 0; i < NSLOTS; i++)
		free(s->slots[i].arena);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->can_push);
	pthread_cond_destroy(&s->can_pop);
	free(s);
	return status;
}
