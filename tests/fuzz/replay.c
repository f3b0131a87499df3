/* replay.c: a main() that runs files through LLVMFuzzerTestOneInput, so a
 * fuzz target builds and runs without libFuzzer (plain cc, or under
 * ASan/UBSan in `make asan`).
 *
 *   replay_TARGET PATH...   each PATH a file, or a directory whose regular
 *                           files (not subdirectories, not dot files) are run
 *
 * Every file is read into a malloc'd buffer of exactly its size (no NUL
 * after it), so a target that reads past its input is caught by ASan just as
 * under libFuzzer. A missing PATH is an error (exit 2): the Makefile names
 * only directories that exist. A failed invariant aborts, as under libFuzzer.
 * Prints "replay NAME: N inputs" on success. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static long ran;

/* Read `path` whole and run it. 0, or -1 when it cannot be read. */
static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	uint8_t *buf;
	size_t got;
	if (!f || fstat(fileno(f), &sb) != 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	/* malloc(0) may return NULL: keep one byte but pass size 0 */
	buf = malloc(sb.st_size > 0 ? (size_t)sb.st_size : 1);
	if (!buf) {
		fclose(f);
		fprintf(stderr, "replay: %s: out of memory\n", path);
		return -1;
	}
	got = fread(buf, 1, (size_t)sb.st_size, f);
	fclose(f);
	if (getenv("REPLAY_VERBOSE"))
		fprintf(stderr, "replay: %s (%zu bytes)\n", path, got);
	LLVMFuzzerTestOneInput(buf, got);
	free(buf);
	ran++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular, non-dot file of `dir`, in name order (reproducible). */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **nn = realloc(names, cap * sizeof *nn);
			if (!nn) {
				rc = -1;
				break;
			}
			names = nn;
		}
		if (asprintf(&names[n], "%s/%s", dir, e->d_name) < 0) {
			rc = -1;
			break;
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (rc == 0 && stat(names[i], &sb) == 0 && S_ISREG(sb.st_mode) && run_file(names[i]) != 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	const char *name = strrchr(argv[0], '/');
	name = name ? name + 1 : argv[0];
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		if (stat(argv[i], &sb) != 0) {
			fprintf(stderr, "replay: %s: %s\n", argv[i], strerror(errno));
			return 2;
		}
		if ((S_ISDIR(sb.st_mode) ? run_dir(argv[i]) : run_file(argv[i])) != 0)
			return 2;
	}
	printf("%s: %ld inputs\n", name, ran);
	return 0;
}
