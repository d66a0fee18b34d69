/* mime.c — composes messages with GMime 3 (Debian's libgmime-3.0): GMime does the RFC 2047
 * headers, RFC 2231 parameters, base64 and folding; this file only fixes what would vary. */
#include "render/mail/mime.h"

#include <errno.h>
#include <gmime/gmime.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_gmime(void)
{
	g_mime_init();
}

static int read_whole(const char *path, buf_t *b, err_t *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, path, 0, "cannot read the attachment: %s", strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(b, chunk, n);
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return err_set(err, path, 0, "cannot read the attachment");
	return 0;
}

static GMimeObject *text_part(const char *subtype, const char *text)
{
	GMimeTextPart *t = g_mime_text_part_new_with_subtype(subtype);
	g_mime_text_part_set_charset(t, "utf-8");
	g_mime_text_part_set_text(t, text);
	/* base64: Chinese text in quoted-printable is three times its size and unreadable. */
	g_mime_part_set_content_encoding(GMIME_PART(t), GMIME_CONTENT_ENCODING_BASE64);
	return GMIME_OBJECT(t);
}

/* An attachment part; NULL with err when its file cannot be read. */
static GMimeObject *attachment_part(const mime_attachment_t *a, err_t *err)
{
	buf_t data = {0};
	if (read_whole(a->path, &data, err)) {
		buf_free(&data);
		return NULL;
	}
	GMimePart *p = g_mime_part_new_with_type(a->type, a->subtype);
	GMimeStream *s =
	    g_mime_stream_mem_new_with_buffer((const char *)(data.data ? data.data : ""), data.len);
	buf_free(&data);
	GMimeDataWrapper *w =
	    g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(s);
	g_mime_part_set_content(p, w);
	g_object_unref(w);
	g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_BASE64);
	if (!strcmp(a->type, "text"))
		g_mime_object_set_content_type_parameter(GMIME_OBJECT(p), "charset", "utf-8");
	g_mime_part_set_filename(p, a->filename);
	/* Content-Disposition's filename is RFC 2231 (what the RFCs say); Content-Type's name
	 * is also given RFC 2047-encoded, the form Outlook and Foxmail fall back on. */
	GMimeContentType *ct = g_mime_object_get_content_type(GMIME_OBJECT(p));
	GMimeParam *name =
	    g_mime_param_list_get_parameter(g_mime_content_type_get_parameters(ct), "name");
	if (name)
		g_mime_param_set_encoding_method(name, GMIME_PARAM_ENCODING_METHOD_RFC2047);
	return GMIME_OBJECT(p);
}

int mime_compose(const mime_message_t *m, buf_t *out, err_t *err)
{
	pthread_once(&init_once, init_gmime);
	buf_clear(out);
	GMimeMessage *msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM,
	                           m->from_name[0] ? m->from_name : NULL, m->from_addr);
	for (int i = 0; i < m->nto; i++)
		g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, NULL, m->to[i]);
	g_mime_message_set_subject(msg, m->subject, "utf-8");
	GTimeZone *tz = g_time_zone_new_offset(8 * 3600); /* China Standard Time */
	GDateTime *dt =
	    g_date_time_new(tz, m->date / 10000, m->date / 100 % 100, m->date % 100, 18, 0, 0);
	g_mime_message_set_date(msg, dt);
	g_date_time_unref(dt);
	g_time_zone_unref(tz);
	g_mime_message_set_message_id(msg, m->message_id);

	/* GMime picks random boundaries; these come from the Message-ID. Neither can occur in
	 * base64 content, whose alphabet has no '_'. */
	uint64_t h = hash_bytes(m->message_id, strlen(m->message_id));
	char boundary[64];
	GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
	snprintf(boundary, sizeof boundary, "=_cundang_alt_%016llx", (unsigned long long)h);
	g_mime_multipart_set_boundary(alt, boundary);
	GMimeObject *part = text_part("plain", m->text);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);
	part = text_part("html", m->html);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);

	GMimeMultipart *mixed = g_mime_multipart_new_with_subtype("mixed");
	snprintf(boundary, sizeof boundary, "=_cundang_mixed_%016llx", (unsigned long long)h);
	g_mime_multipart_set_boundary(mixed, boundary);
	g_mime_multipart_add(mixed, GMIME_OBJECT(alt));
	g_object_unref(alt);
	int rc = 0;
	for (int i = 0; i < m->natt && rc == 0; i++) {
		part = attachment_part(&m->att[i], err);
		if (!part) {
			rc = -1;
			break;
		}
		g_mime_multipart_add(mixed, part);
		g_object_unref(part);
	}
	g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
	g_object_unref(mixed);
	if (rc == 0) {
		GMimeFormatOptions *fo = g_mime_format_options_new();
		g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
		GMimeStream *s = g_mime_stream_mem_new();
		g_mime_object_write_to_stream(GMIME_OBJECT(msg), fo, s);
		GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(s));
		buf_add(out, ba->data, ba->len);
		g_object_unref(s);
		g_mime_format_options_free(fo);
	}
	g_object_unref(msg);
	return rc;
}
