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

/* The contract for every CSV cell billtop writes (exports of records, ledger
 * memos, rejected rows):
 *  - RFC 4180 quoting through libcsv: quotes doubled, the cell quoted, so
 *    commas, quotes, CR and LF inside a value stay inside its cell;
 *  - the bytes are the stored bytes: escape sequences and other control
 *    characters are data and are kept (a CSV is for programs and
 *    spreadsheets, not for a terminal), except NUL, which CSV readers take
 *    as the end of the text: it is written as U+FFFD;
 *  - a cell a spreadsheet would run as a formula (first character = + - @,
 *    tab or CR) gets a leading apostrophe, unless it is a plain number such
 *    as "-12.50". */
static int formula_start(const char *v, size_t n)
{
	char c = n ? v[0] : '\0';
	if (c != '=' && c != '+' && c != '-' && c != '@' && c != '\t' && c != '\r')
		return 0;
	char num[48];
	if (n < sizeof num && !memchr(v, '\0', n)) {
		memcpy(num, v, n);
		num[n] = '\0';
		return !plain_number(num);
	}
	return 1;
}

void out_csv_celln(out_csv *c, const char *s, size_t n)
{
	const char *v = s ? s : "";
	if (!s)
		n = 0;
	if (c->ncells++)
		fputc(',', c->f);
	int neutralise = formula_start(v, n);
	if (!neutralise && !memchr(v, '\0', n)) {
		csv_fwrite(c->f, v, n);
		return;
	}
	fputc('"', c->f);
	if (neutralise)
		fputc('\'', c->f);
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '"')
			fputc('"', c->f);
		if (v[i] == '\0')
			fputs("\xef\xbf\xbd", c->f);
		else
			fputc(v[i], c->f);
	}
	fputc('"', c->f);
}

void out_csv_cell(out_csv *c, const char *s)
{
	out_csv_celln(c, s, s ? strlen(s) : 0);
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

/* The contract for every JSON string: the document is valid UTF-8 JSON
 * whatever the stored bytes were. '"' and '\\' are escaped; C0 controls,
 * DEL and NUL as \\u00XX; C1 controls (U+0080..U+009F, which some
 * terminals obey like ESC) and U+2028/U+2029 (line breaks to JavaScript) as
 * \\uXXXX too, so the text is data wherever the JSON is pasted or printed;
 * every byte that is not part of valid UTF-8 becomes \\ufffd. */
static void json_stringn(FILE *f, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	fputc('"', f);
	while (p < e) {
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
			if ((size_t)(e - p) >= n && csvin_valid_utf8((const char *)p, n)) {
				if (n == 2 && ch == 0xc2 && p[1] < 0xa0)
					fprintf(f, "\\u%04x", p[1]);              /* C1 control */
				else if (n == 3 && ch == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
					fprintf(f, "\\u%04x", 0x2000 + (p[2] & 0x3f)); /* U+2028, U+2029 */
				else
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

static void json_string(FILE *f, const char *s)
{
	json_stringn(f, s, strlen(s));
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

void out_json_strn(out_json *j, const char *key, const char *v, size_t n)
{
	json_sep(j, key);
	if (v)
		json_stringn(j->f, v, n);
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

/* Unicode formatting characters that reorder or hide what is shown: the
 * bidirectional embeddings, overrides and isolates (U+202A..U+202E,
 * U+2066..U+2069), the direction marks (U+200E, U+200F, U+061C) and the
 * line and paragraph separators (U+2028, U+2029). A caller name holding
 * U+202E would show a number's digits reversed. cl is the sequence length. */
static int format_char(const unsigned char *p, size_t cl)
{
	if (cl == 2)
		return p[0] == 0xd8 && p[1] == 0x9c;                                    /* U+061C */
	if (cl != 3 || p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80)
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae); /* 200E/F, 2028..202E */
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;                      /* 2066..2069 */
}

/* The contract for text shown on a terminal (CLI text output, the console,
 * error messages): nothing in it can act on the terminal. C0 controls
 * (ESC, BEL, CR, LF, ...), DEL, NUL, C1 controls (U+0080..U+009F, e.g.
 * U+009B, an 8-bit CSI) and the bidi/separator characters above become
 * visible escapes (\x1b, \x00, \xc2\x9b, \u{202e}); bytes that are not
 * valid UTF-8 become \xNN; so does all non-ASCII with ascii = 1. The escape
 * text is plain ASCII, so an escape sequence in the data is shown, never run. */
size_t out_visible_n(const char *s, size_t len, char *dst, size_t n, int ascii)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)s, *e = p + len;
	if (n == 0)
		return 0;
	while (p < e && o + 1 < n) {
		unsigned char ch = *p;
		char esc[16];
		size_t cl;
		if (ch < 0x20 || ch == 0x7f) {
			cl = (size_t)snprintf(esc, sizeof esc, "\\x%02x", ch);
			p++;
		} else if (ch < 0x80) {
			esc[0] = (char)ch;
			cl = 1;
			p++;
		} else {
			size_t sl = (ch >= 0xf0) ? 4 : (ch >= 0xe0) ? 3 : (ch >= 0xc0) ? 2 : 1;
			int ok = (size_t)(e - p) >= sl && csvin_valid_utf8((const char *)p, sl);
			int c1 = ok && sl == 2 && ch == 0xc2 && p[1] < 0xa0; /* C1 controls */
			if (ok && !ascii && !c1 && !format_char(p, sl)) {
				if (o + sl >= n)
					break;
				memcpy(dst + o, p, sl);
				o += sl;
				p += sl;
				continue;
			}
			if (ok && !c1 && format_char(p, sl)) {
				unsigned cp = sl == 2 ? 0x061cu
				              : ((unsigned)(p[0] & 0x0f) << 12) | ((unsigned)(p[1] & 0x3f) << 6) | (p[2] & 0x3fu);
				cl = (size_t)snprintf(esc, sizeof esc, "\\u{%04x}", cp);
				p += sl;
			} else {
				cl = (size_t)snprintf(esc, sizeof esc, "\\x%02x", ch);
				p++;
			}
		}
		if (o + cl >= n)
			break;
		memcpy(dst + o, esc, cl);
		o += cl;
	}
	dst[o] = '\0';
	return o;
}

size_t out_visible(const char *s, char *dst, size_t n, int ascii)
{
	return out_visible_n(s, s ? strlen(s) : 0, dst, n, ascii);
}
