/* out.c: CSV and JSON writers, terminal-safe text. */
#include "out.h"

#include <csv.h>
#include <string.h>

#include "../core/tm.h"
#include "csvin.h"

void out_csv_init(out_csv *c, FILE *f)
{
	c->f = f;
	c->ncells = 0;
}

static int plain_number(const char *s)
{
	const char *p = s;
	int digits = 0;
	if (*p == '-' || *p == '+')
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	return digits > 0 && *p == '\0';
}

void out_csv_cell(out_csv *c, const char *s)
{
	const char *v = s ? s : "";
	if (c->ncells++)
		fputc(',', c->f);
	if ((v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r')
	    && !plain_number(v)) {
		/* Neutralise: prefix an apostrophe inside the quoted cell. */
		size_t n = strlen(v);
		char buf[4096];
		if (n + 2 < sizeof buf) {
			buf[0] = '\'';
			memcpy(buf + 1, v, n + 1);
			csv_fwrite(c->f, buf, n + 1);
			return;
		}
		fputs("\"'", c->f);
		for (; *v; v++) {
			if (*v == '"')
				fputc('"', c->f);
			fputc(*v, c->f);
		}
		fputc('"', c->f);
		return;
	}
	csv_fwrite(c->f, v, strlen(v));
}

void out_csv_int(out_csv *c, int64_t v)
{
	if (c->ncells++)
		fputc(',', c->f);
	fprintf(c->f, "%lld", (long long)v);
}

void out_csv_money(out_csv *c, money_t v, int decimals)
{
	char buf[40];
	money_format(v, decimals, buf, sizeof buf);
	if (c->ncells++)
		fputc(',', c->f);
	fputs(buf, c->f);
}

void out_csv_time(out_csv *c, int64_t t)
{
	char buf[32] = "";
	if (t != TM_NONE)
		tm_format(t, buf, sizeof buf);
	if (c->ncells++)
		fputc(',', c->f);
	fputs(buf, c->f);
}

void out_csv_end(out_csv *c)
{
	fputs("\r\n", c->f);
	c->ncells = 0;
}

/* ---- JSON ----------------------------------------------------------- */

void out_json_init(out_json *j, FILE *f, int pretty)
{
	memset(j, 0, sizeof *j);
	j->f = f;
	j->pretty = pretty;
	j->first[0] = 1;
}

static void json_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	fputc('"', f);
	while (*p) {
		unsigned char ch = *p;
		if (ch == '"' || ch == '\\') {
			fputc('\\', f);
			fputc(ch, f);
			p++;
		} else if (ch < 0x20 || ch == 0x7f) {
			fprintf(f, "\\u%04x", ch);
			p++;
		} else if (ch < 0x80) {
			fputc(ch, f);
			p++;
		} else {
			size_t n = (ch >= 0xf0) ? 4 : (ch >= 0xe0) ? 3 : (ch >= 0xc0) ? 2 : 1;
			size_t avail = strnlen((const char *)p, n);
			if (avail == n && csvin_valid_utf8((const char *)p, n)) {
				fwrite(p, 1, n, f);
				p += n;
			} else {
				fputs("\\ufffd", f);
				p++;
			}
		}
	}
	fputc('"', f);
}

static void json_sep(out_json *j, const char *key)
{
	if (!j->first[j->depth])
		fputc(',', j->f);
	j->first[j->depth] = 0;
	if (j->pretty && j->depth > 0) {
		fputc('\n', j->f);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key) {
		json_string(j->f, key);
		fputs(j->pretty ? ": " : ":", j->f);
	}
}

static void json_open(out_json *j, const char *key, char ch)
{
	json_sep(j, key);
	fputc(ch, j->f);
	if (j->depth < 31)
		j->depth++;
	j->first[j->depth] = 1;
	j->closer[j->depth] = ch == '{' ? '}' : ']';
}

void out_json_obj(out_json *j, const char *key) { json_open(j, key, '{'); }
void out_json_arr(out_json *j, const char *key) { json_open(j, key, '['); }

void out_json_end(out_json *j)
{
	int empty = j->first[j->depth];
	char closer = j->closer[j->depth];
	j->depth--;
	if (j->pretty && !empty) {
		fputc('\n', j->f);
		for (int i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(closer, j->f);
}

void out_json_str(out_json *j, const char *key, const char *v)
{
	json_sep(j, key);
	if (v)
		json_string(j->f, v);
	else
		fputs("null", j->f);
}

void out_json_int(out_json *j, const char *key, int64_t v)
{
	json_sep(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void out_json_bool(out_json *j, const char *key, int v)
{
	json_sep(j, key);
	fputs(v ? "true" : "false", j->f);
}

void out_json_null(out_json *j, const char *key)
{
	json_sep(j, key);
	fputs("null", j->f);
}

void out_json_money(out_json *j, const char *key, money_t v, int decimals)
{
	char buf[40];
	money_format(v, decimals, buf, sizeof buf);
	out_json_str(j, key, buf);
}

void out_json_time(out_json *j, const char *key, int64_t t)
{
	char buf[32];
	if (t == TM_NONE) {
		out_json_null(j, key);
		return;
	}
	tm_format_iso(t, buf, sizeof buf);
	out_json_str(j, key, buf);
}

void out_json_done(out_json *j)
{
	fputc('\n', j->f);
}

size_t out_visible(const char *s, char *dst, size_t n, int ascii)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s;
	if (n == 0)
		return 0;
	while (*p && o + 1 < n) {
		unsigned char ch = *p;
		char esc[8];
		size_t len;
		if (ch < 0x20 || ch == 0x7f) {
			len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", ch);
			p++;
		} else if (ch < 0x80) {
			esc[0] = (char)ch;
			len = 1;
			p++;
		} else {
			size_t cl = (ch >= 0xf0) ? 4 : (ch >= 0xe0) ? 3 : (ch >= 0xc0) ? 2 : 1;
			size_t avail = strnlen((const char *)p, cl);
			int c1 = cl == 2 && ch == 0xc2 && avail == 2 && p[1] < 0xa0; /* C1 controls */
			if (!ascii && avail == cl && !c1 && csvin_valid_utf8((const char *)p, cl)) {
				if (o + cl >= n)
					break;
				memcpy(dst + o, p, cl);
				o += cl;
				p += cl;
				continue;
			}
			len = (size_t)snprintf(esc, sizeof esc, "\\x%02x", ch);
			p++;
		}
		if (o + len >= n)
			break;
		memcpy(dst + o, esc, len);
		o += len;
	}
	dst[o] = '\0';
	return o;
}
