/* mailconf.c — reads and checks the mail keys of site.yaml for `cundang mail`; build ignores
 * them (config.c only lets branches carry `email`), so a mail mistake never stops a build. */
#include "read/mailconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "read/yamldoc.h"

#define MAX_ADDRESSES 100 /* per list: a monthly report goes to a few people */

/* RFC 5322 atext plus '.', checked as a dot-atom: no leading, trailing or double dot. */
static bool dot_atom(const char *s, size_t n, bool domain)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bool alnum =
		    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (c == '.') {
			if (s[i + 1] == '.')
				return false;
			continue;
		}
		if (alnum || c == '-')
			continue;
		if (!domain && c && strchr("!#$%&'*+/=?^_`{|}~", c))
			continue;
		return false;
	}
	return true;
}

bool mailconf_valid_address(const char *s)
{
	const char *at = strrchr(s, '@');
	if (!at || strlen(s) > 254)
		return false;
	size_t local = (size_t)(at - s), dom = strlen(at + 1);
	return local <= 64 && dot_atom(s, local, false) && dot_atom(at + 1, dom, true) &&
	       at[1] != '-';
}

/* "Name <addr>" or "addr" into *name (copy, "" when none) and *addr (copy). The name may be
 * any UTF-8 text without quotes, angle brackets or control characters (GMime encodes it). */
static bool split_mailbox(const char *s, char **name, char **addr)
{
	const char *lt = strchr(s, '<');
	if (!lt) {
		if (!mailconf_valid_address(s))
			return false;
		*name = xstrdup("");
		*addr = xstrdup(s);
		return true;
	}
	size_t n = strlen(s);
	if (n < 2 || s[n - 1] != '>' || strchr(lt + 1, '<'))
		return false;
	char *a = xstrndup(lt + 1, (size_t)(s + n - 1 - (lt + 1)));
	size_t nl = (size_t)(lt - s);
	while (nl > 0 && s[nl - 1] == ' ')
		nl--;
	for (size_t i = 0; i < nl; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f || c == '"' || c == '>' || c == '\\') {
			free(a);
			return false;
		}
	}
	if (!mailconf_valid_address(a)) {
		free(a);
		return false;
	}
	*name = xstrndup(s, nl);
	*addr = a;
	return true;
}

/* A list of addresses (a YAML list, or one address as a scalar) at node n, named path. */
static int read_addresses(ydoc_t *d, yaml_node_t *n, const char *path, char ***out, int *nout,
                          err_t *err)
{
	yaml_node_item_t *items = NULL;
	size_t count = 1;
	if (n->type == YAML_SEQUENCE_NODE) {
		items = n->data.sequence.items.start;
		count = (size_t)(n->data.sequence.items.top - items);
		if (count == 0)
			return err_set(err, d->file, ydoc_line(d, n), "%s: the list is empty",
			               path);
		if (count > MAX_ADDRESSES)
			return err_set(err, d->file, ydoc_line(d, n), "%s: more than %d addresses",
			               path, MAX_ADDRESSES);
	}
	*out = xcalloc(count, sizeof **out);
	for (size_t i = 0; i < count; i++) {
		yaml_node_t *it = items ? yaml_document_get_node(&d->doc, items[i]) : n;
		char item[160];
		snprintf(item, sizeof item, items ? "%s[%zu]" : "%s", path, i + 1);
		const char *s;
		if (ydoc_text(d, it, item, &s, err))
			return -1;
		if (!mailconf_valid_address(s))
			return err_set(err, d->file, ydoc_line(d, it),
			               "%s: '%s' is not an e-mail address (expected name@domain)",
			               item, s);
		for (int k = 0; k < *nout; k++)
			if (!strcasecmp((*out)[k], s))
				return err_set(err, d->file, ydoc_line(d, it),
				               "%s: '%s' is listed twice", item, s);
		(*out)[(*nout)++] = xstrdup(s);
	}
	return 0;
}

/* smtp://host[:port][/] or smtps://...; host is a name, an IPv4 address or [IPv6]. */
static bool valid_smtp_url(const char *u, bool *smtps)
{
	const char *h;
	if (!strncmp(u, "smtp://", 7))
		h = u + 7, *smtps = false;
	else if (!strncmp(u, "smtps://", 8))
		h = u + 8, *smtps = true;
	else
		return false;
	const char *p = h;
	if (*p == '[') {
		p = strchr(p, ']');
		if (!p || p == h + 1)
			return false;
		p++;
	} else {
		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '.' || *p == '-')
			p++;
		if (p == h)
			return false;
	}
	if (*p == ':') {
		long port = 0;
		int digits = 0;
		for (p++; *p >= '0' && *p <= '9' && digits < 6; p++, digits++)
			port = port * 10 + (*p - '0');
		if (digits == 0 || port < 1 || port > 65535)
			return false;
	}
	if (*p == '/')
		p++;
	return *p == '\0';
}

static int read_mail(ydoc_t *d, yaml_node_t *m, const char *archive, mailconf_t *mc, err_t *err)
{
	static const char *const keys[] = {"from",    "headquarters", "smtp", "starttls",
	                                   "ca_file", "user",         NULL};
	if (ydoc_check_map(d, m, "mail", keys, err))
		return -1;
	mc->present = true;
	mc->starttls = true;
	long line;
	yaml_node_t *n = ydoc_get(d, m, "from", &line);
	const char *s;
	if (ydoc_is_null(n))
		return err_set(
		    err, d->file, ydoc_line(d, m),
		    "mail.from: missing (the sender, e.g. 整村授信办公室 <zcsx@example.com>)");
	if (ydoc_text(d, n, "mail.from", &s, err))
		return -1;
	if (!split_mailbox(s, &mc->from_name, &mc->from_addr))
		return err_set(err, d->file, ydoc_line(d, n),
		               "mail.from: '%s' is not an address (expected name@domain or "
		               "Name <name@domain>)",
		               s);
	n = ydoc_get(d, m, "headquarters", NULL);
	if (!ydoc_is_null(n) &&
	    read_addresses(d, n, "mail.headquarters", &mc->headquarters, &mc->nheadquarters, err))
		return -1;
	n = ydoc_get(d, m, "smtp", NULL);
	if (!ydoc_is_null(n)) {
		if (ydoc_text(d, n, "mail.smtp", &s, err))
			return -1;
		if (!valid_smtp_url(s, &mc->smtps))
			return err_set(
			    err, d->file, ydoc_line(d, n),
			    "mail.smtp: '%s' is not smtp://host:port or smtps://host:port", s);
		mc->smtp = xstrdup(s);
	}
	n = ydoc_get(d, m, "starttls", NULL);
	if (!ydoc_is_null(n) && ydoc_bool(d, n, "mail.starttls", &mc->starttls, err))
		return -1;
	n = ydoc_get(d, m, "ca_file", NULL);
	if (!ydoc_is_null(n)) {
		if (ydoc_text(d, n, "mail.ca_file", &s, err))
			return -1;
		if (!s[0])
			return err_set(err, d->file, ydoc_line(d, n), "mail.ca_file: is empty");
		mc->ca_file = s[0] == '/' ? xstrdup(s) : path_join(archive, s);
		if (access(mc->ca_file, R_OK) != 0)
			return err_set(err, d->file, ydoc_line(d, n),
			               "mail.ca_file: cannot read %s", mc->ca_file);
	}
	n = ydoc_get(d, m, "user", NULL);
	if (!ydoc_is_null(n)) {
		if (ydoc_text(d, n, "mail.user", &s, err))
			return -1;
		for (const char *p = s; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return err_set(err, d->file, ydoc_line(d, n),
				               "mail.user: contains a control character");
		mc->user = xstrdup(s);
	}
	return 0;
}

static int read_branch_emails(ydoc_t *d, yaml_node_t *seq, mailconf_t *mc, err_t *err)
{
	if (!seq || seq->type != YAML_SEQUENCE_NODE)
		return 0; /* config_load reports a missing or malformed branches list */
	size_t n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	mc->branches = xcalloc(n ? n : 1, sizeof *mc->branches);
	for (size_t i = 0; i < n; i++) {
		yaml_node_t *m = yaml_document_get_node(&d->doc, seq->data.sequence.items.start[i]);
		if (!m || m->type != YAML_MAPPING_NODE)
			continue;
		mailconf_branch_t *b = &mc->branches[mc->nbranches++];
		const char *code = "";
		yaml_node_t *c = ydoc_get(d, m, "code", NULL);
		if (c && c->type == YAML_SCALAR_NODE)
			code = ydoc_scalar(c);
		b->code = xstrdup(code);
		yaml_node_t *e = ydoc_get(d, m, "email", NULL);
		char path[64];
		snprintf(path, sizeof path, "branches[%zu].email", i + 1);
		if (!ydoc_is_null(e) && read_addresses(d, e, path, &b->email, &b->nemail, err))
			return -1;
	}
	return 0;
}

int mailconf_load(const char *path, const char *archive, mailconf_t *mc, err_t *err)
{
	memset(mc, 0, sizeof *mc);
	buf_t text = {0};
	if (ydoc_read_file(path, &text, err))
		return -1;
	ydoc_t d;
	int rc = ydoc_parse(&d, path, text.data, text.len, 1, err);
	if (rc == 0) {
		yaml_node_t *root = ydoc_root(&d);
		if (root && root->type == YAML_MAPPING_NODE) {
			rc = read_branch_emails(&d, ydoc_get(&d, root, "branches", NULL), mc, err);
			yaml_node_t *m = ydoc_get(&d, root, "mail", NULL);
			if (rc == 0 && !ydoc_is_null(m))
				rc = read_mail(&d, m, archive, mc, err);
		}
		ydoc_free(&d);
	}
	buf_free(&text);
	return rc;
}

const mailconf_branch_t *mailconf_branch(const mailconf_t *mc, const char *code)
{
	for (int i = 0; i < mc->nbranches; i++)
		if (!strcmp(mc->branches[i].code, code))
			return mc->branches[i].nemail ? &mc->branches[i] : NULL;
	return NULL;
}

static void free_list(char **l, int n)
{
	for (int i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

void mailconf_free(mailconf_t *mc)
{
	free(mc->from_name);
	free(mc->from_addr);
	free_list(mc->headquarters, mc->nheadquarters);
	free(mc->smtp);
	free(mc->ca_file);
	free(mc->user);
	for (int i = 0; i < mc->nbranches; i++) {
		free(mc->branches[i].code);
		free_list(mc->branches[i].email, mc->branches[i].nemail);
	}
	free(mc->branches);
	memset(mc, 0, sizeof *mc);
}
