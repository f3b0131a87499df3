/* test_csvin.c: the streaming CSV reader on the real switch files, on quoting
 * errors, line/offset tracking (quoted newlines, CR LF, block boundaries),
 * strict UTF-8, and lenient mode (stray quotes read as text, repaired rows
 * marked). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "t.h"
#include "../../data/csvfix.h"
#include "../../data/csvin.h"

#define MAXR 16
#define MAXF 32

/* Collects every row: counts all, keeps the first MAXR in full. */
typedef struct {
	int n;
	int nf[MAXR];
	long long line[MAXR], off[MAXR], end[MAXR];
	char *f[MAXR][MAXF];
	size_t len[MAXR][MAXF];
	long long last_line, last_end;
	int last_nf, min_nf, max_nf;
	int stop_at;         /* return 7 on this row (1-based); 0 never */
	int repaired[MAXR];  /* csvin_row.repaired of the first MAXR rows */
	int nrepaired;       /* rows marked repaired, all of them */
	long long progress_done, progress_total;
} coll;

static int collect(const csvin_row *r, void *vc)
{
	coll *c = vc;
	if (c->n < MAXR) {
		int k = c->n;
		c->nf[k] = r->nfields;
		c->line[k] = r->line;
		c->off[k] = r->offset;
		c->end[k] = r->end_offset;
		c->repaired[k] = r->repaired;
		for (int i = 0; i < r->nfields && i < MAXF; i++) {
			c->f[k][i] = malloc(r->len[i] + 1);
			memcpy(c->f[k][i], r->field[i], r->len[i] + 1);
			c->len[k][i] = r->len[i];
			if (r->quoted[i] != 0)
				return 99; /* documented: always 0 */
			if (r->field[i][r->len[i]] != '\0')
				return 98;
		}
	}
	if (c->n == 0 || r->nfields < c->min_nf)
		c->min_nf = r->nfields;
	if (r->nfields > c->max_nf)
		c->max_nf = r->nfields;
	c->nrepaired += r->repaired != 0;
	c->n++;
	c->last_line = r->line;
	c->last_end = r->end_offset;
	c->last_nf = r->nfields;
	return c->stop_at && c->n == c->stop_at ? 7 : 0;
}

static void progress(int64_t done, int64_t total, void *vc)
{
	coll *c = vc;
	c->progress_done = done;
	c->progress_total = total;
}

static void coll_free(coll *c)
{
	for (int k = 0; k < MAXR && k < c->n; k++)
		for (int i = 0; i < c->nf[k] && i < MAXF; i++)
			free(c->f[k][i]);
	memset(c, 0, sizeof *c);
}

static int read_real(const char *file, coll *c, csvin_error *e)
{
	memset(c, 0, sizeof *c);
	return csvin_read_file(t_realdata(file), 0, collect, progress, c, e);
}

static int read_buf(const char *s, coll *c, csvin_error *e)
{
	memset(c, 0, sizeof *c);
	return csvin_read_buffer(s, strlen(s), collect, c, e);
}

static int read_buf_lenient(const char *s, coll *c, csvin_error *e)
{
	memset(c, 0, sizeof *c);
	return csvin_read_buffer_ex(s, strlen(s), CSVIN_LENIENT, collect, c, e);
}

static long long file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long long n;
	if (!f)
		return -1;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fclose(f);
	return n;
}

/* ---- the real files ------------------------------------------------------- */

TEST(real_18col_dispositions)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("asterisk-cdr_csv-18col-dispositions.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 5);
	T_EQ_I64(c.min_nf, 18);
	T_EQ_I64(c.max_nf, 18);
	for (int k = 0; k < 5; k++)
		T_EQ_I64(c.line[k], k + 1);
	T_EQ_STR(c.f[0][4], "\"Test User\" <test>"); /* doubled quotes undone */
	T_EQ_STR(c.f[0][9], "2009-01-14 23:51:15");
	T_EQ_STR(c.f[1][13], "7");
	T_EQ_STR(c.f[4][14], "BUSY");
	T_EQ_STR(c.f[0][16], "1231977075.0");
	T_EQ_I64(c.len[0][17], 0);
	T_EQ_I64(c.off[0], 0);
	T_EQ_I64(c.off[1], c.end[0]);
	T_EQ_I64(c.end[0], 199);
	T_EQ_I64(c.last_end, file_size(t_realdata("asterisk-cdr_csv-18col-dispositions.csv")));
	T_EQ_I64(c.progress_done, c.progress_total);
	T_EQ_I64(c.progress_total, 990);
	coll_free(&c);
}

TEST(real_unterminated_quote)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("asterisk-cdr_csv-unterminated-quote.csv", &c, &e), CSVIN_EUNTERMINATED);
	T_EQ_I64(e.status, CSVIN_EUNTERMINATED);
	T_EQ_I64(e.line, 1);
	T_EQ_I64(c.n, 0);
	T_ASSERT(strstr(e.msg, "line 1") != NULL);
	coll_free(&c);
}

TEST(real_selftest_masters)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("asterisk-selftest-Master.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 2);
	T_EQ_I64(c.min_nf, 18);
	T_EQ_STR(c.f[1][16], "1270168442.0");
	T_EQ_STR(c.f[1][5], "Console/dsp");
	coll_free(&c);
	T_EQ_I64(read_real("asterisk-selftest-Master2.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 1);
	T_EQ_STR(c.f[0][16], "1270167992.0");
	T_EQ_I64(c.last_end, 167);
	coll_free(&c);
}

TEST(real_21col_multileg)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("asterisk-cdr_csv-21col-multileg.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 84);
	T_EQ_I64(c.min_nf, 21); /* every row has 21 fields: none shifted */
	T_EQ_I64(c.max_nf, 21);
	T_EQ_I64(c.last_line, 84);
	T_EQ_I64(c.last_end, file_size(t_realdata("asterisk-cdr_csv-21col-multileg.csv")));
	T_EQ_STR(c.f[0][4], "\"89245555937\" <89245555937>");
	T_EQ_STR(c.f[0][19], "1706368044.0");
	T_EQ_STR(c.f[0][20], "0");
	T_EQ_STR(c.f[6][10], ""); /* unanswered leg: empty answer, written ,, */
	T_EQ_STR(c.f[3][8], "SIP/301&SIP/200@stadionpbx,60,t"); /* comma inside quotes */
	coll_free(&c);
}

/* Row 41 of the 21-column file has raw 0xA5 bytes in clid. */
static int grab_line41(const csvin_row *r, void *v)
{
	if (r->line == 41) {
		memcpy(v, r->field[4], r->len[4] + 1);
		return 1;
	}
	return 0;
}

TEST(real_21col_non_utf8_clid)
{
	char clid[256];
	csvin_error e;
	T_EQ_I64(csvin_read_file(t_realdata("asterisk-cdr_csv-21col-multileg.csv"), 0, grab_line41, NULL, clid, &e),
	         CSVIN_ESTOPPED);
	T_EQ_I64(e.stop_value, 1);
	T_EQ_STR(clid, "\"8107924651\xa5\xa5" "b\" <81079246516548>");
	T_ASSERT(!csvin_valid_utf8(clid, strlen(clid)));
}

TEST(real_cdr_custom)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("asterisk-cdr_custom.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 14);
	T_EQ_I64(c.min_nf, 19);
	T_EQ_I64(c.max_nf, 19);
	T_EQ_STR(c.f[0][0], "\"\" <client1>");
	T_EQ_STR(c.f[0][8], "2023-07-26 01:51:32");
	T_EQ_STR(c.f[0][11], "31"); /* quoted number, quotes gone */
	T_EQ_STR(c.f[0][16], "1690325492.2");
	T_EQ_STR(c.f[0][18], "2");
	T_EQ_STR(c.f[1][9], "");
	coll_free(&c);
}

TEST(real_freeswitch_and_flowroute)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_real("freeswitch-example-excel-resaved.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 10);
	T_EQ_I64(c.min_nf, 15);
	T_EQ_I64(c.max_nf, 15);
	T_EQ_STR(c.f[0][4], "2020/2/10 22:41");
	T_EQ_STR(c.f[2][0], "");
	T_EQ_STR(c.f[9][9], "USER_BUSY");
	coll_free(&c);
	T_EQ_I64(read_real("flowroute-cdr-export-sdk-sample.csv", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 4); /* header + 3 */
	T_EQ_I64(c.min_nf, 25);
	T_EQ_STR(c.f[0][0], "direction");
	T_EQ_STR(c.f[2][6], "0.00474784");
	T_EQ_STR(c.f[1][24], "53.186.152.52:5080");
	coll_free(&c);
}

TEST(resume_at_offset)
{
	coll c;
	csvin_error e;
	const char *p = t_realdata("asterisk-cdr_csv-18col-dispositions.csv");
	memset(&c, 0, sizeof c);
	T_EQ_I64(csvin_read_file(p, 398, collect, NULL, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.line[0], 3); /* lines stay the file's physical lines */
	T_EQ_I64(c.off[0], 398);
	T_EQ_STR(c.f[0][14], "FAILED");
	coll_free(&c);
	T_EQ_I64(csvin_read_file(p, 990, collect, NULL, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 0);
	T_EQ_I64(csvin_read_file(p, 991, collect, NULL, &c, &e), CSVIN_EREAD);
}

TEST(open_errors)
{
	coll c;
	csvin_error e;
	memset(&c, 0, sizeof c);
	T_EQ_I64(csvin_read_file(t_realdata("no-such-file.csv"), 0, collect, NULL, &c, &e), CSVIN_EOPEN);
	T_EQ_I64(e.status, CSVIN_EOPEN);
	T_EQ_I64(csvin_read_file(t_realdata(""), 0, collect, NULL, &c, &e), CSVIN_EOPEN); /* a directory */
}

/* ---- quoting, lines and offsets on small buffers -------------------------- */

TEST(parse_error_lines)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf("a,b\"c,d\n", &c, &e), CSVIN_EPARSE); /* quote inside unquoted field */
	T_EQ_I64(e.line, 1);
	coll_free(&c);
	T_EQ_I64(read_buf("x,y\n\"a\nb\",c\n\"ab\"c,d\n", &c, &e), CSVIN_EPARSE); /* text after closing quote */
	T_EQ_I64(e.line, 4);
	T_EQ_I64(c.n, 2);
	T_ASSERT(strstr(e.msg, "line 4") != NULL);
	coll_free(&c);
	T_EQ_I64(read_buf("ok\n\"a\nb\nc,d\n", &c, &e), CSVIN_EUNTERMINATED);
	T_EQ_I64(e.line, 2); /* where the bad record began, not EOF's line */
	T_EQ_I64(c.n, 1);
	coll_free(&c);
}

TEST(quoted_newlines_count_lines)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf("a,\"b\nc\",d\ne,f\n\n\ng,\"\"\"q\"\"\"\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.line[0], 1);
	T_EQ_STR(c.f[0][1], "b\nc");
	T_EQ_I64(c.line[1], 3);
	T_EQ_I64(c.off[1], 10);
	T_EQ_I64(c.line[2], 6); /* blank lines skipped, still counted */
	T_EQ_STR(c.f[2][1], "\"q\"");
	coll_free(&c);
}

TEST(crlf_and_cr)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf("a,b\r\nc,\"d\r\ne\"\r\nf\r\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.line[0], 1);
	T_EQ_I64(c.end[0], 5); /* the CR LF pair belongs to the record */
	T_EQ_I64(c.off[1], 5);
	T_EQ_I64(c.line[1], 2);
	T_EQ_STR(c.f[1][1], "d\r\ne");
	T_EQ_I64(c.line[2], 4);
	T_EQ_I64(c.end[2], 18);
	coll_free(&c);
	T_EQ_I64(read_buf("a\rb\r\rc", &c, &e), CSVIN_OK); /* old Mac line ends */
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.line[1], 2);
	T_EQ_I64(c.line[2], 4);
	T_EQ_I64(c.end[2], 6);
	coll_free(&c);
	/* a LF ending the record after one that ended on a lone CR is a line
	 * of its own (fuzzing: tests/fuzz/regress/csv/lf-after-lone-cr-record) */
	T_EQ_I64(read_buf("a\rbb,b\nc\r\nd\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 4);
	T_EQ_I64(c.line[1], 2);
	T_EQ_I64(c.line[2], 3);
	T_EQ_I64(c.line[3], 4);
	coll_free(&c);
}

TEST(no_final_newline_bom_blanks)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf("\xEF\xBB\xBF\"a\",b\n  x , y ,\"z\"", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 2);
	T_EQ_STR(c.f[0][0], "a"); /* BOM skipped: no strict-mode error on the quote */
	T_EQ_I64(c.off[0], 3);
	T_EQ_STR(c.f[1][0], "x"); /* libcsv trims blanks around unquoted fields */
	T_EQ_STR(c.f[1][1], "y");
	T_EQ_STR(c.f[1][2], "z");
	T_EQ_I64(c.end[1], (long long)strlen("\xEF\xBB\xBF\"a\",b\n  x , y ,\"z\""));
	coll_free(&c);
	T_EQ_I64(read_buf("", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 0);
	T_EQ_I64(read_buf("\n \n\t\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 0);
	T_EQ_I64(read_buf(",\n\"\"\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 2);
	T_EQ_I64(c.nf[0], 2);
	T_EQ_I64(c.nf[1], 1);
	coll_free(&c);
}

TEST(callback_stops)
{
	coll c;
	csvin_error e;
	memset(&c, 0, sizeof c);
	c.stop_at = 2;
	T_EQ_I64(csvin_read_buffer("a\nb\nc\n", 6, collect, &c, &e), CSVIN_ESTOPPED);
	T_EQ_I64(e.stop_value, 7);
	T_EQ_I64(c.n, 2);
	coll_free(&c);
}

/* Writes a file over one 64 KiB block: padding records, then one record
 * "NNNNNN,\"pp..p" + mid, placed so that mid's first CR (or else first LF)
 * lands at byte `at`, then 500 short records. Returns the record count;
 * *mid_line is that record's line, *total the file's line count. */
static int write_boundary_file(const char *path, const char *mid, long at, int *mid_line, int *total)
{
	FILE *f = fopen(path, "wb");
	long pos = 0, idx;
	int line = 1, k = 0;
	if (!f)
		return -1;
	while (pos < at - 80) {
		pos += fprintf(f, "%06d,padding-padding-padding-padding\n", k++);
		line++;
	}
	idx = strchr(mid, '\r') ? strchr(mid, '\r') - mid : strchr(mid, '\n') - mid;
	pos += fprintf(f, "%06d,\"", k++);
	for (long i = 0; i < at - pos - idx; i++)
		fputc('p', f);
	*mid_line = line;
	fputs(mid, f);
	for (const char *m = mid; *m; m++)
		if (*m == '\n')
			line++;
	for (int j = 0; j < 500; j++) {
		fprintf(f, "%06d,after\n", k++);
		line++;
	}
	*total = line - 1;
	fclose(f);
	return k;
}

TEST(block_boundary_counts)
{
	const char *path = t_tmppath("csvin-boundary.csv");
	int mid_line, lines, recs;
	coll c;
	csvin_error e;
	recs = write_boundary_file(path, "x\ny\"\n", 65536, &mid_line, &lines);
	T_ASSERT(recs > 1000);
	memset(&c, 0, sizeof c);
	T_EQ_I64(csvin_read_file(path, 0, collect, progress, &c, &e), CSVIN_OK);
	unlink(path);
	T_EQ_I64(c.n, recs);
	T_EQ_I64(c.last_line, lines);
	T_EQ_I64(c.last_end, c.progress_total);
	T_ASSERT(c.progress_total > 65536);
	coll_free(&c);
}

/* Finds the straddling record by its line and checks its neighbours. */
typedef struct {
	long long want_line;
	int seen;
	long long next_line, off, end, next_off;
	char tail[16];
} probe;

static int probe_row(const csvin_row *r, void *v)
{
	probe *p = v;
	if (r->line == p->want_line) {
		size_t n = r->len[1];
		snprintf(p->tail, sizeof p->tail, "%s", r->field[1] + (n > 4 ? n - 4 : 0));
		p->off = r->offset;
		p->end = r->end_offset;
		p->seen = 1;
	} else if (p->seen == 1) {
		p->next_line = r->line;
		p->next_off = r->offset;
		p->seen = 2;
	}
	return 0;
}

TEST(block_boundary_lines)
{
	const char *path = t_tmppath("csvin-boundary2.csv");
	int mid_line, lines, recs;
	probe p;
	csvin_error e;

	/* quoted LF at offset 65536: the first byte of the second block */
	recs = write_boundary_file(path, "x\ny\"\n", 65536, &mid_line, &lines);
	memset(&p, 0, sizeof p);
	p.want_line = mid_line;
	T_EQ_I64(csvin_read_file(path, 0, probe_row, NULL, &p, &e), CSVIN_OK);
	T_EQ_I64(p.seen, 2);
	T_EQ_STR(p.tail, "px\ny");
	T_EQ_I64(p.next_line, mid_line + 2);
	T_EQ_I64(p.next_off, p.end);
	unlink(path);

	/* quoted LF as the last byte of the first block */
	recs = write_boundary_file(path, "x\ny\"\n", 65535, &mid_line, &lines);
	memset(&p, 0, sizeof p);
	p.want_line = mid_line;
	T_EQ_I64(csvin_read_file(path, 0, probe_row, NULL, &p, &e), CSVIN_OK);
	T_EQ_STR(p.tail, "px\ny");
	T_EQ_I64(p.next_line, mid_line + 2);
	unlink(path);

	/* record-ending CR at 65535 and its LF at 65536: one line break */
	recs = write_boundary_file(path, "x\"\r\n", 65535, &mid_line, &lines);
	memset(&p, 0, sizeof p);
	p.want_line = mid_line;
	T_EQ_I64(csvin_read_file(path, 0, probe_row, NULL, &p, &e), CSVIN_OK);
	T_EQ_I64(p.seen, 2);
	T_EQ_I64(p.end, 65537); /* past the LF in the next block */
	T_EQ_I64(p.next_off, 65537);
	T_EQ_I64(p.next_line, mid_line + 1);
	(void)recs;
	unlink(path);
}

/* ---- UTF-8 ----------------------------------------------------------------- */

TEST(utf8_strict)
{
#define U(s, ok) T_EQ_I64(csvin_valid_utf8(s, sizeof(s) - 1), ok)
	U("", 1);
	U("plain ascii, long enough for the fast path", 1);
	U("\xC2\xA9 caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x93\x9E", 1);
	U("\xED\x9F\xBF", 1);          /* U+D7FF */
	U("\xEE\x80\x80", 1);          /* U+E000 */
	U("\xF4\x8F\xBF\xBF", 1);      /* U+10FFFF */
	U("\xC0\x80", 0);              /* overlong NUL */
	U("\xC1\xBF", 0);              /* overlong */
	U("\xE0\x80\xAF", 0);          /* overlong '/' */
	U("\xF0\x8F\xBF\xBF", 0);      /* overlong */
	U("\xED\xA0\x80", 0);          /* surrogate U+D800 */
	U("\xED\xBF\xBF", 0);          /* surrogate U+DFFF */
	U("\xF4\x90\x80\x80", 0);      /* > U+10FFFF */
	U("\xF5\x80\x80\x80", 0);
	U("\xFF", 0);
	U("\x80", 0);                  /* lone continuation */
	U("abcdefgh\xA5\xA5", 0);      /* the 21-col clid bytes */
	U("\xE2\x82", 0);              /* truncated */
	U("\xC3", 0);
	U("\xE2\x28\xA1", 0);          /* bad continuation */
#undef U
}


/* ---- lenient mode (CSVIN_LENIENT) ------------------------------------------ */

/* The shapes of a CDR report written without escaping its quotes: a quoted
 * field whose own quotes are not doubled, and quotes inside an unquoted
 * field. Strict mode refuses the file naming the line and saying it was a
 * stray quote; lenient mode reads the quotes as text and marks those rows. */
TEST(lenient_reads_stray_quotes)
{
	const char *text = "h1,clid,h3\n"
	                   "a,\"\"User 10\" <114>\",c\n"
	                   "a,\"\"\"Jo\"\" <115>\",c\n"
	                   "a,User \"Ten\" <114>,c\n";
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf(text, &c, &e), CSVIN_EPARSE);
	T_EQ_I64(e.line, 2);
	T_EQ_I64(e.stray_quote, 1);
	coll_free(&c);
	T_EQ_I64(read_buf_lenient(text, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 4);
	T_EQ_I64(c.nf[1], 3);
	T_EQ_STR(c.f[1][1], "\"User 10\" <114>");
	T_EQ_STR(c.f[2][1], "\"Jo\" <115>");
	T_EQ_STR(c.f[3][1], "User \"Ten\" <114>");
	T_EQ_STR(c.f[3][2], "c");
	T_EQ_I64(c.repaired[0], 0);
	T_EQ_I64(c.repaired[1], 1);
	T_EQ_I64(c.repaired[2], 0); /* escaped properly: nothing repaired */
	T_EQ_I64(c.repaired[3], 1);
	T_EQ_I64(c.nrepaired, 2);
	T_EQ_I64(c.line[3], 4);
	coll_free(&c);
}

/* A file strict CSV reads is read the same leniently, nothing repaired. */
TEST(lenient_same_on_clean_files)
{
	const char *files[] = { "asterisk-cdr_csv-18col-dispositions.csv", "asterisk-cdr_csv-21col-multileg.csv",
	                        "asterisk-cdr_custom.csv", "flowroute-cdr-export-sdk-sample.csv" };
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		coll a, b;
		csvin_error e;
		T_EQ_I64(read_real(files[k], &a, &e), CSVIN_OK);
		memset(&b, 0, sizeof b);
		T_EQ_I64(csvin_read_file_ex(t_realdata(files[k]), 0, CSVIN_LENIENT, collect, NULL, &b, &e), CSVIN_OK);
		T_EQ_I64(b.n, a.n);
		T_EQ_I64(b.nrepaired, 0);
		T_EQ_I64(b.last_line, a.last_line);
		T_EQ_I64(b.last_end, a.last_end);
		for (int r = 0; r < MAXR && r < a.n; r++) {
			T_EQ_I64(b.nf[r], a.nf[r]);
			for (int i = 0; i < a.nf[r] && i < MAXF; i++)
				T_EQ_STR(b.f[r][i], a.f[r][i]);
		}
		coll_free(&a);
		coll_free(&b);
	}
}

/* A stray quote at the start of an unquoted field opens a quoted field that
 * runs over the line break into the next rows: they cannot be told apart,
 * so even lenient mode refuses, naming where the record starts. */
TEST(lenient_refuses_swallowed_lines)
{
	coll c;
	csvin_error e;
	/* (the unescaped-writer reading of line 2 has 4 fields, not 3) */
	T_EQ_I64(read_buf_lenient("id,clid,n\ns1,\"Bob\" <1>,x,4\ns2,y,z\ns3,\"ok\",w\n", &c, &e), CSVIN_EPARSE);
	T_EQ_I64(e.line, 2);
	T_ASSERT(strstr(e.msg, "stray quote") != NULL);
	T_EQ_I64(c.n, 1);
	coll_free(&c);
	/* no field count known yet (the first record needs repair): as before */
	T_EQ_I64(read_buf_lenient("s1,\"Bob\" <1>,x\ns2,y,z\ns3,\"ok\",w\n", &c, &e), CSVIN_EPARSE);
	T_EQ_I64(e.line, 1);
	T_EQ_I64(c.n, 0);
	coll_free(&c);
	/* a legitimate quoted line break is no repair and stays one record */
	T_EQ_I64(read_buf_lenient("a,\"b\nc\",d\ne,f\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 2);
	T_EQ_I64(c.nrepaired, 0);
	T_EQ_I64(c.line[1], 3);
	coll_free(&c);
	/* the same at the end of a file without a final line end */
	T_EQ_I64(read_buf_lenient("h1,h2\nx,\"b\" c,3\nd\",e", &c, &e), CSVIN_EPARSE);
	T_EQ_I64(e.line, 2);
	T_ASSERT(strstr(e.msg, "over 2 lines") != NULL);
	T_EQ_I64(c.n, 1);
	coll_free(&c);
	/* a quote still open at end of file: refused as in strict mode */
	T_EQ_I64(read_buf_lenient("ok\n\"a\nb\n", &c, &e), CSVIN_EUNTERMINATED);
	T_EQ_I64(e.line, 2);
	coll_free(&c);
}

/* Lines, offsets and CR LF are tracked in lenient mode as in strict mode,
 * and a repaired record does not disturb the next one. */
TEST(lenient_lines_and_offsets)
{
	const char *text = "h\r\na,b\"c\r\nd,\"e\"f\",g\r\n\"x\",y\r\n";
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf_lenient(text, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 4);
	T_EQ_I64(c.line[1], 2);
	T_EQ_I64(c.line[2], 3);
	T_EQ_I64(c.line[3], 4);
	T_EQ_I64(c.off[1], 3);
	T_EQ_I64(c.end[1], 10);
	T_EQ_STR(c.f[1][1], "b\"c");
	T_EQ_I64(c.nf[2], 3);
	T_EQ_STR(c.f[2][1], "e\"f"); /* text after a closing quote, up to the next quote */
	T_EQ_STR(c.f[3][0], "x");
	T_EQ_I64(c.repaired[1] + c.repaired[2] * 2 + c.repaired[3] * 4 + c.repaired[0] * 8, 3);
	T_EQ_I64(c.end[3], (long long)strlen(text));
	coll_free(&c);
}

/* FreePBX's CDR Reports download (tests/corpus/cdr/freepbx-cdrreports-
 * download-*.csv): a field is quoted only when it holds a comma and quotes
 * are never doubled. Non-strict libcsv reads `"User 10` as a quoted field
 * running to `rI"` (9 fields), or over the line break when the line has no
 * other quote; the unescaped-writer reading gives the header's 16. */
TEST(lenient_unescaped_writer)
{
	const char *text =
		"calldate,clid,src,dst,dcontext,channel,dstchannel,lastapp,lastdata,duration,billsec,"
		"disposition,amaflags,accountcode,uniqueid,userfield\n"
		"2017-09-04 12:39:26,\"User 10\" <114>,114,113,from-internal,SIP/114-000000c4,SIP/113-000000c5,"
		"Dial,\"SIP/113,60,rI\",8,6,ANSWERED,3,,1504525166.228,\n"
		"2017-09-04 17:23:11,\"User 9\" <113>,113,0,from-internal,Local/0@from-internal-00000010;2,,,,"
		"0,0,NO ANSWER,3,,1504542191.248,\n"
		"2017-09-04 12:36:12,\"User 9\" <113>,113,106,from-internal,SIP/113-000000a7,,Hangup,,23,23,"
		"ANSWERED,3,,1504524972.197,\n";
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf_lenient(text, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 4);
	T_EQ_I64(c.min_nf, 16);
	T_EQ_I64(c.max_nf, 16);
	T_EQ_I64(c.repaired[0], 0);
	T_EQ_I64(c.nrepaired, 3);
	T_EQ_STR(c.f[1][1], "\"User 10\" <114>");
	T_EQ_STR(c.f[1][2], "114");
	T_EQ_STR(c.f[1][8], "SIP/113,60,rI");
	T_EQ_STR(c.f[1][14], "1504525166.228");
	T_EQ_STR(c.f[1][15], "");
	T_EQ_STR(c.f[2][1], "\"User 9\" <113>");
	T_EQ_STR(c.f[2][11], "NO ANSWER");
	T_EQ_I64(c.line[2], 3);
	T_EQ_I64(c.line[3], 4);
	T_EQ_STR(c.f[3][7], "Hangup");
	T_EQ_STR(c.f[3][10], "23");
	coll_free(&c);
}

/* A quoted field holding a comma stays one field; a quote pair holding a
 * comma and followed by text is text up to the next delimiter after it. */
TEST(lenient_unescaped_quoted_commas)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf_lenient("h1,h2,h3\n\"x\" y,\"p,q\",\"a,b\" c\n \"r\" , \"s,t\" ,u\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.nf[1], 3);
	T_EQ_STR(c.f[1][0], "\"x\" y");
	T_EQ_STR(c.f[1][1], "p,q");
	T_EQ_STR(c.f[1][2], "\"a,b\" c");
	T_EQ_I64(c.repaired[1], 1);
	T_EQ_I64(c.line[2], 3); /* strict CSV reads line 3 (blanks around quotes) */
	T_EQ_STR(c.f[2][0], "r");
	T_EQ_STR(c.f[2][1], "s,t");
	T_EQ_I64(c.repaired[2], 0);
	coll_free(&c);
}

/* Neither reading has the file's field count: reading (a) is kept (the
 * caller rejects the count), still marked repaired. */
TEST(lenient_unescaped_neither_fits)
{
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf_lenient("h1,h2\na,\"b\" c,\"d,e\",f\ng,h\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.nf[1], 3); /* (a): a | b" c,"d,e | f; (b) would give 4 */
	T_EQ_STR(c.f[1][1], "b\" c,\"d,e");
	T_EQ_I64(c.repaired[1], 1);
	T_EQ_I64(c.nf[2], 2);
	coll_free(&c);
}

/* Lines and byte offsets after rows read the unescaped way: CR LF ends
 * (the reading is chosen at a CR and takes the LF), a row ending the file
 * with no line end, a quote left open at the end of its only line. */
TEST(lenient_unescaped_lines_and_offsets)
{
	const char *text = "h1,h2,h3\r\n"              /* 0..10 */
	                   "x,\"A\" <1>,y\r\n"         /* 10..23: (a) runs over the line */
	                   "z,\"B\" <2>,\"p,q\"\r\n"     /* 23..40: (a) gives 2 fields */
	                   "last,1,2\r\n"              /* 40..50 */
	                   "m,\"C\" <3>,n";              /* 50..61, no line end */
	coll c;
	csvin_error e;
	T_EQ_I64(read_buf_lenient(text, &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 5);
	T_EQ_I64(c.nrepaired, 3);
	T_EQ_I64(c.off[1], 10);
	T_EQ_I64(c.end[1], 23);
	T_EQ_I64(c.line[1], 2);
	T_EQ_STR(c.f[1][1], "\"A\" <1>");
	T_EQ_STR(c.f[1][2], "y");
	T_EQ_I64(c.off[2], 23);
	T_EQ_I64(c.end[2], 40);
	T_EQ_I64(c.line[2], 3);
	T_EQ_STR(c.f[2][2], "p,q");
	T_EQ_I64(c.off[3], 40);
	T_EQ_I64(c.end[3], 50);
	T_EQ_I64(c.line[3], 4);
	T_EQ_I64(c.repaired[3], 0);
	T_EQ_STR(c.f[3][0], "last");
	T_EQ_I64(c.off[4], 50);
	T_EQ_I64(c.end[4], (long long)strlen(text));
	T_EQ_I64(c.line[4], 5);
	T_EQ_I64(c.nf[4], 3);
	T_EQ_STR(c.f[4][1], "\"C\" <3>");
	coll_free(&c);
	/* the same with LF ends and a lone CR */
	T_EQ_I64(read_buf_lenient("h1,h2\na,\"b\" c\rd,e\n", &c, &e), CSVIN_OK);
	T_EQ_I64(c.n, 3);
	T_EQ_I64(c.end[1], 14);
	T_EQ_I64(c.line[2], 3);
	T_EQ_I64(c.off[2], 14);
	coll_free(&c);
	/* the real downloads (run from the source tree): 100 rows each, one a
	 * line, all 16 fields, the last row ending the file */
	for (int k = 1; k <= 3; k++) {
		char path[256];
		snprintf(path, sizeof path, "tests/corpus/cdr/freepbx-cdrreports-download-%d.csv", k);
		memset(&c, 0, sizeof c);
		T_EQ_I64(csvin_read_file_ex(path, 0, CSVIN_LENIENT, collect, NULL, &c, &e), CSVIN_OK);
		T_EQ_I64(c.n, 101);
		T_EQ_I64(c.nrepaired, 100);
		T_EQ_I64(c.min_nf, 16);
		T_EQ_I64(c.max_nf, 16);
		T_EQ_I64(c.last_line, 101);
		T_EQ_I64(c.last_end, file_size(path));
		coll_free(&c);
	}
}

/* The rewrite behind reading (b), line by line (data/csvfix.h). */
TEST(csvfix_unescaped_rewrite)
{
	static const struct { const char *in, *out; } k[] = {
		{ "a,\"User 10\" <114>,\"SIP/113,60,rI\",", "a,\"\"\"User 10\"\" <114>\",\"SIP/113,60,rI\",\n" },
		{ " \"x\" , \"y\"\"z\" ,", "\"x\",\"y\"\"z\",\n" },      /* proper quoting: as written */
		{ "\"a,b\" c,d", "\"\"\"a,b\"\" c\",d\n" },          /* pair + text: one field */
		{ "p\"q, r ,\"open,x", "\"p\"\"q\",r,\"\"\"open\",x\n" }, /* a quote never closed */
		{ ",,", ",,\n" },
		{ "\"\"\"", "\"\"\"\"\"\"\"\"\n" },                  /* `"""`: text of 3 quotes */
	};
	csvfix_buf b = { 0 };
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		T_EQ_I64(csvfix_unescaped((const unsigned char *)k[i].in, strlen(k[i].in), &b), 0);
		T_ASSERT(b.len >= 1);
		b.buf[b.len - 1] = '\0'; /* drop the LF to compare */
		char want[128];
		snprintf(want, sizeof want, "%s", k[i].out);
		want[strlen(want) - 1] = '\0';
		T_EQ_STR(b.buf, want);
	}
	free(b.buf);
}

void suite_csvin(void); /* t.h's SUITE() has no prototype of its own */

SUITE(csvin)
{
	RUN(real_18col_dispositions);
	RUN(real_unterminated_quote);
	RUN(real_selftest_masters);
	RUN(real_21col_multileg);
	RUN(real_21col_non_utf8_clid);
	RUN(real_cdr_custom);
	RUN(real_freeswitch_and_flowroute);
	RUN(resume_at_offset);
	RUN(open_errors);
	RUN(parse_error_lines);
	RUN(quoted_newlines_count_lines);
	RUN(crlf_and_cr);
	RUN(no_final_newline_bom_blanks);
	RUN(callback_stops);
	RUN(block_boundary_counts);
	RUN(block_boundary_lines);
	RUN(utf8_strict);
	RUN(lenient_reads_stray_quotes);
	RUN(lenient_same_on_clean_files);
	RUN(lenient_refuses_swallowed_lines);
	RUN(lenient_lines_and_offsets);
	RUN(lenient_unescaped_writer);
	RUN(lenient_unescaped_quoted_commas);
	RUN(lenient_unescaped_neither_fits);
	RUN(lenient_unescaped_lines_and_offsets);
	RUN(csvfix_unescaped_rewrite);
}
