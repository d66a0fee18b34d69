/* workbook.h — the Excel workbooks of SPEC §7 (workbooks/YYYY-MM/summary.xlsx and one per
 * branch), written with libxlsxwriter from the computed indicators: real numbers and dates,
 * SUM totals, native charts, the funnel PNG, print setup and byte-identical output. */
#ifndef CUNDANG_WORKBOOK_H
#define CUNDANG_WORKBOOK_H

#include "compute/indicators.h"
#include "compute/tasks.h"

/* Writes the summary workbook (bank and every selected branch) and one workbook for each
 * selected branch under dir, at the paths of outtree.h in the folders outtree_make_dirs made,
 * embedding the bank's and each branch's funnel PNG, which must have been written before
 * (sitecharts_png()).
 *
 * Sheets: 汇总, 村级指标, 验收, 客户经理, 趋势, 数据质量; a branch workbook adds 户表 (its
 * households, masked unless site.mask_workbooks is false) and 贷款 (their loans), written in
 * libxlsxwriter's constant_memory mode so no household is held in memory. Each branch also gets
 * its tasks workbook (tasks/YYYY-MM/<branch>.xlsx, workbook_tasks.c) from tasks: 客户经理, then
 * a sheet of work lists per manager, masked like 户表. Every figure is
 * read from ind; nothing is recomputed. The same ind gives the same bytes.
 *
 * Up to jobs workbooks are written at once (jobs < 1 counts as 1), by this process and
 * jobs - 1 forked ones, the largest workbooks first; libxlsxwriter's temporary files go into
 * the month's folder and are unlinked as soon as they are opened. With progress, a line
 * "workbooks k/n" on standard error counts them. Returns the number of workbooks written, or -1
 * with err (the files of a failed run may be left partly written; the caller discards the staging
 * tree). */
int workbook_write_all(const indicators_t *ind, const tasks_t *tasks, const char *dir, int jobs,
                       int progress, err_t *err);

/* The output-relative paths of the workbooks workbook_write_all writes, summary first, for
 * the pages to link to. Returns their number; the caller frees each path and the array. */
int workbook_paths(const indicators_t *ind, char ***paths);

/* Writes a union's summary workbook (cundang rollup, SPEC §8) under dir: 汇总, a row per member
 * bank (ind->branches) and the 合计 row of SUM formulas, and 趋势, the union's twelve months.
 * Returns 0, or -1 with err (nothing left half-written). */
int workbook_write_union(const indicators_t *ind, const char *dir, err_t *err);

#endif
