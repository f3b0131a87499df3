/* dateguess.c: deciding a file's date order from a sample, the wall-clock
 * offset from unique-id epochs, and the zone table (see dateguess.h). Pure
 * C, no allocation. */
#include "dateguess.h"

#include <stdio.h>
#include <string.h>
#include "datechar.h"

/* A text for messages: printable ASCII, anything else as '?'. */
static void shown(char *dst, size_t cap, const char *s, size_t len)
{
	size_t k = 0;
	for (size_t i = 0; i < len && k + 1 < cap; i++)
		dst[k++] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	dst[k] = '\0';
}

void df_guess_init(df_guess *g, const df_spec *fixed)
{
	memset(g, 0, sizeof *g);
	g->possible = DF_BIT(DF_YMD) | DF_BIT(DF_DMY) | DF_BIT(DF_MDY);
	g->fixed = fixed;
}

static void tally(df_guess *g, int k, const tm_civil *c, int64_t epoch)
{
	int64_t d, r;
	if (c->has_zone || !c->has_time)
		return;
	d = tm_civil_to_utc(c) - epoch;
	r = (d >= 0 ? d + 900 : d - 900) / 1800;
	g->ep_rows[k]++;
	if (r < -DF_OFF_SPAN || r > DF_OFF_SPAN || (d - r * 1800 > 300) || (r * 1800 - d > 300))
		return;
	g->ep_fit[k]++;
	g->off_n[k][r + DF_OFF_SPAN]++;
}

void df_guess_feed(df_guess *g, const char *s, size_t len, int64_t line, int has_epoch, int64_t epoch)
{
	tm_civil c;
	char w[64];
	unsigned fits = 0;
	while (len && is_blank((unsigned char)*s))
		s++, len--;
	while (len && is_blank((unsigned char)s[len - 1]))
		len--;
	if (!len)
		return;
	g->texts++;
	if (g->fixed) {
		if (df_read(g->fixed, s, len, 1, &c, w, sizeof w) == TM_OK && has_epoch)
			tally(g, g->fixed->kind, &c, epoch);
		return;
	}
	if (df_parse_epoch(s, len, &c)) {
		g->epochs++;
		return;
	}
	if (tm_parse_civil(s, len, &c) == TM_OK) {
		g->iso++;
		if (has_epoch)
			tally(g, DF_AUTO, &c, epoch);
		return;
	}
	for (int k = DF_YMD; k <= DF_MDY; k++)
		if (df_parse_ordered(s, len, (df_kind)k, &c) == TM_OK) {
			fits |= DF_BIT(k);
			if (has_epoch)
				tally(g, k, &c, epoch);
		}
	if (!fits) {
		if (!g->misfit++) {
			g->misfit_line = line;
			shown(g->misfit_text, sizeof g->misfit_text, s, len);
		}
		return;
	}
	g->ordered++;
	for (int k = DF_YMD; k <= DF_MDY; k++)
		if ((g->possible & DF_BIT(k)) && !(fits & DF_BIT(k))) {
			g->out_line[k] = line;
			shown(g->out_text[k], sizeof g->out_text[k], s, len);
		}
	g->possible &= fits;
	if (g->possible && !g->ex_line && (fits & (fits - 1)) && (g->possible & (g->possible - 1))) {
		g->ex_line = line;
		shown(g->ex_text, sizeof g->ex_text, s, len);
	}
}

/* A --date-format of the example's shape, reading it day-first (dmy) or
 * month-first: "04/09/17 12:39" -> "%d/%m/%y %H:%M". */
static void suggest(const char *ex, int dmy, char *buf, size_t n)
{
	static const char *const dm[2][3] = { { "%m", "%d", "" }, { "%d", "%m", "" } };
	size_t k = 0;
	int field = 0, pm = 0;
	const char *p;
	for (p = ex; *p; p++)
		if (lower((unsigned char)*p) == 'p' || lower((unsigned char)*p) == 'a')
			pm = 1;
	for (p = ex; *p && k + 4 < n;) {
		if (is_digit((unsigned char)*p)) {
			size_t nd = 0;
			const char *d;
			while (is_digit((unsigned char)p[nd]))
				nd++;
			if (field < 2)
				d = dm[dmy][field];
			else if (field == 2)
				d = nd == 4 ? "%Y" : "%y";
			else if (field == 3)
				d = pm ? "%I" : "%H";
			else if (field == 4)
				d = "%M";
			else if (field == 5)
				d = "%S";
			else
				d = "";
			if (field == 5 && p[nd] == '.') { /* %S takes the fraction */
				nd++;
				while (is_digit((unsigned char)p[nd]))
					nd++;
			}
			k += (size_t)snprintf(buf + k, n - k, "%s", d);
			p += nd;
			field++;
		} else if (pm && (lower((unsigned char)*p) == 'a' || lower((unsigned char)*p) == 'p')) {
			k += (size_t)snprintf(buf + k, n - k, "%%p");
			while (*p && *p != ' ' && !is_digit((unsigned char)*p) && *p != '+' && *p != '-')
				p++;
		} else {
			buf[k++] = *p++;
		}
	}
	buf[k] = '\0';
}

/* The order ruled out last among those not in keep (the deciding value);
 * on a tie a day- or month-first one, as any such text rules out YMD. */
static int last_out(const df_guess *g, unsigned keep)
{
	int best = -1;
	for (int k = DF_YMD; k <= DF_MDY; k++)
		if (!(keep & DF_BIT(k)) && g->out_line[k] && (best < 0 || g->out_line[k] >= g->out_line[best]))
			best = k;
	return best;
}

static void names(unsigned set, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = '\0';
	for (int o = DF_YMD; o <= DF_MDY && k + 1 < n; o++)
		if (set & DF_BIT(o))
			k += (size_t)snprintf(buf + k, n - k, "%s%s", k ? " and as " : "", df_kind_name((df_kind)o));
}

int df_guess_decide(const df_guess *g, df_spec *out, char *why, size_t n)
{
	unsigned p = g->possible;
	char nm[120];
	if (g->fixed) {
		df_spec f = *g->fixed; /* out may be g->fixed */
		*out = f;
		snprintf(why, n, "as --date-format \"%s\" says", f.fmt.text);
		return 0;
	}
	memset(out, 0, sizeof *out);
	if (!g->ordered) {
		snprintf(why, n, g->iso ? "year-first (ISO) dates" : g->epochs ? "Unix epochs" : "no dates in the sample");
		return 0;
	}
	if (!p) {
		/* the last two texts that ruled an order out (on a tie, a day- or
		 * month-first one rather than the year-first that any of them rules out) */
		int b = last_out(g, 0), a = -1;
		for (int k = DF_YMD; k <= DF_MDY; k++)
			if (k != b && g->out_line[k] && (a < 0 || g->out_line[k] >= g->out_line[a]))
				a = k;
		if (a < 0 || b < 0) {
			snprintf(why, n, "contradictory dates: give --date-format");
			return -1;
		}
		snprintf(why, n, "contradictory dates: \"%s\" on line %lld cannot be %s, \"%s\" on line %lld "
		         "cannot be %s: the file mixes orders; give --date-format", g->out_text[a],
		         (long long)g->out_line[a], df_kind_name((df_kind)a), g->out_text[b], (long long)g->out_line[b],
		         df_kind_name((df_kind)b));
		return -1;
	}
	if (!(p & (p - 1))) {
		int k = DF_YMD, o;
		while (!(p & DF_BIT(k)))
			k++;
		out->kind = (df_kind)k;
		o = last_out(g, p);
		if (o >= 0)
			snprintf(why, n, "decided: %s because \"%s\" on line %lld cannot be %s", df_kind_name(out->kind),
			         g->out_text[o], (long long)g->out_line[o], df_kind_name((df_kind)o));
		else
			snprintf(why, n, "decided: %s", df_kind_name(out->kind));
		return 0;
	}
	/* Several orders read every date: an epoch on the same rows decides
	 * when exactly one of them puts every wall clock a constant whole or
	 * half hour away from it. */
	{
		int only = -1, count = 0;
		for (int k = DF_YMD; k <= DF_MDY; k++) {
			int off;
			int64_t agree, rows;
			if (!(p & DF_BIT(k)) || !g->ep_rows[k] || g->ep_fit[k] != g->ep_rows[k])
				continue;
			if (!df_guess_offset(g, (df_kind)k, &off, &agree, &rows) || agree * 10 < rows * 9)
				continue;
			only = k;
			count++;
		}
		if (count == 1) {
			out->kind = (df_kind)only;
			snprintf(why, n, "decided: %s because the unique ids' epochs match it on all %lld rows that "
			         "have one", df_kind_name(out->kind), (long long)g->ep_rows[only]);
			return 0;
		}
	}
	{
		char sd[64], sm[64];
		names(p, nm, sizeof nm);
		suggest(g->ex_text, 1, sd, sizeof sd);
		suggest(g->ex_text, 0, sm, sizeof sm);
		snprintf(why, n, "ambiguous dates: every date in the sample reads as %s (e.g. \"%s\" on line %lld): "
		         "give --date-format '%s' (day first) or '%s' (month first)", nm, g->ex_text,
		         (long long)g->ex_line, sd, sm);
	}
	return -1;
}

int df_guess_offset(const df_guess *g, df_kind k, int *offset_s, int64_t *agree, int64_t *rows)
{
	int best = -1;
	int64_t bn = 0, tot;
	if ((unsigned)k > DF_FORMAT)
		return 0;
	tot = g->ep_rows[k] + (k != DF_AUTO ? g->ep_rows[DF_AUTO] : 0);
	for (int i = 0; i <= 2 * DF_OFF_SPAN; i++) {
		int64_t c = g->off_n[k][i] + (k != DF_AUTO ? g->off_n[DF_AUTO][i] : 0);
		if (c > bn)
			bn = c, best = i;
	}
	if (rows)
		*rows = tot;
	if (agree)
		*agree = bn;
	if (best < 0)
		return 0;
	*offset_s = (best - DF_OFF_SPAN) * 1800;
	return 1;
}

const char *df_zone_for_offset(int offset_s)
{
	static const struct {
		int half_hours;
		const char *zone;
	} tab[] = {
		{ -20, "Pacific/Honolulu" }, { -18, "America/Anchorage" }, { -16, "America/Los_Angeles" },
		{ -14, "America/Denver" }, { -12, "America/Chicago" }, { -10, "America/New_York" },
		{ -8, "America/Halifax" }, { -7, "America/St_Johns" }, { -6, "America/Sao_Paulo" },
		{ 2, "Europe/Paris" }, { 4, "Europe/Athens" },
		{ 6, "Europe/Moscow" }, { 7, "Asia/Tehran" }, { 8, "Asia/Dubai" }, { 9, "Asia/Kabul" },
		{ 10, "Asia/Karachi" }, { 11, "Asia/Kolkata" }, { 12, "Asia/Dhaka" }, { 13, "Asia/Yangon" },
		{ 14, "Asia/Bangkok" }, { 16, "Asia/Shanghai" }, { 18, "Asia/Tokyo" }, { 19, "Australia/Darwin" },
		{ 20, "Australia/Sydney" }, { 24, "Pacific/Auckland" },
	};
	if (offset_s % 1800)
		return NULL;
	for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
		if (tab[i].half_hours * 1800 == offset_s)
			return tab[i].zone;
	return NULL;
}

int df_uniqueid_epoch(const char *s, size_t len, int64_t *epoch)
{
	size_t i, j, start = 0;
	const char *slash = memchr(s, '/', len);
	if (slash)
		len = (size_t)(slash - s);
	/* the epoch starts after the last '-' (system names may hold '-') or
	 * ':' (a "source:" prefix) */
	for (i = 0; i < len; i++)
		if (s[i] == '-' || s[i] == ':')
			start = i + 1;
	for (j = start; j < len && is_digit((unsigned char)s[j]); j++)
		;
	if (j - start < 9 || j - start > 10 || j >= len || s[j] != '.' || j + 1 >= len)
		return 0;
	for (i = j + 1; i < len; i++)
		if (!is_digit((unsigned char)s[i]))
			return 0;
	int64_t v = 0;
	for (i = start; i < j; i++)
		v = v * 10 + (s[i] - '0');
	*epoch = v;
	return 1;
}
