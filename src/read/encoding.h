/* encoding.h — the text encodings of SPEC §4: UTF-8 (with or without BOM) and, for files
 * that are not valid UTF-8, GB18030 converted through glibc's iconv. */
#ifndef CUNDANG_ENCODING_H
#define CUNDANG_ENCODING_H

#include <stddef.h>

/* True when p[0..n) is well-formed UTF-8 (no overlong forms, surrogates or > U+10FFFF).
 * NUL bytes are valid UTF-8; callers that refuse them check separately. */
int encoding_is_utf8(const unsigned char *p, size_t n);

/* Length of a UTF-8 byte order mark at the start of p[0..n): 3 or 0. */
size_t encoding_bom(const char *p, size_t n);

/* Converts GB18030 p[0..n) to UTF-8 in pieces of at most 64 KiB, calling fn on each; fn
 * returns 0 to go on or a positive value to stop. Returns 0, fn's positive value, or -1
 * when the bytes are not GB18030 (*bad_offset, if not NULL, gets the first bad byte). */
typedef int (*encoding_chunk_fn)(const char *utf8, size_t len, void *ctx);
int encoding_from_gb18030(const char *p, size_t n, encoding_chunk_fn fn, void *ctx,
                          size_t *bad_offset);

#endif
