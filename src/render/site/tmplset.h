/* tmplset.h — the site's templates: the defaults compiled into the binary, replaced file by
 * file from `--templates DIR`, all compiled once before any page is written. */
#ifndef CUNDANG_TMPLSET_H
#define CUNDANG_TMPLSET_H

#include <json-c/json.h>
#include <stddef.h>

#include "render/site/template.h"
#include "util.h"

typedef struct {
	const char *name; /* file name, e.g. "village.mustache" */
	const char *data;
	size_t len;
} tmplset_file_t;

/* Generated from templates/ by scripts/embed-templates (build/embedded.c). */
extern const tmplset_file_t tmplset_builtin[];
extern const size_t tmplset_nbuiltin;

typedef struct tmplset tmplset_t;

/* Loads the built-in templates and the *.mustache files of override_dir (NULL for none),
 * and compiles every one. Returns NULL with err naming the file (and line) of the first
 * problem. Caller frees with tmplset_free(). */
tmplset_t *tmplset_load(const char *override_dir, err_t *err);
void tmplset_free(tmplset_t *ts);

/* Renders template `name` (without ".mustache") with data, appending to out; partials are
 * the other templates of the set. Safe to call from several threads at once. */
int tmplset_render(const tmplset_t *ts, const char *name, json_object *data, buf_t *out,
                   err_t *err);

#endif
