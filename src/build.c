/* build.c — stages the output tree in a new directory beside -o, carries over what must be
 * kept (other months' reports, workbooks and data), and swaps it in with one rename. */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/syscall.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compute/tasks.h"
#include "render/chart/chart.h"
#include "format.h"
#include "render/csv/findcsv.h"
#include "render/json/indjson.h"
#include "render/site/site.h"
#include "render/site/tmplset.h"
#include "render/site/view.h"
#include "render/workbook/workbook.h"
#include "outtree.h"

double build_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *build_resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || errno != ENOENT)
		return r;
	char *a = xstrdup(path), *b = xstrdup(path);
	const char *base = basename(b);
	char *parent = NULL, *out = NULL;
	if (strcmp(base, ".") && strcmp(base, "..") && strcmp(base, "/"))
		parent = build_resolve(dirname(a));
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
 * Every output holds a marker file (.cundang, outtree.h): a first line that says what the folder
 * is, then one line per month present, "YYYY-MM *" for a build of all branches or "YYYY-MM CODE..."
 * for a
 * --branch build. It marks the folder as cundang's (build refuses to replace any other
 * non-empty folder) and tells a later build which branches a month's bank-level files cover:
 * a --branch build keeps another month's files only where they hold nothing of a branch
 * outside its selection (SPEC §2 --branch). */

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
	char name[OUTTREE_PATH_MAX];
	char *path = path_join(old, outtree_path(name, sizeof name, OUTTREE_MARKER, 0, NULL));
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
		rc = outtree_make_dir(stage, rel) == 0 ? copy_file(src, dst) : -1;
		*carried = true;
	}
	free(orel);
	free(src);
	free(dst);
	return rc;
}

/* Carries the files of month m of the folder of kind bank (OUTTREE_REPORT,
 * OUTTREE_SUMMARY_WORKBOOK; OUTTREE_NFILES for a folder without one, tasks/) whose branch part
 * is selected: those of kind branch beside it (OUTTREE_BRANCH_REPORT, OUTTREE_BRANCH_WORKBOOK,
 * OUTTREE_TASKS_WORKBOOK) when their code is in the selection, the bank-level file only when
 * whole is true. */
static int carry_month_dir(const char *old, const char *stage, int32_t m, outtree_file_t bank,
                           outtree_file_t branch, const selection_t *cur, bool whole, bool *carried,
                           bool *bank_carried)
{
	char rel[OUTTREE_PATH_MAX];
	outtree_dir(rel, sizeof rel, branch, m);
	char *dir = path_join(old, rel);
	DIR *d = opendir(dir);
	free(dir);
	if (!d)
		return 0;
	int rc = 0;
	struct dirent *e;
	while (rc == 0 && (e = readdir(d))) {
		const char *name = e->d_name;
		char code[256];
		bool is_bank =
		    bank != OUTTREE_NFILES && outtree_match(bank, name, code, sizeof code);
		if (!is_bank && !outtree_match(branch, name, code, sizeof code))
			continue;
		bool keep = is_bank ? whole : cur->all || has_code(cur->codes, cur->ncodes, code);
		if (!keep)
			continue;
		bool got = false;
		rc = carry_file(old, stage, rel, name, &got);
		*carried |= got;
		if (is_bank)
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

/* The months old holds: its marker's, and any entry of a month in reports/, workbooks/ or
 * data/. */
static void old_months(const char *old, const month_sel_t *sel, int nsel, int32_t **list, int *n)
{
	for (int i = 0; i < nsel; i++)
		add_month(list, n, sel[i].month);
	for (size_t k = 0; outtree_month_tops[k]; k++) {
		char *path = path_join(old, outtree_month_tops[k]);
		DIR *d = opendir(path);
		free(path);
		if (!d)
			continue;
		struct dirent *e;
		while ((e = readdir(d)) && *n < MAX_MONTHS) {
			int32_t ym;
			if (outtree_month_entry(e->d_name, &ym))
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
		char m[16], rel[OUTTREE_PATH_MAX], data[OUTTREE_PATH_MAX];
		format_month(m, sizeof m, ym);
		bool carried = false, report = false, unused = false;
		rc = carry_month_dir(old, stage, ym, OUTTREE_REPORT, OUTTREE_BRANCH_REPORT, cur,
		                     whole, &carried, &report);
		if (rc == 0)
			rc =
			    carry_month_dir(old, stage, ym, OUTTREE_SUMMARY_WORKBOOK,
			                    OUTTREE_BRANCH_WORKBOOK, cur, whole, &carried, &unused);
		if (rc == 0)
			rc = carry_month_dir(old, stage, ym, OUTTREE_NFILES, OUTTREE_TASKS_WORKBOOK,
			                     cur, whole, &carried, &unused);
		outtree_path(data, sizeof data, OUTTREE_DATA, ym, NULL);
		outtree_dir(rel, sizeof rel, OUTTREE_DATA, ym);
		if (rc == 0 && whole)
			rc = carry_file(old, stage, rel, strrchr(data, '/') + 1, &carried);
		outtree_path(data, sizeof data, OUTTREE_FINDINGS, ym, NULL);
		if (rc == 0 && whole)
			rc = carry_file(old, stage, rel, strrchr(data, '/') + 1, &carried);
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
		char name[OUTTREE_PATH_MAX];
		char *path =
		    path_join(stage, outtree_path(name, sizeof name, OUTTREE_MARKER, 0, NULL));
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
	char name[OUTTREE_PATH_MAX];
	char *marker = path_join(dir, outtree_path(name, sizeof name, OUTTREE_MARKER, 0, NULL));
	bool ours = access(marker, F_OK) == 0;
	free(marker);
	if (ours)
		return true;
	char *index = path_join(dir, outtree_path(name, sizeof name, OUTTREE_INDEX, 0, NULL));
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

/* Writes the indicator document; on failure err names it. */
static int write_json(const char *stage, const indicators_t *ind, err_t *err)
{
	char name[OUTTREE_PATH_MAX];
	outtree_path(name, sizeof name, OUTTREE_DATA, ind->month, NULL);
	char *path = path_join(stage, name);
	FILE *fp = fopen(path, "w");
	int rc = -1;
	if (fp) {
		json_object *doc = indjson_build(ind);
		errno = 0;
		rc = indjson_write(fp, doc);
		json_object_put(doc);
		if (fclose(fp) != 0)
			rc = -1;
	}
	if (rc != 0)
		err_set(err, path, 0, "cannot write the indicator document: %s",
		        strerror(errno ? errno : EIO));
	free(path);
	return rc;
}

/* data/findings-YYYY-MM.csv: every finding of the selection, however many. */
static int write_findings(const char *stage, const indicators_t *ind)
{
	char name[OUTTREE_PATH_MAX];
	outtree_path(name, sizeof name, OUTTREE_FINDINGS, ind->month, NULL);
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

/* ---- signals ----
 * SIGINT and SIGTERM during a build remove the staging folder, then end the process by the
 * same signal (the writer processes die with it: PR_SET_PDEATHSIG). The handler uses only
 * async-signal-safe calls: the folder is renamed first, so that threads still rendering
 * cannot add to it, then emptied with openat, getdents64 and unlinkat. */

static char sig_stage[PATH_MAX], sig_dead[PATH_MAX + 8];
static volatile sig_atomic_t sig_armed;

struct dirent64_ {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

static void sig_remove(int dfd, const char *name, int depth)
{
	if (unlinkat(dfd, name, 0) == 0 || depth > 16)
		return;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return;
	/* Scanned again while something was added during the scan (at most a few times). */
	for (int round = 0; round < 4 && unlinkat(dfd, name, AT_REMOVEDIR) != 0; round++) {
		char buf[4096] __attribute__((aligned(8)));
		long n;
		lseek(fd, 0, SEEK_SET);
		while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
			for (long off = 0; off < n;) {
				struct dirent64_ *e = (struct dirent64_ *)(void *)(buf + off);
				off += e->reclen;
				if (strcmp(e->name, ".") && strcmp(e->name, ".."))
					sig_remove(fd, e->name, depth + 1);
			}
	}
	close(fd);
}

static void on_signal(int sig)
{
	if (sig_armed) {
		sig_armed = 0;
		const char *at = rename(sig_stage, sig_dead) == 0 ? sig_dead : sig_stage;
		sig_remove(AT_FDCWD, at, 0);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* From now on a signal removes stage (NULL: nothing to remove). */
static void sig_arm(const char *stage)
{
	sig_armed = 0;
	if (!stage)
		return;
	snprintf(sig_stage, sizeof sig_stage, "%s", stage);
	snprintf(sig_dead, sizeof sig_dead, "%s-dead", stage); /* still a staging name */
	sig_armed = 1;
}

static void sig_install(void)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A file-size limit (ulimit -f) makes write fail with EFBIG, an output error (exit 3),
	 * instead of killing the build. */
	signal(SIGXFSZ, SIG_IGN);
}

/* ---- the lock and the leftovers of dead builds ---- */

/* Seconds a build waits for another one writing the same output: CUNDANG_LOCK_WAIT, else
 * 60. */
static double lock_wait(void)
{
	const char *s = getenv("CUNDANG_LOCK_WAIT");
	char *end;
	double v = s ? strtod(s, &end) : 60;
	return s && (end == s || *end || v < 0 || v > 86400) ? 60 : v;
}

/* Takes the lock beside the output; returns its descriptor (held until the process ends or
 * it is closed), -1 with errno set, or -2 when another build still held it after the wait. */
static int take_lock(const char *parent, const char *base, double *waited)
{
	char path[PATH_MAX];
	outtree_lock(path, sizeof path, parent, base);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	double start = build_now(), bound = lock_wait();
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			int e = errno;
			close(fd);
			errno = e;
			return -1;
		}
		*waited = build_now() - start;
		if (*waited >= bound) {
			close(fd);
			return -2;
		}
		usleep(50000);
	}
	return fd;
}

/* With the lock held no other build is writing this output, so whatever staging or old
 * folders of it lie beside it are a dead build's. An old output moved aside by a build that
 * died between its two renames is put back when the output is missing (the newest, should
 * there be several); the rest is removed. */
static void recover_leftovers(const char *parent, const char *base, const char *out)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	char **names = NULL;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (outtree_leftover(base, e->d_name)) {
			names = xrealloc(names, (size_t)(n + 1) * sizeof *names);
			names[n++] = path_join(parent, e->d_name);
		}
	closedir(d);
	if (lstat(out, &(struct stat){0}) != 0) {
		int best = -1;
		struct timespec bt = {0};
		for (int i = 0; i < n; i++) {
			struct stat st;
			const char *name = strrchr(names[i], '/') + 1;
			if (outtree_leftover(base, name) == 2 && lstat(names[i], &st) == 0 &&
			    S_ISDIR(st.st_mode) &&
			    (best < 0 || st.st_mtim.tv_sec > bt.tv_sec ||
			     (st.st_mtim.tv_sec == bt.tv_sec && st.st_mtim.tv_nsec > bt.tv_nsec))) {
				best = i;
				bt = st.st_mtim;
			}
		}
		if (best >= 0 && rename(names[best], out) == 0)
			names[best][0] = '\0';
	}
	for (int i = 0; i < n; i++) {
		if (names[i][0])
			remove_tree(names[i]);
		free(names[i]);
	}
	free(names);
}

/* Puts stage in place of out in one step: renameat2(RENAME_EXCHANGE) swaps the two folders,
 * so out is at every moment a whole output; stage then holds the old tree, removed
 * afterwards. Where the file system cannot exchange, two renames, the old tree moved aside
 * first (a build killed between them leaves it for the next build to put back). */
static int swap_in(const char *stage, const char *out, const char *parent, const char *base)
{
	struct stat st;
	if (lstat(out, &st) != 0)
		return rename(stage, out);
	if (renameat2(AT_FDCWD, stage, AT_FDCWD, out, RENAME_EXCHANGE) == 0) {
		remove_tree(stage); /* the old tree; a leftover of it is not a failed build */
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	char tmpl[PATH_MAX];
	outtree_staging(tmpl, sizeof tmpl, parent, base, true);
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

/* ---- the steps of a build ----
 * refuse (everything that can fail before anything is written), stage (the staging folder
 * with its folders, the indicator document and the other months' files), render (pages,
 * charts, workbooks) and publish (the swap). Each step records in build_t what it holds and
 * returns at its first failure; build_release lets go of whatever was taken, once. */

typedef struct {
	const indicators_t *ind;
	const build_options_t *o;
	char *in, *out;              /* realpath of the input, resolved -o */
	char *parent_buf, *base_buf; /* dirname and basename of out (owned copies) */
	const char *parent, *base;
	char stage[PATH_MAX]; /* "" until made */
	int lock;             /* the lock beside the output, -1 until taken */
	tmplset_t *ts;
	bool charts_ready, have_prev, have_tasks;
	indicators_cmp_t cmp; /* the month before, for the reports' comparison */
	tasks_t tasks;        /* the managers' work lists (SPEC §8) */
	int32_t *months;      /* months whose bank report the new output holds, newest first */
	int nmonths;
	view_old_workbook_t *old_wb; /* earlier months' workbooks in the stage (old_workbooks) */
	int nold_wb;
	char **wb_paths;
	int nwb, pages, charts, workbooks;
	/* build_now() at the end of each step, for -v's stage times: entered (the archive read and
	 * the indicators computed), the month before and the work lists, staged, pages and charts,
	 * workbooks. 0 for a step not reached. */
	double t_enter, t_compared, t_tasks, t_staged, t_pages, t_workbooks;
} build_t;

static build_status_t refuse(build_t *b, err_t *err)
{
	const build_options_t *o = b->o;
	b->in = o->input ? realpath(o->input, NULL) : NULL;
	b->out = build_resolve(o->output);
	const char *out = b->out, *in = b->in;
	if (!out) {
		err_set(err, o->output, 0, "cannot use as output directory: %s", strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	if (lstat(out, &(struct stat){0}) == 0 && !is_dir(out)) {
		err_set(err, o->output, 0, "exists and is not a directory; refusing to replace it");
		return BUILD_BAD_INPUT;
	}
	if (!strcmp(out, "/") ||
	    (in && (is_same_or_parent(out, in) || is_same_or_parent(in, out)))) {
		err_set(err, o->output, 0,
		        "refusing to write the site here: it is /, the input archive, one of its "
		        "parents or a folder inside it");
		return BUILD_BAD_INPUT;
	}
	if (is_dir(out) && !replaceable(out)) {
		char marker[OUTTREE_PATH_MAX];
		err_set(
		    err, o->output, 0,
		    "is a folder that is not empty and not a cundang output (it has no %s file); "
		    "refusing to replace it: give a new or empty folder",
		    outtree_path(marker, sizeof marker, OUTTREE_MARKER, 0, NULL));
		return BUILD_BAD_INPUT;
	}
	if (!(b->ts = tmplset_load(o->templates, err)))
		return BUILD_BAD_INPUT;
	if (chart_init(err) != 0)
		return BUILD_WRITE_FAILED;
	b->charts_ready = true;
	/* The reports compare with the month before: the same selection, one month earlier. A
	 * union has no archive to compute it from. */
	if (o->render)
		return BUILD_OK;
	double t = build_now();
	if (indicators_compare(b->ind, &b->cmp, err) != 0)
		return BUILD_BAD_INPUT;
	b->have_prev = true;
	b->t_compared = build_now();
	b->t_enter = t; /* templates and charts set up: a part of refusing, counted with reading */
	tasks_compute(b->ind, &b->tasks);
	b->have_tasks = true;
	b->t_tasks = build_now();
	return BUILD_OK;
}

static build_status_t stage(build_t *b, err_t *err)
{
	const indicators_t *ind = b->ind;
	b->parent_buf = xstrdup(b->out);
	b->base_buf = xstrdup(b->out);
	b->parent = dirname(b->parent_buf);
	b->base = basename(b->base_buf);
	if (path_make_dirs(b->out, 0, true, NULL) != 0) {
		err_set(err, b->parent, 0, "cannot create: %s", strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	double waited = 0;
	if ((b->lock = take_lock(b->parent, b->base, &waited)) == -2) {
		err_set(
		    err, b->o->output, 0,
		    "another build is writing this output (waited %.0f s for it to finish); try "
		    "again when it has",
		    waited);
		return BUILD_WRITE_FAILED;
	}
	if (b->lock < 0) {
		char path[PATH_MAX];
		err_set(err, outtree_lock(path, sizeof path, b->parent, b->base), 0,
		        "cannot take the lock of the output: %s", strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	recover_leftovers(b->parent, b->base, b->out);
	outtree_staging(b->stage, sizeof b->stage, b->parent, b->base, false);
	if (!mkdtemp(b->stage)) {
		err_set(err, b->parent, 0, "cannot create a staging directory: %s",
		        strerror(errno));
		b->stage[0] = '\0';
		return BUILD_WRITE_FAILED;
	}
	sig_arm(b->stage);
	/* mkdtemp makes 0700; the published tree gets the usual umask mode. */
	mode_t mask = umask(0);
	umask(mask);
	chmod(b->stage, 0777 & ~mask);
	if ((b->o->render ? outtree_make_union_dirs : outtree_make_dirs)(b->stage, ind->month,
	                                                                 err) != 0)
		return BUILD_WRITE_FAILED;
	if (write_json(b->stage, ind, err) != 0) {
		return BUILD_WRITE_FAILED;
	}
	if (!b->o->render && write_findings(b->stage, ind) != 0) {
		err_set(err, b->stage, 0, "cannot write the findings CSV: %s", strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	selection_t cur = {.all = b->o->nbranches == 0, .ncodes = ind->nbranches};
	cur.codes = xcalloc((size_t)ind->nbranches + 1, sizeof *cur.codes);
	for (int i = 0; i < ind->nbranches; i++)
		cur.codes[i] = ind->model->site.branches[ind->branches[i].branch].code;
	int rc = carry_months(b->out, b->stage, ind, &cur, &b->months, &b->nmonths);
	free(cur.codes);
	if (rc != 0) {
		err_set(err, b->out, 0, "cannot keep the files of other months: %s",
		        strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	return BUILD_OK;
}

static int cmp_old_workbook(const void *pa, const void *pb, void *ctx)
{
	const view_old_workbook_t *a = pa, *b = pb;
	const site_t *site = ctx;
	if (a->month != b->month)
		return a->month < b->month ? 1 : -1; /* newest first */
	if (a->branch < 0 || b->branch < 0)          /* the summary first */
		return (a->branch >= 0) - (b->branch >= 0);
	return strcmp(site->branches[a->branch].code, site->branches[b->branch].code);
}

/* The workbooks of months other than this one that the stage holds (carried from the old
 * output), for the index: the summary and the branches of this site.yaml, named as outtree
 * names them; anything else in those folders is not listed. */
static void old_workbooks(build_t *b)
{
	const site_t *site = &b->ind->model->site;
	char *top = path_join(b->stage, "workbooks");
	DIR *d = opendir(top);
	if (!d) {
		free(top);
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		int32_t ym;
		if (!outtree_month_entry(e->d_name, &ym) || ym == b->ind->month)
			continue;
		char rel[OUTTREE_PATH_MAX];
		outtree_dir(rel, sizeof rel, OUTTREE_BRANCH_WORKBOOK, ym);
		char *dir = path_join(b->stage, rel);
		DIR *m = opendir(dir);
		free(dir);
		if (!m)
			continue;
		struct dirent *f;
		while ((f = readdir(m))) {
			char code[256];
			int branch = -2;
			if (outtree_match(OUTTREE_SUMMARY_WORKBOOK, f->d_name, code, sizeof code))
				branch = -1;
			else if (outtree_match(OUTTREE_BRANCH_WORKBOOK, f->d_name, code,
			                       sizeof code))
				for (int i = 0; i < site->nbranches; i++)
					if (!strcmp(site->branches[i].code, code))
						branch = i;
			if (branch < -1)
				continue;
			b->old_wb =
			    xrealloc(b->old_wb, (size_t)(b->nold_wb + 1) * sizeof *b->old_wb);
			b->old_wb[b->nold_wb++] =
			    (view_old_workbook_t){.month = ym, .branch = branch};
		}
		closedir(m);
	}
	closedir(d);
	free(top);
	if (b->nold_wb > 1) /* readdir's order is the file system's */
		qsort_r(b->old_wb, (size_t)b->nold_wb, sizeof *b->old_wb, cmp_old_workbook,
		        (void *)site);
}

static build_status_t render(build_t *b, err_t *err)
{
	const build_options_t *o = b->o;
	const indicators_t *ind = b->ind;
	int progress = !o->quiet && isatty(2);
	if (o->render) {
		build_stage_t st = {
		    .stage = b->stage, .ts = b->ts, .months = b->months, .nmonths = b->nmonths};
		int rc = o->render(ind, &st, o->render_ctx, err);
		b->pages = st.pages;
		b->charts = st.charts;
		b->workbooks = st.workbooks;
		return rc == 0 ? BUILD_OK : BUILD_WRITE_FAILED;
	}
	b->nwb = workbook_paths(ind, &b->wb_paths);
	old_workbooks(b);
	view_ctx_t ctx = {.ind = ind,
	                  .cmp = &b->cmp,
	                  .tasks = &b->tasks,
	                  .report_months = b->months,
	                  .nreport_months = b->nmonths,
	                  .workbooks = (const char *const *)b->wb_paths,
	                  .nworkbooks = b->nwb,
	                  .old_workbooks = b->old_wb,
	                  .nold_workbooks = b->nold_wb};
	b->t_staged = build_now();
	if (site_render(&ctx, b->ts, b->stage, o->jobs, progress, &b->pages, &b->charts, err) != 0)
		return BUILD_WRITE_FAILED;
	b->t_pages = build_now();
	if (o->verbose)
		fprintf(stderr, "cundang: %d pages and %d charts after %.2f s\n", b->pages,
		        b->charts, build_now() - o->started);
	/* The workbooks embed the PNG charts that site_render wrote and draw none: Pango and its
	 * font maps are let go first, so the forked workbook writers inherit none of them. */
	chart_shutdown();
	b->charts_ready = false;
	if ((b->workbooks = workbook_write_all(ind, &b->tasks, b->stage, o->jobs, progress, err)) <
	    0)
		return BUILD_WRITE_FAILED;
	b->t_workbooks = build_now();
	if (o->verbose)
		fprintf(stderr, "cundang: %d workbooks after %.2f s\n", b->workbooks,
		        b->t_workbooks - o->started);
	return BUILD_OK;
}

static build_status_t publish(build_t *b, err_t *err)
{
	if (swap_in(b->stage, b->out, b->parent, b->base) != 0) {
		err_set(err, b->out, 0, "cannot publish the new output: %s", strerror(errno));
		return BUILD_WRITE_FAILED;
	}
	sig_arm(NULL);
	b->stage[0] = '\0'; /* it is the output now */
	const build_options_t *o = b->o;
	if (o->render) {
		fprintf(
		    stderr, "cundang: rolled up %d banks into %s: %d pages, %d workbooks; %.2f s\n",
		    b->ind->nbranches, o->output, b->pages, b->workbooks, build_now() - o->started);
		return BUILD_OK;
	}
	if (o->verbose) /* each stage's own seconds, for make bench (README "Speed") */
		fprintf(
		    stderr,
		    "cundang: stage seconds: read and indicators %.2f, month before %.2f, tasks "
		    "%.2f, staging %.2f, pages and charts %.2f, workbooks %.2f, publish %.2f\n",
		    b->t_enter - o->started, b->t_compared - b->t_enter, b->t_tasks - b->t_compared,
		    b->t_staged - b->t_tasks, b->t_pages - b->t_staged, b->t_workbooks - b->t_pages,
		    build_now() - b->t_workbooks);
	fprintf(stderr,
	        "cundang: built %s: %d pages, %d charts, %d workbooks; %d errors, %d warnings; "
	        "%.2f s\n",
	        o->output, b->pages, b->charts, b->workbooks, b->ind->errors, b->ind->warnings,
	        build_now() - o->started);
	return BUILD_OK;
}

/* The one cleanup path: removes an unpublished staging folder and frees what b holds. */
static void build_release(build_t *b)
{
	if (b->stage[0])
		remove_tree(b->stage);
	sig_arm(NULL);
	if (b->lock >= 0)
		close(b->lock); /* after the staging folder is gone: the next build finds none */
	if (b->charts_ready)
		chart_shutdown();
	if (b->have_prev)
		indicators_cmp_free(&b->cmp);
	if (b->have_tasks)
		tasks_free(&b->tasks);
	tmplset_free(b->ts);
	for (int i = 0; i < b->nwb; i++)
		free(b->wb_paths[i]);
	free(b->wb_paths);
	free(b->old_wb);
	free(b->months);
	free(b->in);
	free(b->out);
	free(b->parent_buf);
	free(b->base_buf);
}

/* A failure's message names the file as it would be in the output: the staging folder is
 * gone once the message is read (a full disk, a file-size limit). */
static void name_in_output(char *text, size_t n, const char *stage, const char *output)
{
	char *at = strstr(text, stage);
	if (!at)
		return;
	char rest[1024];
	snprintf(rest, sizeof rest, "%s", at + strlen(stage));
	snprintf(at, n - (size_t)(at - text), "%s%s", output, rest);
}

build_status_t build_site(const indicators_t *ind, const build_options_t *o, err_t *err)
{
	build_t b = {.ind = ind, .o = o, .lock = -1};
	sig_install();
	build_status_t st; /* BUILD_OK is 0: each step runs only when those before it succeeded */
	if (!(st = refuse(&b, err)) && !(st = stage(&b, err)) && !(st = render(&b, err)))
		st = publish(&b, err);
	if (st != BUILD_OK && b.stage[0] && err) {
		name_in_output(err->file, sizeof err->file, b.stage, o->output);
		name_in_output(err->msg, sizeof err->msg, b.stage, o->output);
	}
	build_release(&b);
	return st;
}
