/* csvfile.c — decoding (UTF-8/BOM, else GB18030) and libcsv record streaming with line
 * numbers. A village's file is read whole, a large one mapped; GB18030 is converted in chunks. */
#include "read/csvfile.h"

#include <csv.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/encoding.h"
#include "read/value.h"

typedef struct {
	struct csv_parser parser;
	const char *name;
	csvfile_record_fn fn;
	void *ctx;
	err_t *err;
	int failed;
	int line;     /* physical line now being fed */
	int rec_open; /* a record has started and not ended */
	int rec_line;
	int at_line_start; /* the next byte fed begins a physical line */
	buf_t carry;       /* decoded GB18030 text of a line not yet complete */
	buf_t store;       /* the current record's trimmed fields, each NUL-terminated */
	size_t *offs;      /* field offsets into store */
	size_t *lens;      /* field lengths, without the NUL */
	size_t noffs, capoffs, caplens;
	char **fields;
	size_t capfields;
} reader_t;

static void on_field(void *s, size_t len, void *data)
{
	reader_t *r = data;
	if (r->failed)
		return;
	if (!r->rec_open) {
		r->rec_open = 1;
		r->rec_line = r->line;
	}
	if (len > CSVFILE_MAX_FIELD) {
		r->failed = err_set(r->err, r->name, r->rec_line, "a field is longer than %d bytes",
		                    CSVFILE_MAX_FIELD);
		return;
	}
	if (r->noffs >= CSVFILE_MAX_FIELDS) {
		r->failed = err_set(r->err, r->name, r->rec_line,
		                    "a record has more than %d fields", CSVFILE_MAX_FIELDS);
		return;
	}
	if (r->noffs == r->capoffs) {
		xgrow((void **)&r->offs, &r->capoffs, r->noffs + 1, sizeof *r->offs);
		xgrow((void **)&r->lens, &r->caplens, r->noffs + 1, sizeof *r->lens);
	}
	/* Trimmed here, where the length is known, so that no one measures the field again. */
	const char *b = s ? value_trim_n(s, &len) : "";
	if (!s)
		len = 0;
	buf_reserve(&r->store, len + 1);
	r->offs[r->noffs] = r->store.len;
	r->lens[r->noffs++] = len;
	memcpy(r->store.data + r->store.len, b, len);
	r->store.data[r->store.len + len] = '\0';
	r->store.len += len + 1;
}

static void on_record(int c, void *data)
{
	reader_t *r = data;
	(void)c;
	if (r->failed) {
		r->noffs = 0;
		buf_clear(&r->store);
		return;
	}
	size_t n = r->noffs;
	xgrow((void **)&r->fields, &r->capfields, n + 1, sizeof *r->fields);
	int any = 0;
	for (size_t i = 0; i < n; i++) {
		r->fields[i] = r->store.data + r->offs[i];
		any |= r->lens[i] != 0;
	}
	int line = r->rec_open ? r->rec_line : r->line;
	r->rec_open = 0;
	r->noffs = 0;
	if (any) {
		csv_record_t rec = {line, r->fields, r->lens, n};
		if (r->fn(&rec, r->ctx, r->err) != 0)
			r->failed = -1;
	}
	buf_clear(&r->store);
}

/* Feeds bytes to libcsv one physical line at a time, so that every callback knows the
 * line it happened on. A line may arrive in pieces (chunked decoding). */
static void feed(reader_t *r, const char *p, size_t n)
{
	while (n && !r->failed) {
		if (r->at_line_start) {
			r->at_line_start = 0;
			int blank = p[0] == '\n' || (p[0] == '\r' && n > 1 && p[1] == '\n');
			if (!r->rec_open && !blank) {
				r->rec_open = 1;
				r->rec_line = r->line;
			}
		}
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) + 1 : n;
		/* libcsv buffers a whole field before on_field sees it: feed at most one field's
		 * worth at a time and look at what it holds, so a huge field costs 64 KiB. */
		if (take > CSVFILE_MAX_FIELD) {
			take = CSVFILE_MAX_FIELD;
			nl = NULL;
		}
		if (csv_parse(&r->parser, p, take, on_field, on_record, r) != take && !r->failed)
			r->failed = err_set(r->err, r->name, r->line, "cannot parse CSV: %s",
			                    csv_strerror(csv_error(&r->parser)));
		if (!r->failed && r->parser.entry_pos > CSVFILE_MAX_FIELD)
			r->failed = err_set(r->err, r->name, r->rec_open ? r->rec_line : r->line,
			                    "a field is longer than %d bytes", CSVFILE_MAX_FIELD);
		p += take;
		n -= take;
		if (nl) {
			r->line++;
			r->at_line_start = 1;
		}
	}
}

static void reader_init(reader_t *r, const char *name, csvfile_record_fn fn, void *ctx, err_t *err)
{
	memset(r, 0, sizeof *r);
	csv_init(&r->parser, CSV_APPEND_NULL);
	r->name = name;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->line = 1;
	r->at_line_start = 1;
}

static int reader_finish(reader_t *r)
{
	if (!r->failed) {
		/* libcsv reports an open quote at the end only in strict mode, which would also
		 * refuse stray quotes inside unquoted fields that real exports contain; so look
		 * at its (public) state instead: a quoted field begun (pstate 2) and not closed. */
		int line = r->rec_open ? r->rec_line : r->line;
		if (r->parser.quoted && r->parser.pstate == 2)
			r->failed = err_set(r->err, r->name, line, "unterminated quoted field");
		else
			csv_fini(&r->parser, on_field, on_record, r);
	}
	csv_free(&r->parser);
	buf_free(&r->store);
	free(r->offs);
	free(r->lens);
	free(r->fields);
	return r->failed ? -1 : 0;
}

/* Feeds one converted piece of a GB18030 file; stops the conversion after an error. Pieces
 * end anywhere, but feed() must see a line's start whole to tell a blank line (a "\r\n"
 * split between two pieces would not be): so only complete lines are fed, and the rest of a
 * piece waits in r->carry for the next one (at most a megabyte of one line, then it goes in
 * mid-line, where the split does not matter). */
#define CARRY_MAX (1u << 20)
static int feed_chunk(const char *utf8, size_t len, void *ctx)
{
	reader_t *r = ctx;
	if (memchr(utf8, '\0', len)) {
		r->failed = err_set(r->err, r->name, r->line, "NUL byte in the file");
		return 1;
	}
	buf_add(&r->carry, utf8, len);
	const char *last = memrchr(r->carry.data, '\n', r->carry.len);
	size_t whole = last ? (size_t)(last - r->carry.data) + 1 : 0;
	if (!last && r->carry.len > CARRY_MAX)
		whole = r->carry.len;
	if (whole) {
		feed(r, r->carry.data, whole);
		memmove(r->carry.data, r->carry.data + whole, r->carry.len - whole + 1);
		r->carry.len -= whole;
	}
	return r->failed ? 1 : 0;
}

int csvfile_read_mem(const char *data, size_t len, const char *name, csvfile_record_fn fn,
                     void *ctx, err_t *err)
{
	reader_t r;
	reader_init(&r, name, fn, ctx, err);
	size_t bom = encoding_bom(data, len);
	data += bom;
	len -= bom;
	const char *nul = memchr(data, '\0', len);
	size_t bad = 0;
	if (nul) {
		int line = 1;
		for (const char *p = data; p < nul; p++)
			line += *p == '\n';
		r.failed = err_set(err, name, line, "NUL byte in the file");
	} else if (encoding_is_utf8((const unsigned char *)data, len)) {
		feed(&r, data, len);
	} else if (encoding_from_gb18030(data, len, feed_chunk, &r, &bad) < 0) {
		if (!r.failed)
			r.failed =
			    err_set(err, name, r.line,
			            "neither valid UTF-8 nor GB18030 (byte offset %zu)", bad + bom);
	} else if (r.carry.len && !r.failed) {
		feed(&r, r.carry.data, r.carry.len); /* the last line, without its line end */
	}
	buf_free(&r.carry);
	return reader_finish(&r);
}

#define READ_WHOLE_MAX (4u << 20)

int csvfile_read(const char *path, const char *name, csvfile_record_fn fn, void *ctx, err_t *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, name, 0, "cannot open: %s", strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_set(err, name, 0, "not a regular file");
	}
	size_t len = (size_t)st.st_size;
	if (len == 0) {
		close(fd);
		return csvfile_read_mem("", 0, name, fn, ctx, err);
	}
	/* A village's file is read into memory: mapping and unmapping thousands of small files
	 * from two threads cost more (page faults, and TLB shootdowns between the cores at each
	 * munmap) than the copy. The loan files, hundreds of megabytes, are mapped. */
	if (len <= READ_WHOLE_MAX) {
		char *data = xmalloc(len);
		size_t got = 0;
		int failed = 0; /* errno of a failed read, 0 when the file ended early */
		while (got < len) {
			ssize_t k = read(fd, data + got, len - got);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0)
				failed = errno;
			if (k <= 0)
				break;
			got += (size_t)k;
		}
		close(fd);
		int rc = got == len ? csvfile_read_mem(data, len, name, fn, ctx, err)
		                    : err_set(err, name, 0, "cannot read: %s",
		                              failed ? strerror(failed)
		                                     : "the file got shorter while it was read");
		free(data);
		return rc;
	}
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	int saved = errno;
	close(fd);
	if (map == MAP_FAILED)
		return err_set(err, name, 0, "cannot read: %s", strerror(saved));
	madvise(map, len, MADV_SEQUENTIAL);
	int rc = csvfile_read_mem(map, len, name, fn, ctx, err);
	munmap(map, len);
	return rc;
}
