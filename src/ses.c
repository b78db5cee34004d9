/* ses.c - Amazon SES notifications mailed as JSON (see ses.h).
 *
 * Read with json-glib after a bounded scan: json-glib recurses once per
 * nesting level, so a hostile body nested thousands deep would exhaust the
 * stack; the scan refuses anything deeper than MAX_JSON_DEPTH first.
 */
#include "config.h"

#include <string.h>

#include "json.h"
#include "pattern.h"
#include "ses.h"

/* Deepest JSON nesting read: SES notifications nest four levels. */
#define MAX_JSON_DEPTH 64

/* End of the JSON object that starts at text[0] == '{' (strings and escapes
 * respected), or NULL when it is not closed or nests too deep. */
static const char *
json_object_end (const char *text)
{
  int depth = 0;
  gboolean in_string = FALSE;
  for (const char *p = text; *p; p++)
    {
      if (in_string)
        {
          if (*p == '\\' && p[1])
            p++;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        {
          if (++depth > MAX_JSON_DEPTH)
            return NULL;
        }
      else if ((*p == '}' || *p == ']') && --depth == 0)
        return *p == '}' ? p + 1 : NULL;
    }
  return NULL;
}

/* The JSON object the body starts with (text after it, such as the SNS
 * footer, is ignored), or NULL. */
JsonNode *
oob_json_leading_object (const char *body)
{
  while (g_ascii_isspace (*body))
    body++;
  if (*body != '{')
    return NULL;
  const char *end = json_object_end (body);
  if (end == NULL)
    return NULL;
  g_autofree char *json = g_strndup (body, end - body);
  JsonNode *node = json_from_string (json, NULL);
  if (node && !JSON_NODE_HOLDS_OBJECT (node))
    g_clear_pointer (&node, json_node_unref);
  return node;
}

/* A relay that limits line length (sendmail does, at 990 characters) cuts
 * the one-line JSON with "!", a line end and a space: joined again here,
 * since the cut may fall inside a string. */
static OobPattern re_line_cut = OOB_PATTERN ("!\\r?\\n ", 0);

JsonNode *
oob_ses_notification (const char *body)
{
  g_autofree char *joined = strstr (body, "!\n ") || strstr (body, "!\r\n ") ? oob_pattern_replace (&re_line_cut, body, "") : NULL;
  g_autoptr (JsonNode) root = oob_json_leading_object (joined ? joined : body);
  if (root == NULL)
    return NULL;
  /* An SNS envelope carries the SES notification as a JSON string. */
  const char *message = oob_json_member_string (json_node_get_object (root), "Message");
  JsonNode *inner = message ? oob_json_leading_object (message) : NULL;
  if (inner)
    return inner;
  return g_steal_pointer (&root);
}

const char *
oob_ses_type (JsonObject *notification)
{
  const char *type = oob_json_member_string (notification, "notificationType");
  return type ? type : oob_json_member_string (notification, "eventType");
}
