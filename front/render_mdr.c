/* render_mdr.c: see render_mdr.h. */
#include "render_mdr.h"

#include "text.h"

void render_mdr_csv_header(out_csv *c)
{
	static const char *const h[] = { "message_id", "time", "direction", "from", "to", "type", "segments",
	                                 "charge", "while_suspended" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(c, h[i]);
	out_csv_end(c);
}

void render_mdr_csv_row(out_csv *c, const mdrq_row *r, int d)
{
	out_csv_cell(c, r->record_id);
	out_csv_time(c, r->at);
	out_csv_cell(c, r->direction);
	out_csv_cell(c, r->src);
	out_csv_cell(c, r->dst);
	out_csv_cell(c, r->type);
	out_csv_int(c, r->segments);
	out_csv_money(c, r->cost, d);
	out_csv_int(c, r->suspended);
	out_csv_end(c);
}

void render_mdr_text_header(FILE *f)
{
	fprintf(f, "%-19s %-8s %-16s %-16s %-5s %4s %10s\n", "TIME (UTC)", "DIR", "FROM", "TO", "TYPE", "SEGS",
	        "CHARGE");
}

void render_mdr_text_row(FILE *f, const mdrq_row *r, int d)
{
	char dir[20], src[40], dst[40], type[20];
	out_visible(r->direction, dir, sizeof dir, 0);
	out_visible(r->src, src, sizeof src, 0);
	out_visible(r->dst, dst, sizeof dst, 0);
	out_visible(r->type, type, sizeof type, 0);
	fprintf(f, "%s %-8.8s %-16.16s %-16.16s %-5.5s %4lld %10s%s\n", cli_time_text(r->at), dir, src, dst, type,
	        (long long)r->segments, cli_money(r->cost, d), r->suspended ? " SUSPENDED" : "");
}

void render_mdr_text_footer(FILE *f, int64_t n, int64_t segments, money_t total, int d, const char *currency)
{
	fprintf(f, "%lld message%s, %lld segment%s, charges %s %s\n", (long long)n, n == 1 ? "" : "s",
	        (long long)segments, segments == 1 ? "" : "s", cli_money(total, d), currency);
}
