/* fuzz_village.c — libFuzzer target for the village.md reader (src/village.c): front matter
 * fences, the YAML of src/yamldoc.c, every field, and the narrative's CRLF → LF copy. The
 * input is the file, written to a scratch file because village_load takes a path; it is read
 * against a fixed site.yaml loaded once. */
#include <stdint.h>
#include <string.h>

#include "read/config.h"
#include "read/encoding.h"
#include "fuzz_common.h"
#include "read/village.h"

/* Two branches and checks of every kind, like tests/regress/small/input/site.yaml. */
static const char SITE_YAML[] =
    "bank: 测试农村商业银行\n"
    "month: 2026-10\n"
    "branches:\n"
    "  - {code: HB, name: 后白支行, target_granted: 20}\n"
    "  - {code: BH, name: 宝华支行}\n"
    "acceptance:\n"
    "  pass_score: 80\n"
    "  indicators:\n"
    "    visit_rate:      {min: 0.95, weight: 15}\n"
    "    npl_rate:        {max: 0.02, weight: 10}\n"
    "  checks:\n"
    "    town_meeting:    {label: 镇级启动会, weight: 2.5, required: false}\n"
    "    village_meeting: {label: 村级对接会, weight: 2.5}\n"
    "    night_school:    {label: 金融夜校宣讲, weight: 2.5}\n";

static site_t site;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	err_t err = {0};
	const char *path = fuzz_write_file("site.yaml", SITE_YAML, sizeof SITE_YAML - 1);
	if (config_load(path, &site, &err) != 0) {
		char msg[1200];
		err_format(&err, msg, sizeof msg);
		fprintf(stderr, "fuzz_village: the fixed site.yaml does not load: %s\n", msg);
		exit(1);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write_file("input", data, size);
	village_t v;
	memset(&v, 0, sizeof v);
	err_t err = {0};
	int rc = village_load(path, &site, &v, &err);
	FUZZ_CHECK(rc == 0 || rc == -1);
	if (rc == 0) {
		FUZZ_CHECK(v.name && v.name[0]);
		FUZZ_CHECK(v.township);
		FUZZ_CHECK(v.branch >= 0 && v.branch < site.nbranches);
		FUZZ_CHECK(v.grade == 'A' || v.grade == 'B' || v.grade == 'C');
		FUZZ_CHECK(v.households_total >= -1 && v.households_total <= 10000000);
		FUZZ_CHECK(v.population >= -1 && v.population <= 10000000);
		FUZZ_CHECK(v.nindustries == 0 || v.industries);
		for (int i = 0; i < v.nindustries; i++)
			FUZZ_CHECK(v.industries[i] && v.industries[i][0]);
		FUZZ_CHECK(v.launched_on == 0 ||
		           (v.launched_on >= 19000101 && v.launched_on <= 29991231));
		for (int i = 0; i < v.nkey_persons; i++)
			FUZZ_CHECK(v.key_persons[i].name && v.key_persons[i].role &&
			           v.key_persons[i].phone);
		FUZZ_CHECK(v.checks || site.nchecks == 0);
		for (int i = 0; i < site.nchecks; i++)
			FUZZ_CHECK(v.checks[i] == 0 || v.checks[i] == 1);
		FUZZ_CHECK(v.narrative);
		/* No "no CRLF left" check: a CR before a CRLF ("\r\r\n") rightly stays a CR
		 * before the LF. A file read as UTF-8 gives a narrative no longer than itself
		 * (GB18030 text may grow when converted, so only UTF-8 input is compared). */
		size_t n = strlen(v.narrative);
		if (encoding_is_utf8(data, size))
			FUZZ_CHECK(n <= size);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0');
		/* "nothing of this call left allocated": LeakSanitizer checks that after each run
		 */
		FUZZ_CHECK(!v.name && !v.township && !v.narrative && !v.industries &&
		           !v.key_persons && !v.checks);
	}
	village_free(&v);
	return 0;
}
