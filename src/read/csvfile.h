/* csvfile.h — streams the records of one CSV file through libcsv, after decoding it
 * (UTF-8 with or without BOM, else GB18030 via iconv) and with each record's first line. */
#ifndef CUNDANG_CSVFILE_H
#define CUNDANG_CSVFILE_H

#include <stddef.h>

#include "util.h"

/* Limits that keep hostile files bounded; going past one is a fatal error. */
#define CSVFILE_MAX_FIELD 65536
#define CSVFILE_MAX_FIELDS 4096

typedef struct {
	int line;           /* 1-based line on which the record starts */
	char **fields;      /* trimmed, NUL-terminated; valid only during the callback */
	const size_t *lens; /* their lengths in bytes, without the NUL */
	size_t nfields;
} csv_record_t;

/* Called once per record (blank lines and all-empty records are skipped). Return 0 to go
 * on; return -1 after filling err to stop reading with that error. */
typedef int (*csvfile_record_fn)(const csv_record_t *rec, void *ctx, err_t *err);

/* Reads the file at path and calls fn for each record, header included. `name` is how the
 * file is called in error messages. Returns 0, or -1 with err filled for an unreadable
 * file, an encoding that is neither UTF-8 nor GB18030, a NUL byte, an unterminated
 * quote, a limit exceeded, or the callback's own error. */
int csvfile_read(const char *path, const char *name, csvfile_record_fn fn, void *ctx, err_t *err);

/* Reads CSV text held in memory (already UTF-8); same contract as csvfile_read. */
int csvfile_read_mem(const char *data, size_t len, const char *name, csvfile_record_fn fn,
                     void *ctx, err_t *err);

#endif
