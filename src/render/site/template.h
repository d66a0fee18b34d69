/* template.h — Mustache templates over json-c data: compile once, render many times.
 * Follows the Mustache spec (comments, delimiters, interpolation, inverted, partials, sections). */
#ifndef CUNDANG_TEMPLATE_H
#define CUNDANG_TEMPLATE_H

#include <stddef.h>

#include <json-c/json.h>

#include "util.h"

/* A compiled template; immutable after template_compile, so one template may be rendered
 * by several threads at once (each with its own output buffer). */
typedef struct template template_t;

/* Returns the source of the partial called name, NUL-terminated, or NULL when there is none
 * (rendered as the empty string, as the spec says). The text must stay valid until the
 * callback is called again or template_render returns; it is compiled at once and not kept. */
typedef const char *(*template_partial_fn)(const char *name, void *ctx);

/* Compiles len bytes of src. name is used in error messages only ("name:line: what").
 * Returns NULL and fills err on an unclosed tag or section, a mismatched closing tag, a bad
 * delimiter tag, an empty or spaced tag name, or sections nested deeper than 64.
 * Caller frees the result with template_free(). */
template_t *template_compile(const char *src, size_t len, const char *name, err_t *err);

/* Renders t with data as the root context and appends the result to out. partials may be
 * NULL (every partial is then empty). Each partial is compiled at most once per call.
 * Returns 0, or -1 with err filled (a partial that does not compile, partials nested deeper
 * than 64 such as an unbounded recursion); on -1, out holds whatever was rendered so far.
 * Truthiness: false, null, a missing name, an empty list and the empty string are falsey;
 * every number (0 too), object and non-empty string is truthy. Numbers print as JSON does
 * (85, 1.21, 1e+21); lists and objects print as compact JSON. */
int template_render(const template_t *t, json_object *data, template_partial_fn partials, void *ctx,
                    buf_t *out, err_t *err);

/* Steps through t's partial tags in source order: returns the name of the first one at or
 * after node *pos, sets *line to its line and *pos past it; NULL when there is no more.
 * Start with *pos = 0. The name is t's own and lives as long as t. */
const char *template_next_partial(const template_t *t, size_t *pos, long *line);

/* Frees t; template_free(NULL) does nothing. */
void template_free(template_t *t);

/* Appends n bytes of s to out with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;. */
void template_escape_html(buf_t *out, const char *s, size_t n);

#endif
