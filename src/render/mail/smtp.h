/* smtp.h — delivers composed messages with libcurl's SMTP client: TLS always verified,
 * STARTTLS required on smtp:// unless turned off, the password never sent in clear. */
#ifndef CUNDANG_SMTP_H
#define CUNDANG_SMTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	const char *url; /* smtp://host:port or smtps://host:port */
	bool starttls; /* smtp:// only: require STARTTLS (the caller refuses a password without) */
	const char *ca_file;  /* NULL: the system's trusted CAs */
	const char *user;     /* NULL: no AUTH */
	const char *password; /* with user */
} smtp_settings_t;

typedef enum {
	SMTP_SENT = 0,
	SMTP_REFUSED, /* the server refused this message (a recipient, its size…); try the next */
	SMTP_FAILED   /* no usable session (connection, TLS, login): the next would fail too */
} smtp_status_t;

typedef struct smtp_session smtp_session_t;

/* A session for s, which must outlive it; the connection is opened by the first send and
 * reused. Caller frees with smtp_close(). */
smtp_session_t *smtp_open(const smtp_settings_t *s);

/* Sends the message data[0..len) (CRLF line ends) from the bare address from to the nrcpt
 * bare addresses rcpt. On anything but SMTP_SENT, why gets what went wrong, with the
 * server's last reply when there was one. */
smtp_status_t smtp_send(smtp_session_t *ss, const char *from, const char *const *rcpt, int nrcpt,
                        const char *data, size_t len, char *why, size_t nwhy);

void smtp_close(smtp_session_t *ss);

#endif
