/* render_cnam.c: see render_cnam.h. */
#include "render_cnam.h"

#include <string.h>

#include "text.h"

const char *render_cnam_source(const cnamq_row *r)
{
	return r->source == CNAMQ_LEDGER ? "ledger" : "call";
}

static void copy_span(char *buf, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
}

void render_cnam_name(const cnamq_row *r, char *buf, size_t n)
{
	const char *c = r->clid, *lt, *end;
	buf[0] = '\0';
	if (r->source != CNAMQ_CALL || !c[0] || n == 0)
		return;
	while (*c == ' ')
		c++;
	if (*c == '"') { /* "NAME" <NUMBER> */
		c++;
		if (!(end = strchr(c, '"')))
			return;
	} else {         /* NAME <NUMBER>, or a bare number: no name */
		if (!(lt = strchr(c, '<')))
			return;
		end = lt;
		while (end > c && end[-1] == ' ')
			end--;
	}
	if (end == c || ((size_t)(end - c) == strlen(r->number) && memcmp(c, r->number, (size_t)(end - c)) == 0))
		return; /* the name part is the number: nothing was looked up to show */
	copy_span(buf, n, c, (size_t)(end - c));
}

void render_cnam_ref(const cnamq_row *r, char *buf, size_t n)
{
	if (r->source == CNAMQ_LEDGER)
		snprintf(buf, n, "ledger:%lld", (long long)r->id);
	else
		snprintf(buf, n, "%s", r->record_id);
}

void render_cnam_csv_header(out_csv *c)
{
	static const char *const h[] = { "time", "source", "id", "number", "name", "caller_id", "fee", "memo",
	                                 "while_suspended" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(c, h[i]);
	out_csv_end(c);
}

void render_cnam_csv_row(out_csv *c, const cnamq_row *r, int d)
{
	char ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1];
	render_cnam_ref(r, ref, sizeof ref);
	render_cnam_name(r, name, sizeof name);
	out_csv_time(c, r->at);
	out_csv_cell(c, render_cnam_source(r));
	out_csv_cell(c, ref);
	out_csv_cell(c, r->number);
	out_csv_cell(c, name);
	out_csv_cell(c, r->clid);
	out_csv_money(c, r->fee, d);
	out_csv_cell(c, r->memo);
	out_csv_int(c, r->suspended);
	out_csv_end(c);
}

void render_cnam_text_header(FILE *f)
{
	fprintf(f, "%-19s %-6s %-24s %-16s %-20s %10s\n", "TIME (UTC)", "SOURCE", "ID", "NUMBER", "NAME / MEMO", "FEE");
}

void render_cnam_text_row(FILE *f, const cnamq_row *r, int d)
{
	char ref[CDR_RECORD_ID_MAX + 32], name[CDR_FIELD_MAX + 1], vref[80], vnum[40], vname[60];
	render_cnam_ref(r, ref, sizeof ref);
	render_cnam_name(r, name, sizeof name);
	out_visible(ref, vref, sizeof vref, 0);
	out_visible(r->number, vnum, sizeof vnum, 0);
	out_visible(r->source == CNAMQ_LEDGER ? r->memo : name, vname, sizeof vname, 0);
	fprintf(f, "%s %-6s %-24.24s %-16.16s %-20.20s %10s%s\n", cli_time_text(r->at), render_cnam_source(r), vref,
	        vnum[0] ? vnum : "-", vname[0] ? vname : "-", cli_money(r->fee, d), r->suspended ? " SUSPENDED" : "");
}

void render_cnam_text_footer(FILE *f, int64_t lookups, int64_t entries, money_t total, int d, const char *currency)
{
	fprintf(f, "%lld lookup%s, %lld ledger entr%s, CNAM %s %s\n", (long long)lookups, lookups == 1 ? "" : "s",
	        (long long)entries, entries == 1 ? "y" : "ies", cli_money(total, d), currency);
}
