/* outtree.h — the one owner of the output tree of SPEC §7: every file and folder name a build
 * writes, the links between pages, the marker and the staging names; nothing else spells one. */
#ifndef CUNDANG_OUTTREE_H
#define CUNDANG_OUTTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* The files of an output. month is yyyymm for the files of a month; code is a branch's or a
 * village's code for the files of one, and NULL for the bank's charts. */
typedef enum {
	OUTTREE_INDEX,        /* index.html */
	OUTTREE_QUALITY,      /* quality.html */
	OUTTREE_VILLAGE_LIST, /* villages.html, every village of the selection, searchable */
	OUTTREE_GUIDE,   /* guide.html, 指标说明: formulas, thresholds, score and verdict */
	OUTTREE_BRANCH,  /* branches/<code>.html */
	OUTTREE_VILLAGE, /* villages/<code>.html */
	OUTTREE_REPORT,  /* reports/YYYY-MM/index.html, the bank's report */
	OUTTREE_BRANCH_REPORT,    /* reports/YYYY-MM/<code>.html */
	OUTTREE_SUMMARY_WORKBOOK, /* workbooks/YYYY-MM/summary.xlsx */
	OUTTREE_BRANCH_WORKBOOK,  /* workbooks/YYYY-MM/<code>.xlsx */
	OUTTREE_FUNNEL_PNG,       /* charts/<code>-funnel.png, charts/bank-funnel.png */
	OUTTREE_TREND_PNG,        /* charts/bank-trend.png */
	OUTTREE_BARS_PNG,         /* charts/<code>-bars.png, charts/bank-bars.png */
	OUTTREE_DATA,             /* data/indicators-YYYY-MM.json */
	OUTTREE_FINDINGS,         /* data/findings-YYYY-MM.csv */
	OUTTREE_MANAGER,          /* managers/<branch>/<key>.html; code from outtree_manager_code */
	OUTTREE_TASKS_WORKBOOK,   /* tasks/YYYY-MM/<branch>.xlsx, the branch's work lists */
	OUTTREE_MARKER,           /* .cundang, which marks a folder as a cundang output */
	/* The private outputs of cundang letters and cundang mail (SPEC §2), in their own -o
	 * folders, never in a site. */
	OUTTREE_LETTER,    /* <village>.pdf */
	OUTTREE_MAIL,      /* YYYY-MM/<branch>.eml */
	OUTTREE_MAIL_BANK, /* YYYY-MM/summary.eml, for headquarters */
	OUTTREE_SENT_LOG,  /* YYYY-MM/sent.log */
	OUTTREE_NFILES
} outtree_file_t;

/* Longest path outtree_path writes for a code of up to 255 bytes. */
#define OUTTREE_PATH_MAX 320

/* The code of a manager's page, "<branch>/<key>" (both already safe names: a branch code and a
 * key of tasks.h), into buf; returns buf. */
char *outtree_manager_code(char *buf, size_t n, const char *branch, const char *key);

/* The folder (output-relative) of branch's manager pages into buf; returns buf. */
char *outtree_manager_dir(char *buf, size_t n, const char *branch);

/* The output-relative path of file f into buf (n bytes); returns buf. */
char *outtree_path(char *buf, size_t n, outtree_file_t f, int32_t month, const char *code);

/* The relative link from page `from` (an .html kind) to file f into buf; returns buf. */
char *outtree_link(char *buf, size_t n, outtree_file_t from, outtree_file_t f, int32_t month,
                   const char *code);

/* The relative link from page `from` to file f of another output, whose folder is dir relative
 * to this output's root (a union's member bank: "../hb/", ending in '/', already URL-encoded),
 * into buf; returns buf. */
char *outtree_link_other(char *buf, size_t n, outtree_file_t from, const char *dir,
                         outtree_file_t f, int32_t month);

/* The relative prefix from page `from` to the output's root: "", "../" or "../../". */
const char *outtree_root(outtree_file_t from);

/* Makes under dir every folder of a build of month (branches/, villages/, reports/YYYY-MM/,
 * workbooks/YYYY-MM/, tasks/YYYY-MM/, managers/, charts/, data/). Returns 0 or -1 with err naming
 * the folder. */
int outtree_make_dirs(const char *dir, int32_t month, err_t *err);

/* The same for a union of cundang rollup: reports/YYYY-MM/, workbooks/YYYY-MM/, data/. */
int outtree_make_union_dirs(const char *dir, int32_t month, err_t *err);

/* Makes dir/rel and its missing parents below dir (rel is a folder outtree_dir named).
 * Returns 0 or -1 with errno set. */
int outtree_make_dir(const char *dir, const char *rel);

/* The folder (output-relative, "" for the root) that holds file f of month into buf. */
char *outtree_dir(char *buf, size_t n, outtree_file_t f, int32_t month);

/* Whether name, an entry of f's folder, is a file of kind f; for a kind of one branch or
 * village its code is copied into code (n bytes). A bank file's name also reads as a code
 * of the per-branch kind beside it, so callers try the bank kind first. */
bool outtree_match(outtree_file_t f, const char *name, char *code, size_t n);

/* The top folders whose entries name a month (reports/, workbooks/, tasks/, data/),
 * NULL-ended. */
extern const char *const outtree_month_tops[];

/* The month an entry of one of outtree_month_tops names ("2026-09", "indicators-2026-09.json",
 * "findings-2026-09.csv"), into *ym; false when it names none. */
bool outtree_month_entry(const char *name, int32_t *ym);

/* The mkdtemp template of a staging folder beside the output parent/base (old: the folder the
 * old output is moved to while the new one is swapped in). Returns buf. */
char *outtree_staging(char *buf, size_t n, const char *parent, const char *base, bool old);

/* Whether a branch's code (branch true) or a village's would name one of its files as a file
 * of the bank's already is, ignoring case (a branch `summary` would write the summary
 * workbook, `index` the bank's report, `bank` the bank's charts); why then gets the bank's
 * file ("workbooks/YYYY-MM/summary.xlsx"). Codes unique ignoring case and none reserved make
 * every path of a build distinct on any file system: the kinds' names differ by folder or
 * by suffix otherwise. */
bool outtree_code_reserved(bool branch, const char *code, char *why, size_t n);

/* The lock file beside the output parent/base that a build holds while it writes. */
char *outtree_lock(char *buf, size_t n, const char *parent, const char *base);

/* What name, an entry of the output's parent, is to the output base: 1 a staging folder
 * (.<base>.new-*), 2 an old output moved aside for the swap (.<base>.old-*), 0 neither. */
int outtree_leftover(const char *base, const char *name);

#endif
