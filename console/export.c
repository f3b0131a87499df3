/* export.c: the console's one export dialogue, shared by every screen that
 * has `e`: ask the format (CSV or printable text: one key, its first
 * letter, or Enter for the screen's default), ask the path (pre-filled,
 * the user confirms or edits it), refuse to overwrite without a yes, write
 * through the screen's writer, and say where the file went.
 *
 * tui_export offers CSV and text; tui_export_ex names the formats a screen
 * writes (the investigation screens add JSON) and the one Enter picks.
 *
 * The screen owns what is written (its writer gets the open FILE and the
 * format); this file owns the dialogue, the FILE and the status line. No
 * figures are computed here. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tui.h"

/* File-name-safe copy of `s`: letters, digits, '.', '_' and '-' kept,
 * anything else (slashes, blanks, UTF-8) becomes '_'. */
static void safe_name(const char *s, char *dst, size_t n)
{
	size_t k = 0;
	for (; *s && k + 1 < n; s++) {
		unsigned char c = (unsigned char)*s;
		int keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
		           || c == '_' || c == '-';
		dst[k++] = keep ? (char)c : '_';
	}
	dst[k] = '\0';
	if (k && dst[0] == '.')
		dst[0] = '_'; /* never a hidden file */
}

static const char *const FORMAT_NAMES[] = { "csv", "text", "json" };
static const char *const FORMAT_EXT[] = { "csv", "txt", "json" };

int tui_export(tui *t, const char *stem, tui_export_fn fn, void *ctx)
{
	return tui_export_ex(t, stem, 1u << TUI_EXPORT_CSV | 1u << TUI_EXPORT_TEXT, TUI_EXPORT_CSV, fn, ctx);
}

int tui_export_ex(tui *t, const char *stem, unsigned formats, tui_export_format dflt, tui_export_fn fn, void *ctx)
{
	char buf[PATH_MAX], name[200], path[PATH_MAX], shown[PATH_MAX], label[96], names[40] = "";
	tui_export_format fmt;
	struct stat sb;
	FILE *f;
	int rc, err, nf = 0, k, key;
	char letters[8];

	/* "csv or text", "csv, text or json" */
	for (k = TUI_EXPORT_CSV; k <= TUI_EXPORT_JSON; k++)
		nf += (formats >> k) & 1;
	for (k = TUI_EXPORT_CSV; k <= TUI_EXPORT_JSON; k++) {
		if (!(formats & (1u << k)))
			continue;
		size_t len = strlen(names);
		snprintf(names + len, sizeof names - len, "%s%s", len == 0 ? "" : --nf == 1 ? " or " : ", ",
		         FORMAT_NAMES[k]);
	}
	snprintf(label, sizeof label, "export as %s (Enter: %s):", names, FORMAT_NAMES[dflt]);
	/* a menu: the format's first letter, on one key; Enter picks dflt */
	for (k = TUI_EXPORT_CSV, nf = 0; k <= TUI_EXPORT_JSON; k++)
		if (formats & (1u << k))
			letters[nf++] = FORMAT_NAMES[k][0];
	letters[nf++] = '\r';
	letters[nf] = '\0';
	if (!(key = tui_ask_key(t, label, letters)))
		return 1;
	fmt = dflt;
	for (k = TUI_EXPORT_CSV; k <= TUI_EXPORT_JSON; k++)
		if ((formats & (1u << k)) && key == FORMAT_NAMES[k][0])
			fmt = (tui_export_format)k;
	safe_name(stem, name, sizeof name);
	snprintf(buf, sizeof buf, "billtop-%s.%s", name, FORMAT_EXT[fmt]);
	if (!tui_prompt(t, "export to (Enter writes, Esc cancels):", buf, path, sizeof path))
		return 1;
	if (!path[0]) {
		tui_set_status(t, "export: no path given; nothing written");
		return 1;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		/* a directory: the offered name inside it */
		size_t n = strlen(path);
		if (n + 1 + strlen(buf) + 1 > sizeof path) {
			tui_set_status(t, "export: path too long");
			return -1;
		}
		/* length checked above */
		if (!(n && path[n - 1] == '/'))
			path[n++] = '/';
		memcpy(path + n, buf, strlen(buf) + 1);
	}
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			tui_set_status(t, "export: %s is a directory", path);
			return -1;
		}
		if (!tui_confirm(t, "file exists: overwrite? (y/n)")) {
			tui_set_status(t, "export cancelled: %s left as it was", path);
			return 1;
		}
	}
	if (!(f = fopen(path, "w"))) {
		tui_set_status(t, "export: cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	rc = fn(f, fmt, ctx);
	err = ferror(f) ? (errno ? errno : EIO) : 0;
	if (fclose(f) != 0 && !err)
		err = errno ? errno : EIO;
	if (rc != 0 || err) {
		/* the writer may have set its own reason */
		if (err || !t->status[0])
			tui_set_status(t, "export: writing %s failed: %s", path, strerror(err ? err : EIO));
		return -1;
	}
	if (!realpath(path, shown))
		snprintf(shown, sizeof shown, "%s", path);
	tui_set_status(t, "wrote %s", shown);
	return 0;
}
