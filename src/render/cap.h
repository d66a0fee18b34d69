/* cap.h — how much of a long list a bounded output shows inline (dossier tables, quality page,
 * 数据质量 sheets), so that no valid archive is too large for a page or a worksheet. */
#ifndef CUNDANG_CAP_H
#define CUNDANG_CAP_H

#include <stdint.h>

/* Rows a village dossier shows inline: household table, each follow-up list, its findings.
 * The full lists are in the branch workbook (户表) and data/findings-YYYY-MM.csv. */
#define CAP_DOSSIER_HOUSEHOLDS 2000
#define CAP_DOSSIER_FOLLOWUPS 1000
#define CAP_DOSSIER_FINDINGS 200
/* Rows a manager's page shows of each work list; the tasks workbook holds them all. */
#define CAP_MANAGER_LIST 1000
/* Managers of a branch with a sheet of their own in the tasks workbook; those past it share
 * one (libxlsxwriter keeps a file open per sheet while it writes in constant-memory mode). */
#define CAP_TASK_SHEETS 250
/* Findings quality.html lists of each village and code, and on the whole page (given out in
 * the page's order: a group past it shows its count alone); the counts cover all of them. */
#define CAP_QUALITY_PER_GROUP 50
#define CAP_QUALITY_ROWS 1500
/* Findings past which the summary workbook is written in constant-memory mode too. */
#define CAP_SUMMARY_IN_MEMORY 100000
/* Rows of an Excel worksheet (1,048,576), the header and the closing note included. */
#define CAP_EXCEL_ROWS 1048576

/* The first cap_shown(total, cap) of total items are shown; cap_more() are not. */
int64_t cap_shown(int64_t total, int64_t cap);
int64_t cap_more(int64_t total, int64_t cap);

/* The data rows of a worksheet table whose header is on 0-based row header_row that fit
 * below it: all of total when they fit in the sheet, else as many as leave the last row of
 * the sheet for the note saying how many more there are. */
int64_t cap_sheet_rows(int64_t total, int64_t header_row);

#endif
