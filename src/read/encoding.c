/* encoding.c — UTF-8 validation (with an ASCII fast path, since most bytes of an export are
 * ASCII) and chunked GB18030 → UTF-8 conversion with iconv. */
#include "read/encoding.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>

int encoding_is_utf8(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		/* Fast path: eight ASCII bytes at a time. */
		if (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, p + i, 8);
			if (!(w & 0x8080808080808080ULL)) {
				i += 8;
				continue;
			}
		}
		unsigned c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		/* The usual character of an export that is not ASCII: three bytes, lead E1..EC or
		 * EE..EF (E0 and ED restrict their second byte, below). */
		if (c >= 0xE1 && c != 0xED && c <= 0xEF && n - i > 2 && (p[i + 1] & 0xC0) == 0x80 &&
		    (p[i + 2] & 0xC0) == 0x80) {
			i += 3;
			continue;
		}
		size_t k;
		unsigned lo = 0x80, hi = 0xBF; /* allowed range of the second byte */
		if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* surrogates */
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* above U+10FFFF */
		} else {
			return 0;
		}
		if (n - i <= k || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (size_t j = 2; j <= k; j++)
			if (p[i + j] < 0x80 || p[i + j] > 0xBF)
				return 0;
		i += k + 1;
	}
	return 1;
}

size_t encoding_bom(const char *p, size_t n)
{
	return n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

int encoding_from_gb18030(const char *p, size_t n, encoding_chunk_fn fn, void *ctx,
                          size_t *bad_offset)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	if (cd == (iconv_t)-1) {
		if (bad_offset)
			*bad_offset = 0;
		return -1;
	}
	char out[65536];
	char *in = (char *)p;
	size_t left = n;
	int rc = 0;
	while (left && rc == 0) {
		char *o = out;
		size_t room = sizeof out;
		size_t r = iconv(cd, &in, &left, &o, &room);
		int e = errno;
		if (o > out)
			rc = fn(out, (size_t)(o - out), ctx);
		if (rc == 0 && r == (size_t)-1 && e != E2BIG) {
			if (bad_offset)
				*bad_offset = (size_t)(in - p);
			rc = -1;
		}
	}
	iconv_close(cd);
	return rc;
}
