/* filter.h - a SQL WHERE clause built from command-line filters.
 *
 * Owns turning --since, --class, --domain ... into conditions whose values
 * are bound as numbered parameters (never pasted into SQL), so one clause
 * can appear twice in a statement (stats' share of the total).
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct OobFilter OobFilter;

OobFilter *oob_filter_new (void);
void oob_filter_free (OobFilter *filter);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobFilter, oob_filter_free)

/* Adds a condition; each "?" in it stands for the value (used once or
 * more).  NULL values add nothing. */
void oob_filter_text (OobFilter *filter, const char *condition, const char *value);
void oob_filter_int (OobFilter *filter, const char *condition, gint64 value);
/* Adds a condition without a value. */
void oob_filter_raw (OobFilter *filter, const char *condition);

/* " WHERE a AND b" (or "") with numbered parameters. */
const char *oob_filter_sql (OobFilter *filter);

/* Binds the values into a statement prepared with oob_filter_sql. */
void oob_filter_bind (OobFilter *filter, sqlite3_stmt *stmt);

G_END_DECLS
