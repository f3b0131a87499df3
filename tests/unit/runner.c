/* runner.c: runs every suite in suites.h; argv[1] filters by suite/test name. */
#include <stdlib.h>
#include <unistd.h>
#include "t.h"

#define X(name) void suite_##name(void);
#include "suites.h"
#undef X

int t_failed_flag;
const char *t_suite = "";
const char *t_filter;
static int passed, failed;

void t_record(const char *suite, const char *name, int f)
{
	if (f) {
		failed++;
		fprintf(stderr, "FAIL %s.%s\n", suite, name);
	} else {
		passed++;
		if (getenv("T_VERBOSE"))
			fprintf(stderr, "ok   %s.%s\n", suite, name);
	}
}

const char *t_realdata(const char *file)
{
	static char buf[4][1024];
	static int slot;
	const char *dir = getenv("BILLTOP_REALDATA");
	char *b = buf[slot++ % 4];
	snprintf(b, sizeof buf[0], "%s/%s", dir ? dir : "tests/realdata", file);
	return b;
}

const char *t_tmppath(const char *name)
{
	static char buf[4][1024];
	static int slot;
	const char *dir = getenv("TMPDIR");
	char *b = buf[slot++ % 4];
	snprintf(b, sizeof buf[0], "%s/billtop-t%ld-%s", dir ? dir : "/tmp", (long)getpid(), name);
	return b;
}

int main(int argc, char **argv)
{
	t_filter = argc > 1 ? argv[1] : NULL;
#define X(name) t_suite = #name; suite_##name();
#include "suites.h"
#undef X
	printf("unit: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
