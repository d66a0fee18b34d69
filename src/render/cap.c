/* cap.c — the arithmetic of bounded lists (cap.h): how many rows are shown and how many are
 * left for the note that says where the rest is. */
#include "render/cap.h"

int64_t cap_shown(int64_t total, int64_t cap)
{
	if (total < 0)
		return 0;
	return total < cap ? total : cap;
}

int64_t cap_more(int64_t total, int64_t cap)
{
	return total - cap_shown(total, cap);
}

int64_t cap_sheet_rows(int64_t total, int64_t header_row)
{
	/* Rows header_row + 1 … CAP_EXCEL_ROWS - 1 (0-based) are below the header. */
	int64_t below = CAP_EXCEL_ROWS - 1 - header_row;
	if (total <= below)
		return total < 0 ? 0 : total;
	return below - 1; /* the last row says how many more */
}
