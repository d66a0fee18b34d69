/* tmplset.c — gathers the built-in templates and the overrides of --templates DIR, compiles
 * them all up front (a broken override stops the build before anything is written). */
#include "render/site/tmplset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SUFFIX ".mustache"
#define MAX_TEMPLATE (4u << 20)

typedef struct {
	char *name;      /* without the suffix */
	char *owned;     /* source read from the override directory, or NULL */
	const char *src; /* NUL-terminated source */
	size_t len;
	template_t *compiled;
	char *label; /* the file as named in messages */
	int mark;    /* cycle search: 0 not seen, 1 on the current path, 2 done */
} entry_t;

struct tmplset {
	entry_t *entries;
	size_t n, cap;
};

static entry_t *find(const tmplset_t *ts, const char *name)
{
	for (size_t i = 0; i < ts->n; i++)
		if (!strcmp(ts->entries[i].name, name))
			return &ts->entries[i];
	return NULL;
}

static entry_t *add(tmplset_t *ts, const char *file)
{
	size_t n = strlen(file) - strlen(SUFFIX);
	char *name = xstrndup(file, n);
	entry_t *e = find(ts, name);
	if (e) {
		free(name);
		free(e->owned);
		e->owned = NULL;
		return e;
	}
	xgrow((void **)&ts->entries, &ts->cap, ts->n + 1, sizeof *ts->entries);
	e = &ts->entries[ts->n++];
	memset(e, 0, sizeof *e);
	e->name = name;
	return e;
}

static int has_suffix(const char *s)
{
	size_t n = strlen(s), k = strlen(SUFFIX);
	return n > k && !strcmp(s + n - k, SUFFIX);
}

static int read_override(entry_t *e, const char *path, err_t *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, path, 0, "cannot read template: %s", strerror(errno));
	buf_t b = {0};
	char chunk[65536];
	size_t got;
	while ((got = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= MAX_TEMPLATE)
		buf_add(&b, chunk, got);
	int bad = ferror(f);
	fclose(f);
	if (bad || b.len > MAX_TEMPLATE) {
		buf_free(&b);
		return err_set(err, path, 0,
		               bad ? "cannot read template" : "template larger than 4 MiB");
	}
	e->len = b.len;
	e->owned = buf_detach(&b);
	e->src = e->owned;
	return 0;
}

/* Loads the overrides of dir, in name order so that errors are deterministic. */
static int load_overrides(tmplset_t *ts, const char *dir, err_t *err)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return err_set(err, dir, 0, "cannot read the templates directory: %s",
		               strerror(errno));
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *file = names[i]->d_name;
		if (rc == 0 && has_suffix(file) && file[0] != '.') {
			char *path = path_join(dir, file);
			struct stat st;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				rc = read_override(add(ts, file), path, err);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* Fails if a partial of e can reach e again, naming the tag that closes the loop. A loop of
 * partials is legal Mustache when the data is a tree that ends; the pages' data is not, so
 * such a template would recurse until the nesting limit on every page: a broken template,
 * refused before anything is written. Depth-first over at most a few dozen templates. */
static int find_loop(tmplset_t *ts, entry_t *e, err_t *err)
{
	size_t pos = 0;
	long line;
	const char *name;
	e->mark = 1;
	while ((name = template_next_partial(e->compiled, &pos, &line)) != NULL) {
		entry_t *p = find(ts, name);
		if (!p || p->mark == 2)
			continue; /* a missing partial renders empty */
		if (p->mark == 1)
			return err_set(err, e->label, line,
			               "partial '%s' includes itself (directly or through other "
			               "partials), so a page would never end",
			               name);
		if (find_loop(ts, p, err) != 0)
			return -1;
	}
	e->mark = 2;
	return 0;
}

tmplset_t *tmplset_load(const char *override_dir, err_t *err)
{
	tmplset_t *ts = xcalloc(1, sizeof *ts);
	for (size_t i = 0; i < tmplset_nbuiltin; i++) {
		entry_t *e = add(ts, tmplset_builtin[i].name);
		e->src = tmplset_builtin[i].data;
		e->len = tmplset_builtin[i].len;
	}
	if (override_dir && load_overrides(ts, override_dir, err) != 0) {
		tmplset_free(ts);
		return NULL;
	}
	for (size_t i = 0; i < ts->n; i++) {
		entry_t *e = &ts->entries[i];
		char label[300];
		snprintf(label, sizeof label, "%s%s%s%s", e->owned ? override_dir : "",
		         e->owned ? "/" : "templates/", e->name, SUFFIX);
		e->label = xstrdup(label);
		e->compiled = template_compile(e->src, e->len, label, err);
		if (!e->compiled) {
			tmplset_free(ts);
			return NULL;
		}
	}
	for (size_t i = 0; i < ts->n; i++) {
		if (ts->entries[i].mark == 0 && find_loop(ts, &ts->entries[i], err) != 0) {
			tmplset_free(ts);
			return NULL;
		}
	}
	return ts;
}

void tmplset_free(tmplset_t *ts)
{
	if (!ts)
		return;
	for (size_t i = 0; i < ts->n; i++) {
		free(ts->entries[i].name);
		free(ts->entries[i].owned);
		free(ts->entries[i].label);
		template_free(ts->entries[i].compiled);
	}
	free(ts->entries);
	free(ts);
}

static const char *partial_source(const char *name, void *ctx)
{
	const entry_t *e = find(ctx, name);
	return e ? e->src : NULL;
}

int tmplset_render(const tmplset_t *ts, const char *name, json_object *data, buf_t *out, err_t *err)
{
	const entry_t *e = find(ts, name);
	if (!e)
		return err_set(err, NULL, 0, "no template named %s%s", name, SUFFIX);
	return template_render(e->compiled, data, partial_source, (void *)ts, out, err);
}
