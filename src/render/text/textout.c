/* textout.c — the terminal outputs: findings as "file:line: severity: message (code)" and the
 * short table of `cundang stats`. Reads the computed indicators; formats only. */
#include "render/text/textout.h"

#include <math.h>
#include <string.h>

void textout_findings(FILE *fp, const char *input, const indicators_t *ind)
{
	const model_t *m = ind->model;
	for (int i = 0; i < m->nfindings; i++) {
		const finding_t *f = &m->findings[i];
		if (!indicators_finding_selected(ind, f))
			continue;
		const char *sev = vocab_severity_key(f->severity);
		const char *sep = input[0] && input[strlen(input) - 1] == '/' ? "" : "/";
		if (f->line > 0)
			fprintf(fp, "%s%s%s:%d: %s: %s (%s)\n", input, sep, f->file, f->line, sev,
			        f->message, f->code);
		else
			fprintf(fp, "%s%s%s: %s: %s (%s)\n", input, sep, f->file, sev, f->message,
			        f->code);
	}
}

static void pct(FILE *fp, double r)
{
	if (isnan(r))
		fprintf(fp, "%8s", "-");
	else
		fprintf(fp, "%7.1f%%", r * 100);
}

void textout_summary(FILE *fp, const indicators_t *ind)
{
	const site_t *site = &ind->model->site;
	fprintf(fp, "%s  %04d-%02d (as of %04d-%02d-%02d)\n", site->bank, ind->month / 100,
	        ind->month % 100, ind->as_of / 10000, ind->as_of / 100 % 100, ind->as_of % 100);
	fprintf(fp, "%-10s %9s %8s %8s %8s %8s %8s %8s\n", "branch", "households", "visit",
	        "archive", "cover", "signing", "usage", "passed");
	for (int i = -1; i < ind->nbranches; i++) {
		const figures_t *f = i < 0 ? &ind->bank : &ind->branches[i].f;
		const char *code = i < 0 ? "(bank)" : site->branches[ind->branches[i].branch].code;
		int passed = i < 0 ? ind->villages_passed : ind->branches[i].villages_passed;
		int total = i < 0 ? ind->villages_total : ind->branches[i].villages_total;
		fprintf(fp, "%-10s %9lld ", code, (long long)f->c.households_total);
		for (int r = RATE_VISIT; r <= RATE_USAGE; r++)
			pct(fp, f->rate[r]), fputc(' ', fp);
		fprintf(fp, "%4d/%-3d\n", passed, total);
	}
	fprintf(fp, "findings: %d errors, %d warnings\n", ind->errors, ind->warnings);
}
