/* outtree.c — the names of SPEC §7's output tree in one table, and the folders made from it.
 * Builder, renderers and publisher ask here; a name changed here changes everywhere. */
#include "outtree.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "format.h"
#include "read/value.h"

/* Each kind: its folder (with "%s" where the month goes), the name before the code, the
 * name after it (the whole name for a kind of no code), the depth of a page below the root
 * for relative links, whose code names it ('b' a branch's, 'v' a village's, 0 none) and
 * whether the bank has one too (code NULL). */
typedef struct {
	const char *dir, *pre, *post;
	bool coded;
	int depth;
	char owner;
	bool bank_too;
} kind_t;

static const kind_t kinds[OUTTREE_NFILES] = {
    [OUTTREE_INDEX] = {"", "", "index.html", false, 0, 0, false},
    [OUTTREE_QUALITY] = {"", "", "quality.html", false, 0, 0, false},
    [OUTTREE_VILLAGE_LIST] = {"", "", "villages.html", false, 0, 0, false},
    [OUTTREE_GUIDE] = {"", "", "guide.html", false, 0, 0, false},
    [OUTTREE_BRANCH] = {"branches", "", ".html", true, 1, 'b', false},
    [OUTTREE_VILLAGE] = {"villages", "", ".html", true, 1, 'v', false},
    [OUTTREE_REPORT] = {"reports/%s", "", "index.html", false, 2, 0, false},
    [OUTTREE_BRANCH_REPORT] = {"reports/%s", "", ".html", true, 2, 'b', false},
    [OUTTREE_SUMMARY_WORKBOOK] = {"workbooks/%s", "", "summary.xlsx", false, 2, 0, false},
    [OUTTREE_BRANCH_WORKBOOK] = {"workbooks/%s", "", ".xlsx", true, 2, 'b', false},
    [OUTTREE_FUNNEL_PNG] = {"charts", "", "-funnel.png", true, 1, 'b', true},
    [OUTTREE_TREND_PNG] = {"charts", "", "-trend.png", true, 1, 0, true},
    [OUTTREE_BARS_PNG] = {"charts", "", "-bars.png", true, 1, 'b', true},
    [OUTTREE_DATA] = {"data", "indicators-", ".json", false, 1, 0, false},
    [OUTTREE_FINDINGS] = {"data", "findings-", ".csv", false, 1, 0, false},
    [OUTTREE_MANAGER] = {"managers", "", ".html", true, 2, 0, false},
    [OUTTREE_TASKS_WORKBOOK] = {"tasks/%s", "", ".xlsx", true, 2, 'b', false},
    [OUTTREE_MARKER] = {"", "", ".cundang", false, 0, 0, false},
    [OUTTREE_LETTER] = {"", "", ".pdf", true, 0, 'v', false},
    [OUTTREE_MAIL] = {"%s", "", ".eml", true, 0, 'b', false},
    [OUTTREE_MAIL_BANK] = {"%s", "", "summary.eml", false, 0, 0, false},
    [OUTTREE_SENT_LOG] = {"%s", "", "sent.log", false, 0, 0, false},
};

/* Whether f's name carries its month (the files in data/). */
static bool by_month(outtree_file_t f)
{
	return f == OUTTREE_DATA || f == OUTTREE_FINDINGS;
}

/* The charts' name part for the bank (code NULL). */
static const char bank_chart[] = "bank";

/* The folders of a build, in the order they are made (parents first). */
static const char *const build_dirs[] = {"branches",  "villages",     "reports", "reports/%s",
                                         "workbooks", "workbooks/%s", "tasks",   "tasks/%s",
                                         "managers",  "charts",       "data"};

/* A union's (cundang rollup): its report, workbook and document only. */
static const char *const union_dirs[] = {"reports", "reports/%s", "workbooks", "workbooks/%s",
                                         "data"};

const char *const outtree_month_tops[] = {"reports", "workbooks", "tasks", "data", NULL};

char *outtree_manager_code(char *buf, size_t n, const char *branch, const char *key)
{
	snprintf(buf, n, "%s/%s", branch, key);
	return buf;
}

char *outtree_manager_dir(char *buf, size_t n, const char *branch)
{
	snprintf(buf, n, "%s/%s", kinds[OUTTREE_MANAGER].dir, branch);
	return buf;
}

char *outtree_dir(char *buf, size_t n, outtree_file_t f, int32_t month)
{
	char m[16];
	format_month(m, sizeof m, month);
	snprintf(buf, n, kinds[f].dir, m);
	return buf;
}

char *outtree_path(char *buf, size_t n, outtree_file_t f, int32_t month, const char *code)
{
	const kind_t *k = &kinds[f];
	char dir[64], m[16];
	outtree_dir(dir, sizeof dir, f, month);
	format_month(m, sizeof m, month);
	/* The data files' names carry the month where the others carry a code. */
	const char *mid = by_month(f) ? m : k->coded ? (code ? code : bank_chart) : "";
	snprintf(buf, n, "%s%s%s%s%s", dir, dir[0] ? "/" : "", k->pre, mid, k->post);
	return buf;
}

const char *outtree_root(outtree_file_t from)
{
	static const char *const up[] = {"", "../", "../../"};
	return up[kinds[from].depth];
}

char *outtree_link(char *buf, size_t n, outtree_file_t from, outtree_file_t f, int32_t month,
                   const char *code)
{
	char rel[OUTTREE_PATH_MAX];
	snprintf(buf, n, "%s%s", outtree_root(from), outtree_path(rel, sizeof rel, f, month, code));
	return buf;
}

char *outtree_link_other(char *buf, size_t n, outtree_file_t from, const char *dir,
                         outtree_file_t f, int32_t month)
{
	char rel[OUTTREE_PATH_MAX];
	snprintf(buf, n, "%s%s%s", outtree_root(from), dir,
	         outtree_path(rel, sizeof rel, f, month, NULL));
	return buf;
}

int outtree_make_dir(const char *dir, const char *rel)
{
	char *path = path_join(dir, rel);
	int rc = path_make_dirs(path, strlen(dir), false, NULL);
	free(path);
	return rc;
}

static int make_dirs(const char *dir, int32_t month, const char *const *dirs, size_t n, err_t *err)
{
	char m[16], rel[64];
	format_month(m, sizeof m, month);
	for (size_t i = 0; i < n; i++) {
		snprintf(rel, sizeof rel, dirs[i], m);
		char *path = path_join(dir, rel);
		struct stat st;
		int rc = 0;
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			rc = err_set(err, path, 0, "cannot create: %s", strerror(errno));
		else if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = err_set(err, path, 0, "cannot create: %s", strerror(ENOTDIR));
		free(path);
		if (rc != 0)
			return -1;
	}
	return 0;
}

int outtree_make_dirs(const char *dir, int32_t month, err_t *err)
{
	return make_dirs(dir, month, build_dirs, sizeof build_dirs / sizeof *build_dirs, err);
}

int outtree_make_union_dirs(const char *dir, int32_t month, err_t *err)
{
	return make_dirs(dir, month, union_dirs, sizeof union_dirs / sizeof *union_dirs, err);
}

bool outtree_match(outtree_file_t f, const char *name, char *code, size_t n)
{
	const kind_t *k = &kinds[f];
	size_t len = strlen(name), pre = strlen(k->pre), post = strlen(k->post);
	int32_t ym;
	if (by_month(f)) /* named by its month, not by a code */
		return !strncmp(name, k->pre, pre) && outtree_month_entry(name, &ym);
	if (!k->coded)
		return strcmp(name, k->post) == 0;
	if (name[0] == '.' || len <= pre + post || strncmp(name, k->pre, pre) != 0 ||
	    strcmp(name + len - post, k->post) != 0)
		return false;
	snprintf(code, n, "%.*s", (int)(len - pre - post), name + pre);
	return true;
}

bool outtree_month_entry(const char *name, int32_t *ym)
{
	for (outtree_file_t f = OUTTREE_DATA; f <= OUTTREE_FINDINGS; f++) {
		const kind_t *d = &kinds[f];
		size_t pre = strlen(d->pre), post = strlen(d->post);
		if (!strncmp(name, d->pre, pre) && strlen(name) == pre + 7 + post &&
		    !strcmp(name + pre + 7, d->post)) {
			name += pre;
			break;
		}
	}
	char m[8];
	snprintf(m, sizeof m, "%.7s", name);
	return value_parse_month(m, ym) && strlen(m) == 7 && m[4] == '-';
}

char *outtree_staging(char *buf, size_t n, const char *parent, const char *base, bool old)
{
	snprintf(buf, n, "%s/.%s.%s-XXXXXX", parent, base, old ? "old" : "new");
	return buf;
}

/* The file name (no folder) of kind f for code, NULL for the bank's; "" for a kind whose
 * name depends on the month only. */
static void file_name(char *buf, size_t n, outtree_file_t f, const char *code)
{
	const kind_t *k = &kinds[f];
	if (by_month(f))
		snprintf(buf, n, "%s", "");
	else if (k->coded)
		snprintf(buf, n, "%s%s%s", k->pre, code ? code : bank_chart, k->post);
	else
		snprintf(buf, n, "%s", k->post);
}

bool outtree_code_reserved(bool branch, const char *code, char *why, size_t n)
{
	char mine[OUTTREE_PATH_MAX], other[OUTTREE_PATH_MAX];
	for (int f = 0; f < OUTTREE_NFILES; f++) {
		if (kinds[f].owner != (branch ? 'b' : 'v'))
			continue;
		file_name(mine, sizeof mine, (outtree_file_t)f, code);
		/* Every bank-level file in the same folder: the uncoded kinds there and the bank's
		 * variant of a coded one. */
		for (int g = 0; g < OUTTREE_NFILES; g++) {
			if (strcmp(kinds[g].dir, kinds[f].dir) != 0 ||
			    (kinds[g].coded && !kinds[g].bank_too))
				continue;
			file_name(other, sizeof other, (outtree_file_t)g, NULL);
			if (other[0] && strcasecmp(mine, other) == 0) {
				char dir[64];
				snprintf(dir, sizeof dir, kinds[g].dir, "YYYY-MM");
				snprintf(why, n, "%s%s%s", dir, dir[0] ? "/" : "", other);
				return true;
			}
		}
	}
	return false;
}

char *outtree_lock(char *buf, size_t n, const char *parent, const char *base)
{
	snprintf(buf, n, "%s/.%s.lock", parent, base);
	return buf;
}

int outtree_leftover(const char *base, const char *name)
{
	size_t len = strlen(base);
	if (name[0] != '.' || strncmp(name + 1, base, len) != 0)
		return 0;
	const char *rest = name + 1 + len;
	return !strncmp(rest, ".new-", 5) ? 1 : !strncmp(rest, ".old-", 5) ? 2 : 0;
}
