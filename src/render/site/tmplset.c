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
		e->compiled = template_compile(e->src, e->len, label, err);
		if (!e->compiled) {
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
