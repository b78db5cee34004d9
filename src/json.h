/* json.h - small json-glib conveniences shared by the readers of JSON
 * mail (SES) and the writers of JSON lines (scan, event log, exports). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Typed members of a JSON object (NULL object allowed): NULL when absent
 * or of another type. */
const char *oob_json_member_string (JsonObject *object, const char *name);
JsonObject *oob_json_member_object (JsonObject *object, const char *name);
JsonArray *oob_json_member_array (JsonObject *object, const char *name);

/* Adds member name: the string, or null when value is NULL. */
void oob_json_add_string (JsonBuilder *builder, const char *name, const char *value);
/* Adds member name: the SMTP reply code, or null when there is none (0). */
void oob_json_add_code (JsonBuilder *builder, const char *name, int code);

G_END_DECLS
