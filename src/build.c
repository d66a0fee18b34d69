/* build.c — stages the output tree in a new directory beside -o, carries over what must be
 * kept (other months' reports, workbooks and data), and swaps it in with one rename. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "render/chart/chart.h"
#include "format.h"
#include "render/csv/findcsv.h"
#include "render/json/indjson.h"
#include "render/site/site.h"
#include "render/site/tmplset.h"
#include "render/site/view.h"
#include "render/workbook/workbook.h"

double build_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Absolute, symlink-free form of path, which may not exist yet, nor its parents (their
 * names are then taken as written, so "." and ".." among them are refused). Caller frees.
 * Returns NULL with errno set. */
static char *resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || errno != ENOENT)
		return r;
	char *a = xstrdup(path), *b = xstrdup(path);
	const char *base = basename(b);
	char *parent = NULL, *out = NULL;
	if (strcmp(base, ".") && strcmp(base, "..") && strcmp(base, "/"))
		parent = resolve(dirname(a));
	else
		errno = ENOENT;
	if (parent) {
		out = path_join(parent, base); /* "/" + base when parent is the root */
		free(parent);
	}
	free(a);
	free(b);
	return out;
}

/* mkdir -p of dir's missing parents (dir itself is made by the swap). */
static int make_parents(const char *dir)
{
	char *path = xstrdup(dir);
	int rc = 0;
	for (char *p = path + 1; *p && rc == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	free(path);
	return rc;
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Is a the same directory as b or one of its parents? */
static int is_same_or_parent(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (strncmp(a, b, n) != 0)
		return 0;
	return b[n] == '\0' || b[n] == '/' || (n == 1 && a[0] == '/');
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(path) : unlink(path)) != 0 ? -1 : 0;
}

/* rm -rf path; returns 0 or -1. */
static int remove_tree(const char *path)
{
	return nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static int mkdirs(const char *dir, const char *rel)
{
	char *path = path_join(dir, rel);
	int rc = 0;
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (mkdir(path, 0777) != 0 && errno != EEXIST)
		rc = -1;
	free(path);
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -1;
	int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (out < 0) {
		close(in);
		return -1;
	}
	char buf[65536];
	ssize_t n;
	int rc = 0;
	while ((n = read(in, buf, sizeof buf)) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = -1;
			break;
		}
	if (n < 0)
		rc = -1;
	close(in);
	if (close(out) != 0)
		rc = -1;
	return rc;
}

static int cmp_month_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* ---- the marker and the months kept ----
 * Every output holds a file .cundang: a first line that says what the folder is, then one
 * line per month present, "YYYY-MM *" for a build of all branches or "YYYY-MM CODE..." for a
 * --branch build. It marks the folder as cundang's (build refuses to replace any other
 * non-empty folder) and tells a later build which branches a month's bank-level files cover:
 * a --branch build keeps another month's files only where they hold nothing of a branch
 * outside its selection (SPEC §2 --branch). */

#define MARKER ".cundang"
#define MARKER_HEAD                                                                                \
	"cundang output: every build replaces this folder; files put here by hand are lost.\n"
#define MAX_MONTHS 1200 /* a hundred years of months: more lines in a marker are not ours */

typedef struct {
	int32_t month;
	bool all;     /* built for every branch */
	char **codes; /* else these branch codes */
	int ncodes;
} month_sel_t;

static void sel_free(month_sel_t *s, int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < s[i].ncodes; k++)
			free(s[i].codes[k]);
		free(s[i].codes);
	}
	free(s);
}

/* The month lines of old's marker; none when it has no marker or an unreadable one. */
static month_sel_t *read_marker(const char *old, int *n)
{
	char *path = path_join(old, MARKER);
	FILE *f = fopen(path, "r");
	free(path);
	month_sel_t *s = NULL;
	*n = 0;
	if (!f)
		return NULL;
	char line[4096];
	bool first = true;
	while (fgets(line, sizeof line, f) && *n < MAX_MONTHS) {
		if (first) { /* the explanation */
			first = false;
			continue;
		}
		char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
		int32_t ym;
		if (!tok || !value_parse_month(tok, &ym) || strlen(tok) != 7)
			continue;
		s = xrealloc(s, (size_t)(*n + 1) * sizeof *s);
		month_sel_t *m = &s[(*n)++];
		*m = (month_sel_t){.month = ym};
		while ((tok = strtok_r(NULL, " \t\r\n", &save))) {
			if (!strcmp(tok, "*")) {
				m->all = true;
				continue;
			}
			m->codes = xrealloc(m->codes, (size_t)(m->ncodes + 1) * sizeof *m->codes);
			m->codes[m->ncodes++] = xstrdup(tok);
		}
		if (!m->ncodes)
			m->all =
			    true; /* a month with no selection written is taken as all branches */
	}
	fclose(f);
	return s;
}

static bool has_code(char *const *codes, int n, const char *code)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(codes[i], code))
			return true;
	return false;
}

/* What this build selected: all branches, or the codes of ind->branches. */
typedef struct {
	bool all;
	char **codes;
	int ncodes;
} selection_t;

/* Copies old/rel/name to stage/rel/name when it is a regular file. */
static int carry_file(const char *old, const char *stage, const char *rel, const char *name,
                      bool *carried)
{
	char *orel = path_join(rel, name);
	char *src = path_join(old, orel), *dst = path_join(stage, orel);
	struct stat st;
	int rc = 0;
	if (lstat(src, &st) == 0 && S_ISREG(st.st_mode)) {
		rc = mkdirs(stage, rel) == 0 ? copy_file(src, dst) : -1;
		*carried = true;
	}
	free(orel);
	free(src);
	free(dst);
	return rc;
}

/* Carries the files of month m from folder rel ("reports/2026-09", "workbooks/2026-09") whose
 * branch part is selected: "<code>.<ext>" when code is in the selection, the bank-level file
 * (index.html, summary.xlsx) only when whole is true. */
static int carry_month_dir(const char *old, const char *stage, const char *rel, const char *ext,
                           const char *bank_file, const selection_t *cur, bool whole, bool *carried,
                           bool *bank_carried)
{
	char *dir = path_join(old, rel);
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		const char *name = e->d_name;
		size_t len = strlen(name), elen = strlen(ext);
		if (name[0] == '.' || len <= elen || strcmp(name + len - elen, ext) != 0)
			continue;
		bool keep;
		if (!strcmp(name, bank_file))
			keep = whole;
		else {
			char code[256];
			snprintf(code, sizeof code, "%.*s", (int)(len - elen), name);
			keep = cur->all || has_code(cur->codes, cur->ncodes, code);
		}
		if (!keep)
			continue;
		bool got = false;
		rc = carry_file(old, stage, rel, name, &got);
		*carried |= got;
		if (!strcmp(name, bank_file))
			*bank_carried |= got;
	}
	closedir(d);
	return rc;
}

static void add_month(int32_t **list, int *n, int32_t ym)
{
	for (int i = 0; i < *n; i++)
		if ((*list)[i] == ym)
			return;
	*list = xrealloc(*list, (size_t)(*n + 1) * sizeof **list);
	(*list)[(*n)++] = ym;
}

/* The months old holds: its marker's, and any reports/, workbooks/ or data/ file of a month. */
static void old_months(const char *old, const month_sel_t *sel, int nsel, int32_t **list, int *n)
{
	for (int i = 0; i < nsel; i++)
		add_month(list, n, sel[i].month);
	static const char *const dirs[] = {"reports", "workbooks", "data"};
	for (size_t k = 0; k < sizeof dirs / sizeof *dirs; k++) {
		char *path = path_join(old, dirs[k]);
		DIR *d = opendir(path);
		free(path);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) && *n < MAX_MONTHS) {
			int32_t ym;
			const char *name = e->d_name;
			if (!strncmp(name, "indicators-", 11) && strlen(name) == 11 + 7 + 5 &&
			    !strcmp(name + 18, ".json"))
				name += 11;
			if (!strncmp(name, "findings-", 9) && strlen(name) == 9 + 7 + 4 &&
			    !strcmp(name + 16, ".csv"))
				name += 9;
			char m[8];
			snprintf(m, sizeof m, "%.7s", name);
			if (value_parse_month(m, &ym) && strlen(m) == 7 && m[4] == '-')
				add_month(list, n, ym);
		}
		closedir(d);
	}
}

/* Keeps from the old output what belongs to other months (SPEC §7 keeps their acceptance
 * reports; their workbooks and indicator documents are kept alike), within this build's
 * branch selection, and writes the new marker. Lists every month whose bank-level report the
 * new output holds (this one included) newest first in *months (caller frees). */
static int carry_months(const char *old, const char *stage, const indicators_t *ind,
                        const selection_t *cur, int32_t **months, int *nmonths)
{
	int nsel = 0, nold = 0, n = 1, rc = 0;
	month_sel_t *sel = read_marker(old, &nsel);
	int32_t *olds = NULL, *list = xmalloc(sizeof *list);
	list[0] = ind->month;
	old_months(old, sel, nsel, &olds, &nold);
	if (nold > 1)
		qsort(olds, (size_t)nold, sizeof *olds, cmp_month_desc);
	buf_t marker = {0};
	buf_adds(&marker, MARKER_HEAD);
	char mtext[16];
	format_month(mtext, sizeof mtext, ind->month);
	buf_printf(&marker, "%s", mtext);
	if (cur->all)
		buf_adds(&marker, " *");
	for (int i = 0; !cur->all && i < cur->ncodes; i++)
		buf_printf(&marker, " %s", cur->codes[i]);
	buf_adds(&marker, "\n");
	for (int k = 0; rc == 0 && k < nold; k++) {
		int32_t ym = olds[k];
		if (ym == ind->month)
			continue;
		const month_sel_t *was = NULL;
		for (int i = 0; i < nsel; i++)
			if (sel[i].month == ym)
				was = &sel[i];
		bool was_all = !was || was->all; /* unknown: as if built for all branches */
		bool whole = cur->all;
		if (!cur->all && !was_all) {
			whole = true;
			for (int i = 0; i < was->ncodes; i++)
				whole &= has_code(cur->codes, cur->ncodes, was->codes[i]);
		}
		char m[16], rel[64], name[64];
		format_month(m, sizeof m, ym);
		bool carried = false, report = false, unused = false;
		snprintf(rel, sizeof rel, "reports/%s", m);
		rc = carry_month_dir(old, stage, rel, ".html", "index.html", cur, whole, &carried,
		                     &report);
		snprintf(rel, sizeof rel, "workbooks/%s", m);
		if (rc == 0)
			rc = carry_month_dir(old, stage, rel, ".xlsx", "summary.xlsx", cur, whole,
			                     &carried, &unused);
		snprintf(name, sizeof name, "indicators-%s.json", m);
		if (rc == 0 && whole)
			rc = carry_file(old, stage, "data", name, &carried);
		snprintf(name, sizeof name, "findings-%s.csv", m);
		if (rc == 0 && whole)
			rc = carry_file(old, stage, "data", name, &carried);
		if (report)
			add_month(&list, &n, ym);
		if (!carried)
			continue;
		/* What the kept files of the month cover: as built when whole, else the branches
		 * of both selections (only their own files were kept). */
		buf_printf(&marker, "%s", m);
		if (whole && was_all)
			buf_adds(&marker, " *");
		else if (whole)
			for (int i = 0; i < was->ncodes; i++)
				buf_printf(&marker, " %s", was->codes[i]);
		else
			for (int i = 0; i < cur->ncodes; i++)
				if (was_all || has_code(was->codes, was->ncodes, cur->codes[i]))
					buf_printf(&marker, " %s", cur->codes[i]);
		buf_adds(&marker, "\n");
	}
	if (rc == 0) {
		char *path = path_join(stage, MARKER);
		FILE *f = fopen(path, "w");
		if (!f || fwrite(marker.data, 1, marker.len, f) != marker.len)
			rc = -1;
		if (f && fclose(f) != 0)
			rc = -1;
		free(path);
	}
	buf_free(&marker);
	sel_free(sel, nsel);
	free(olds);
	qsort(list, (size_t)n, sizeof *list, cmp_month_desc);
	*months = list;
	*nmonths = n;
	return rc;
}

/* Whether dir may be replaced by a build: it is empty, or it is a cundang output (it has the
 * marker, or, from before the marker, an index.html cundang wrote). */
static bool replaceable(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool empty = true;
	struct dirent *e;
	while (empty && (e = readdir(d)))
		empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
	closedir(d);
	if (empty)
		return true;
	char *marker = path_join(dir, MARKER);
	bool ours = access(marker, F_OK) == 0;
	free(marker);
	if (ours)
		return true;
	char *index = path_join(dir, "index.html");
	FILE *f = fopen(index, "r");
	free(index);
	if (!f)
		return false;
	char head[1024];
	size_t got = fread(head, 1, sizeof head - 1, f);
	fclose(f);
	head[got] = '\0';
	return strstr(head, "<meta name=\"generator\" content=\"cundang\">") != NULL;
}

static int write_json(const char *stage, const indicators_t *ind)
{
	char name[64];
	snprintf(name, sizeof name, "data/indicators-%04d-%02d.json", ind->month / 100,
	         ind->month % 100);
	if (mkdirs(stage, "data") != 0)
		return -1;
	char *path = path_join(stage, name);
	FILE *fp = fopen(path, "w");
	free(path);
	if (!fp)
		return -1;
	json_object *doc = indjson_build(ind);
	int rc = indjson_write(fp, doc);
	json_object_put(doc);
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

/* data/findings-YYYY-MM.csv: every finding of the selection, however many. */
static int write_findings(const char *stage, const indicators_t *ind)
{
	char name[64];
	findcsv_path(name, sizeof name, ind->month);
	if (mkdirs(stage, "data") != 0)
		return -1;
	char *path = path_join(stage, name);
	FILE *fp = fopen(path, "w");
	free(path);
	if (!fp)
		return -1;
	int rc = findcsv_write(fp, ind);
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

/* Puts stage in place of out; the old tree (if any) is removed afterwards. */
static int swap_in(const char *stage, const char *out, const char *parent, const char *base)
{
	struct stat st;
	if (lstat(out, &st) != 0)
		return rename(stage, out);
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof tmpl, "%s/.%s.old-XXXXXX", parent, base);
	if (!mkdtemp(tmpl))
		return -1;
	rmdir(tmpl);
	if (rename(out, tmpl) != 0)
		return -1;
	if (rename(stage, out) != 0) {
		rename(tmpl, out); /* put the old tree back */
		return -1;
	}
	remove_tree(tmpl); /* a leftover old tree is not a failed build */
	return 0;
}

build_status_t build_site(const indicators_t *ind, const build_options_t *o, err_t *err)
{
	char *in = realpath(o->input, NULL);
	char *out = resolve(o->output);
	build_status_t st = BUILD_OK;
	tmplset_t *ts = NULL;
	indicators_cmp_t cmp;
	int have_prev = 0, pages = 0, charts = 0, workbooks = 0, nmonths = 0, charts_ready = 0;
	char **wb_paths = NULL;
	int nwb = 0;
	int32_t *months = NULL;
	if (!out) {
		err_set(err, o->output, 0, "cannot use as output directory: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	} else if (lstat(out, &(struct stat){0}) == 0 && !is_dir(out)) {
		err_set(err, o->output, 0, "exists and is not a directory; refusing to replace it");
		st = BUILD_BAD_INPUT;
	} else if (!strcmp(out, "/") ||
	           (in && (is_same_or_parent(out, in) || is_same_or_parent(in, out)))) {
		err_set(err, o->output, 0,
		        "refusing to write the site here: it is /, the input archive, one of its "
		        "parents or a folder inside it");
		st = BUILD_BAD_INPUT;
	} else if (is_dir(out) && !replaceable(out)) {
		err_set(
		    err, o->output, 0,
		    "is a folder that is not empty and not a cundang output (it has no %s file); "
		    "refusing to replace it: give a new or empty folder",
		    MARKER);
		st = BUILD_BAD_INPUT;
	}
	if (st == BUILD_OK && !(ts = tmplset_load(o->templates, err)))
		st = BUILD_BAD_INPUT;
	if (st == BUILD_OK) {
		if (chart_init(err) != 0)
			st = BUILD_WRITE_FAILED;
		else
			charts_ready = 1;
	}
	/* The reports compare with the month before: the same selection, one month earlier. */
	if (st == BUILD_OK) {
		if (indicators_compare(ind, &cmp, err) != 0)
			st = BUILD_BAD_INPUT;
		else
			have_prev = 1;
	}
	char *a = out ? xstrdup(out) : NULL, *b = out ? xstrdup(out) : NULL;
	char *parent = a ? dirname(a) : NULL;
	const char *base = b ? basename(b) : NULL;
	char stage[PATH_MAX] = "";
	if (st == BUILD_OK && make_parents(out) != 0) {
		err_set(err, parent, 0, "cannot create: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	if (st == BUILD_OK) {
		snprintf(stage, sizeof stage, "%s/.%s.new-XXXXXX", parent, base);
		if (!mkdtemp(stage)) {
			err_set(err, parent, 0, "cannot create a staging directory: %s",
			        strerror(errno));
			st = BUILD_WRITE_FAILED;
			stage[0] = '\0';
		} else {
			/* mkdtemp makes 0700; the published tree gets the usual umask mode. */
			mode_t mask = umask(0);
			umask(mask);
			chmod(stage, 0777 & ~mask);
		}
	}
	if (st == BUILD_OK && write_json(stage, ind) != 0) {
		err_set(err, stage, 0, "cannot write the indicator document: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	if (st == BUILD_OK && write_findings(stage, ind) != 0) {
		err_set(err, stage, 0, "cannot write the findings CSV: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	selection_t cur = {.all = o->nbranches == 0};
	char **codes = xcalloc((size_t)ind->nbranches + 1, sizeof *codes);
	for (int i = 0; i < ind->nbranches; i++)
		codes[i] = ind->model->site.branches[ind->branches[i].branch].code;
	cur.codes = codes;
	cur.ncodes = ind->nbranches;
	if (st == BUILD_OK && carry_months(out, stage, ind, &cur, &months, &nmonths) != 0) {
		err_set(err, out, 0, "cannot keep the files of other months: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	free(codes);
	if (st == BUILD_OK) {
		nwb = workbook_paths(ind, &wb_paths);
		view_ctx_t ctx = {.ind = ind,
		                  .cmp = &cmp,
		                  .report_months = months,
		                  .nreport_months = nmonths,
		                  .workbooks = (const char *const *)wb_paths,
		                  .nworkbooks = nwb};
		if (site_render(&ctx, ts, stage, o->jobs, !o->quiet && isatty(2), &pages, &charts,
		                err) != 0)
			st = BUILD_WRITE_FAILED;
	}
	if (st == BUILD_OK && o->verbose)
		fprintf(stderr, "cundang: %d pages and %d charts after %.2f s\n", pages, charts,
		        build_now() - o->started);
	/* The workbooks embed the PNG charts that site_render wrote and draw none: Pango and its
	 * font maps are let go first, so the forked workbook writers inherit none of them. */
	if (charts_ready) {
		chart_shutdown();
		charts_ready = 0;
	}
	if (st == BUILD_OK &&
	    (workbooks = workbook_write_all(ind, stage, o->jobs, !o->quiet && isatty(2), err)) < 0)
		st = BUILD_WRITE_FAILED;
	if (st == BUILD_OK && o->verbose)
		fprintf(stderr, "cundang: %d workbooks after %.2f s\n", workbooks,
		        build_now() - o->started);
	if (st == BUILD_OK && swap_in(stage, out, parent, base) != 0) {
		err_set(err, out, 0, "cannot publish the new output: %s", strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	if (st != BUILD_OK && stage[0])
		remove_tree(stage);
	if (st == BUILD_OK)
		fprintf(
		    stderr,
		    "cundang: built %s: %d pages, %d charts, %d workbooks; %d errors, %d warnings; "
		    "%.2f s\n",
		    o->output, pages, charts, workbooks, ind->errors, ind->warnings,
		    build_now() - o->started);
	if (charts_ready)
		chart_shutdown();
	if (have_prev)
		indicators_cmp_free(&cmp);
	tmplset_free(ts);
	for (int i = 0; i < nwb; i++)
		free(wb_paths[i]);
	free(wb_paths);
	free(months);
	free(in);
	free(out);
	free(a);
	free(b);
	return st;
}
