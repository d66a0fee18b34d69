/* findcsv.c — writes every finding as RFC 4180 CSV (CRLF, fields quoted when they hold a
 * comma, quote or line break) behind a UTF-8 BOM. */
#include "render/csv/findcsv.h"

#include <stdbool.h>
#include <string.h>

#include "vocab.h"

/* One field. A value Excel would read as a formula (=, +, -, @ first) gets a leading ' so
 * that it stays text: the messages quote what the archive holds. */
static void field(FILE *fp, const char *s)
{
	if (!s)
		s = "";
	bool formula = strchr("=+-@", s[0]) && s[0];
	bool quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', fp);
	if (formula)
		fputc('\'', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	if (quote)
		fputc('"', fp);
}

int findcsv_write(FILE *fp, const indicators_t *ind)
{
	const model_t *m = ind->model;
	fputs("\xEF\xBB\xBF文件,行号,列,级别,代码,说明,村代码\r\n", fp);
	for (int i = 0; i < m->nfindings; i++) {
		const finding_t *f = &m->findings[i];
		if (!indicators_finding_selected(ind, f))
			continue;
		field(fp, f->file);
		fputc(',', fp);
		if (f->line > 0)
			fprintf(fp, "%d", f->line);
		fputc(',', fp);
		field(fp, f->column);
		fputc(',', fp);
		field(fp, vocab_severity_label(f->severity));
		fputc(',', fp);
		field(fp, f->code);
		fputc(',', fp);
		field(fp, f->message);
		fputc(',', fp);
		field(fp, f->village >= 0 ? m->villages[f->village].code : "");
		fputs("\r\n", fp);
		if (ferror(fp))
			return -1;
	}
	return fflush(fp) == 0 && !ferror(fp) ? 0 : -1;
}
