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

/* A list whose items are made while a template walks it, for tables of thousands of rows: no
 * json-c object and no allocation per row or cell. Its items have the nkeys text fields named
 * keys (at most TEMPLATE_ROW_MAX; the array is borrowed and must outlive the list, a static
 * one in practice); when a section walks the list, fill(ctx, k, row) sets item k's fields with
 * template_row_set, a field not set being the empty string. To json-c the list is an empty
 * array (printed "[]"); template_render sees its items, truthy while n > 0. The list owns
 * ctx: free_ctx(ctx), when not NULL, is called as the list is freed (json_object_put). */
#define TEMPLATE_ROW_MAX 32
typedef struct template_row template_row_t;
typedef void (*template_fill_fn)(void *ctx, size_t k, template_row_t *row);
json_object *template_list_new(size_t n, const char *const *keys, int nkeys, template_fill_fn fill,
                               void *ctx, void (*free_ctx)(void *));

/* Sets field key (an index into the list's keys) of the item being made to a copy of text. */
void template_row_set(template_row_t *row, int key, const char *text);

/* The number of items of a list, template list or json-c array; 0 for anything else. */
size_t template_list_length(json_object *v);

/* Frees t; template_free(NULL) does nothing. */
void template_free(template_t *t);

/* Appends n bytes of s to out with & < > " ' replaced by &amp; &lt; &gt; &quot; &#39;. */
void template_escape_html(buf_t *out, const char *s, size_t n);

#endif
