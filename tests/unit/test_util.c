/* test_util.c — unit tests of the shared containers: buf_t, the string arena, strmap_t
 * (with growth past many rehashes) and path_join. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

static void test_buf(void **state)
{
	(void)state;
	buf_t b = {0};
	buf_adds(&b, "村档");
	buf_addc(&b, '-');
	buf_printf(&b, "%d/%s", 42, "x");
	assert_string_equal(b.data, "村档-42/x");
	assert_int_equal(b.len, strlen("村档-42/x"));
	buf_clear(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.data, "");
	char *s = buf_detach(&b);
	assert_string_equal(s, "");
	assert_null(b.data);
	free(s);
	buf_free(&b);
}

static void test_arena(void **state)
{
	(void)state;
	arena_t a = {0}, b = {0};
	char *first = arena_strdup(&a, "王建国");
	char big[100000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	char *huge = arena_strdup(&a, big); /* larger than a block: its own block */
	char *after = arena_strndup(&a, "abcdef", 3);
	char *other = arena_strdup(&b, "other");
	arena_merge(&a, &b);
	assert_null(b.head);
	assert_string_equal(first, "王建国");
	assert_int_equal(strlen(huge), sizeof big - 1);
	assert_string_equal(after, "abc");
	assert_string_equal(other, "other");
	assert_int_equal((uintptr_t)arena_alloc(&a, 3) % 16, 0);
	arena_free(&a);
	arena_free(&b);
}

static void test_strmap(void **state)
{
	(void)state;
	strmap_t m = {0};
	static char keys[50000][16];
	for (int i = 0; i < 50000; i++) {
		snprintf(keys[i], sizeof keys[i], "HB%05d", i);
		assert_int_equal(strmap_put(&m, keys[i], i), -1);
	}
	assert_int_equal(m.count, 50000);
	assert_int_equal(strmap_get(&m, "HB00000"), 0);
	assert_int_equal(strmap_get(&m, "HB49999"), 49999);
	assert_int_equal(strmap_get(&m, "HB50000"), -1);
	assert_int_equal(strmap_put(&m, "HB00123", 7), 123); /* existing value, unchanged */
	assert_int_equal(strmap_get(&m, "HB00123"), 123);
	/* With the hash given (the merges' prefetching loops): the same map. */
	strmap_prefetch(&m, strmap_hash("HB77777"));
	assert_int_equal(strmap_put_h(&m, "HB77777", strmap_hash("HB77777"), 77), -1);
	assert_int_equal(strmap_get(&m, "HB77777"), 77);
	assert_int_equal(strmap_get_h(&m, "HB00042", strmap_hash("HB00042")), 42);
	assert_int_equal(strmap_put_h(&m, "HB00042", strmap_hash("HB00042"), 1), 42);
	strmap_free(&m);
	strmap_prefetch(&m, 123); /* an empty map: nothing to fetch */
	assert_int_equal(strmap_get_h(&m, "HB00042", strmap_hash("HB00042")), -1);
	assert_int_equal(strmap_get(&m, "HB00000"), -1);
}

static void test_err_and_path(void **state)
{
	(void)state;
	err_t e;
	assert_int_equal(err_set(&e, "a.csv", 12, "bad %s", "date"), -1);
	char out[100];
	err_format(&e, out, sizeof out);
	assert_string_equal(out, "a.csv:12: bad date");
	err_set(&e, "a.csv", 0, "empty");
	err_format(&e, out, sizeof out);
	assert_string_equal(out, "a.csv: empty");
	assert_int_equal(err_set(NULL, "x", 1, "ignored"), -1);
	char *p = path_join("input/", "site.yaml");
	assert_string_equal(p, "input/site.yaml");
	free(p);
	p = path_join("input", "villages");
	assert_string_equal(p, "input/villages");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_buf),
	    cmocka_unit_test(test_arena),
	    cmocka_unit_test(test_strmap),
	    cmocka_unit_test(test_err_and_path),
	};
	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
