/* mime.h — one e-mail message as MIME bytes, composed with GMime 3: multipart/mixed of a
 * multipart/alternative (plain text, HTML) and the attachments, deterministic to the byte. */
#ifndef CUNDANG_MIME_H
#define CUNDANG_MIME_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct {
	const char *path;           /* file read for the content */
	const char *filename;       /* name the recipient sees (UTF-8; RFC 2231 on the wire) */
	const char *type, *subtype; /* e.g. "application", "vnd.openxmlformats-...sheet" */
} mime_attachment_t;

typedef struct {
	const char *from_name, *from_addr; /* from_name "" for a bare address */
	const char *const *to;
	int nto;
	const char *subject;     /* UTF-8; RFC 2047 on the wire */
	const char *html, *text; /* the two alternatives of the body */
	const char *message_id;  /* without the angle brackets */
	int32_t date;            /* yyyymmdd: the Date header is that day at 18:00 +0800 */
	const mime_attachment_t *att;
	int natt;
} mime_message_t;

/* Composes m into *out (cleared first) with CRLF line ends, as RFC 5322 and SMTP want:
 * base64 text and attachments, boundaries derived from the Message-ID so the same message
 * gives the same bytes. Returns 0, or -1 with err naming an attachment that cannot be read.
 * Caller frees *out with buf_free(). */
int mime_compose(const mime_message_t *m, buf_t *out, err_t *err);

#endif
