/* fuzz_csv.c — libFuzzer target for the CSV reader (src/csvfile.c): decoding (BOM, UTF-8,
 * else GB18030), libcsv streaming and line numbers. The input is the file's bytes; the
 * callback reads every field and checks what csvfile.h promises about records. */
#include <iconv.h>
#include <stdint.h>
#include <string.h>

#include "read/csvfile.h"
#include "read/encoding.h"
#include "fuzz_common.h"

typedef struct {
	int last_line;
	size_t records;
	size_t bytes;
	uint64_t digest; /* of every record's line and fields, in order */
} seen_t;

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

static int is_space_byte(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static int on_record(const csv_record_t *rec, void *ctx, err_t *err)
{
	seen_t *s = ctx;
	FUZZ_CHECK(rec->line >= 1);
	FUZZ_CHECK(rec->line >= s->last_line); /* records come in file order */
	FUZZ_CHECK(rec->nfields >= 1 && rec->nfields <= CSVFILE_MAX_FIELDS);
	int any = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *f = rec->fields[i];
		size_t n = strlen(f); /* touches every byte: ASan sees an unterminated field */
		FUZZ_CHECK(n <= CSVFILE_MAX_FIELD);
		if (n) {
			any = 1;
			/* trimmed: no ASCII space and no U+3000 at either end */
			FUZZ_CHECK(!is_space_byte((unsigned char)f[0]) &&
			           !is_space_byte((unsigned char)f[n - 1]));
			FUZZ_CHECK(!(n >= 3 && memcmp(f, "\xE3\x80\x80", 3) == 0));
			FUZZ_CHECK(!(n >= 3 && memcmp(f + n - 3, "\xE3\x80\x80", 3) == 0));
		}
		s->bytes += n;
		s->digest = mix(s->digest, f, n + 1);
	}
	s->digest = mix(s->digest, &rec->line, sizeof rec->line);
	FUZZ_CHECK(any); /* all-empty records are skipped */
	s->last_line = rec->line;
	s->records++;
	/* Exercise the callback's own error path now and then. */
	if (rec->nfields == 1 && strcmp(rec->fields[0], "!stop") == 0)
		return err_set(err, "fuzz", rec->line, "stopped by the callback");
	return 0;
}

/* The whole of GB18030 p[0..n) in UTF-8 (caller frees), or NULL if iconv refuses it. */
static char *gb18030_whole(const char *p, size_t n, size_t *outlen)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	FUZZ_CHECK(cd != (iconv_t)-1);
	size_t cap = n * 4 + 16, room = cap;
	char *out = malloc(cap), *o = out, *in = (char *)p;
	size_t left = n;
	size_t r = iconv(cd, &in, &left, &o, &room);
	iconv_close(cd);
	if (r == (size_t)-1 || left) {
		free(out);
		return NULL;
	}
	*outlen = (size_t)(o - out);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	seen_t s = {0};
	err_t err = {0};
	int rc = csvfile_read_mem((const char *)data, size, "fuzz.csv", on_record, &s, &err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc < 0)
		FUZZ_CHECK(err.msg[0] != '\0'); /* every error says what is wrong */

	/* GB18030 is decoded and parsed in pieces of 64 KiB: the records and their lines must
	 * be those of the same text decoded whole and read as UTF-8. */
	size_t bom = encoding_bom((const char *)data, size);
	const char *body = (const char *)data + bom;
	size_t blen = size - bom, ulen = 0;
	char *utf8;
	if (!memchr(body, '\0', blen) && !encoding_is_utf8((const unsigned char *)body, blen) &&
	    (utf8 = gb18030_whole(body, blen, &ulen))) {
		seen_t w = {0};
		err_t werr = {0};
		int wrc = csvfile_read_mem(utf8, ulen, "fuzz.csv", on_record, &w, &werr);
		if (wrc != rc || w.records != s.records || w.digest != s.digest ||
		    (rc < 0 && (werr.line != err.line || strcmp(werr.msg, err.msg) != 0))) {
			fprintf(stderr, "GB18030 in pieces: rc %d, %zu records, line %ld: %s\n", rc,
			        s.records, err.line, err.msg);
			fprintf(stderr, "decoded whole:     rc %d, %zu records, line %ld: %s\n",
			        wrc, w.records, werr.line, werr.msg);
			FUZZ_CHECK(!"GB18030 read in pieces differs from the text decoded whole");
		}
		free(utf8);
	}
	return 0;
}
