/* test_tasks.c — unit tests of the work lists (compute/tasks.c): which status is on which list,
 * the managers' keys, and on tests/regress/small/input that every list is what a direct scan
 * of the households finds, in order, with the branch's counts the managers' sums. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "compute/tasks.h"
#include "read/archive.h"

static void test_on_list(void **state)
{
	(void)state;
	/* Not visited: 待走访 and 待授信. */
	assert_true(tasks_on_list(TASK_VISIT, 0, false));
	assert_true(tasks_on_list(TASK_GRANT, 0, false));
	assert_false(tasks_on_list(TASK_ARCHIVE, 0, false));
	/* Visited only: 待建档 and 待授信. */
	assert_true(tasks_on_list(TASK_ARCHIVE, HH_VISITED, false));
	assert_false(tasks_on_list(TASK_VISIT, HH_VISITED, false));
	/* Negative: never 待授信. */
	assert_false(tasks_on_list(TASK_GRANT, HH_VISITED | HH_NEGATIVE, false));
	/* Granted, not signed: 待签约, not 待授信. */
	uint8_t g = HH_VISITED | HH_ARCHIVED | HH_GRANTED;
	assert_true(tasks_on_list(TASK_SIGN, g, false));
	assert_false(tasks_on_list(TASK_GRANT, g, false));
	assert_false(tasks_on_list(TASK_USE, g, false));
	/* Signed, not used: 待用信; used: on none of them. */
	assert_true(tasks_on_list(TASK_USE, g | HH_SIGNED, false));
	assert_false(tasks_on_list(TASK_USE, g | HH_SIGNED | HH_USED, false));
	assert_false(tasks_on_list(TASK_SIGN, g | HH_SIGNED, false));
	/* Overdue and migrant are independent of the funnel. */
	assert_true(tasks_on_list(TASK_OVERDUE, g | HH_SIGNED | HH_USED | HH_OVERDUE, false));
	assert_false(tasks_on_list(TASK_OVERDUE, g, true));
	assert_true(tasks_on_list(TASK_MIGRANT, g, true));
	assert_false(tasks_on_list(TASK_MIGRANT, 0, false));
}

static void test_key(void **state)
{
	(void)state;
	char k[TASKS_KEY_MAX];
	/* FNV-1a 64 published vectors: "" and "a". */
	assert_string_equal(tasks_key(k, sizeof k, ""), "mcbf29ce484222325");
	assert_string_equal(tasks_key(k, sizeof k, "a"), "maf63dc4c8601ec8c");
	assert_string_equal(tasks_key(k, sizeof k, MODEL_UNASSIGNED), "unassigned");
	/* Whatever the name holds, the key is [a-z0-9]: safe and case-free on any file system. */
	tasks_key(k, sizeof k, "../<王>/\\:*?\"|");
	assert_int_equal(strlen(k), 17);
	assert_int_equal(strspn(k, "m0123456789abcdef"), 17);
}

static void test_small(void **state)
{
	(void)state;
	model_t m;
	indicators_t ind;
	tasks_t t;
	err_t err;
	assert_int_equal(archive_load("tests/regress/small/input", 1, &m, &err), 0);
	assert_int_equal(indicators_compute(&m, 202610, NULL, 0, &ind, &err), 0);
	tasks_compute(&ind, &t);
	assert_int_equal(t.nbranches, ind.nbranches);
	int64_t entries = 0;
	for (int b = 0; b < t.nbranches; b++) {
		const task_branch_t *tb = &t.branches[b];
		const branch_ind_t *br = &ind.branches[b];
		assert_int_equal(tb->nmanagers, br->nmanagers);
		int64_t sum[TASK_COUNT] = {0};
		for (int k = 0; k < tb->nmanagers; k++) {
			const task_manager_t *tm = &tb->managers[k];
			assert_ptr_equal(tm->fig, &br->managers[k]);
			/* The lists are exactly what a scan of the branch's households finds. */
			for (int l = 0; l < TASK_COUNT; l++) {
				int64_t at = 0;
				for (int vk = 0; vk < ind.nvillages; vk++) {
					const village_t *v = &m.villages[ind.villages[vk].village];
					if (v->branch != br->branch)
						continue;
					for (int h = v->first_household;
					     h < v->first_household + v->nhouseholds; h++)
						if (m.households[h].manager_idx ==
						        tm->fig->manager &&
						    tasks_on_list((task_list_t)l, ind.hh_status[h],
						                  m.households[h].migrant)) {
							assert_true(at < tm->n[l]);
							assert_int_equal(tm->list[l][at], h);
							at++;
						}
				}
				assert_int_equal(at, tm->n[l]);
				sum[l] += tm->n[l];
				entries += tm->n[l];
			}
		}
		for (int l = 0; l < TASK_COUNT; l++)
			assert_int_equal(sum[l], tb->n[l]);
		/* any: each household on some list once, in order, its lists in on[]. */
		for (int k = 0; k < tb->nmanagers; k++) {
			const task_manager_t *tm = &tb->managers[k];
			int64_t at = 0;
			for (int vk = 0; vk < ind.nvillages; vk++) {
				const village_t *v = &m.villages[ind.villages[vk].village];
				if (v->branch != br->branch)
					continue;
				for (int h = v->first_household;
				     h < v->first_household + v->nhouseholds; h++) {
					if (m.households[h].manager_idx != tm->fig->manager)
						continue;
					unsigned on = 0;
					for (int l = 0; l < TASK_COUNT; l++)
						if (tasks_on_list((task_list_t)l, ind.hh_status[h],
						                  m.households[h].migrant))
							on |= 1u << l;
					assert_int_equal(t.on[h], on);
					if (on) {
						assert_true(at < tm->nany);
						assert_int_equal(tm->any[at++], h);
					}
				}
			}
			assert_int_equal(at, tm->nany);
		}
		/* The branch in the managers' terms is their sum. */
		int64_t listed = 0;
		for (int k = 0; k < br->nmanagers; k++)
			listed += br->managers[k].listed;
		assert_int_equal(br->managers_all.listed, listed);
		assert_int_equal(br->managers_all.listed, br->f.c.listed);
	}
	assert_true(entries > 0);
	tasks_free(&t);
	indicators_free(&ind);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_on_list),
	    cmocka_unit_test(test_key),
	    cmocka_unit_test(test_small),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
