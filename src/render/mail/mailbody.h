/* mailbody.h — the bodies of the monthly messages (SPEC §8 Mail), HTML and plain text, formatted
 * from the site's indicator document: a branch's summary and failed villages, or the bank's. */
#ifndef CUNDANG_MAILBODY_H
#define CUNDANG_MAILBODY_H

#include <json-c/json.h>

#include "model.h"
#include "util.h"

/* Appends to html and text the body of branch br's message (br an entry of doc's branches,
 * doc the indicator document the site was built with; site gives the acceptance rules and
 * signature the sender's name). */
void mailbody_branch(const site_t *site, const char *signature, json_object *doc, json_object *br,
                     buf_t *html, buf_t *text);

/* Appends to html and text the body of the headquarters message: the bank's summary and a
 * row per branch of doc. */
void mailbody_bank(const site_t *site, const char *signature, json_object *doc, buf_t *html,
                   buf_t *text);

#endif
