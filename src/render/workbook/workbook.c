/* workbook.c — the Excel workbooks' files and writer processes and their document properties:
 * each workbook is begun with the cell writer (wb_writer.c), filled by workbook_sheets.c. */
#include "render/workbook/workbook.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "format.h"
#include "compute/findsum.h"
#include "outtree.h"
#include "render/cap.h"
#include "render/workbook/workbook_int.h"

/* Processes, not threads. libxlsxwriter 1.1.4 keeps state of its own that two workbooks
 * written at once would share: its temporary files are named by tmpfileplus(), whose generator
 * is a static seed and the C library's rand(), and workbook_close() formats the creation date
 * with gmtime(), whose result is static. zlib's deflate inside workbook_close() is most of a
 * workbook's time, so serialising those calls under a lock kept one core idle. Each writer is
 * therefore a forked process (workbook_write_all), with libxlsxwriter's state its own. */

/* ---- one workbook ---- */

/* The as-of date at 00:00 UTC: the creation time written into docProps/core.xml, so the
 * same input gives the same bytes. */
static time_t as_of_time(int32_t ymd)
{
	struct tm t = {
	    .tm_year = ymd / 10000 - 1900, .tm_mon = ymd / 100 % 100 - 1, .tm_mday = ymd % 100};
	return timegm(&t);
}

static int set_properties(wb_t *w, const indicators_t *ind, const char *title, const char *subject)
{
	char t[512], subj[256], company[512], author[] = "cundang", comments[256];
	const char *bank = ind->model->site.bank;
	snprintf(t, sizeof t, "%s", wb_safe(w, title));
	snprintf(subj, sizeof subj, "%s", subject);
	snprintf(company, sizeof company, "%s", wb_safe(w, bank ? bank : ""));
	char asof[64];
	snprintf(comments, sizeof comments, "数据截至 %s，由 cundang 生成",
	         format_date(asof, sizeof asof, ind->as_of));
	lxw_doc_properties p = {.title = t,
	                        .subject = subj,
	                        .author = author,
	                        .company = company,
	                        .comments = comments,
	                        .created = as_of_time(ind->as_of)};
	return workbook_set_properties(w->wb, &p);
}

/* Writes the workbook of branch position b (the summary when b < 0), or with tasks its tasks
 * workbook, or with is_union a union's summary, to path. */
static int write_one(const indicators_t *ind, const tasks_t *tasks, int b, bool is_union,
                     const char *path, const char *tmpdir, const char *dir, err_t *err)
{
	const site_t *site = &ind->model->site;
	char month_cn[64], title[512];
	format_month_cn(month_cn, sizeof month_cn, ind->month);
	if (b < 0)
		snprintf(title, sizeof title, "%s %s 整村授信", site->bank, month_cn);
	else
		snprintf(title, sizeof title, "%s %s %s %s", site->bank,
		         site->branches[ind->branches[b].branch].name, month_cn,
		         tasks ? VOCAB_TASKS_TITLE : "整村授信");
	/* Temporary files go into the month's folder of the (staging) output, not /tmp: those of
	 * a large branch workbook run to hundreds of MB, /tmp is often a small or RAM-backed
	 * tmpfs (which would hold in memory what constant_memory keeps out of it), and the
	 * output has to have room for the workbooks anyway. tmpfileplus() creates each with
	 * O_EXCL, mode 0600, and unlinks it at once, so none outlives the process. Branch
	 * workbooks (their 户表 and 贷款) need constant_memory; the summary holds no household,
	 * and written normally it gets shared strings and charts with their data cached, unless
	 * its 数据质量 sheet is long: a million findings held in memory took 780 MB more. */
	bool big = b >= 0 || (ind->fsum && ind->fsum->total > CAP_SUMMARY_IN_MEMORY);
	lxw_workbook_options opt = {.constant_memory = big ? LXW_TRUE : LXW_FALSE,
	                            .tmpdir = (char *)tmpdir,
	                            .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return err_set(err, path, 0, "cannot start the workbook (out of memory)");
	wb_book_t k = {.ind = ind, .tasks = tasks, .b = b, .is_union = is_union, .dir = dir};
	outtree_path(k.findings_csv, sizeof k.findings_csv, OUTTREE_FINDINGS, ind->month, NULL);
	wb_t *w = &k.w;
	wb_begin(w, wb, title);
	wb_check(w, "文档属性",
	         set_properties(w, ind, title,
	                        tasks   ? "客户经理任务清单"
	                        : b < 0 ? "整村授信汇总工作簿"
	                                : "整村授信支行工作簿"));
	if (tasks)
		wb_write_tasks(&k);
	else
		wb_write_sheets(&k);
	errno = 0;
	lxw_error rc = workbook_close(wb); /* frees wb whatever happens */
	int saved = errno;
	wb_end(w); /* failed and msg stay readable */
	if (!w->failed && rc == LXW_NO_ERROR)
		return 0;
	unlink(path); /* no half-made workbook */
	if (w->failed)
		return err_set(err, path, 0, "%s", w->msg);
	if (rc == LXW_ERROR_CREATING_XLSX_FILE || rc == LXW_ERROR_CREATING_TMPFILE)
		return err_set(err, path, 0, "cannot write the workbook: %s (%s)",
		               strerror(saved ? saved : EIO), lxw_strerror(rc));
	return err_set(err, path, 0, "cannot write the workbook: %s", lxw_strerror(rc));
}

/* ---- all workbooks ---- */

/* What the writers share: a MAP_SHARED page, so that forked processes can take workbooks from
 * one queue and hand back their results. */
typedef struct {
	int next;    /* the next position in order to take, taken with an atomic add */
	int done;    /* workbooks finished, for the progress line */
	int n;       /* workbooks: the summary (0) then branch i (1 + i) */
	int slots[]; /* order[n] (workbooks, largest first), then rc[n]; errs[n] follow */
} queue_t;

typedef struct {
	const indicators_t *ind;
	const tasks_t *tasks;
	const char *dir, *wbdir; /* the (staging) output; its folder of the month's workbooks */
	queue_t *q;
	int progress; /* show "workbooks k/n" on standard error */
	int *rc;      /* per workbook; 1 until written */
	err_t *errs;  /* per workbook */
} job_t;

/* Output-relative path of workbook i: the summary (0), then branch i - 1's, then (from
 * 1 + nbranches) branch i - 1 - nbranches' tasks workbook. */
static char *workbook_path(const indicators_t *ind, int i, char *rel, size_t n)
{
	if (i == 0)
		return outtree_path(rel, n, OUTTREE_SUMMARY_WORKBOOK, ind->month, NULL);
	bool tasks = i > ind->nbranches;
	int b = tasks ? i - 1 - ind->nbranches : i - 1;
	return outtree_path(rel, n, tasks ? OUTTREE_TASKS_WORKBOOK : OUTTREE_BRANCH_WORKBOOK,
	                    ind->month, ind->model->site.branches[ind->branches[b].branch].code);
}

int workbook_paths(const indicators_t *ind, char ***paths)
{
	int n = 1 + ind->nbranches;
	char rel[OUTTREE_PATH_MAX];
	*paths = xmalloc((size_t)n * sizeof **paths);
	for (int i = 0; i < n; i++)
		(*paths)[i] = xstrdup(workbook_path(ind, i, rel, sizeof rel));
	return n;
}

static int run_one(const job_t *j, int i)
{
	bool tasks = i > j->ind->nbranches;
	int b = tasks ? i - 1 - j->ind->nbranches : i - 1;
	char rel[OUTTREE_PATH_MAX];
	char *path = path_join(j->dir, workbook_path(j->ind, i, rel, sizeof rel));
	int rc = write_one(j->ind, tasks ? j->tasks : NULL, b, false, path, j->wbdir, j->dir,
	                   &j->errs[i]);
	free(path);
	return rc;
}

/* Writes workbooks from the queue until it is empty. */
static void work(const job_t *j)
{
	for (;;) {
		int k = __atomic_fetch_add(&j->q->next, 1, __ATOMIC_RELAXED);
		if (k >= j->q->n)
			return;
		int i = j->q->slots[k]; /* order[k] */
		j->rc[i] = run_one(j, i);
		int done = __atomic_add_fetch(&j->q->done, 1, __ATOMIC_RELAXED);
		if (j->progress)
			fprintf(stderr, "\rcundang: workbooks %d/%d", done, j->q->n);
	}
}

/* How much each workbook writes, for taking the largest first: a branch workbook's rows are
 * its households (and their loans, about as many), the summary's a few a village, a tasks
 * workbook's its list entries. One pass over the villages; size[0] is the summary, size[1 + i]
 * branch i, size[1 + nbranches + i] its tasks. */
static void workbook_sizes(const indicators_t *ind, const tasks_t *tasks, int64_t *size)
{
	for (int i = 0; i < ind->nbranches; i++) {
		int64_t n = 0;
		for (int l = 0; l < TASK_COUNT; l++)
			n += tasks->branches[i].n[l];
		size[1 + ind->nbranches + i] = n / 2; /* rows of fewer columns than 户表's */
	}
	const model_t *m = ind->model;
	int *pos = xmalloc(((size_t)m->site.nbranches + 1) * sizeof *pos);
	for (int b = 0; b < m->site.nbranches; b++)
		pos[b] = -1;
	for (int i = 0; i < ind->nbranches; i++) {
		pos[ind->branches[i].branch] = i;
		size[1 + i] = 0;
	}
	size[0] = ind->nvillages;
	for (int k = 0; k < ind->nvillages; k++) {
		const village_t *v = &m->villages[ind->villages[k].village];
		if (pos[v->branch] >= 0)
			size[1 + pos[v->branch]] += v->nhouseholds;
	}
	free(pos);
}

/* Forks nproc - 1 writers and works as the last one itself. A writer that does not end
 * normally leaves rc 1 on the workbook it held; why says how it ended ("" when all did). */
static void run_writers(const job_t *j, int nproc, char *why, size_t whylen)
{
	pid_t *pid = xcalloc((size_t)nproc, sizeof *pid);
	int started = 0;
	why[0] = '\0';
	fflush(NULL); /* nothing buffered is written twice */
	pid_t parent = getpid();
	for (int p = 1; p < nproc; p++) {
		pid_t c = fork();
		if (c == 0) {
			/* A writer dies with the build (kill -9 included), and on SIGINT or SIGTERM
			 * simply ends: the build's handler removes the staging folder. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != parent)
				_exit(1);
			signal(SIGINT, SIG_DFL);
			signal(SIGTERM, SIG_DFL);
			work(j);
			_exit(0); /* no atexit handlers, no flushing of the parent's buffers */
		}
		if (c < 0)
			break; /* the writers that started, and this process, take the rest */
		pid[started++] = c;
	}
	work(j);
	for (int p = 0; p < started; p++) {
		int status;
		while (waitpid(pid[p], &status, 0) < 0 && errno == EINTR)
			;
		if (!why[0] && WIFSIGNALED(status))
			snprintf(why, whylen, "killed by signal %d", WTERMSIG(status));
		else if (!why[0] && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
			snprintf(why, whylen, "exit status %d", WEXITSTATUS(status));
	}
	free(pid);
}

int workbook_write_all(const indicators_t *ind, const tasks_t *tasks, const char *dir, int jobs,
                       int progress, err_t *err)
{
	char rel[OUTTREE_PATH_MAX];
	char *wbdir =
	    path_join(dir, outtree_dir(rel, sizeof rel, OUTTREE_SUMMARY_WORKBOOK, ind->month));
	int n = 1 + 2 * ind->nbranches, rc = 0;
	size_t errs_at = sizeof(queue_t) + 2 * (size_t)n * sizeof(int);
	errs_at = (errs_at + _Alignof(err_t) - 1) / _Alignof(err_t) * _Alignof(err_t);
	size_t bytes = errs_at + (size_t)n * sizeof(err_t);
	void *shared = MAP_FAILED;
	if (rc == 0) {
		shared =
		    mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		if (shared == MAP_FAILED)
			rc = err_set(err, wbdir, 0,
			             "cannot share memory with the workbook writers: %s",
			             strerror(errno));
	}
	if (rc == 0) {
		job_t j = {.ind = ind,
		           .tasks = tasks,
		           .dir = dir,
		           .wbdir = wbdir,
		           .q = shared,
		           .progress = progress};
		j.q->n = n;
		int *order = j.q->slots;
		j.rc = order + n;
		j.errs = (err_t *)(void *)((char *)shared + errs_at);
		int64_t *size = xmalloc((size_t)n * sizeof *size);
		workbook_sizes(ind, tasks, size);
		for (int i = 0; i < n; i++) {
			j.rc[i] = 1;
			int k = i; /* insertion by size, largest first; ties in file order */
			while (k > 0 && size[order[k - 1]] < size[i]) {
				order[k] = order[k - 1];
				k--;
			}
			order[k] = i;
		}
		free(size);
		int nproc = jobs < 1 ? 1 : jobs > n ? n : jobs;
		char why[64];
		run_writers(&j, nproc, why, sizeof why);
		if (progress)
			fputc('\n', stderr);
		/* The first failure in file order, so the message does not depend on timing. */
		for (int i = 0; i < n && rc == 0; i++) {
			if (j.rc[i] == 0)
				continue;
			if (j.rc[i] == 1) { /* its writer died before saying anything */
				char *path = path_join(dir, workbook_path(ind, i, rel, sizeof rel));
				err_set(&j.errs[i], path, 0,
				        "the process writing it ended abnormally (%s)",
				        why[0] ? why : "unknown");
				free(path);
			}
			if (err)
				*err = j.errs[i];
			rc = -1;
		}
	}
	if (shared != MAP_FAILED)
		munmap(shared, bytes);
	free(wbdir);
	return rc == 0 ? n : -1;
}

int workbook_write_union(const indicators_t *ind, const char *dir, err_t *err)
{
	char rel[OUTTREE_PATH_MAX], wbdir[OUTTREE_PATH_MAX];
	char *path = path_join(
	    dir, outtree_path(rel, sizeof rel, OUTTREE_SUMMARY_WORKBOOK, ind->month, NULL));
	char *tmp =
	    path_join(dir, outtree_dir(wbdir, sizeof wbdir, OUTTREE_SUMMARY_WORKBOOK, ind->month));
	int rc = write_one(ind, NULL, -1, true, path, tmp, dir, err);
	free(path);
	free(tmp);
	return rc;
}
