/* render_records.c: see render_records.h. The forms are those of
 * `billtop rejects` and `billtop audit` (cli/cmd_rejects.c, cli/cmd_audit.c
 * call them); tests/tui/test_records.sh compares the console's exports with
 * the commands' output. */
#include "render_records.h"

#include <string.h>

#include "text.h"

void render_reject_csv_header(out_csv *c)
{
	static const char *const h[] = { "import", "file", "line", "reason", "row" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(c, h[i]);
	out_csv_end(c);
}

void render_reject_csv_row(out_csv *c, const rejects_row *r)
{
	out_csv_int(c, r->import_id);
	out_csv_cell(c, r->path);
	out_csv_int(c, r->line);
	out_csv_cell(c, r->reason);
	out_csv_celln(c, r->raw, r->raw_len);
	out_csv_end(c);
}

void render_reject_text_row(FILE *f, const rejects_row *r)
{
	char vis[2048];
	size_t shown = r->raw_len > 2000 ? 2000 : r->raw_len;
	out_visible_n(r->raw, shown, vis, sizeof vis, 0);
	fprintf(f, "%s:%lld: %s (import %lld)\n    %s%s\n", cli_vis(r->path), (long long)r->line, cli_vis(r->reason),
	        (long long)r->import_id, vis, shown < r->raw_len ? " ..." : "");
	if (shown < r->raw_len)
		fprintf(f, "    (%zu bytes; `billtop rejects --format json` has all of it)\n", r->raw_len);
}

void render_audit_detail(const audit_row *r, char *buf, size_t n)
{
	if (strcmp(r->what, "ledger") == 0)
		snprintf(buf, n, "%s %s \"%s\" (at %s%s%s)", r->kind, cli_money(r->amount, r->decimals), r->text,
		         cli_time_text(r->effective), *r->ref ? ", ref " : "", r->ref);
	else if (strcmp(r->what, "rates") == 0)
		snprintf(buf, n, "deck %s from %s: %lld rows, %lld added, %lld unchanged", r->format, r->text,
		         (long long)r->rows, (long long)r->inserted, (long long)r->duplicates);
	else if (strcmp(r->what, "import") == 0 || strcmp(r->what, "ingest") == 0)
		snprintf(buf, n, "%s%s%s (%s): %lld rows, %lld stored, %lld duplicates, %lld rejected%s%s",
		         strcmp(r->what, "import") == 0 ? r->kind : "", strcmp(r->what, "import") == 0 ? " " : "",
		         r->text, r->format, (long long)r->rows, (long long)r->inserted, (long long)r->duplicates,
		         (long long)r->rejected, strcmp(r->what, "ingest") == 0 ? ", last batch " : "",
		         strcmp(r->what, "ingest") == 0 ? cli_time_text(r->until) : "");
	else if (strcmp(r->what, "case opened") == 0)
		snprintf(buf, n, "verdict %s: their %s (%s, %lld calls) against our %lld calls, %s to %s", r->kind,
		         r->text, r->format, (long long)r->rows, (long long)r->inserted, cli_time_text(r->effective),
		         cli_time_text(r->until));
	else if (strcmp(r->what, "archive") == 0)
		snprintf(buf, n, "%s", r->text);
	else
		snprintf(buf, n, "their %s", r->text);
}

void render_audit_csv_header(out_csv *c)
{
	static const char *const h[] = { "at", "what", "id", "operator", "ssh_client", "account", "detail" };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		out_csv_cell(c, h[i]);
	out_csv_end(c);
}

void render_audit_csv_row(out_csv *c, const audit_row *r)
{
	char d[2048];
	render_audit_detail(r, d, sizeof d);
	out_csv_time(c, r->at);
	out_csv_cell(c, r->what);
	out_csv_int(c, r->id);
	out_csv_cell(c, r->operator_);
	out_csv_cell(c, r->ssh_client);
	out_csv_cell(c, r->account);
	out_csv_cell(c, d);
	out_csv_end(c);
}

void render_audit_text_header(FILE *f)
{
	fprintf(f, "%-19s  %-11s %6s  %-10s %-15s %-10s %s\n", "WHEN (UTC)", "WHAT", "ID", "OPERATOR", "FROM",
	        "ACCOUNT", "DETAIL");
}

void render_audit_text_row(FILE *f, const audit_row *r)
{
	char d[2048], from[64], op[80], acct[80], vis[2400];
	size_t k = strcspn(r->ssh_client, " ");
	render_audit_detail(r, d, sizeof d);
	snprintf(from, sizeof from, "%.*s", (int)(k < 48 ? k : 48), r->ssh_client);
	out_visible(r->operator_, op, sizeof op, 0);
	out_visible(r->account, acct, sizeof acct, 0);
	out_visible(d, vis, sizeof vis, 0);
	fprintf(f, "%-19s  %-11s %6lld  %-10s %-15s %-10s %s\n", cli_time_text(r->at), r->what, (long long)r->id, op,
	        from[0] ? from : "-", acct[0] ? acct : "-", vis);
}
