/* mail.c — the mail command: reads site.yaml's mail keys and the site's indicator document,
 * composes one message per branch with recipients and one for headquarters, then sends. */
#include "mail.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "vocab.h"
#include "read/config.h"
#include "read/mailconf.h"
#include "render/mail/mailbody.h"
#include "outtree.h"
#include "render/mail/mime.h"
#include "render/mail/smtp.h"

#define PASSWORD_VAR "CUNDANG_SMTP_PASSWORD"

/* File f of month ym (code: a branch's, or NULL) under root, the built site or the mail
 * folder; outtree names it. A new string the caller frees. */
static char *tree_file(const char *root, outtree_file_t f, int32_t ym, const char *code)
{
	char rel[OUTTREE_PATH_MAX];
	return path_join(root, outtree_path(rel, sizeof rel, f, ym, code));
}

typedef struct {
	char *file;        /* "HB.eml" */
	char *path;        /* DIR/YYYY-MM/HB.eml */
	char *message_id;  /* without brackets */
	const char *label; /* branch name or bank name, for messages */
	char **to;         /* borrowed from the mail settings */
	int nto;
	buf_t bytes;
	bool already_sent;
} message_t;

/* A file name a recipient's system accepts: the characters Windows forbids become '_'. */
static void safe_name(char *s)
{
	for (; *s; s++)
		if (strchr("/\\:*?\"<>|", *s) || (unsigned char)*s < 0x20)
			*s = '_';
}

static int mkdir_p(const char *dir, err_t *err)
{
	char *failed = NULL;
	if (path_make_dirs(dir, 0, false, &failed) == 0)
		return 0;
	err_set(err, failed, 0, "cannot create the folder: %s", strerror(errno));
	free(failed);
	return -1;
}

/* The absolute form of path, resolving what exists of it (the mail folder may not exist). */
static char *resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r)
		return r;
	const char *slash = strrchr(path, '/');
	char *parent = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	if (!parent[0]) {
		free(parent);
		parent = xstrdup("/");
	}
	char *rp = resolve(parent);
	free(parent);
	char *out = path_join(rp, slash ? slash + 1 : path);
	free(rp);
	return out;
}

/* Whether inner is outer or lies inside it (both absolute). */
static bool inside(const char *inner, const char *outer)
{
	size_t n = strlen(outer);
	if (n > 1 && outer[n - 1] == '/')
		n--;
	return !strncmp(inner, outer, n) && (inner[n] == '\0' || inner[n] == '/');
}

static int write_atomic(const char *path, const buf_t *b, err_t *err)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return err_set(err, path, 0, "cannot write: %s", strerror(errno));
	bool ok = fwrite(b->data, 1, b->len, f) == b->len;
	ok = fflush(f) == 0 && ok;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return err_set(err, path, 0, "cannot write: %s", strerror(e));
	}
	return 0;
}

/* ---- sent.log: one line per delivered message, "file<TAB>message-id<TAB>time<TAB>to" ---- */

static bool logged(const buf_t *log, const char *message_id)
{
	size_t n = strlen(message_id);
	for (const char *p = log->data; p && *p;) {
		const char *tab = strchr(p, '\t'), *nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		if (tab && tab < nl && (size_t)(nl - tab - 1) > n &&
		    !strncmp(tab + 1, message_id, n) && tab[1 + n] == '\t')
			return true;
		p = *nl ? nl + 1 : nl;
	}
	return false;
}

static int log_sent(const char *log_path, const message_t *m, err_t *err)
{
	int fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND, 0666);
	if (fd < 0)
		return err_set(err, log_path, 0, "cannot record a sent message: %s",
		               strerror(errno));
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	buf_t line = {0};
	buf_printf(&line, "%s\t%s\t%s\t", m->file, m->message_id, when);
	for (int i = 0; i < m->nto; i++)
		buf_printf(&line, "%s%s", i ? "," : "", m->to[i]);
	buf_addc(&line, '\n');
	/* One write of the whole line, then fsync: a crash after a delivery must not lose it. */
	bool ok = write(fd, line.data, line.len) == (ssize_t)line.len && fsync(fd) == 0;
	int e = errno;
	close(fd);
	buf_free(&line);
	if (!ok)
		return err_set(err, log_path, 0, "cannot record a sent message: %s", strerror(e));
	return 0;
}

/* ---- the run ---- */

typedef struct {
	const mail_options_t *o;
	site_t site;
	mailconf_t mc;
	json_object *doc;
	int32_t ym;        /* the report month, yyyymm */
	char month[16];    /* "2026-10" */
	char month_cn[64]; /* "2026年10月" */
	int32_t as_of;
	const char *domain; /* of mail.from, for Message-IDs */
	message_t *msgs;
	int nmsgs;
	char *dir, *log_path;
	char *yaml; /* input/site.yaml, the file named in messages */
} run_t;

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	return json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static const char *str(json_object *o, const char *key)
{
	json_object *v = get(o, key);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
}

static int load(run_t *r, err_t *err)
{
	const mail_options_t *o = r->o;
	char *yaml = r->yaml = path_join(o->input, "site.yaml");
	int rc = config_load(yaml, &r->site, err);
	if (rc == 0)
		rc = mailconf_load(yaml, o->input, &r->mc, err);
	if (rc == 0 && !r->mc.present)
		rc = err_set(err, yaml, 0,
		             "mail: missing (cundang mail needs at least mail.from, and "
		             "branches[].email or mail.headquarters)");
	if (rc)
		return -1;
	int32_t ym = o->month ? o->month : r->site.month;
	if (!ym)
		return err_set(
		    err, NULL, 0,
		    "no report month: give --month YYYY-MM or set month: in %s/site.yaml",
		    o->input);
	r->ym = ym;
	format_month(r->month, sizeof r->month, ym);
	format_month_cn(r->month_cn, sizeof r->month_cn, ym);
	for (int i = 0; i < o->nbranches; i++) {
		bool known = false;
		for (int k = 0; k < r->site.nbranches && !known; k++)
			known = !strcmp(r->site.branches[k].code, o->branches[i]);
		if (!known)
			return err_set(err, NULL, 0, "--branch %s: no such branch in %s/site.yaml",
			               o->branches[i], o->input);
	}
	char *docpath = tree_file(o->site, OUTTREE_DATA, ym, NULL);
	if (access(docpath, R_OK) != 0) {
		err_set(err, docpath, 0,
		        "no indicator document for %s: build the site for that month first "
		        "(cundang build -o %s --month %s)",
		        r->month, o->site, r->month);
		free(docpath);
		return -1;
	}
	r->doc = json_object_from_file(docpath);
	const char *as_of = r->doc ? str(r->doc, "as_of") : "";
	if (!r->doc || value_parse_date(as_of, &r->as_of) != VALUE_OK ||
	    strcmp(str(r->doc, "month"), r->month)) {
		err_set(err, docpath, 0, "not an indicator document of %s written by cundang build",
		        r->month);
		free(docpath);
		return -1;
	}
	free(docpath);
	r->domain = strrchr(r->mc.from_addr, '@') + 1;

	char *site_abs = resolve(o->site), *out_abs = resolve(o->output);
	bool bad = inside(out_abs, site_abs);
	free(site_abs);
	free(out_abs);
	if (bad)
		return err_set(
		    err, o->output, 0,
		    "the mail folder is or lies inside the site %s; its workbooks may be "
		    "unmasked, so messages are written elsewhere (-o DIR)",
		    o->site);
	char rel[OUTTREE_PATH_MAX];
	r->dir = path_join(o->output, outtree_dir(rel, sizeof rel, OUTTREE_MAIL, ym));
	r->log_path = tree_file(o->output, OUTTREE_SENT_LOG, ym, NULL);
	return 0;
}

static bool selected(const mail_options_t *o, const char *code)
{
	if (o->nbranches == 0)
		return true;
	for (int i = 0; i < o->nbranches; i++)
		if (!strcmp(o->branches[i], code))
			return true;
	return false;
}

/* Composes one message into r->msgs. code is the branch code, or NULL for headquarters. */
static int compose(run_t *r, json_object *br, char **to, int nto, err_t *err)
{
	const char *code = br ? str(br, "code") : "summary";
	const char *label = br ? str(br, "name") : str(get(r->doc, "bank"), "name");
	const char *sig = r->mc.from_name[0] ? r->mc.from_name : r->mc.from_addr;
	buf_t html = {0}, text = {0};
	if (br)
		mailbody_branch(&r->site, sig, r->doc, br, &html, &text);
	else
		mailbody_bank(&r->site, sig, r->doc, &html, &text);
	char subject[400], id[300], date[16], xname[400], hname[400];
	snprintf(subject, sizeof subject, VOCAB_REPORT_TITLE_FMT, label, r->month_cn);
	format_date(date, sizeof date, r->as_of);
	snprintf(id, sizeof id, "cundang.%s.%s@%s", date, code, r->domain);
	snprintf(xname, sizeof xname, "%s %s %s.xlsx", label, r->month_cn,
	         br ? "验收工作簿" : "汇总工作簿");
	snprintf(hname, sizeof hname, "%s %s 验收报告.html", label, r->month_cn);
	safe_name(xname);
	safe_name(hname);
	char *xlsx = tree_file(r->o->site, br ? OUTTREE_BRANCH_WORKBOOK : OUTTREE_SUMMARY_WORKBOOK,
	                       r->ym, code);
	char *page =
	    tree_file(r->o->site, br ? OUTTREE_BRANCH_REPORT : OUTTREE_REPORT, r->ym, code);
	mime_attachment_t att[2] = {
	    {xlsx, xname, "application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	    {page, hname, "text", "html"}};
	mime_message_t mm = {.from_name = r->mc.from_name,
	                     .from_addr = r->mc.from_addr,
	                     .to = (const char *const *)to,
	                     .nto = nto,
	                     .subject = subject,
	                     .html = html.data,
	                     .text = text.data,
	                     .message_id = id,
	                     .date = r->as_of,
	                     .att = att,
	                     .natt = 2};
	message_t *m = &r->msgs[r->nmsgs];
	memset(m, 0, sizeof *m);
	int rc = mime_compose(&mm, &m->bytes, err);
	if (rc == 0) {
		char rel[OUTTREE_PATH_MAX];
		outtree_path(rel, sizeof rel, br ? OUTTREE_MAIL : OUTTREE_MAIL_BANK, r->ym, code);
		m->file = xstrdup(strrchr(rel, '/') + 1);
		m->path = path_join(r->o->output, rel);
		m->message_id = xstrdup(id);
		m->label = label;
		m->to = to;
		m->nto = nto;
		r->nmsgs++;
	} else {
		buf_free(&m->bytes);
		buf_t why = {0};
		buf_printf(&why, "%s (the site in %s lacks it: build it again)", err->msg,
		           r->o->site);
		size_t n = why.len < sizeof err->msg ? why.len : sizeof err->msg - 1;
		memcpy(err->msg, why.data, n);
		err->msg[n] = '\0';
		buf_free(&why);
	}
	free(xlsx);
	free(page);
	buf_free(&html);
	buf_free(&text);
	return rc;
}

static int plan(run_t *r, err_t *err)
{
	const mail_options_t *o = r->o;
	json_object *branches = get(r->doc, "branches");
	size_t n = branches ? json_object_array_length(branches) : 0;
	r->msgs = xcalloc(n + 1, sizeof *r->msgs);
	for (int i = 0; i < o->nbranches; i++) {
		bool built = false;
		for (size_t k = 0; k < n && !built; k++)
			built = !strcmp(str(json_object_array_get_idx(branches, k), "code"),
			                o->branches[i]);
		if (!built)
			return err_set(err, o->site, 0, "the site was built without branch %s",
			               o->branches[i]);
		if (!mailconf_branch(&r->mc, o->branches[i]))
			return err_set(err, r->yaml, 0,
			               "branch %s has no email: nothing to send it",
			               o->branches[i]);
	}
	for (size_t k = 0; k < n; k++) {
		json_object *br = json_object_array_get_idx(branches, k);
		const mailconf_branch_t *mb = mailconf_branch(&r->mc, str(br, "code"));
		if (mb && selected(o, str(br, "code")) &&
		    compose(r, br, mb->email, mb->nemail, err) != 0)
			return -1;
	}
	if (o->nbranches == 0 && r->mc.nheadquarters > 0 &&
	    compose(r, NULL, r->mc.headquarters, r->mc.nheadquarters, err) != 0)
		return -1;
	if (r->nmsgs == 0)
		return err_set(err, r->yaml, 0,
		               "no branch of the site has email and mail.headquarters is "
		               "empty: no message to write");
	return 0;
}

/* The checks --send needs before anything is written. */
static int check_send(run_t *r, smtp_settings_t *ss, err_t *err)
{
	const mailconf_t *mc = &r->mc;
	const char *yaml = r->yaml;
	if (!mc->smtp)
		return err_set(err, yaml, 0, "mail.smtp: missing (needed by --send)");
	const char *pw = getenv(PASSWORD_VAR);
	bool tls = mc->smtps || mc->starttls;
	if (pw && !pw[0])
		pw = NULL;
	if (pw && !tls)
		return err_set(err, yaml, 0,
		               "%s is set but mail.starttls is false: the password is never sent "
		               "without TLS (use STARTTLS or smtps://)",
		               PASSWORD_VAR);
	if (pw && !mc->user)
		return err_set(err, yaml, 0, "mail.user: missing (%s is set)", PASSWORD_VAR);
	if (mc->user && !pw)
		return err_set(err, yaml, 0,
		               "mail.user is set: give the password in the environment variable %s",
		               PASSWORD_VAR);
	*ss = (smtp_settings_t){.url = mc->smtp,
	                        .starttls = mc->starttls,
	                        .ca_file = mc->ca_file,
	                        .user = mc->user,
	                        .password = pw};
	return 0;
}

static void to_list(const message_t *m, char *out, size_t n)
{
	out[0] = '\0';
	size_t len = 0;
	for (int i = 0; i < m->nto && len + 1 < n; i++)
		len += (size_t)snprintf(out + len, n - len, "%s%s", i ? ", " : "", m->to[i]);
}

static mail_status_t deliver(run_t *r, const smtp_settings_t *set, err_t *err)
{
	smtp_session_t *ss = smtp_open(set);
	int sent = 0, already = 0, failed = 0, todo = 0;
	bool tty = isatty(2);
	buf_t names = {0};
	bool dead = false;
	char why[1024] = "", to[600];
	for (int i = 0; i < r->nmsgs; i++)
		todo += !r->msgs[i].already_sent;
	int done = 0;
	for (int i = 0; i < r->nmsgs; i++) {
		message_t *m = &r->msgs[i];
		if (m->already_sent) {
			already++;
			continue;
		}
		if (tty)
			fprintf(stderr, "\rcundang: sending %d/%d %s\033[K", ++done, todo, m->file);
		smtp_status_t st = SMTP_FAILED;
		if (!dead)
			st = smtp_send(ss, r->mc.from_addr, (const char *const *)m->to, m->nto,
			               m->bytes.data, m->bytes.len, why, sizeof why);
		if (st == SMTP_SENT) {
			if (log_sent(r->log_path, m, err) != 0) {
				smtp_close(ss);
				buf_free(&names);
				if (tty)
					fputc('\n', stderr);
				return MAIL_NO_OUTPUT;
			}
			sent++;
			continue;
		}
		failed++;
		buf_printf(&names, "%s%s", names.len ? ", " : "", m->file);
		to_list(m, to, sizeof to);
		if (tty)
			fputc('\n', stderr);
		if (!dead)
			fprintf(stderr, "cundang: %s (%s, to %s): not sent: %s\n", m->path,
			        m->label, to, why);
		else
			fprintf(stderr, "cundang: %s (%s, to %s): not sent (see above)\n", m->path,
			        m->label, to);
		dead = dead || st == SMTP_FAILED;
	}
	if (tty && todo)
		fprintf(stderr, "\r\033[K");
	smtp_close(ss);
	fprintf(
	    stderr,
	    "cundang: mail %s: %d messages in %s; %d sent, %d already sent, %d not sent%s%s%s\n",
	    r->month, r->nmsgs, r->dir, sent, already, failed, failed ? " (" : "",
	    failed ? names.data : "", failed ? ")" : "");
	buf_free(&names);
	return failed ? MAIL_NOT_SENT : MAIL_OK;
}

mail_status_t mail_run(const mail_options_t *o, err_t *err)
{
	run_t r = {.o = o};
	mail_status_t st = MAIL_BAD_INPUT;
	smtp_settings_t set;
	buf_t log = {0};
	if (load(&r, err) != 0 || (o->send && check_send(&r, &set, err) != 0) || plan(&r, err) != 0)
		goto done;
	st = MAIL_NO_OUTPUT;
	if (mkdir_p(r.dir, err) != 0)
		goto done;
	FILE *f = fopen(r.log_path, "rb");
	if (f) {
		char chunk[8192];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			buf_add(&log, chunk, n);
		fclose(f);
	} else if (errno != ENOENT) {
		err_set(err, r.log_path, 0, "cannot read: %s", strerror(errno));
		goto done;
	}
	for (int i = 0; i < r.nmsgs; i++) {
		message_t *m = &r.msgs[i];
		/* A sent message's file stays what was sent, even if the site changed since. */
		m->already_sent = logged(&log, m->message_id);
		if (!m->already_sent && write_atomic(m->path, &m->bytes, err) != 0)
			goto done;
	}
	if (o->send) {
		st = deliver(&r, &set, err);
	} else {
		fprintf(stderr,
		        "cundang: mail %s: %d messages written to %s (not sent: use --send)\n",
		        r.month, r.nmsgs, r.dir);
		st = MAIL_OK;
	}
done:
	buf_free(&log);
	for (int i = 0; i < r.nmsgs; i++) {
		free(r.msgs[i].file);
		free(r.msgs[i].path);
		free(r.msgs[i].message_id);
		buf_free(&r.msgs[i].bytes);
	}
	free(r.msgs);
	free(r.dir);
	free(r.log_path);
	free(r.yaml);
	if (r.doc)
		json_object_put(r.doc);
	mailconf_free(&r.mc);
	config_free(&r.site);
	return st;
}
