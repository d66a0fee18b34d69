/* config.h — the site.yaml reader (SPEC §3): the bank, the report month,
 * the acceptance rules, branches and privacy switch every other module reads. */
#ifndef CUNDANG_CONFIG_H
#define CUNDANG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "util.h"

/* The keys of the rates in site.yaml and the indicator document, and their Chinese labels,
 * in rate_t order. */

/* Reads site.yaml at path (path is also the name used in messages) into *site, which is
 * overwritten. Returns 0, or -1 with err as "path:line: what is wrong" and *site left
 * zeroed. Caller frees a loaded site with config_free(). */
int config_load(const char *path, site_t *site, err_t *err);

/* The acceptance rule of rate r in site, or NULL when r is not assessed. */
const indicator_rule_t *config_rule(const site_t *site, rate_t r);

/* Frees everything config_load() put in *site and zeroes it; safe on a zeroed or
 * partially filled site. */
void config_free(site_t *site);

#endif
