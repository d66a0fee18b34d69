/* rollup.c — `cundang rollup`: names each SOURCE (its code and its document), reads the
 * documents (a thread per core, each one document at a time), adds them into the union in
 * the order given, and hands it to build's publish steps. */
#include "rollup.h"

#include <errno.h>
#include <dirent.h>
#include <libgen.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "format.h"
#include "compute/rollup.h"
#include "outtree.h"
#include "read/archive.h"
#include "read/inddoc.h"
#include "render/site/site.h"
#include "render/workbook/workbook.h"
#include "vocab.h"

/* One SOURCE: its code, the document read, and the member's output folder when it is one. */
typedef struct {
	const char *arg; /* as given, CODE= included */
	char *code;      /* validated */
	char *doc;       /* the indicator document's path */
	char *dir;       /* realpath of the output folder given, or NULL for a document */
	char *link;      /* URL-encoded link from the union's root to dir, or NULL */
} source_t;

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The newest month of which dir has an indicator document, 0 when none. */
static int32_t newest_month(const char *dir)
{
	char rel[OUTTREE_PATH_MAX];
	char *data = path_join(dir, outtree_dir(rel, sizeof rel, OUTTREE_DATA, 0));
	DIR *d = opendir(data);
	free(data);
	int32_t best = 0, ym;
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (outtree_match(OUTTREE_DATA, e->d_name, rel, sizeof rel) &&
		    outtree_month_entry(e->d_name, &ym) && ym > best)
			best = ym;
	if (d)
		closedir(d);
	return best;
}

/* The last component of path (a copy the caller frees). */
static char *base_of(const char *path)
{
	char *p = xstrdup(path), *b = xstrdup(basename(p));
	free(p);
	return b;
}

/* A member's code is checked as a branch's is (SPEC §3): its files' names come from it. */
static int check_code(const char *arg, const char *code, err_t *err)
{
	char why[OUTTREE_PATH_MAX];
	if (!archive_valid_code(code))
		return err_set(err, arg, 0,
		               "'%s' is not a bank code (1 to 64 letters, digits, _ or -): give "
		               "CODE=SOURCE",
		               code);
	if (outtree_code_reserved(true, code, why, sizeof why))
		return err_set(err, arg, 0,
		               "'%s' cannot be a bank code (it names the union's own %s): give "
		               "CODE=SOURCE",
		               code, why);
	return 0;
}

/* Fills s from its argument: CODE=SOURCE or SOURCE, a folder or a document. */
static int name_source(const char *arg, int32_t month, source_t *s, err_t *err)
{
	s->arg = arg;
	const char *eq = strchr(arg, '='), *path = arg;
	char *code = NULL;
	/* CODE=SOURCE: an '=' before any '/' (a path with '=' in it is written ./a=b). */
	if (eq && !memchr(arg, '/', (size_t)(eq - arg))) {
		code = xstrndup(arg, (size_t)(eq - arg));
		path = eq + 1;
		if (check_code(arg, code, err) != 0) {
			free(code);
			return -1;
		}
	}
	char *real = realpath(path, NULL);
	if (!real) {
		free(code);
		return err_set(err, path, 0, "cannot read: %s", strerror(errno));
	}
	if (is_dir(real)) {
		int32_t m = month ? month : newest_month(real);
		char rel[OUTTREE_PATH_MAX];
		if (!m) {
			free(code);
			free(real);
			return err_set(err, path, 0,
			               "is a folder without data/indicators-YYYY-MM.json: not a "
			               "cundang output (give its output folder or its document)");
		}
		s->doc = path_join(real, outtree_path(rel, sizeof rel, OUTTREE_DATA, m, NULL));
		s->dir = real;
		if (access(s->doc, F_OK) != 0) {
			free(code);
			char mt[16];
			return err_set(err, path, 0, "has no %s (build this bank for %s first)",
			               rel, format_month(mt, sizeof mt, m));
		}
		if (!code)
			code = base_of(real);
	} else {
		s->doc = xstrdup(path); /* messages name the file as given */
		if (!code) {
			/* A document in a cundang output's data/ folder takes the output's name. */
			char *p = xstrdup(real), *dir = dirname(p), rel[OUTTREE_PATH_MAX];
			char *name = base_of(dir);
			if (!strcmp(name, outtree_dir(rel, sizeof rel, OUTTREE_DATA, 0))) {
				free(name);
				name = base_of(dirname(dir));
			}
			code = name;
			free(p);
		}
		free(real);
	}
	s->code = code;
	return check_code(arg, code, err);
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static int inside(const char *a, const char *b) /* a is b or lies inside it */
{
	size_t n = strlen(b);
	return !strncmp(a, b, n) && (a[n] == '\0' || a[n] == '/' || (n == 1 && b[0] == '/'));
}

/* The link from the union at out to the member's folder dir, both absolute and neither inside
 * the other: "../" for each folder of out below their common parent, then the rest of dir,
 * URL-encoded, ending in '/'. */
static char *link_to(const char *out, const char *dir)
{
	size_t common = 0;
	for (size_t i = 0; out[i] && out[i] == dir[i]; i++)
		if (out[i] == '/')
			common = i + 1;
	buf_t b = {0};
	buf_adds(&b, "../");
	for (const char *p = out + common; *p; p++)
		if (*p == '/' && p[1])
			buf_adds(&b, "../");
	for (const char *p = dir + common; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    strchr("-._~/", c))
			buf_addc(&b, (char)c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	buf_adds(&b, "/");
	return buf_detach(&b);
}

typedef struct {
	const char *const *links; /* per position in ind.branches */
} render_ctx_t;

static int render_union(const indicators_t *ind, build_stage_t *st, void *ctx, err_t *err)
{
	const render_ctx_t *rc = ctx;
	view_ctx_t vc = {.ind = ind,
	                 .report_months = st->months,
	                 .nreport_months = st->nmonths,
	                 .member_sites = rc->links};
	if (site_render_union(&vc, st->ts, st->stage, &st->pages, &st->charts, err) != 0)
		return -1;
	if (workbook_write_union(ind, st->stage, err) != 0)
		return -1;
	st->workbooks = 1;
	return 0;
}

/* The documents being read: each thread takes the next source until none is left. */
typedef struct {
	const source_t *src;
	int n;
	atomic_int next;
	inddoc_t *docs; /* per source, when rc is 0 */
	err_t *errs;    /* per source, when rc is -1 */
	int *rc;
} reader_t;

static void *read_some(void *arg)
{
	reader_t *r = arg;
	for (;;) {
		int i = atomic_fetch_add(&r->next, 1);
		if (i >= r->n)
			return NULL;
		r->rc[i] = inddoc_read(r->src[i].doc, &r->docs[i], &r->errs[i]);
	}
}

static void read_all(reader_t *r, int jobs)
{
	atomic_init(&r->next, 0);
	int n = jobs < 1 ? 1 : jobs > r->n ? r->n : jobs;
	pthread_t *th = xcalloc((size_t)(n > 1 ? n : 1), sizeof *th);
	int started = 0;
	for (int i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, read_some, r) == 0)
			started++;
	read_some(r); /* this thread reads too; the others' failure to start only slows it */
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
}

static void sources_free(source_t *s, int n)
{
	for (int i = 0; i < n; i++) {
		free(s[i].code);
		free(s[i].doc);
		free(s[i].dir);
		free(s[i].link);
	}
	free(s);
}

rollup_status_t rollup_run(const rollup_options_t *o, err_t *err)
{
	source_t *src = xcalloc((size_t)o->nsources + 1, sizeof *src);
	char **keys = xcalloc((size_t)o->nsources + 1, sizeof *keys);
	strmap_t seen;
	strmap_init(&seen, (size_t)o->nsources);
	char *out = build_resolve(o->output);
	rollup_t u;
	rollup_init(&u, o->name ? o->name : VOCAB_UNION_NAME, o->month);
	rollup_status_t st = ROLLUP_OK;
	int n = 0;
	/* Every source named and checked before any document is read. */
	for (; st == ROLLUP_OK && n < o->nsources; n++) {
		source_t *s = &src[n];
		if (name_source(o->sources[n], o->month, s, err) != 0) {
			st = ROLLUP_BAD_INPUT;
			break;
		}
		keys[n] = xstrdup(s->code);
		lower(keys[n]);
		int was = strmap_put(&seen, keys[n], n);
		if (was >= 0) {
			err_set(
			    err, s->arg, 0,
			    "bank code '%s' is also the code of %s (codes must differ, ignoring "
			    "case): give CODE=SOURCE",
			    s->code, src[was].arg);
			st = ROLLUP_BAD_INPUT;
		} else if (s->dir && out && (inside(out, s->dir) || inside(s->dir, out))) {
			err_set(err, s->arg, 0,
			        "is, holds or lies inside the union's output %s, which rollup "
			        "replaces: give another -o",
			        o->output);
			st = ROLLUP_BAD_INPUT;
		}
	}
	/* Then read, in parallel (each document's tree is let go as it is read: only its bank
	 * entry stays), and add in the order given, so the sums and the first error reported do
	 * not depend on timing. */
	if (st == ROLLUP_OK) {
		reader_t r = {.src = src, .n = o->nsources};
		r.docs = xcalloc((size_t)r.n + 1, sizeof *r.docs);
		r.errs = xcalloc((size_t)r.n + 1, sizeof *r.errs);
		r.rc = xcalloc((size_t)r.n + 1, sizeof *r.rc);
		read_all(&r, o->jobs);
		for (int i = 0; st == ROLLUP_OK && i < r.n; i++) {
			if (r.rc[i] != 0) {
				*err = r.errs[i];
				st = ROLLUP_BAD_INPUT;
			} else if (rollup_add(&u, src[i].code, src[i].arg, &r.docs[i], err) != 0) {
				st = ROLLUP_BAD_INPUT;
			}
		}
		for (int i = 0; i < r.n; i++)
			if (r.rc[i] == 0)
				inddoc_free(&r.docs[i]);
		free(r.docs);
		free(r.errs);
		free(r.rc);
	}
	const char **links = NULL;
	if (st == ROLLUP_OK) {
		rollup_finish(&u);
		/* A member's site is linked when its folder has the overview page. */
		links = xcalloc((size_t)u.ind.nbranches + 1, sizeof *links);
		for (int i = 0; i < u.ind.nbranches; i++) {
			source_t *s = &src[0];
			for (int k = 0; k < o->nsources; k++)
				if (src[k].arg == rollup_source(&u, i))
					s = &src[k];
			char rel[OUTTREE_PATH_MAX];
			char *index = s->dir
			                  ? path_join(s->dir, outtree_path(rel, sizeof rel,
			                                                   OUTTREE_INDEX, 0, NULL))
			                  : NULL;
			if (index && out && access(index, R_OK) == 0)
				links[i] = s->link = link_to(out, s->dir);
			free(index);
		}
		render_ctx_t rc = {.links = links};
		build_options_t bo = {.output = o->output,
		                      .jobs = 1,
		                      .quiet = o->quiet,
		                      .started = o->started,
		                      .render = render_union,
		                      .render_ctx = &rc};
		build_status_t bs = build_site(&u.ind, &bo, err);
		st = bs == BUILD_OK          ? ROLLUP_OK
		     : bs == BUILD_BAD_INPUT ? ROLLUP_BAD_INPUT
		                             : ROLLUP_WRITE_FAILED;
	}
	free(links);
	rollup_free(&u);
	for (int i = 0; i < o->nsources; i++)
		free(keys[i]);
	free(keys);
	strmap_free(&seen);
	sources_free(src, o->nsources);
	free(out);
	return st;
}
