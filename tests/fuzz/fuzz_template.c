/* fuzz_template.c — libFuzzer target for the Mustache engine (src/template.c): the input is
 * the template, then a NUL byte, then the JSON data (none or unreadable: an empty object).
 * Partials "a" and "b" have fixed texts, "self" is the template itself, "bad" does not
 * compile; any other name is missing. A compiled template must render the same twice. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "fuzz_common.h"
#include "render/site/template.h"

typedef struct {
	const char *self;
} partials_t;

static const char *partial(const char *name, void *ctx)
{
	const partials_t *p = ctx;
	if (strcmp(name, "a") == 0)
		return "<{{name}}|{{&name}}>{{#list}}[{{.}}]{{/list}}{{^list}}none{{/list}}\n";
	if (strcmp(name, "b") == 0)
		return "  {{>a}}\n{{#obj}}{{{x}}}{{/obj}}\n{{=<% %>=}}<%>a%>\n";
	if (strcmp(name, "self") == 0)
		return p->self;
	if (strcmp(name, "bad") == 0)
		return "{{#open}}never closed";
	return NULL;
}

static int render(const template_t *t, json_object *data, partials_t *p, buf_t *out, err_t *err)
{
	int rc = template_render(t, data, partial, p, out, err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(out->data && out->data[out->len] == '\0'); /* a string even when empty */
	if (rc < 0)
		FUZZ_CHECK(err->msg[0] != '\0');
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, '\0', size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	/* the template text is NUL-terminated too, since "self" hands it out as a string */
	char *src = malloc(tlen + 1);
	memcpy(src, data, tlen);
	src[tlen] = '\0';
	json_object *root = NULL;
	if (nul) {
		size_t dlen = size - tlen - 1;
		char *json = malloc(dlen + 1);
		memcpy(json, nul + 1, dlen);
		json[dlen] = '\0';
		root = json_tokener_parse(json);
		free(json);
	}
	if (!root)
		root = json_object_new_object();

	err_t err = {0};
	template_t *t = template_compile(src, tlen, "fuzz", &err);
	if (!t) {
		FUZZ_CHECK(err.msg[0] != '\0');
	} else {
		partials_t p = {src};
		buf_t out1 = {0}, out2 = {0};
		err_t err2 = {0};
		int rc1 = render(t, root, &p, &out1, &err);
		/* Rendering is read-only on t: the same data renders the same bytes again. Only
		 * checked for renders that finished within the engine's budgets with a small
		 * output: one that ran out of steps took seconds under ASan, and paying that twice
		 * would read as a timeout. (Deciding on the clock instead made the coverage, and so
		 * the fixed-seed run of make test, differ from one run to the next.) */
		if (rc1 == 0 && out1.len < (1u << 20)) {
			int rc2 = render(t, root, &p, &out2, &err2);
			FUZZ_CHECK(rc1 == rc2 && out1.len == out2.len &&
			           memcmp(out1.data, out2.data, out1.len) == 0);
		}
		buf_free(&out1);
		buf_free(&out2);
		template_free(t);
	}
	template_free(NULL);
	json_object_put(root);
	free(src);
	return 0;
}
