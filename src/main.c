/* main.c — the command line of SPEC §2: parses arguments, calls one function per
 * subcommand and decides the exit status (0 ok, 1 findings with --strict, 2 input, 3 output). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/archive.h"
#include "build.h"
#include "mail.h"
#include "rollup.h"
#include "compute/indicators.h"
#include "render/json/indjson.h"
#include "render/letters/letters.h"
#include "sample/sample.h"
#include "render/text/textout.h"

#define CUNDANG_VERSION "0.1.0"

enum { EXIT_FINDINGS = 1, EXIT_INPUT = 2, EXIT_OUTPUT = 3 };

typedef struct {
	const char *cmd;
	const char *input, *output, *templates, *site;
	const char *month_text, *as_of_text;
	const char *name; /* rollup --name */
	char **sources;   /* rollup SOURCE... */
	int nsources;
	char **branches;
	int nbranches;
	char **villages; /* letters --village */
	int nvillages;
	int strict, json, quiet, verbose, jobs, send;
	long households;
	unsigned long long seed;
} options_t;

static const char usage_text[] =
    "usage: cundang build  [-i DIR] [-o DIR] [--month YYYY-MM | --as-of DATE] [--branch CODE]...\n"
    "                      [--templates DIR]\n"
    "                      [--strict] [-j N] [-q|-v]\n"
    "       cundang stats  [-i DIR] [--month YYYY-MM | --as-of DATE] [--branch CODE]... [--json]\n"
    "       cundang check  [-i DIR] [--month YYYY-MM | --as-of DATE] [--json] [--strict]\n"
    "       cundang letters [-i DIR] [-o DIR] [--month YYYY-MM | --as-of DATE] [--branch CODE]...\n"
    "                      [--village CODE]...\n"
    "       cundang mail   [-i DIR] [--site DIR] [-o DIR] [--month YYYY-MM] [--branch CODE]... "
    "[--send]\n"
    "       cundang rollup [-o DIR] [--name NAME] [--month YYYY-MM] [-j N] SOURCE...\n"
    "       cundang sample [-o DIR] [--households N] [--seed S]\n"
    "       cundang --help | --version\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "cundang: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", usage_text);
	return EXIT_INPUT;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* Parses argv into o; returns 0, or an exit status for a usage error. */
static int parse_args(int argc, char **argv, options_t *o)
{
	o->input = "input";
	o->output = "output";
	o->households = 5000;
	o->seed = 1;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = ncpu > 0 ? (int)(ncpu > 64 ? 64 : ncpu) : 1;
	o->cmd = argv[1];
	const char *cmd = o->cmd;
	int is_build = !strcmp(cmd, "build"), is_stats = !strcmp(cmd, "stats"),
	    is_check = !strcmp(cmd, "check"), is_sample = !strcmp(cmd, "sample"),
	    is_letters = !strcmp(cmd, "letters"), is_mail = !strcmp(cmd, "mail"),
	    is_rollup = !strcmp(cmd, "rollup");
	if (is_letters)
		o->output = "letters";
	if (is_mail)
		o->output = "mail";
	if (!is_build && !is_stats && !is_check && !is_sample && !is_letters && !is_mail &&
	    !is_rollup)
		return usage_error("unknown command '%s'", cmd);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int takes = 1;
		if (is_rollup && a[0] != '-') { /* a SOURCE */
			o->sources =
			    realloc(o->sources, (size_t)(o->nsources + 1) * sizeof *o->sources);
			if (!o->sources)
				return EXIT_OUTPUT;
			o->sources[o->nsources++] = (char *)a;
			continue;
		}
		if (!strcmp(a, "-i") && !is_sample && !is_rollup)
			o->input = v;
		else if (!strcmp(a, "-o") &&
		         (is_build || is_sample || is_letters || is_mail || is_rollup))
			o->output = v;
		else if (!strcmp(a, "--name") && is_rollup)
			o->name = v;
		else if (!strcmp(a, "--month") && !is_sample)
			o->month_text = v;
		else if (!strcmp(a, "--as-of") && !is_sample && !is_rollup)
			o->as_of_text = v;
		else if (!strcmp(a, "--village") && is_letters) {
			if (v) {
				o->villages = realloc(o->villages, (size_t)(o->nvillages + 1) *
				                                       sizeof *o->villages);
				if (!o->villages)
					return EXIT_OUTPUT;
				o->villages[o->nvillages++] = (char *)v;
			}
		} else if (!strcmp(a, "--site") && is_mail)
			o->site = v;
		else if (!strcmp(a, "--branch") &&
		         (is_build || is_stats || is_letters || is_mail)) {
			if (v) {
				o->branches = realloc(o->branches, (size_t)(o->nbranches + 1) *
				                                       sizeof *o->branches);
				if (!o->branches)
					return EXIT_OUTPUT;
				o->branches[o->nbranches++] = (char *)v;
			}
		} else if (!strcmp(a, "--templates") && is_build)
			o->templates = v;
		else if (!strcmp(a, "-j") && (is_build || is_rollup)) {
			long j;
			if (v && parse_long(v, 1, 64, &j) != 0)
				return usage_error(
				    "-j needs a number of threads from 1 to 64, not '%s'", v);
			if (v)
				o->jobs = (int)j;
		} else if (!strcmp(a, "--households") && is_sample) {
			if (v && parse_long(v, 1, 100000000, &o->households) != 0)
				return usage_error(
				    "--households needs a number from 1 to 100000000, not '%s'", v);
		} else if (!strcmp(a, "--seed") && is_sample) {
			long s;
			if (v && parse_long(v, 0, 2147483647L, &s) != 0)
				return usage_error("--seed needs a whole number, not '%s'", v);
			if (v)
				o->seed = (unsigned long long)s;
		} else {
			takes = 0;
			if (!strcmp(a, "--strict") && (is_build || is_check))
				o->strict = 1;
			else if (!strcmp(a, "--json") && (is_stats || is_check))
				o->json = 1;
			else if (!strcmp(a, "--send") && is_mail)
				o->send = 1;
			else if (!strcmp(a, "-q") && (is_build || is_rollup))
				o->quiet = 1;
			else if (!strcmp(a, "-v") && is_build)
				o->verbose = 1;
			else
				return usage_error("unknown option '%s' for this command", a);
		}
		if (takes) {
			if (!v)
				return usage_error("option '%s' needs a value", a);
			i++;
		}
	}
	if (o->quiet && o->verbose)
		return usage_error("%s", "-q and -v cannot be used together");
	if (is_rollup && o->nsources == 0)
		return usage_error("%s",
		                   "rollup needs at least one SOURCE (a cundang output folder or "
		                   "an indicator document)");
	return 0;
}

static void print_error(const err_t *e)
{
	char line[1200];
	err_format(e, line, sizeof line);
	fprintf(stderr, "cundang: %s\n", line);
}

/* The report month and D (SPEC §2): --as-of DATE sets D and its month, and a --month of another
 * month is a usage error; else --month or site.yaml's month, D its last day (*as_of = 0).
 * Returns 0 or an exit status. */
static int resolve_month(const options_t *o, const model_t *m, int32_t *month, int32_t *as_of)
{
	*as_of = 0;
	if (o->as_of_text) {
		char text[64];
		snprintf(text, sizeof text, "%s", o->as_of_text);
		if (value_parse_date(value_trim(text), as_of) != VALUE_OK)
			return usage_error("--as-of needs a date such as 2026-10-15, not '%s'",
			                   o->as_of_text);
		int32_t given;
		if (o->month_text &&
		    (!value_parse_month(o->month_text, &given) || given != *as_of / 100)) {
			fprintf(
			    stderr,
			    "cundang: --as-of %s is not a day of --month %s (give one of them, or "
			    "both of the same month)\n",
			    o->as_of_text, o->month_text);
			return EXIT_INPUT;
		}
		*month = *as_of / 100;
		return 0;
	}
	if (o->month_text) {
		if (!value_parse_month(o->month_text, month))
			return usage_error("--month needs YYYY-MM, not '%s'", o->month_text);
		return 0;
	}
	if (m->site.month) {
		*month = m->site.month;
		return 0;
	}
	fprintf(stderr,
	        "cundang: no report month: give --month YYYY-MM or set month: in %s/site.yaml\n",
	        o->input);
	return EXIT_INPUT;
}

/* ---- one function per subcommand; each returns the exit status ---- */

static int cmd_sample(const options_t *o)
{
	err_t err = {0};
	if (sample_write(o->output, o->households, o->seed, &err) != 0) {
		print_error(&err);
		return EXIT_OUTPUT;
	}
	return 0;
}

/* What check, stats, build and letters share: the archive read and the indicators of the report
 * month computed. Returns 0 with *m and *ind to free (unload), or an exit status and nothing
 * held. */
static int load(const options_t *o, double started, model_t *m, indicators_t *ind)
{
	err_t err = {0};
	if (archive_load(o->input, o->jobs, m, &err) != 0) {
		print_error(&err);
		return EXIT_INPUT;
	}
	if (o->verbose)
		fprintf(
		    stderr,
		    "cundang: read %d villages, %d households, %d loans (%d findings) in %.2f s\n",
		    m->nvillages, m->nhouseholds, m->nloans, m->nfindings, build_now() - started);
	int32_t month = 0, as_of = 0;
	int rc = resolve_month(o, m, &month, &as_of); /* check too: SPEC §2 has no exception */
	if (rc == 0 &&
	    indicators_compute_at(m, month, as_of, o->branches, o->nbranches, ind, &err) != 0) {
		print_error(&err);
		rc = EXIT_INPUT;
	}
	if (rc != 0)
		model_free(m);
	return rc;
}

/* The end of check, stats, build and letters: standard output flushed, --strict applied to what
 * went well, everything load gave freed. */
static int unload(const options_t *o, int rc, model_t *m, indicators_t *ind)
{
	if (fflush(stdout) != 0)
		rc = EXIT_OUTPUT;
	if (rc == 0 && o->strict && ind->errors + ind->warnings > 0)
		rc = EXIT_FINDINGS;
	indicators_free(ind);
	model_free(m);
	return rc;
}

static int cmd_check(const options_t *o)
{
	model_t m;
	indicators_t ind;
	int rc = load(o, build_now(), &m, &ind);
	if (rc != 0)
		return rc;
	if (o->json) {
		json_object *a = indjson_findings(&ind);
		if (indjson_write(stdout, a) != 0)
			rc = EXIT_OUTPUT;
		json_object_put(a);
	} else {
		textout_findings(stdout, o->input, &ind);
		fprintf(stdout, "%d errors, %d warnings\n", ind.errors, ind.warnings);
	}
	return unload(o, rc, &m, &ind);
}

static int cmd_stats(const options_t *o)
{
	model_t m;
	indicators_t ind;
	int rc = load(o, build_now(), &m, &ind);
	if (rc != 0)
		return rc;
	if (!o->quiet)
		textout_findings(stderr, o->input, &ind);
	if (o->json) {
		json_object *doc = indjson_build(&ind);
		if (indjson_write(stdout, doc) != 0)
			rc = EXIT_OUTPUT;
		json_object_put(doc);
	} else {
		textout_summary(stdout, &ind);
	}
	return unload(o, rc, &m, &ind);
}

static int cmd_build(const options_t *o)
{
	double started = build_now();
	model_t m;
	indicators_t ind;
	int rc = load(o, started, &m, &ind);
	if (rc != 0)
		return rc;
	if (!o->quiet)
		textout_findings(stderr, o->input, &ind);
	build_options_t bo = {.input = o->input,
	                      .output = o->output,
	                      .templates = o->templates,
	                      .branches = o->branches,
	                      .nbranches = o->nbranches,
	                      .jobs = o->jobs,
	                      .quiet = o->quiet,
	                      .verbose = o->verbose,
	                      .started = started};
	err_t err = {0};
	build_status_t st = build_site(&ind, &bo, &err);
	if (st != BUILD_OK) {
		print_error(&err);
		rc = st == BUILD_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
	}
	return unload(o, rc, &m, &ind);
}

/* letters: the credit notification letters of the selection at D (SPEC §8). */
static int cmd_letters(const options_t *o)
{
	model_t m;
	indicators_t ind;
	int rc = load(o, build_now(), &m, &ind);
	if (rc != 0)
		return rc;
	err_t err = {0};
	double started = build_now(); /* the summary line times the letters alone */
	letters_options_t lo = {
	    .output = o->output, .villages = o->villages, .nvillages = o->nvillages};
	letters_result_t res;
	letters_status_t st = letters_write(&ind, &lo, &res, &err);
	if (st != LETTERS_OK) {
		print_error(&err);
		rc = st == LETTERS_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
	} else {
		fprintf(stderr,
		        "cundang: %d letters in %d PDFs in %s (%d villages with no grant by D) in "
		        "%.2f s\n",
		        res.pages, res.pdfs, o->output, res.empty, build_now() - started);
	}
	return unload(o, rc, &m, &ind);
}

/* mail reads the built site, not the archive's rows: the messages describe what is attached. */
static int cmd_mail(const options_t *o)
{
	mail_options_t mo = {.input = o->input,
	                     .site = o->site ? o->site : "output",
	                     .output = o->output,
	                     .branches = o->branches,
	                     .nbranches = o->nbranches,
	                     .send = o->send};
	if (o->month_text && !value_parse_month(o->month_text, &mo.month))
		return usage_error("--month needs YYYY-MM, not '%s'", o->month_text);
	err_t err = {0};
	mail_status_t st = mail_run(&mo, &err);
	if (st == MAIL_BAD_INPUT || st == MAIL_NO_OUTPUT)
		print_error(&err);
	return st == MAIL_OK ? 0 : st == MAIL_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
}

/* rollup reads indicator documents, not an archive (SPEC §8 Rollup). */
static int cmd_rollup(const options_t *o)
{
	rollup_options_t ro = {.output = o->output,
	                       .jobs = o->jobs,
	                       .name = o->name,
	                       .sources = o->sources,
	                       .nsources = o->nsources,
	                       .quiet = o->quiet,
	                       .started = build_now()};
	if (o->month_text && !value_parse_month(o->month_text, &ro.month))
		return usage_error("--month needs YYYY-MM, not '%s'", o->month_text);
	err_t err = {0};
	rollup_status_t st = rollup_run(&ro, &err);
	if (st != ROLLUP_OK)
		print_error(&err);
	return st == ROLLUP_OK ? 0 : st == ROLLUP_BAD_INPUT ? EXIT_INPUT : EXIT_OUTPUT;
}

static const struct {
	const char *name;
	int (*run)(const options_t *);
} commands[] = {
    {"check", cmd_check},     {"stats", cmd_stats}, {"build", cmd_build},   {"sample", cmd_sample},
    {"letters", cmd_letters}, {"mail", cmd_mail},   {"rollup", cmd_rollup},
};

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("%s", "a command is needed");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		puts("cundang " CUNDANG_VERSION);
		return 0;
	}
	options_t o;
	memset(&o, 0, sizeof o);
	int rc = parse_args(argc, argv, &o);
	for (size_t i = 0; rc == 0 && i < sizeof commands / sizeof *commands; i++)
		if (!strcmp(o.cmd, commands[i].name)) {
			rc = commands[i].run(&o);
			break;
		}
	free(o.branches);
	free(o.villages);
	free(o.sources);
	return rc;
}
