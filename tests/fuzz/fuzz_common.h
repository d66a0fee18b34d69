/* fuzz_common.h — helpers shared by the libFuzzer targets of tests/fuzz/: an invariant check
 * that aborts (so libFuzzer keeps the input), and a per-process scratch file for the readers
 * that only take a path (config_load, village_load). Header-only: each target is one file. */
#ifndef CUNDANG_FUZZ_COMMON_H
#define CUNDANG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Aborts with the failed condition when an invariant does not hold; libFuzzer then saves
 * the input as a crash artifact. Not assert(): it must stay on whatever NDEBUG says. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__,       \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A directory of this process's own, made once and removed at exit with the files
 * fuzz_file_path named in it: under /dev/shm when it is writable (memory: a write and a read
 * per input cost four times less there than on disk), else $TMPDIR, else /tmp. */
static char fuzz_dir[4096];

static inline void fuzz_dir_remove(void)
{
	static const char *const names[] = {"input", "site.yaml"};
	char path[4200];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", fuzz_dir, names[i]);
		unlink(path);
	}
	rmdir(fuzz_dir);
}

/* The path of the scratch file called name ("input" or "site.yaml") in the directory. */
static inline const char *fuzz_file_path(const char *name)
{
	static char path[4200];
	if (!fuzz_dir[0]) {
		const char *tmp = getenv("TMPDIR");
		if (access("/dev/shm", W_OK | X_OK) == 0)
			tmp = "/dev/shm";
		snprintf(fuzz_dir, sizeof fuzz_dir, "%s/cundang-fuzz-XXXXXX",
		         tmp && *tmp ? tmp : "/tmp");
		if (!mkdtemp(fuzz_dir)) {
			perror("fuzz: mkdtemp");
			exit(1);
		}
		atexit(fuzz_dir_remove);
	}
	snprintf(path, sizeof path, "%s/%s", fuzz_dir, name);
	return path;
}

/* Writes n bytes to the scratch file called name and returns its path. */
static inline const char *fuzz_write_file(const char *name, const void *data, size_t n)
{
	const char *path = fuzz_file_path(name);
	FILE *f = fopen(path, "wb");
	if (!f || (n && fwrite(data, 1, n, f) != n) || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
	return path;
}

#endif
