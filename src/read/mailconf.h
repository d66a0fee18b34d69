/* mailconf.h — the mail settings of site.yaml (SPEC §3): mail.from, mail.headquarters,
 * mail.smtp, mail.starttls, mail.ca_file, mail.user and each branch's email list. */
#ifndef CUNDANG_MAILCONF_H
#define CUNDANG_MAILCONF_H

#include <stdbool.h>

#include "util.h"

typedef struct {
	char *code;   /* branch code as in site.yaml */
	char **email; /* bare addresses (local@domain) */
	int nemail;
} mailconf_branch_t;

typedef struct {
	bool present;                /* site.yaml has a mail: map */
	char *from_name, *from_addr; /* from_name "" when mail.from is a bare address */
	char **headquarters;         /* bare addresses */
	int nheadquarters;
	char *smtp;                  /* NULL when absent */
	bool smtps;                  /* smtps:// (implicit TLS) rather than smtp:// */
	bool starttls;               /* default true; only read for smtp:// */
	char *ca_file;               /* resolved against the archive folder; NULL when absent */
	char *user;                  /* NULL when absent */
	mailconf_branch_t *branches; /* site.yaml order, every branch (nemail may be 0) */
	int nbranches;
} mailconf_t;

/* Reads the mail keys of the site.yaml at path (archive is its folder, for mail.ca_file)
 * into *mc, which is overwritten. Every address and setting is checked (an address is
 * local@domain of ASCII letters, digits and the usual punctuation; mail.from may be
 * "Name <address>"); the rest of site.yaml is config_load()'s. Returns 0, or -1 with err as
 * "path:line: key: what is wrong". Caller frees with mailconf_free(), also after a failure. */
int mailconf_load(const char *path, const char *archive, mailconf_t *mc, err_t *err);

/* The email list of branch code, or NULL when the branch has none. */
const mailconf_branch_t *mailconf_branch(const mailconf_t *mc, const char *code);

/* Whether s is an address mailconf_load accepts (local@domain, no display name). */
bool mailconf_valid_address(const char *s);

void mailconf_free(mailconf_t *mc);

#endif
