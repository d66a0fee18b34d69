/* mail.h — `cundang mail` (SPEC §2, §8): composes the monthly messages from a built site and,
 * with --send, delivers them, keeping DIR/YYYY-MM/sent.log so nothing goes out twice. */
#ifndef CUNDANG_MAIL_H
#define CUNDANG_MAIL_H

#include <stdbool.h>
#include <stdint.h>

#include "util.h"

typedef struct {
	const char *input;  /* the archive: site.yaml and mail.ca_file */
	const char *site;   /* the built site whose files are attached */
	const char *output; /* the mail folder */
	int32_t month;      /* yyyymm, 0: site.yaml's month */
	char **branches;    /* --branch codes; none: every branch and headquarters */
	int nbranches;
	bool send;
} mail_options_t;

typedef enum {
	MAIL_OK = 0,
	MAIL_BAD_INPUT, /* site.yaml, the site or the options: err says what; nothing written */
	MAIL_NO_OUTPUT, /* a file could not be written: err says which */
	MAIL_NOT_SENT   /* every message was written, some not delivered: each named on stderr */
} mail_status_t;

/* Runs the mail command with o. Messages about single messages and the summary line go to
 * standard error; a failure of the whole run is returned in err. */
mail_status_t mail_run(const mail_options_t *o, err_t *err);

#endif
