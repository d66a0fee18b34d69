/* yamldoc.h — the YAML layer shared by config.c and village.c: bounded libyaml documents,
 * typed scalar getters and messages of the form "file:line: key: problem". */
#ifndef CUNDANG_YAMLDOC_H
#define CUNDANG_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "util.h"

/* ---- The YAML layer (used by config.c and village.c) ----
 * A document is checked before anyone walks it: at most YDOC_MAX_NODES nodes (aliases
 * counted), collections nested at most YDOC_MAX_DEPTH deep even through aliases (so an
 * alias cycle is rejected), one document per text. Aliases are never expanded, so a
 * "billion laughs" text costs what its bytes cost. */
#define YDOC_MAX_NODES 100000
#define YDOC_MAX_DEPTH 64
#define YDOC_MAX_FILE (16u << 20) /* bytes of site.yaml or village.md */
/* Keys of one map and items of one list that a reader walks: every map is searched by key
 * and aliases let one big map stand in many places, so the walk is bounded by these. */
#define YDOC_MAX_KEYS 1000
#define YDOC_MAX_ITEMS 10000

typedef struct {
	yaml_document_t doc;
	const char *file; /* name used in messages (borrowed) */
	long first_line;  /* line in the file of the text's first line */
	bool loaded;
} ydoc_t;

/* Reads the file at path whole into *out (NUL-terminated; out->len bytes), converted to
 * UTF-8: a UTF-8 BOM is dropped, and text that is not valid UTF-8 is read as GB18030
 * (SPEC §4). Returns 0, or -1 with err. Caller frees *out with buf_free(). */
int ydoc_read_file(const char *path, buf_t *out, err_t *err);

/* Parses text[0..len) as one YAML document whose first line is line first_line of file.
 * Returns 0 (the root may be NULL for an empty text), or -1 with err and nothing to free.
 * Caller frees a parsed d with ydoc_free(). */
int ydoc_parse(ydoc_t *d, const char *file, const char *text, size_t len, long first_line,
               err_t *err);
void ydoc_free(ydoc_t *d);

yaml_node_t *ydoc_root(ydoc_t *d);
/* The file line (1-based) where node n starts; 0 for NULL. */
long ydoc_line(const ydoc_t *d, const yaml_node_t *n);
/* The text of scalar node n (the caller knows it is a scalar); borrowed from the document. */
const char *ydoc_scalar(const yaml_node_t *n);
/* True for an absent node or a plain scalar "", "~" or "null" (any case). */
bool ydoc_is_null(const yaml_node_t *n);

/* Checks that map (named path in messages) is a mapping with text keys, none repeated,
 * and, when allowed is a NULL-terminated list, none outside it. Returns 0 or -1. */
int ydoc_check_map(ydoc_t *d, yaml_node_t *map, const char *path, const char *const *allowed,
                   err_t *err);
/* The value of key in map (NULL when absent); *key_line (may be NULL) gets its line. */
yaml_node_t *ydoc_get(ydoc_t *d, yaml_node_t *map, const char *key, long *key_line);

/* Typed readers: each takes the node of the value named path in messages and returns 0,
 * or -1 with "file:line: path: what is wrong". The text of a string is borrowed from d. */
int ydoc_text(ydoc_t *d, yaml_node_t *n, const char *path, const char **out, err_t *err);
/* A finite decimal number, the whole scalar consumed. */
int ydoc_number(ydoc_t *d, yaml_node_t *n, const char *path, double *out, err_t *err);
/* An integer 0..max written in digits. */
int ydoc_count(ydoc_t *d, yaml_node_t *n, const char *path, int64_t max, int64_t *out, err_t *err);
/* true/false/yes/no, any case. */
int ydoc_bool(ydoc_t *d, yaml_node_t *n, const char *path, bool *out, err_t *err);

#endif
