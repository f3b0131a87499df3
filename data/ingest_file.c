/* ingest_file.c: the followed file for `billtop ingest`: small helpers,
 * opening it (by path, or a rotated one by inode), and reading only complete
 * lines (see ingest_int.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest_int.h"

void ing_note(ing *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ing_note(ing *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	if (!x->o->note)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	x->o->note(msg, x->o->ctx);
}

int ing_stopping(const ing *x)
{
	return x->o->stop && *x->o->stop;
}

/* Sleep ms milliseconds; a signal cuts it short. */
void ing_nap(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

int ing_busy(db_t *db)
{
	int c = db_last_error(db);
	return c == DB_EBUSY;
}

/* Line breaks in b[0..n) counted as csvin counts them: LF, CR, CR LF. */
int64_t ing_count_lines(const char *b, size_t n)
{
	int64_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (b[i] == '\n' ? !(i > 0 && b[i - 1] == '\r') : b[i] == '\r')
			k++;
	return k;
}

void ing_add_stats(store_stats *d, const store_stats *a, const store_stats *b)
{
	d->inserted += a->inserted - b->inserted;
	d->duplicates += a->duplicates - b->duplicates;
	d->rated += a->rated - b->rated;
	d->unrated += a->unrated - b->unrated;
	d->not_connected += a->not_connected - b->not_connected;
	d->extra_legs += a->extra_legs - b->extra_legs;
	d->emergency += a->emergency - b->emergency;
	d->messages += a->messages - b->messages;
	d->charged += a->charged - b->charged;
	d->internal += a->internal - b->internal;
	d->dated_later += a->dated_later - b->dated_later;
}

/* ---- the file -------------------------------------------------------------- */

/* The absolute form of `path` (its directory resolved), for the ingest row. */
int ing_absolute(const char *path, char *out, size_t n)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	if (!*base)
		return -1;
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (!realpath(dir, real))
		return -1;
	if ((size_t)snprintf(out, n, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base) >= n)
		return -1;
	return 0;
}

/* A regular file in the directory of x->path with this device and inode
 * (the file we were reading, rotated while billtop was down). */
int ing_find_by_inode(ing *x, dev_t dev, ino_t ino, char *out, size_t n)
{
	char dir[PATH_MAX], full[PATH_MAX + 256];
	const char *slash = strrchr(x->path, '/');
	struct dirent *e;
	struct stat sb;
	DIR *d;
	int found = -1;
	snprintf(dir, sizeof dir, "%.*s", slash == x->path ? 1 : (int)(slash - x->path), x->path);
	if (!(d = opendir(dir)))
		return -1;
	while (found < 0 && (e = readdir(d)) != NULL) {
		snprintf(full, sizeof full, "%s/%s", strcmp(dir, "/") ? dir : "", e->d_name);
		if (stat(full, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_dev == dev && sb.st_ino == ino
		    && strlen(full) < n) {
			memcpy(out, full, strlen(full) + 1);
			found = 0;
		}
	}
	closedir(d);
	return found;
}

void ing_close_file(ing *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	cdrsrc_close_reader(&x->src);
	x->fmt = NULL;
}

/* Open `name` to be read from `pos` (line `line`). */
int ing_open_file(ing *x, const char *name, int64_t pos, int64_t line)
{
	struct stat sb;
	ing_close_file(x);
	if ((x->fd = open(name, O_RDONLY | O_CLOEXEC)) < 0 || fstat(x->fd, &sb) != 0) {
		int e = errno;
		ing_close_file(x);
		return db_failf(x->db, DB_EINPUT, "%s: cannot open: %s", name, strerror(e));
	}
	if (!S_ISREG(sb.st_mode)) {
		ing_close_file(x);
		return db_failf(x->db, DB_EINPUT, "%s: not a regular file", name);
	}
	snprintf(x->cur, sizeof x->cur, "%s", name);
	x->dev = sb.st_dev;
	x->ino = sb.st_ino;
	x->pos = x->wpos = pos;
	x->line = x->wline = line;
	return DB_OK;
}

/* Read from wpos: up to the last line end, into x->buf. *len gets the
 * bytes read, *complete those up to and including the last '\n'. */
int ing_read_chunk(ing *x, size_t *len, size_t *complete)
{
	ssize_t got;
	*len = *complete = 0;
	if (!x->buf) {
		if (!(x->buf = malloc(READ_START)))
			return db_failf(x->db, DB_ENOMEM, "out of memory");
		x->cap = READ_START;
	}
	do
		got = pread(x->fd, x->buf, x->cap, (off_t)x->wpos);
	while (got < 0 && errno == EINTR);
	if (got < 0)
		return db_failf(x->db, DB_EINPUT, "%s: read error: %s", x->cur, strerror(errno));
	*len = (size_t)got;
	for (size_t i = *len; i > 0; i--)
		if (x->buf[i - 1] == '\n') {
			*complete = i;
			break;
		}
	return DB_OK;
}

/* Double the read buffer for a record longer than it; -1 at the limit. */
int ing_grow(ing *x)
{
	char *nb;
	if (x->cap >= READ_MAX)
		return -1;
	if (!(nb = realloc(x->buf, x->cap * 2)))
		return -1;
	x->buf = nb;
	x->cap *= 2;
	return 0;
}

