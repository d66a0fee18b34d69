/* model.h — the archive as read and validated: site configuration, villages, households,
 * loans and data-quality findings. Readers fill it; indicators and renderers only read it. */
#ifndef CUNDANG_MODEL_H
#define CUNDANG_MODEL_H

/* The manager of a household whose manager field is empty (SPEC §6: grouped as 未分配). */
#define MODEL_UNASSIGNED "未分配"

#include <stdbool.h>
#include <stdint.h>

#include "util.h"
#include "vocab.h"
#include "read/value.h"

/* ---- site.yaml ---- */
typedef struct {
	char *code, *name;
	int64_t target_granted; /* 0 when absent */
	bool has_target;
	char *address, *phone; /* printed on letters (SPEC §8); NULL when absent */
} branch_t;

typedef struct {
	char *key; /* as in site.yaml, e.g. "visit_rate" */
	rate_t rate;
	bool is_max; /* true: `max` threshold; false: `min` */
	double threshold;
	double weight;
} indicator_rule_t;

typedef struct {
	char *key, *label;
	double weight;
	bool required; /* default true */
} check_rule_t;

typedef struct {
	char *bank;
	int32_t month; /* yyyymm from site.yaml, 0 when absent */
	branch_t *branches;
	int nbranches;
	double pass_score;
	indicator_rule_t *indicators;
	int nindicators;
	check_rule_t *checks;
	int nchecks;
	bool mask_workbooks;     /* default true */
	int letters_valid_years; /* letters.valid_years, default 3 */
	char *letters_hotline;   /* letters.hotline, NULL when absent */
} site_t;

/* ---- village.md ---- */
typedef struct {
	char *name, *role, *phone;
} key_person_t;

typedef struct {
	char *code; /* folder name, validated [A-Za-z0-9_-]{1,64} */
	char *name, *township;
	int branch;               /* index into site.branches */
	char grade;               /* 'A', 'B' or 'C' */
	int64_t households_total; /* -1 when absent */
	int64_t population;       /* -1 when absent */
	char **industries;
	int nindustries;
	int32_t launched_on; /* yyyymmdd, 0 when absent */
	key_person_t *key_persons;
	int nkey_persons;
	bool *checks;        /* one per site.checks, true when ticked */
	char *narrative;     /* Markdown after the front matter */
	int first_household; /* range in model.households */
	int nhouseholds;
	int households_total_line; /* line of households_total in village.md, 0 when absent */
} village_t;

/* ---- rows ---- */
typedef struct {
	const char *id, *name, *id_number, *phone, *grid, *manager, *negative_reason;
	int village;     /* index into model.villages */
	int manager_idx; /* index into model.managers */
	int line;        /* CSV record line in its file */
	segment_t segment;
	bool migrant, id_valid;
	int32_t members;                                        /* -1 when empty or invalid */
	int32_t visited_on, archived_on, granted_on, signed_on; /* yyyymmdd, 0 = empty */
	int64_t credit_line;                                    /* fen */
	int first_loan, nloans;                                 /* range in model.loan_order */
} household_t;

typedef struct {
	const char *id, *product;
	int household; /* index into model.households */
	int file;      /* index into model.loan_files */
	int line;
	int32_t disbursed_on, due_on, settled_on;
	int64_t amount, balance; /* fen */
	int32_t overdue_days;
	bool online;
} loan_t;

/* ---- findings (SPEC §5) ---- */
typedef struct {
	const char *file;   /* archive-relative path, e.g. "villages/HB01/households.csv" */
	int line;           /* 0 when the finding is about the whole file */
	const char *column; /* header as written in the file, or NULL */
	/* The column by its Chinese name (vocab.h: "身份证号" for a header id_number), or as
	 * written when cundang does not know it (unknown_column); NULL with column. */
	const char *column_label;
	severity_t severity;
	const char *code; /* stable code, e.g. "duplicate_household" */
	const char *message;
	int village; /* village the finding belongs to, or -1 */
	/* The record's keys as written, so staff can find it: the 户号 (of a households row, or
	 * the household_id of a loan row) and the 借据号 of a loan row; NULL when the row has none
	 * or the finding is about the whole file. ID and mobile numbers in them are masked, as in
	 * messages. */
	const char *household_id, *loan_id;
} finding_t;

typedef struct {
	site_t site;
	village_t *villages;
	int nvillages;
	household_t *households;
	int nhouseholds;
	loan_t *loans;
	int nloans;
	int *loan_order;   /* loan indices grouped by household (see household_t) */
	char **loan_files; /* archive-relative names */
	int nloan_files;
	char **managers; /* distinct manager names, bytewise order; MODEL_UNASSIGNED for empty */
	int nmanagers;
	finding_t *findings;
	int nfindings;
	arena_t arena; /* owns every string of rows and findings */
} model_t;

void model_free(model_t *m);

#endif
