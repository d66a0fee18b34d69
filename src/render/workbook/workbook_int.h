/* workbook_int.h — what workbook.c (files and writer processes) hands workbook_sheets.c (what
 * each sheet holds): one workbook of the indicators. Internal to the workbook module. */
#ifndef CUNDANG_WORKBOOK_INT_H
#define CUNDANG_WORKBOOK_INT_H

#include "compute/indicators.h"
#include "compute/tasks.h"
#include "outtree.h"
#include "render/workbook/wb_writer.h"

/* One workbook of the indicators being written: the cell writer's state and what it shows. */
typedef struct {
	wb_t w;
	const indicators_t *ind;
	const tasks_t *tasks; /* the work lists, for a tasks workbook */
	int b;                /* position in ind->branches; -1 for the summary workbook */
	bool is_union; /* a union's summary (cundang rollup): 汇总 and 趋势 only, no funnel image */
	const char *dir;                     /* the (staging) output, where the funnel PNGs are */
	char findings_csv[OUTTREE_PATH_MAX]; /* site-relative path of the month's findings CSV */
} wb_book_t;

/* Writes every sheet of k (summary: seven; branch: nine, 指标说明 last; a union's: two) through the
 * cell writer. */
void wb_write_sheets(wb_book_t *k);
/* Writes the 指标说明 sheet (workbook_guide.c): formulas, thresholds, weights, rules, terms. */
void wb_write_guide(wb_book_t *k);
/* Writes the sheets of branch k->b's tasks workbook (workbook_tasks.c): 客户经理, then one per
 * manager. */
void wb_write_tasks(wb_book_t *k);

#endif
