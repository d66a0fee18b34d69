/* rows.h — turns one households.csv or one loan ledger file into rows and pending findings
 * (SPEC §3–5). Row checks that need other files (duplicates, links) happen in archive.c. */
#ifndef CUNDANG_ROWS_H
#define CUNDANG_ROWS_H

#include "model.h"

/* A finding before merging: it may still be dropped with its row. */
typedef struct {
	int row; /* index in rows_t.households/loans, or -1 (file-level, dropped row) */
	int line;
	int col; /* header position, for ordering within a line */
	int seq; /* insertion order, for a stable sort */
	severity_t severity;
	const char *code;
	const char *column;       /* header as written, or NULL */
	const char *column_label; /* its Chinese name (finding_t.column_label), or NULL */
	const char *message;
	/* A dropped row (row < 0): its own key as written (household_id of a households row,
	 * loan_id of a loan row) and, for a loan, its household_id; NULL when empty. A kept
	 * row's keys are read from the row. */
	const char *record_id;
	const char *household_id;
	unsigned keeps : 1; /* shown even though its row is dropped (it is the reason) */
	unsigned in_md : 1; /* about village.md rather than the CSV */
} pending_t;

typedef struct {
	household_t *households;
	int nhouseholds;
	size_t caph;
	loan_t *loans;
	int nloans;
	size_t capl;
	const char **loan_household_ids; /* parallel to loans: the household_id as written */
	pending_t *pending;
	int npending;
	size_t capp;
	int col_household;            /* header position of household_id (loans) */
	const char *household_header; /* that header as written */
	arena_t arena;                /* owns every string above */
} rows_t;

/* Parse one file into r (zeroed by the caller). `path` is opened; `rel` is the
 * archive-relative name used in findings and messages. Returns 0, or -1 with err for a
 * fatal problem (no header, a required column missing, unreadable CSV). */
int rows_read_households(const char *path, const char *rel, rows_t *r, err_t *err);
int rows_read_loans(const char *path, const char *rel, rows_t *r, err_t *err);

/* Appends a pending finding; the message is formatted into r's arena. Returns it so the
 * caller may set flags. */
pending_t *rows_pending_add(rows_t *r, int row, int line, int col, severity_t sev, const char *code,
                            const char *column, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* A record key (household_id, loan_id) as a finding shows it: a copy in a with its ID and
 * mobile numbers masked, as a message's quoted values are (a shifted export may put one
 * there); NULL for NULL or "". */
const char *rows_key(arena_t *a, const char *v);

void rows_free(rows_t *r);

#endif
