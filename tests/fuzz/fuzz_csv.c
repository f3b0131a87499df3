/* fuzz_csv.c: the CDR importers without a database: data/csvin.c (libcsv)
 * and every format of data/cdrfmt*.c, driven as data/pipeline.c drives them
 * (csvin row -> cdrfmt_reader_row -> cdr_rec), plus the pure part of rating
 * a record (number normalisation, rate_call) that data/store.c does next.
 *
 * Input: a CSV file, as is (seeds: the realdata files whole and cut into
 * lines, and tests/fuzz/seeds/csv/). Each input is read once by csvin; every
 * row goes to one reader per format (asterisk in America/New_York, custom
 * at +03:00, the others in UTC), and the file goes through detection.
 * Invariants checked, per row:
 *  - line >= 1 and equal to 1 + the line breaks (LF, CR, CR LF) before the
 *    record's first byte; offsets inside the input, records in order and
 *    not overlapping; every field NUL-terminated at its length, the fields
 *    together no longer than the record; quoted[] all 0 (csvin.c says so);
 *  - the reject text of the row (pipeline_row_text) reads back as the same
 *    fields (what `billtop rejects` keeps is the row itself);
 *  - csvin_valid_utf8 agrees with a reference decoder on every field;
 *  - a mapped record has every string set, a string taken from a field is
 *    the whole field (no NUL cut: the store copies with strlen), text
 *    fields are UTF-8, times/durations are set and not negative;
 *  - a bad row or file has a reason; a stopped read says where it stopped.
 * --map: a sixth reader, generic with a map. An input whose first line is
 * "#map MAP" uses MAP (any bytes: a bad map must be refused with a reason,
 * never crash) and the rest as the CSV; any other input gets one of MAPS,
 * picked by its length, so every seed also runs through a mapped reader.
 * Then the Asterisk cdr table (asterisk-db: the first row decides header or
 * layout), Grandstream, and generic with a map of column numbers (a file
 * without a header: POS_MAPS, picked by length), and cdrfmt_choose (what
 * --format auto does with the map) on the input.
 * Lenient mode (CSVIN_LENIENT, --lenient): every input is read leniently
 * too (lenient_pass): rows in order, repaired 0 or 1; a row not marked
 * repaired reads the same, alone, in strict mode; a file strict mode
 * reads gives the same rows leniently, none repaired; a repaired row lies
 * on one physical line (rows are never merged, whichever reading was
 * kept, libcsv's or the unescaped writer's) and its fields hold no more
 * bytes than the line. */
#include <string.h>

#include "fuzz.h"
#include "../../core/number.h"
#include "../../core/rate.h"
#include "../../data/cdrfmt.h"
#include "../../data/csvin.h"
#include "../../data/pipeline.h"

#define NREADERS 9   /* the five formats, generic with a map (rd may be NULL: bad map), asterisk-db,
                        grandstream, generic with a map of column numbers */

static const char *const MAPS[] = {
	"call_id=uniqueid,start=start,answer=answer,end=end,src=src,dst=dst,billsec=billsec,"
	"duration=duration,disposition=disposition",
	"start=Start Time,src=From,dst=To,billsec=Duration,cost=Cost,direction=Direction",
	"call_id=id,start=timestamp,dst=number,billsec=seconds,cost=amount,cnam=cnam_fee,billed=billed",
	"start=a,dst=b",
	"call_id=c,start=s,answer=a,end=e,src=f,dst=t,duration=d,billsec=b,disposition=x,cost=m,"
	"account=acct,clid=n,billed=bb,cnam=cn,direction=dir",
};

static const char *const POS_MAPS[] = {
	"start=1,dst=4,billsec=11,duration=10,disposition=12,call_id=15,src=3,clid=2",
	"start=10,answer=11,end=12,src=2,dst=3,duration=13,billsec=14,disposition=15,call_id=17",
	"start=1,dst=2",
	"call_id=2,billsec=3,start=4,answer=5,end=6,disposition=7,src=10,dst=11,linkedid=1,sequence=8",
};

static tz_zone *z_utc, *z_fixed, *z_ny;

typedef struct {
	const uint8_t *data;
	size_t size;
	int64_t last_end;        /* end_offset of the previous record */
	int64_t last_line;
	size_t scan;             /* data[0..scan) counted into breaks */
	int64_t breaks;
	int prev_cr;
	int rows;
	cdrfmt_reader *rd[NREADERS];
} ctx;

/* RFC 3629 by code point: the reference csvin_valid_utf8 must agree with. */
static int ref_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t k;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			k = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			k = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			k = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (n - i <= k)
			return 0;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* Count line breaks in data[scan..upto) the way csvin.h defines lines. */
static void count_breaks(ctx *x, size_t upto)
{
	for (; x->scan < upto; x->scan++) {
		uint8_t c = x->data[x->scan];
		if (c == '\n')
			x->breaks += !x->prev_cr;
		else if (c == '\r')
			x->breaks++;
		x->prev_cr = c == '\r';
	}
}

typedef struct {
	const csvin_row *want;
	int rows, same;
} echo_ctx;

static int echo_row(const csvin_row *row, void *vctx)
{
	echo_ctx *e = vctx;
	const csvin_row *w = e->want;
	e->rows++;
	e->same = row->nfields == w->nfields;
	for (int i = 0; e->same && i < row->nfields; i++)
		e->same = row->len[i] == w->len[i] && !memcmp(row->field[i], w->field[i], w->len[i]);
	return 0;
}

/* A string of a mapped record: set, and when it is a field, the whole field. */
static void check_str(const csvin_row *row, const char *s, int must_be_text)
{
	size_t n;
	FUZZ_CHECK(s != NULL);
	n = strlen(s);
	for (int i = 0; i < row->nfields; i++)
		if (s == row->field[i])
			FUZZ_CHECK(n == row->len[i]);
	if (must_be_text)
		FUZZ_CHECK(csvin_valid_utf8(s, n));
}

static void check_record(const csvin_row *row, const cdr_rec *r)
{
	static const rate_row rr = { 1, "1", "fuzz", 5000000, 30, 6, 2, 10000000, 0, RATE_FOREVER };
	char norm[64];
	rate_result res;
	check_str(row, r->record_id, 1);
	FUZZ_CHECK(r->record_id[0] != '\0');
	FUZZ_CHECK(cdrfmt_call_id_len(r->record_id) <= strlen(r->record_id));
	check_str(row, r->call_key, 1);
	check_str(row, r->account, 1);
	check_str(row, r->src, 1);
	check_str(row, r->dst, 1);
	check_str(row, r->clid, 0);
	check_str(row, r->disposition_text, 1);
	check_str(row, r->direction, 1);
	FUZZ_CHECK(r->start != TM_NONE);
	FUZZ_CHECK(r->duration_ms >= 0 && r->billsec_ms >= 0 && r->their_billed_secs >= -1);
	FUZZ_CHECK(r->disposition >= DISP_ANSWERED && r->disposition <= DISP_OTHER);
	FUZZ_CHECK(r->connected == 0 || r->connected == 1);
	/* what store.c does with it before any SQL */
	int nd = number_for_rating(r->dst, norm, sizeof norm);
	FUZZ_CHECK(nd < 0 || (size_t)nd == strlen(norm));
	if (nd > 0)
		(void)number_is_emergency(norm);
	nd = number_for_matching(r->src, norm, sizeof norm);
	FUZZ_CHECK(nd < 0 || (size_t)nd == strlen(norm));
	int st = rate_call(&rr, r->billsec_ms, 4, ROUND_HALF_UP, &res);
	FUZZ_CHECK(st == RATE_OK || st == RATE_EOVERFLOW);
	if (st == RATE_OK)
		FUZZ_CHECK(res.cost >= 0 && res.billed_secs >= 0);
}

static int on_row(const csvin_row *row, void *vctx)
{
	ctx *x = vctx;
	size_t total = 0;
	x->rows++;
	FUZZ_CHECK(row->nfields >= 1);
	FUZZ_CHECK(row->offset >= x->last_end && row->offset < row->end_offset);
	FUZZ_CHECK(row->end_offset <= (int64_t)x->size);
	count_breaks(x, (size_t)row->offset);
	FUZZ_CHECK(row->line >= 1 && row->line == 1 + x->breaks && row->line > x->last_line);
	x->last_end = row->end_offset;
	x->last_line = row->line;
	for (int i = 0; i < row->nfields; i++) {
		FUZZ_CHECK(row->field[i][row->len[i]] == '\0');
		FUZZ_CHECK(row->quoted[i] == 0);
		FUZZ_CHECK(csvin_valid_utf8(row->field[i], row->len[i]) ==
		           ref_utf8((const unsigned char *)row->field[i], row->len[i]));
		total += row->len[i];
	}
	FUZZ_CHECK((int64_t)total <= row->end_offset - row->offset);

	size_t rawlen = 0;
	char *raw = pipeline_row_text(row, &rawlen);
	if (raw) {
		echo_ctx e = { row, 0, 0 };
		csvin_error err;
		FUZZ_CHECK(csvin_read_buffer(raw, rawlen, echo_row, &e, &err) == CSVIN_OK);
		FUZZ_CHECK(e.rows == 1 && e.same);
		free(raw);
	}

	for (int k = 0; k < NREADERS; k++) {
		cdr_rec rec;
		char why[400];
		if (!x->rd[k])
			continue;
		why[0] = '\0';
		int st = cdrfmt_reader_row(x->rd[k], row, &rec, why, sizeof why);
		FUZZ_CHECK(st >= CDRFMT_RECORD && st <= CDRFMT_EBAD);
		if (st == CDRFMT_RECORD)
			check_record(row, &rec);
		else if (st == CDRFMT_EBAD)
			FUZZ_CHECK(why[0] != '\0');
	}
	return 0;
}

static int stop_first(const csvin_row *row, void *vctx)
{
	*(int64_t *)vctx = row->line;
	return 5;
}


/* ---- lenient mode ---------------------------------------------------------- */

typedef struct {
	const uint8_t *data;
	size_t size;
	int rows, repaired;
	int64_t last_end, last_line;
} lenient_ctx;

static int count_row(const csvin_row *row, void *vctx)
{
	(*(int *)vctx)++;
	(void)row;
	return 0;
}

static int lenient_row(const csvin_row *row, void *vctx)
{
	lenient_ctx *x = vctx;
	FUZZ_CHECK(row->repaired == 0 || row->repaired == 1);
	FUZZ_CHECK(row->line >= 1 && row->line >= x->last_line);
	FUZZ_CHECK(row->offset >= x->last_end && row->offset < row->end_offset);
	FUZZ_CHECK(row->end_offset <= (int64_t)x->size);
	for (int i = 0; i < row->nfields; i++)
		FUZZ_CHECK(row->field[i][row->len[i]] == '\0');
	if (!row->repaired) { /* strict CSV reads the record's bytes as one record */
		int n = 0;
		csvin_error err;
		FUZZ_CHECK(csvin_read_buffer((const char *)x->data + row->offset,
		                             (size_t)(row->end_offset - row->offset), count_row, &n, &err) == CSVIN_OK);
		FUZZ_CHECK(n == 1);
	}
	if (row->repaired) { /* one physical line: breaks only at its end */
		const uint8_t *b = x->data + row->offset;
		size_t n = (size_t)(row->end_offset - row->offset), total = 0;
		while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == '\r'))
			n--;
		FUZZ_CHECK(!memchr(b, '\n', n) && !memchr(b, '\r', n));
		FUZZ_CHECK(row->end_offset - row->offset - (int64_t)n <= 2);
		for (int i = 0; i < row->nfields; i++)
			total += row->len[i];
		FUZZ_CHECK(total <= n);
	}
	x->repaired += row->repaired;
	x->rows++;
	x->last_end = row->end_offset;
	x->last_line = row->line;
	return 0;
}

static void lenient_pass(const uint8_t *data, size_t size, int strict_st, int strict_rows)
{
	lenient_ctx x = { data, size, 0, 0, 0, 0 };
	csvin_error err;
	int st = csvin_read_buffer_ex((const char *)data, size, CSVIN_LENIENT, lenient_row, &x, &err);
	FUZZ_CHECK(st == CSVIN_OK || st == CSVIN_EPARSE || st == CSVIN_EUNTERMINATED);
	FUZZ_CHECK(st == CSVIN_OK || (err.status == st && err.msg[0] != '\0' && err.line >= 1));
	if (strict_st == CSVIN_OK)
		FUZZ_CHECK(st == CSVIN_OK && x.rows == strict_rows && x.repaired == 0);
}

static void open_zones(void)
{
	char why[200];
	if (z_utc)
		return;
	z_utc = tz_open("UTC", why, sizeof why);
	z_fixed = tz_open("+03:00", why, sizeof why);
	z_ny = tz_open("America/New_York", why, sizeof why);
	if (!z_ny)
		z_ny = z_utc; /* no tzdata: still fuzz the formats */
	FUZZ_CHECK(z_utc && z_fixed);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const cdrfmt_kind kinds[NREADERS] = { CDRFMT_ASTERISK, CDRFMT_ASTERISK_CUSTOM,
	                                             CDRFMT_FREESWITCH, CDRFMT_FLOWROUTE, CDRFMT_GENERIC,
	                                             CDRFMT_GENERIC, CDRFMT_ASTERISK_DB, CDRFMT_GRANDSTREAM,
	                                             CDRFMT_GENERIC };
	const char *pos = POS_MAPS[size % (sizeof POS_MAPS / sizeof POS_MAPS[0])];
	char map[1024];
	const char *mapped = MAPS[size % (sizeof MAPS / sizeof MAPS[0])];
	ctx x;
	csvin_error err;
	char why[400];
	int st;

	open_zones();
	if (size >= 5 && memcmp(data, "#map ", 5) == 0) {
		const uint8_t *nl = memchr(data, '\n', size);
		size_t n = (nl ? (size_t)(nl - data) : size) - 5;
		if (n >= sizeof map)
			n = sizeof map - 1;
		memcpy(map, data + 5, n);
		map[n] = '\0';       /* a NUL inside the line ends the map early: still a map */
		mapped = map;
		if (nl) { /* the CSV is what follows the line */
			size -= (size_t)(nl - data) + 1;
			data = nl + 1;
		} else {
			size = 0;
		}
	}
	memset(&x, 0, sizeof x);
	x.data = data;
	x.size = size;
	tz_zone *zones[NREADERS] = { z_ny, z_fixed, z_utc, z_utc, z_ny, z_fixed, z_ny, z_utc, z_fixed };
	for (int k = 0; k < NREADERS; k++) {
		const char *m = k == 5 ? mapped : k == 8 ? pos : NULL;
		why[0] = '\0';
		x.rd[k] = cdrfmt_reader_new(kinds[k], m, zones[k], why, sizeof why);
		FUZZ_CHECK(x.rd[k] != NULL || (k == 5 && why[0] != '\0')); /* only a bad map fails */
	}
	FUZZ_CHECK(cdrfmt_map_positional(pos));
	st = csvin_read_buffer((const char *)data, size, on_row, &x, &err);
	int strict_st = st;
	FUZZ_CHECK(st == CSVIN_OK || st == CSVIN_EPARSE || st == CSVIN_EUNTERMINATED);
	if (st != CSVIN_OK) {
		count_breaks(&x, size);
		FUZZ_CHECK(err.status == st && err.msg[0] != '\0');
		FUZZ_CHECK(err.line >= 1 && err.line <= 1 + x.breaks && err.line >= x.last_line);
	}
	for (int k = 0; k < NREADERS; k++)
		if (x.rd[k])
			cdrfmt_reader_free(x.rd[k]);

	/* a row callback that stops the read */
	int64_t first = 0;
	st = csvin_read_buffer((const char *)data, size, stop_first, &first, &err);
	if (x.rows > 0)
		FUZZ_CHECK(st == CSVIN_ESTOPPED && err.stop_value == 5 && err.line == first);

	cdrfmt_kind k = cdrfmt_detect_buffer((const char *)data, size, why, sizeof why);
	FUZZ_CHECK(k >= CDRFMT_AUTO && k <= CDRFMT_LAST);
	FUZZ_CHECK(k != CDRFMT_AUTO || why[0] != '\0');
	/* --format auto with the map: numbers only -> generic, no detection */
	k = cdrfmt_choose(NULL, (const char *)data, size, CDRFMT_AUTO, mapped, why, sizeof why);
	FUZZ_CHECK(k >= CDRFMT_AUTO && k <= CDRFMT_LAST);
	FUZZ_CHECK(k != CDRFMT_AUTO || why[0] != '\0');
	if (cdrfmt_map_positional(mapped))
		FUZZ_CHECK(k == CDRFMT_GENERIC);
	lenient_pass(data, size, strict_st, x.rows);
	return 0;
}
