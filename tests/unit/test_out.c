/* test_out.c: the contracts of data/out.c for hostile text: what a terminal
 * is shown (out_visible), what JSON and CSV carry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../data/out.h"
#include "t.h"

static const char *vis(const char *s, size_t len, int ascii)
{
	static char buf[512];
	out_visible_n(s, len, buf, sizeof buf, ascii);
	return buf;
}
#define VIS(s, ascii) vis(s, sizeof s - 1, ascii)

TEST(visible_controls)
{
	T_EQ_STR(VIS("a\033[31mb\007", 0), "a\\x1b[31mb\\x07");
	T_EQ_STR(VIS("\033]52;c;eA==\007", 0), "\\x1b]52;c;eA==\\x07");
	T_EQ_STR(VIS("nul\0after", 0), "nul\\x00after");
	T_EQ_STR(VIS("del\x7f", 0), "del\\x7f");
	T_EQ_STR(VIS("c1 \xc2\x9b" "2J", 0), "c1 \\xc2\\x9b2J");  /* U+009B, CSI */
	T_EQ_STR(VIS("raw \x9b" "2J", 0), "raw \\x9b2J");          /* not UTF-8 */
	T_EQ_STR(VIS("\xff\xc0\xaf", 0), "\\xff\\xc0\\xaf");        /* lone byte, overlong */
	T_EQ_STR(VIS("+1206\xe2\x80\xae" "555", 0), "+1206\\u{202e}555"); /* RLO */
	T_EQ_STR(VIS("\xe2\x81\xa6x\xe2\x80\x8f", 0), "\\u{2066}x\\u{200f}");
	T_EQ_STR(VIS("caf\xc3\xa9 \xe2\x94\x80", 0), "caf\xc3\xa9 \xe2\x94\x80"); /* text stays */
	T_EQ_STR(VIS("caf\xc3\xa9", 1), "caf\\xc3\\xa9");
	T_EQ_STR(VIS("=cmd|' /C calc'!A0", 0), "=cmd|' /C calc'!A0");
}

TEST(visible_cuts_whole)
{
	char buf[8];
	/* never half an escape or half a character */
	T_EQ_I64(out_visible("ab\033c", buf, sizeof buf, 0), 7);
	T_EQ_STR(buf, "ab\\x1bc");
	T_EQ_I64(out_visible("abcdef\033", buf, sizeof buf, 0), 6);
	T_EQ_STR(buf, "abcdef");
	T_EQ_I64(out_visible("abcde\xc3\xa9\xc3\xa9", buf, sizeof buf, 0), 7);
	T_EQ_STR(buf, "abcde\xc3\xa9");
}

/* Run fn writing to a memory file; return its text (static). */
static char outbuf[4096];
static size_t outlen;
static FILE *mem_open(void)
{
	FILE *f = tmpfile();
	return f;
}
static const char *mem_close(FILE *f)
{
	fflush(f);
	rewind(f);
	outlen = fread(outbuf, 1, sizeof outbuf - 1, f);
	outbuf[outlen] = '\0';
	fclose(f);
	return outbuf;
}

TEST(json_strings)
{
	FILE *f = mem_open();
	out_json j;
	out_json_init(&j, f, 0);
	out_json_arr(&j, NULL);
	out_json_str(&j, NULL, "\033[31m\"q\"\\");
	out_json_str(&j, NULL, "c1\xc2\x9b" "ls\xe2\x80\xa8" "e\xc3\xa9");
	out_json_str(&j, NULL, "x\xffy\xc0\xaf");
	out_json_strn(&j, NULL, "a\0b", 3);
	out_json_end(&j);
	T_EQ_STR(mem_close(f),
	         "[\"\\u001b[31m\\\"q\\\"\\\\\",\"c1\\u009bls\\u2028e\xc3\xa9\",\"x\\ufffdy\\ufffd\\ufffd\",\"a\\u0000b\"]");
}

TEST(csv_cells)
{
	FILE *f = mem_open();
	out_csv c;
	out_csv_init(&c, f);
	out_csv_cell(&c, "=cmd|' /C calc'!A0");
	out_csv_cell(&c, "+1+1");
	out_csv_cell(&c, "-2+3");
	out_csv_cell(&c, "@SUM(1)");
	out_csv_cell(&c, "-12.50");
	out_csv_cell(&c, "\033[31m\"x\",\r\ny");
	out_csv_celln(&c, "a\0b", 3);
	out_csv_celln(&c, "=a\0\"", 4);
	out_csv_end(&c);
	T_EQ_STR(mem_close(f), "\"'=cmd|' /C calc'!A0\",\"'+1+1\",\"'-2+3\",\"'@SUM(1)\",\"-12.50\","
	                       "\"\033[31m\"\"x\"\",\r\ny\",\"a\xef\xbf\xbd" "b\",\"'=a\xef\xbf\xbd\"\"\"\r\n");
}

SUITE(out)
{
	RUN(visible_controls);
	RUN(visible_cuts_whole);
	RUN(json_strings);
	RUN(csv_cells);
}
