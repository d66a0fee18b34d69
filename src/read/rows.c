/* rows.c — header matching (English and Chinese aliases) and the per-row rules of SPEC §4–5
 * for households.csv and the loan ledger. Each file is read by one thread into its rows_t. */
#include "read/rows.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "read/csvfile.h"
#include "format.h"

/* ---- columns ---- */

/* A column as vocab.c names it, and whether a file must have it. */
typedef struct {
	const vocab_column_t *col;
	int required;
} column_t;

static const column_t household_columns[HC_COUNT] = {
    {&vocab_hh_column[HC_ID], 1},       {&vocab_hh_column[HC_NAME], 1},
    {&vocab_hh_column[HC_IDNUM], 1},    {&vocab_hh_column[HC_PHONE], 0},
    {&vocab_hh_column[HC_SEGMENT], 0},  {&vocab_hh_column[HC_GRID], 0},
    {&vocab_hh_column[HC_MANAGER], 0},  {&vocab_hh_column[HC_MEMBERS], 0},
    {&vocab_hh_column[HC_MIGRANT], 0},  {&vocab_hh_column[HC_VISITED], 0},
    {&vocab_hh_column[HC_ARCHIVED], 0}, {&vocab_hh_column[HC_NEGATIVE], 0},
    {&vocab_hh_column[HC_CREDIT], 0},   {&vocab_hh_column[HC_GRANTED], 0},
    {&vocab_hh_column[HC_SIGNED], 0},
};

static const column_t loan_columns[LC_COUNT] = {
    {&vocab_loan_column[LC_ID], 1},        {&vocab_loan_column[LC_HOUSEHOLD], 1},
    {&vocab_loan_column[LC_PRODUCT], 0},   {&vocab_loan_column[LC_AMOUNT], 1},
    {&vocab_loan_column[LC_DISBURSED], 1}, {&vocab_loan_column[LC_DUE], 0},
    {&vocab_loan_column[LC_SETTLED], 0},   {&vocab_loan_column[LC_BALANCE], 1},
    {&vocab_loan_column[LC_OVERDUE], 0},   {&vocab_loan_column[LC_CHANNEL], 0},
};

/* Per-file reading state shared by both kinds of file. */
typedef struct {
	const char *path; /* as opened, for fatal messages */
	const char *rel;  /* archive-relative, for findings */
	const column_t *cols;
	int ncols;
	int pos[HC_COUNT];            /* header position of each column, or -1 */
	const char *header[HC_COUNT]; /* header text as written (arena) */
	int have_header;
	const char **head; /* the header line's trimmed fields (arena), to spot it repeated */
	size_t nhead;
	rows_t *r;
	int is_loans;
	/* The keys of the record being read, or NULL: its own id (household_id of a households
	 * row, loan_id of a loan row) and a loan's household_id. */
	const char *rid, *hid;
} file_t;

/* A column's name in a finding's message: its Chinese name whatever the file's header says,
 * so that messages read the same for every export (the finding's column field keeps the
 * header as written, for finding the cell). */
static const char *col_name(const file_t *f, int k)
{
	return f->cols[k].col->cn[0];
}

static int match_column(const file_t *f, const char *h)
{
	for (int k = 0; k < f->ncols; k++) {
		const column_t *c = &f->cols[k];
		if (!strcasecmp(h, c->col->key))
			return k;
		for (int a = 0; a < 2 && c->col->cn[a]; a++)
			if (!strcmp(h, c->col->cn[a]))
				return k;
	}
	return -1;
}

static int read_header(file_t *f, const csv_record_t *rec, err_t *err)
{
	rows_t *r = f->r;
	for (int k = 0; k < f->ncols; k++)
		f->pos[k] = -1;
	buf_t unknown = {0};
	const char *first_unknown = NULL;
	int nunknown = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		const char *h = rec->fields[i];
		int k = match_column(f, h);
		if (k < 0) {
			if (!h[0])
				continue; /* an empty header cell names nothing */
			if (nunknown++)
				buf_adds(&unknown, ", ");
			buf_adds(&unknown, h);
			if (!first_unknown)
				first_unknown = arena_strdup(&r->arena, h);
			continue;
		}
		if (f->pos[k] >= 0) {
			buf_free(&unknown);
			return err_set(err, f->path, rec->line,
			               "columns %d and %zu both mean %s; keep one of them",
			               f->pos[k] + 1, i + 1, f->cols[k].col->key);
		}
		f->pos[k] = (int)i;
		f->header[k] = arena_strdup(&r->arena, h);
	}
	for (int k = 0; k < f->ncols; k++) {
		if (f->cols[k].required && f->pos[k] < 0) {
			buf_free(&unknown);
			return err_set(err, f->path, rec->line,
			               "required column %s (%s) is missing from the header",
			               f->cols[k].col->key, f->cols[k].col->cn[0]);
		}
	}
	if (nunknown)
		rows_pending_add(r, -1, rec->line, -1, SEV_WARNING, "unknown_column", first_unknown,
		                 "未知列已忽略：%s", unknown.data)
		    ->column_label = first_unknown; /* a column cundang has no name for */
	buf_free(&unknown);
	f->head = arena_alloc(&r->arena, (rec->nfields + 1) * sizeof *f->head);
	for (size_t i = 0; i < rec->nfields; i++)
		f->head[i] = arena_strdup(&r->arena, rec->fields[i]);
	f->nhead = rec->nfields;
	f->have_header = 1;
	return 0;
}

/* Two exports pasted together repeat the header line; read as data it would be a household
 * or loan with a finding per column. Such a record is skipped with one warning. */
static int repeated_header(file_t *f, const csv_record_t *rec)
{
	if (rec->nfields != f->nhead)
		return 0;
	for (size_t i = 0; i < rec->nfields; i++)
		if (strcmp(rec->fields[i], f->head[i]) != 0)
			return 0;
	rows_pending_add(f->r, -1, rec->line, -1, SEV_WARNING, "repeated_header", NULL,
	                 "此行与表头相同（两份导出拼接在一起？），已跳过");
	return 1;
}

/* The trimmed value of column k in rec ("" when the column is absent or the row short). */
static const char *field(const file_t *f, const csv_record_t *rec, int k)
{
	int p = f->pos[k];
	return p >= 0 && (size_t)p < rec->nfields ? rec->fields[p] : "";
}

/* Column k of rec copied into the file's arena (its length is known: no strlen), or NULL
 * when it is empty. */
static char *copy_field(file_t *f, const csv_record_t *rec, int k)
{
	int p = f->pos[k];
	if (p < 0 || (size_t)p >= rec->nfields || rec->lens[p] == 0)
		return NULL;
	return arena_strndup(&f->r->arena, rec->fields[p], rec->lens[p]);
}

/* Copies at most 40 bytes of v for a message, cut on a UTF-8 character boundary, with ID and
 * phone numbers masked. A value in the wrong column (a shifted export) may be someone's ID
 * or phone number, and messages are shown on every page. Masked first, then cut: a number
 * cut in two would no longer be recognised, and its first 17 digits give the 18th. */
static const char *quote_value(rows_t *r, const char *v)
{
	char *s = arena_strdup(&r->arena, v);
	format_mask_numbers(s);
	size_t n = strlen(s);
	if (n > 40) {
		n = 40;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		memcpy(s + n, "...", 4); /* n + 4 ≤ 41 ≤ the copy's size */
	}
	return s;
}

/* A free-text field kept for the pages, workbooks, JSON and findings (grid, manager,
 * negative_reason, product): its ID and mobile numbers are masked as it is read, so that no
 * output, however it shows the text, can carry them in full (SPEC §7; a shifted export puts
 * them in any column). */
static const char *keep_text(file_t *f, const csv_record_t *rec, int k)
{
	char *s = copy_field(f, rec, k);
	if (!s)
		return "";
	format_mask_numbers(s);
	return s;
}

const char *rows_key(arena_t *a, const char *v)
{
	if (!v || !v[0])
		return NULL;
	char *s = arena_strdup(a, v);
	format_mask_numbers(s);
	return s;
}

static pending_t *finding(file_t *f, int row, int line, int k, severity_t sev, const char *code,
                          const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* A finding about column k (or the row when k < 0) of the record at line. A finding about
 * a dropped row (row < 0) keeps the row's keys, for the staff to find it and, for a loan,
 * so archive.c can attribute it to its household's village. */
static pending_t *finding(file_t *f, int row, int line, int k, severity_t sev, const char *code,
                          const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	pending_t *p = rows_pending_add(f->r, row, line, k >= 0 ? f->pos[k] : -1, sev, code,
	                                k >= 0 ? f->header[k] : NULL, "%s", msg);
	p->column_label = k >= 0 ? col_name(f, k) : NULL;
	if (row < 0) {
		p->record_id = rows_key(&f->r->arena, f->rid);
		if (f->hid && f->hid[0])
			p->household_id = arena_strdup(&f->r->arena, f->hid);
	}
	return p;
}

static int32_t read_date(file_t *f, const csv_record_t *rec, int row, int k)
{
	const char *v = field(f, rec, k);
	int32_t d = 0;
	if (value_parse_date(v, &d) == VALUE_INVALID) {
		finding(f, row, rec->line, k, SEV_ERROR, "invalid_date",
		        "%s：无法识别的日期“%s”（按空值处理）", col_name(f, k),
		        quote_value(f->r, v));
		return 0;
	}
	return d;
}

static int64_t read_amount(file_t *f, const csv_record_t *rec, int row, int k)
{
	const char *v = field(f, rec, k);
	int64_t fen = 0;
	if (value_parse_amount(v, &fen) == VALUE_INVALID) {
		finding(f, row, rec->line, k, SEV_ERROR, "invalid_amount",
		        "%s：无法识别的金额“%s”（按空值处理）", col_name(f, k),
		        quote_value(f->r, v));
		return 0;
	}
	return fen;
}

static int64_t read_int(file_t *f, const csv_record_t *rec, int row, int k, int64_t empty)
{
	const char *v = field(f, rec, k);
	int64_t n = empty;
	value_status_t st = value_parse_int(v, &n);
	if (st == VALUE_INVALID) {
		finding(f, row, rec->line, k, SEV_ERROR, "invalid_integer",
		        "%s：无法识别的整数“%s”（按空值处理）", col_name(f, k),
		        quote_value(f->r, v));
		return empty;
	}
	return st == VALUE_OK ? n : empty;
}

static const char *keep(file_t *f, const csv_record_t *rec, int k)
{
	char *s = copy_field(f, rec, k);
	return s ? s : "";
}

/* Why an ID number fails GB 11643, for the message (never echoing the number). */
static const char *id_problem(const char *s)
{
	size_t n = strlen(s);
	if (n != 18)
		return "长度不是18位";
	for (int i = 0; i < 17; i++)
		if (s[i] < '0' || s[i] > '9')
			return "前17位须为数字，末位为数字或X";
	int y = (s[6] - '0') * 1000 + (s[7] - '0') * 100 + (s[8] - '0') * 10 + (s[9] - '0');
	int mo = (s[10] - '0') * 10 + (s[11] - '0');
	int d = (s[12] - '0') * 10 + (s[13] - '0');
	if (y < 1900 || y > 2999 || !value_is_real_date(y, mo, d))
		return "出生日期无效";
	return "校验码不符";
}

/* One households record after the header; f->rid is its household_id meanwhile. */
static void household_row(file_t *f, const csv_record_t *rec)
{
	rows_t *r = f->r;
	const char *id = field(f, rec, HC_ID), *name = field(f, rec, HC_NAME);
	if (!id[0] || !name[0]) {
		int k = !id[0] ? HC_ID : HC_NAME;
		finding(f, -1, rec->line, k, SEV_ERROR, "missing_value", "%s为空，该行已剔除",
		        col_name(f, k));
		return;
	}
	xgrow((void **)&r->households, &r->caph, (size_t)r->nhouseholds + 1, sizeof *r->households);
	int row = r->nhouseholds;
	household_t *h = &r->households[row];
	memset(h, 0, sizeof *h);
	h->line = rec->line;
	h->id = copy_field(f, rec, HC_ID);
	h->name = copy_field(f, rec, HC_NAME);
	h->id_number = keep(f, rec, HC_IDNUM);
	value_status_t st = value_check_id(h->id_number);
	h->id_valid = st == VALUE_OK;
	if (st == VALUE_EMPTY)
		finding(f, row, rec->line, HC_IDNUM, SEV_ERROR, "missing_id_number", "%s为空",
		        col_name(f, HC_IDNUM));
	else if (st == VALUE_INVALID)
		finding(f, row, rec->line, HC_IDNUM, SEV_ERROR, "invalid_id_number",
		        "%s不是有效的居民身份证号码（%s）", col_name(f, HC_IDNUM),
		        id_problem(h->id_number));
	h->phone = keep(f, rec, HC_PHONE);
	const char *seg = field(f, rec, HC_SEGMENT);
	if (value_parse_segment(seg, &h->segment) == VALUE_INVALID)
		finding(f, row, rec->line, HC_SEGMENT, SEV_WARNING, "unknown_segment",
		        "未知客群“%s”（计入其他）", quote_value(r, seg));
	h->grid = keep_text(f, rec, HC_GRID);
	h->manager = keep_text(f, rec, HC_MANAGER);
	h->members = (int32_t)read_int(f, rec, row, HC_MEMBERS, -1);
	const char *mig = field(f, rec, HC_MIGRANT);
	if (value_parse_bool(mig, &h->migrant) == VALUE_INVALID)
		finding(f, row, rec->line, HC_MIGRANT, SEV_ERROR, "invalid_boolean",
		        "%s：无法识别的是/否“%s”（按空值处理）", col_name(f, HC_MIGRANT),
		        quote_value(r, mig));
	h->visited_on = read_date(f, rec, row, HC_VISITED);
	h->archived_on = read_date(f, rec, row, HC_ARCHIVED);
	h->negative_reason = keep_text(f, rec, HC_NEGATIVE);
	h->credit_line = read_amount(f, rec, row, HC_CREDIT);
	h->granted_on = read_date(f, rec, row, HC_GRANTED);
	h->signed_on = read_date(f, rec, row, HC_SIGNED);

	/* Warnings, judged on the row as written (no as-of date). */
	int negative = h->negative_reason[0] != '\0';
	int granted = !negative && h->credit_line > 0 && h->granted_on;
	if (negative && h->credit_line > 0)
		finding(f, row, rec->line, HC_CREDIT, SEV_WARNING, "negative_with_credit",
		        "负面清单户有授信额度（不计入已授信）");
	else if (h->credit_line > 0 && !h->granted_on)
		finding(f, row, rec->line, HC_CREDIT, SEV_WARNING, "credit_without_grant_date",
		        "有授信额度但缺少%s（不计入已授信）", col_name(f, HC_GRANTED));
	if (h->signed_on && !granted)
		finding(f, row, rec->line, HC_SIGNED, SEV_WARNING, "signed_without_grant",
		        "已填%s，但该户未获授信", col_name(f, HC_SIGNED));
	else if (h->signed_on && h->signed_on < h->granted_on)
		finding(f, row, rec->line, HC_SIGNED, SEV_WARNING, "signed_before_grant",
		        "%s %04d-%02d-%02d 早于授信日期 %04d-%02d-%02d", col_name(f, HC_SIGNED),
		        h->signed_on / 10000, h->signed_on / 100 % 100, h->signed_on % 100,
		        h->granted_on / 10000, h->granted_on / 100 % 100, h->granted_on % 100);
	r->nhouseholds++;
}

static int on_household(const csv_record_t *rec, void *ctx, err_t *err)
{
	file_t *f = ctx;
	if (!f->have_header)
		return read_header(f, rec, err);
	if (repeated_header(f, rec))
		return 0;
	f->rid = field(f, rec, HC_ID);
	household_row(f, rec);
	f->rid = NULL;
	return 0;
}

/* One loan record after the header; f->hid is its household_id meanwhile. */
static void loan_row(file_t *f, const csv_record_t *rec)
{
	rows_t *r = f->r;
	const char *id = field(f, rec, LC_ID), *hid = field(f, rec, LC_HOUSEHOLD);
	if (!id[0] || !hid[0]) {
		int k = !id[0] ? LC_ID : LC_HOUSEHOLD;
		finding(f, -1, rec->line, k, SEV_ERROR, "missing_value", "%s为空，该行已剔除",
		        col_name(f, k));
		return;
	}
	const char *disb = field(f, rec, LC_DISBURSED);
	int32_t disbursed = 0;
	if (value_parse_date(disb, &disbursed) != VALUE_OK) {
		finding(f, -1, rec->line, LC_DISBURSED, SEV_ERROR, "invalid_disbursed_on",
		        disb[0] ? "%s：无法识别的日期“%s”，该行已剔除" : "%s为空%s，该行已剔除",
		        col_name(f, LC_DISBURSED), quote_value(r, disb));
		return;
	}
	size_t cap = r->capl;
	xgrow((void **)&r->loans, &r->capl, (size_t)r->nloans + 1, sizeof *r->loans);
	if (r->capl != cap)
		r->loan_household_ids =
		    xrealloc(r->loan_household_ids, r->capl * sizeof *r->loan_household_ids);
	int row = r->nloans;
	loan_t *l = &r->loans[row];
	memset(l, 0, sizeof *l);
	l->line = rec->line;
	l->id = copy_field(f, rec, LC_ID);
	r->loan_household_ids[row] = copy_field(f, rec, LC_HOUSEHOLD);
	l->household = -1;
	l->product = keep_text(f, rec, LC_PRODUCT);
	l->amount = read_amount(f, rec, row, LC_AMOUNT);
	l->disbursed_on = disbursed;
	l->due_on = read_date(f, rec, row, LC_DUE);
	l->settled_on = read_date(f, rec, row, LC_SETTLED);
	l->balance = read_amount(f, rec, row, LC_BALANCE);
	l->overdue_days = (int32_t)read_int(f, rec, row, LC_OVERDUE, 0);
	l->online = value_is_online(field(f, rec, LC_CHANNEL));
	if (l->balance > l->amount)
		finding(f, row, rec->line, LC_BALANCE, SEV_WARNING, "balance_exceeds_amount",
		        "%s大于%s", col_name(f, LC_BALANCE), col_name(f, LC_AMOUNT));
	r->nloans++;
}

static int on_loan(const csv_record_t *rec, void *ctx, err_t *err)
{
	file_t *f = ctx;
	if (!f->have_header) {
		if (read_header(f, rec, err) != 0)
			return -1;
		f->r->col_household = f->pos[LC_HOUSEHOLD];
		f->r->household_header = f->header[LC_HOUSEHOLD];
		return 0;
	}
	if (repeated_header(f, rec))
		return 0;
	f->rid = field(f, rec, LC_ID);
	f->hid = field(f, rec, LC_HOUSEHOLD);
	loan_row(f, rec);
	f->rid = f->hid = NULL;
	return 0;
}

static int read_file(const char *path, const char *rel, rows_t *r, int is_loans, err_t *err)
{
	file_t f;
	memset(&f, 0, sizeof f);
	f.path = path;
	f.rel = rel;
	f.r = r;
	f.is_loans = is_loans;
	f.cols = is_loans ? loan_columns : household_columns;
	f.ncols = is_loans ? LC_COUNT : HC_COUNT;
	if (csvfile_read(path, path, is_loans ? on_loan : on_household, &f, err) != 0)
		return -1;
	if (!f.have_header)
		return err_set(err, path, 0, "no header line (the file is empty)");
	return 0;
}

int rows_read_households(const char *path, const char *rel, rows_t *r, err_t *err)
{
	return read_file(path, rel, r, 0, err);
}

int rows_read_loans(const char *path, const char *rel, rows_t *r, err_t *err)
{
	return read_file(path, rel, r, 1, err);
}

pending_t *rows_pending_add(rows_t *r, int row, int line, int col, severity_t sev, const char *code,
                            const char *column, const char *fmt, ...)
{
	xgrow((void **)&r->pending, &r->capp, (size_t)r->npending + 1, sizeof *r->pending);
	pending_t *p = &r->pending[r->npending++];
	memset(p, 0, sizeof *p);
	buf_t b = {0};
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->row = row;
	p->line = line;
	p->col = col;
	p->severity = sev;
	p->code = code;
	p->column = column;
	p->message = arena_strndup(&r->arena, b.data ? b.data : "", b.len);
	buf_free(&b);
	return p;
}

void rows_free(rows_t *r)
{
	free(r->households);
	free(r->loans);
	free(r->loan_household_ids);
	free(r->pending);
	arena_free(&r->arena);
	memset(r, 0, sizeof *r);
}
