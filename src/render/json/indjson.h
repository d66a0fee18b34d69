/* indjson.h — the indicator document of SPEC §6 as json-c objects: the contract that
 * `stats --json`, data/indicators-YYYY-MM.json and the site templates read. */
#ifndef CUNDANG_INDJSON_H
#define CUNDANG_INDJSON_H

#include <json-c/json.h>
#include <stdio.h>

#include "compute/indicators.h"

/* Builds the document. Caller releases it with json_object_put(). */
json_object *indjson_build(const indicators_t *ind);

/* JSON number helpers shared by every JSON writer: null for NAN, fixed text so output
 * bytes never depend on the platform's float printing. */
json_object *indjson_rate(double r);
json_object *indjson_yuan(int64_t fen);

/* The findings of the selection as an array of {file, line, column, severity, code,
 * message}. Caller releases it with json_object_put(). */
json_object *indjson_findings(const indicators_t *ind);

/* Writes obj pretty-printed with a final newline; returns 0 or -1 (errno set). */
int indjson_write(FILE *fp, json_object *obj);

#endif
