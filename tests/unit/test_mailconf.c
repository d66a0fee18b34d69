/* test_mailconf.c — unit tests of the mail keys of site.yaml: the address check, the
 * "Name <address>" sender, mail.smtp URLs, and messages naming the key and line. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read/mailconf.h"

static void test_address(void **state)
{
	(void)state;
	assert_true(mailconf_valid_address("hb@jurong-rcb.example"));
	assert_true(mailconf_valid_address("a.b+c@x.y"));
	assert_false(mailconf_valid_address("hb@@x.example"));
	assert_false(mailconf_valid_address("h b@x.example"));
	assert_false(mailconf_valid_address(".hb@x.example"));
	assert_false(mailconf_valid_address("hb..x@x.example"));
	assert_false(mailconf_valid_address("hb@x..example"));
	assert_false(mailconf_valid_address("hb@-x.example"));
	assert_false(mailconf_valid_address("hb@"));
	assert_false(mailconf_valid_address("@x.example"));
	assert_false(mailconf_valid_address("hb@x.example\r\nBcc: y@z"));
	assert_false(mailconf_valid_address("后白@x.example"));
}

/* Loads text as site.yaml in a scratch folder; returns mailconf_load's status. */
static int load(const char *text, mailconf_t *mc, err_t *err)
{
	char dir[] = "/tmp/cundang-mailconf-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof path, "%s/site.yaml", dir);
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	int rc = mailconf_load(path, dir, mc, err);
	unlink(path);
	rmdir(dir);
	return rc;
}

static void test_load(void **state)
{
	(void)state;
	mailconf_t mc;
	err_t err = {0};
	assert_int_equal(
	    load("bank: x\nbranches:\n  - {code: HB, name: h, email: [a@x.example, "
	         "b@x.example]}\n  - {code: BH, name: b}\nmail:\n  from: 整村授信办公室 "
	         "<zcsx@x.example>\n  smtp: smtps://mail.x.example:465\n  user: u\n",
	         &mc, &err),
	    0);
	assert_true(mc.present);
	assert_string_equal(mc.from_name, "整村授信办公室");
	assert_string_equal(mc.from_addr, "zcsx@x.example");
	assert_true(mc.smtps);
	assert_true(mc.starttls);
	assert_string_equal(mc.user, "u");
	const mailconf_branch_t *b = mailconf_branch(&mc, "HB");
	assert_non_null(b);
	assert_int_equal(b->nemail, 2);
	assert_string_equal(b->email[1], "b@x.example");
	assert_null(mailconf_branch(&mc, "BH"));
	mailconf_free(&mc);

	static const struct {
		const char *yaml, *msg;
		long line;
	} bad[] = {
	    {"branches:\n  - {code: HB, email: a@b@c}\n",
	     "branches[1].email: 'a@b@c' is not an "
	     "e-mail address (expected name@domain)",
	     2},
	    {"branches:\n  - {code: HB, email: [a@x.example, A@x.example]}\n",
	     "branches[1].email[2]: 'A@x.example' is listed twice", 2},
	    {"mail:\n  headquarters: [z@x.example]\n",
	     "mail.from: missing (the sender, e.g. "
	     "整村授信办公室 <zcsx@example.com>)",
	     2},
	    {"mail:\n  from: a@x.example\n  smtp: smtp://x.example:99999\n",
	     "mail.smtp: 'smtp://x.example:99999' is not smtp://host:port or smtps://host:port", 3},
	    {"mail:\n  from: a@x.example\n  smtp: smtp://x.example/path\n",
	     "mail.smtp: 'smtp://x.example/path' is not smtp://host:port or smtps://host:port", 3},
	    {"mail:\n  from: A <a@x.example\n",
	     "mail.from: 'A <a@x.example' is not an address "
	     "(expected name@domain or Name <name@domain>)",
	     2},
	    {"mail:\n  from: a@x.example\n  password: p\n", NULL, 3},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(load(bad[i].yaml, &mc, &err), -1);
		if (bad[i].msg)
			assert_string_equal(err.msg, bad[i].msg);
		else
			assert_non_null(strstr(err.msg, "password"));
		assert_int_equal(err.line, bad[i].line);
		mailconf_free(&mc);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_address),
	    cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
