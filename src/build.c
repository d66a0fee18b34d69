/* build.c — stages the output tree in a new directory beside -o, carries over what must be
 * kept (acceptance reports of other months), and swaps it in with one rename. */
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

#include "chart.h"
#include "indjson.h"
#include "site.h"
#include "tmplset.h"
#include "view.h"
#include "workbook.h"

double build_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Absolute, symlink-free form of path, which may not exist yet (its parent must).
 * Caller frees. Returns NULL with errno set. */
static char *resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || errno != ENOENT)
		return r;
	char *a = xstrdup(path), *b = xstrdup(path);
	char *parent = realpath(dirname(a), NULL);
	char *out = NULL;
	if (parent) {
		out = path_join(parent, basename(b)); /* "/" + base when parent is the root */
		free(parent);
	}
	free(a);
	free(b);
	return out;
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

/* Copies the regular files and folders under from into to (which exists). */
static int copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	if (!d)
		return -1;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *src = path_join(from, e->d_name), *dst = path_join(to, e->d_name);
		struct stat st;
		if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode))
			rc = (mkdir(dst, 0777) == 0 || errno == EEXIST) ? copy_tree(src, dst) : -1;
		else if (S_ISREG(st.st_mode))
			rc = copy_file(src, dst);
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

static int cmp_month_desc(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Keeps reports/<month>/ of other months from the old output, and lists every report month
 * of the new output (those kept and this one) newest first in *months (caller frees). */
static int carry_reports(const char *old, const char *stage, int32_t month, int32_t **months,
                         int *nmonths)
{
	char *rdir = path_join(old, "reports");
	DIR *d = opendir(rdir);
	int rc = 0, n = 1;
	int32_t *list = xmalloc(sizeof *list);
	list[0] = month;
	if (d) {
		struct dirent *e;
		while (rc == 0 && (e = readdir(d))) {
			int32_t ym;
			if (!value_parse_month(e->d_name, &ym) || ym == month ||
			    strlen(e->d_name) != 7)
				continue;
			char *src = path_join(rdir, e->d_name);
			char *rel = path_join("reports", e->d_name);
			char *dst = path_join(stage, rel);
			rc = mkdirs(stage, rel) == 0 ? copy_tree(src, dst) : -1;
			free(src);
			free(rel);
			free(dst);
			list = xrealloc(list, (size_t)(n + 1) * sizeof *list);
			list[n++] = ym;
		}
		closedir(d);
	}
	free(rdir);
	qsort(list, (size_t)n, sizeof *list, cmp_month_desc);
	*months = list;
	*nmonths = n;
	return rc;
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
	indicators_t prev;
	int have_prev = 0, pages = 0, charts = 0, workbooks = 0, nmonths = 0, charts_ready = 0;
	char **wb_paths = NULL;
	int nwb = 0;
	int32_t *months = NULL;
	if (!out) {
		err_set(err, o->output, 0, "cannot use as output directory: %s", strerror(errno));
		st = BUILD_BAD_INPUT;
	} else if (lstat(out, &(struct stat){0}) == 0 && !is_dir(out)) {
		err_set(err, o->output, 0, "exists and is not a directory; refusing to replace it");
		st = BUILD_BAD_INPUT;
	} else if (!strcmp(out, "/") || (in && is_same_or_parent(out, in))) {
		err_set(err, o->output, 0,
		        "refusing to write the site here: it is / or the input archive or one of "
		        "its parents");
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
		if (indicators_compute(ind->model, value_month_add(ind->month, -1), o->branches,
		                       o->nbranches, &prev, err) != 0)
			st = BUILD_BAD_INPUT;
		else
			have_prev = 1;
	}
	char *a = out ? xstrdup(out) : NULL, *b = out ? xstrdup(out) : NULL;
	char *parent = a ? dirname(a) : NULL;
	const char *base = b ? basename(b) : NULL;
	char stage[PATH_MAX] = "";
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
	if (st == BUILD_OK && carry_reports(out, stage, ind->month, &months, &nmonths) != 0) {
		err_set(err, out, 0, "cannot keep the reports of other months: %s",
		        strerror(errno));
		st = BUILD_WRITE_FAILED;
	}
	if (st == BUILD_OK) {
		nwb = workbook_paths(ind, &wb_paths);
		view_ctx_t ctx = {.ind = ind,
		                  .prev = &prev,
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
		indicators_free(&prev);
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
