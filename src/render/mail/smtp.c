/* smtp.c — libcurl's SMTP (Debian's libcurl4-openssl-dev) behind a three-way status; the
 * server's last reply is kept from curl's debug stream so a refusal can be quoted. */
#include "render/mail/smtp.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

struct smtp_session {
	const smtp_settings_t *s;
	CURL *curl;
	char errbuf[CURL_ERROR_SIZE];
	char reply[512]; /* the server's last reply line */
	const char *data;
	size_t len, pos;
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_curl(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t read_cb(char *out, size_t size, size_t n, void *ctx)
{
	smtp_session_t *ss = ctx;
	size_t want = size * n, left = ss->len - ss->pos;
	if (want > left)
		want = left;
	memcpy(out, ss->data + ss->pos, want);
	ss->pos += want;
	return want;
}

static int debug_cb(CURL *h, curl_infotype type, char *data, size_t n, void *ctx)
{
	(void)h;
	smtp_session_t *ss = ctx;
	if (type != CURLINFO_HEADER_IN)
		return 0;
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == '\r'))
		n--;
	if (n >= sizeof ss->reply)
		n = sizeof ss->reply - 1;
	memcpy(ss->reply, data, n);
	ss->reply[n] = '\0';
	return 0;
}

smtp_session_t *smtp_open(const smtp_settings_t *s)
{
	pthread_once(&init_once, init_curl);
	smtp_session_t *ss = xcalloc(1, sizeof *ss);
	ss->s = s;
	ss->curl = curl_easy_init();
	if (!ss->curl) {
		fprintf(stderr, "cundang: out of memory\n");
		exit(3);
	}
	return ss;
}

/* The settings every transfer carries (curl_easy_reset is not needed between messages). */
static void set_common(smtp_session_t *ss)
{
	CURL *c = ss->curl;
	const smtp_settings_t *s = ss->s;
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	/* smtps:// is TLS from the first byte; on smtp:// CURLUSESSL_ALL makes STARTTLS
	 * mandatory: a server that does not offer it fails the transfer before any AUTH. */
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 (long)(s->starttls || !strncmp(s->url, "smtps:", 6) ? CURLUSESSL_ALL
	                                                                     : CURLUSESSL_NONE));
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	if (s->user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->password ? s->password : "");
	}
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L); /* a stalled server, not a slow one */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, 120L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ss->errbuf);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L); /* feeds debug_cb; nothing is printed */
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, debug_cb);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, ss);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, ss);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
}

smtp_status_t smtp_send(smtp_session_t *ss, const char *from, const char *const *rcpt, int nrcpt,
                        const char *data, size_t len, char *why, size_t nwhy)
{
	CURL *c = ss->curl;
	set_common(ss);
	char addr[300];
	snprintf(addr, sizeof addr, "<%s>", from);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	struct curl_slist *to = NULL;
	for (int i = 0; i < nrcpt; i++) {
		snprintf(addr, sizeof addr, "<%s>", rcpt[i]);
		struct curl_slist *t = curl_slist_append(to, addr);
		if (!t) {
			fprintf(stderr, "cundang: out of memory\n");
			exit(3);
		}
		to = t;
	}
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, to);
	ss->data = data;
	ss->len = len;
	ss->pos = 0;
	ss->errbuf[0] = ss->reply[0] = '\0';
	curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	CURLcode rc = curl_easy_perform(c);
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, NULL);
	curl_slist_free_all(to);
	if (rc == CURLE_OK)
		return SMTP_SENT;
	const char *what = ss->errbuf[0] ? ss->errbuf : curl_easy_strerror(rc);
	if (ss->reply[0] && code >= 400)
		snprintf(why, nwhy, "%s (the server said: %s)", what, ss->reply);
	else
		snprintf(why, nwhy, "%s", what);
	/* A refusal after the session was set up (MAIL, RCPT or DATA answered 4xx or 5xx)
	 * concerns this message; anything else (connecting, TLS, AUTH) concerns them all. */
	bool session = rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
	               rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_OPERATION_TIMEDOUT ||
	               rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_PEER_FAILED_VERIFICATION ||
	               rc == CURLE_USE_SSL_FAILED || rc == CURLE_LOGIN_DENIED ||
	               rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_UNSUPPORTED_PROTOCOL ||
	               rc == CURLE_URL_MALFORMAT || rc == CURLE_WEIRD_SERVER_REPLY ||
	               rc == CURLE_AUTH_ERROR || code < 400;
	return session ? SMTP_FAILED : SMTP_REFUSED;
}

void smtp_close(smtp_session_t *ss)
{
	if (!ss)
		return;
	curl_easy_cleanup(ss->curl);
	free(ss);
}
