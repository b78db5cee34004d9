/* attribution.c - decide whose bounce a report is, and which campaign,
 * tenant and original message it belongs to.
 *
 * The VERP recipient decoded from the envelope is the authority; the
 * report's Final-/Original-Recipient, the returned To: and the X-KumoRef
 * recipient are cross-checks whose disagreements become a note.
 */
#include "config.h"

#include <string.h>

#include <gmime/gmime.h>

#include "attribution.h"
#include "mime.h"

#define DEFAULT_CAMPAIGN_HEADER "X-Campaign-ID"
#define DEFAULT_TENANT_HEADER "X-Tenant-ID"
#define DEFAULT_TRACE_HEADER "X-KumoRef"

/* ---- configuration ------------------------------------------------------ */

void
oob_attribution_config_free (OobAttributionConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_strfreev (cfg->campaign_headers);
  g_strfreev (cfg->tenant_headers);
  g_free (cfg->trace_header);
  g_free (cfg);
}

static gboolean
attribution_error (GError **error, const char *key, const char *what)
{
  g_set_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_CONFIG, "[attribution] %s: %s", key, what);
  return FALSE;
}

static gboolean
is_header_name (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (const char *p = s; *p; p++)
    if (*p <= ' ' || *p >= 127 || *p == ':')
      return FALSE;
  return TRUE;
}

/* A header name or an array of them. */
static gboolean
read_header_names (JsonNode *node, const char *key, GStrv *out, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!is_header_name (json_node_get_string (node)))
        return attribution_error (error, key, "is not a header name");
      g_ptr_array_add (names, g_strdup (json_node_get_string (node)));
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING
              || !is_header_name (json_node_get_string (item)))
            return attribution_error (error, key, "must hold header names");
          g_ptr_array_add (names, g_strdup (json_node_get_string (item)));
        }
    }
  else
    return attribution_error (error, key, "must be a header name or an array of them");
  g_strfreev (*out);
  g_ptr_array_add (names, NULL);
  *out = (GStrv) g_ptr_array_steal (names, NULL);
  return TRUE;
}

OobAttributionConfig *
oob_attribution_config_new (JsonObject *table, GError **error)
{
  g_autoptr (OobAttributionConfig) cfg = g_new0 (OobAttributionConfig, 1);
  const char *campaign[] = { DEFAULT_CAMPAIGN_HEADER, NULL };
  const char *tenant[] = { DEFAULT_TENANT_HEADER, NULL };
  cfg->campaign_headers = g_strdupv ((char **) campaign);
  cfg->tenant_headers = g_strdupv ((char **) tenant);
  cfg->trace_header = g_strdup (DEFAULT_TRACE_HEADER);
  if (table == NULL)
    return g_steal_pointer (&cfg);

  g_autoptr (GList) members = json_object_get_members (table);
  for (GList *l = members; l; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (table, key);
      gboolean is_string = JSON_NODE_HOLDS_VALUE (node)
                           && json_node_get_value_type (node) == G_TYPE_STRING;
      if (g_str_equal (key, "campaign_header"))
        {
          if (!read_header_names (node, key, &cfg->campaign_headers, error))
            return NULL;
        }
      else if (g_str_equal (key, "tenant_header"))
        {
          if (!read_header_names (node, key, &cfg->tenant_headers, error))
            return NULL;
        }
      else if (g_str_equal (key, "trace_header"))
        {
          if (!is_string || (*json_node_get_string (node) != '\0'
                             && !is_header_name (json_node_get_string (node))))
            {
              attribution_error (error, key, "must be a header name, or \"\" to disable");
              return NULL;
            }
          g_free (cfg->trace_header);
          cfg->trace_header = *json_node_get_string (node) ? g_strdup (json_node_get_string (node))
                                                           : NULL;
        }
      else if (g_str_equal (key, "envid"))
        {
          const char *value = is_string ? json_node_get_string (node) : "";
          if (g_str_equal (value, "campaign"))
            cfg->envid = OOB_ENVID_CAMPAIGN;
          else if (g_str_equal (value, "tenant"))
            cfg->envid = OOB_ENVID_TENANT;
          else if (g_str_equal (value, "message-id"))
            cfg->envid = OOB_ENVID_MESSAGE_ID;
          else if (g_str_equal (value, "none"))
            cfg->envid = OOB_ENVID_UNUSED;
          else
            {
              attribution_error (error, key,
                                 "must be \"campaign\", \"tenant\", \"message-id\" or \"none\"");
              return NULL;
            }
        }
      else
        {
          attribution_error (error, key, "unknown key");
          return NULL;
        }
    }
  return g_steal_pointer (&cfg);
}

/* ---- the returned message's headers ------------------------------------- */

typedef struct {
  char *campaign;
  char *campaign_header;
  char *tenant;
  char *tenant_header;
  char *message_id;
  InternetAddressList *to;
  char *trace_campaign;
  char *trace_tenant;
  char *trace_recipient;
} ReturnedHeaders;

static void
returned_headers_clear (ReturnedHeaders *h)
{
  g_free (h->campaign);
  g_free (h->campaign_header);
  g_free (h->tenant);
  g_free (h->tenant_header);
  g_free (h->message_id);
  g_clear_object (&h->to);
  g_free (h->trace_campaign);
  g_free (h->trace_tenant);
  g_free (h->trace_recipient);
}

/* The returned header block, read as the original message's header: as
 * the header of an empty part (no addresses, dates or body decoded; the
 * fields are read below as a message reads them), or as a message when
 * only that works (a block opening with an mbox "From " line). */
static GMimeObject *
parse_header_block (const char *block)
{
  g_autofree char *text = g_strconcat (block, "\n", NULL);
  GMimeObject *header = oob_mime_parse_header_block (text, strlen (text));
  return header ? header : (GMimeObject *) oob_mime_parse (text, strlen (text));
}

/* A message's own header holds no Content-* field (GMime gives those to
 * its body part), so none is read as the original message's. */
static const char *
message_header (GMimeObject *header, const char *name)
{
  if (g_ascii_strncasecmp (name, "Content-", 8) == 0)
    return NULL;
  return g_mime_object_get_header (header, name);
}

/* As a message reads them: the last Message-ID field, every To field. */
static char *
message_id (GMimeHeaderList *headers)
{
  const char *value = NULL;
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      GMimeHeader *field = g_mime_header_list_get_header_at (headers, i);
      if (g_ascii_strcasecmp (g_mime_header_get_name (field), "Message-ID") == 0)
        value = g_mime_header_get_value (field);
    }
  return value ? g_mime_utils_decode_message_id (value) : NULL;
}

static InternetAddressList *
to_addresses (GMimeHeaderList *headers)
{
  InternetAddressList *to = internet_address_list_new ();
  for (int i = 0; i < g_mime_header_list_get_count (headers); i++)
    {
      GMimeHeader *field = g_mime_header_list_get_header_at (headers, i);
      if (g_ascii_strcasecmp (g_mime_header_get_name (field), "To") != 0)
        continue;
      g_autoptr (InternetAddressList) parsed = internet_address_list_parse (NULL, g_mime_header_get_raw_value (field));
      if (parsed != NULL)
        internet_address_list_append (to, parsed);
    }
  return to;
}

/* First non-empty header among names; *which gets the name found. */
static char *
first_header (GMimeObject *header, GStrv names, char **which)
{
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      const char *value = message_header (header, names[i]);
      if (value == NULL)
        continue;
      g_autofree char *trimmed = g_strstrip (g_strdup (value));
      if (*trimmed == '\0')
        continue;
      *which = g_strdup (names[i]);
      return g_steal_pointer (&trimmed);
    }
  return NULL;
}

/* A JSON member as text: strings as they are, numbers printed. */
static char *
member_text (JsonObject *object, const char *name)
{
  JsonNode *node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return *json_node_get_string (node) ? g_strdup (json_node_get_string (node)) : NULL;
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    default:
      return NULL;
    }
}

/* KumoMTA's supplemental trace header: base64 of a JSON object such as
 * {"_@_":"\\_o<(","recipient":"john@example.com","campaign":"c1","tenant":"t1"}.
 * Read leniently: standard or URL-safe alphabet, any whitespace, extra
 * members ignored, no "_@_" marker required. */
static void
read_trace_header (ReturnedHeaders *h, const char *value)
{
  g_autofree char *b64 = g_strdup (value);
  g_strdelimit (b64, "-", '+');
  g_strdelimit (b64, "_", '/');
  gsize len = 0;
  g_autofree guchar *json = g_base64_decode (b64, &len);
  if (json == NULL || len == 0)
    return;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *) json, (gssize) len, NULL))
    return;
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  JsonObject *object = json_node_get_object (root);
  h->trace_campaign = member_text (object, "campaign");
  h->trace_tenant = member_text (object, "tenant");
  h->trace_recipient = member_text (object, "recipient");
}

/* The fields of the original message's header: header is a message, or
 * the part parse_header_block() reads a header block as; either is read
 * as a message reads its own header. */
static void
read_header_fields (ReturnedHeaders *h, const OobAttributionConfig *acfg, GMimeObject *header)
{
  GMimeHeaderList *fields = g_mime_object_get_header_list (header);
  h->campaign = first_header (header, acfg->campaign_headers, &h->campaign_header);
  h->tenant = first_header (header, acfg->tenant_headers, &h->tenant_header);
  h->message_id = message_id (fields);
  g_autoptr (InternetAddressList) to = to_addresses (fields);
  if (internet_address_list_length (to) > 0)
    h->to = g_steal_pointer (&to);
  if (acfg->trace_header != NULL)
    {
      const char *trace = message_header (header, acfg->trace_header);
      if (trace != NULL)
        read_trace_header (h, trace);
    }
}

/* returned, when given, is the message orig_headers was written from: the
 * same fields, already parsed. */
static void
read_returned_headers (ReturnedHeaders *h, const OobAttributionConfig *acfg,
                       const OobReport *report, GMimeMessage *returned)
{
  if (report == NULL || report->orig_headers == NULL)
    return;
  g_autoptr (GMimeObject) header = returned ? g_object_ref (GMIME_OBJECT (returned))
                                            : parse_header_block (report->orig_headers);
  if (header != NULL)
    read_header_fields (h, acfg, header);
}

/* ---- attribution -------------------------------------------------------- */

void
oob_attribution_free (OobAttribution *att)
{
  if (att == NULL)
    return;
  g_free (att->bounce_address);
  g_free (att->bounce_source);
  g_free (att->verp_recipient);
  g_free (att->campaign);
  g_free (att->campaign_source);
  g_free (att->tenant);
  g_free (att->tenant_source);
  g_free (att->message_id);
  g_free (att->envid);
  g_free (att->note);
  g_clear_pointer (&att->canonical_, g_hash_table_unref);
  g_free (att);
}

/* oob_address_canonical (address), computed once per attribution. */
static const char *
canonical (const OobAttribution *att, const char *address)
{
  gpointer found;
  if (g_hash_table_lookup_extended (att->canonical_, address, NULL, &found))
    return found;
  char *computed = oob_address_canonical (address);
  g_hash_table_insert (att->canonical_, g_strdup (address), computed);
  return computed;
}

static gboolean
same_address (const OobAttribution *att, const char *a, const char *b)
{
  if (a == NULL || b == NULL)
    return FALSE;
  const char *ca = canonical (att, a);
  const char *cb = canonical (att, b);
  return ca != NULL && cb != NULL && g_str_equal (ca, cb);
}

/* Decodes the envelope: the first candidate that is VERP for its listener
 * wins; without one, the first candidate still names the listener whose
 * require_signature applies. */
static void
attribute_envelope (OobAttribution *att, const OobVerpConfig *verp, const OobEnvelope *env,
                    gint64 today, char **campaign)
{
  g_autoptr (OobVerpResult) chosen = NULL;
  const OobEnvelopeAddress *chosen_from = NULL;
  for (guint i = 0; env != NULL && i < env->candidates->len; i++)
    {
      const OobEnvelopeAddress *cand = g_ptr_array_index (env->candidates, i);
      g_autoptr (OobVerpResult) result = oob_verp_decode (verp, cand->address, today);
      if (chosen == NULL || (chosen->status == OOB_VERP_NOT_VERP
                             && result->status != OOB_VERP_NOT_VERP))
        {
          g_clear_pointer (&chosen, oob_verp_result_free);
          chosen = g_steal_pointer (&result);
          chosen_from = cand;
        }
      if (chosen->status != OOB_VERP_NOT_VERP)
        break;
    }
  if (chosen == NULL)
    {
      att->verp_status = OOB_VERP_NOT_VERP;
      att->signature_required = oob_verp_config_lookup (verp, NULL)->require_signature;
    }
  else
    {
      att->verp_status = chosen->status;
      att->signature_required = chosen->require_signature;
      att->bounce_address = g_strdup (chosen_from->address);
      att->bounce_source = g_strdup (chosen_from->source);
      att->verp_recipient = g_strdup (chosen->recipient);
      *campaign = g_strdup (chosen->campaign);
    }
  switch (att->verp_status)
    {
    case OOB_VERP_VERIFIED:
      att->verified = TRUE;
      break;
    case OOB_VERP_BAD_SIGNATURE:
    case OOB_VERP_EXPIRED:
      att->verified = FALSE;
      break;
    case OOB_VERP_UNSIGNED:
    case OOB_VERP_NOT_VERP:
    default:
      att->verified = !att->signature_required;
      break;
    }
}

static void
take_first (char **value, char **source, const char *candidate, const char *candidate_source)
{
  if (*value != NULL || candidate == NULL || *candidate == '\0')
    return;
  *value = g_strdup (candidate);
  *source = g_strdup (candidate_source);
}

static void
cross_check (OobAttribution *att, const OobReport *report, const ReturnedHeaders *h,
             const char *verp_campaign, GPtrArray *notes)
{
  const char *verp_rcpt = att->verp_recipient;
  if (verp_rcpt == NULL)
    return;
  guint n = report != NULL ? report->recipients->len : 0;
  if (n == 1)
    {
      const OobRecipient *r = g_ptr_array_index (report->recipients, 0);
      const char *named = oob_recipient_address (r);
      if (named != NULL && !same_address (att, verp_rcpt, r->final_recipient)
          && !same_address (att, verp_rcpt, r->original_recipient))
        g_ptr_array_add (notes, g_strdup_printf ("report recipient %s differs from VERP recipient %s",
                                                 named, verp_rcpt));
    }
  else if (n > 1)
    g_ptr_array_add (notes, g_strdup_printf ("report names %u recipients; VERP recipient %s",
                                             n, verp_rcpt));

  if (h->to != NULL)
    {
      gboolean found = FALSE;
      for (int i = 0; i < internet_address_list_length (h->to) && !found; i++)
        {
          InternetAddress *ia = internet_address_list_get_address (h->to, i);
          found = INTERNET_ADDRESS_IS_MAILBOX (ia)
                  && same_address (att, verp_rcpt, INTERNET_ADDRESS_MAILBOX (ia)->addr);
        }
      if (!found)
        {
          g_autofree char *to = internet_address_list_to_string (h->to, NULL, FALSE);
          g_ptr_array_add (notes, g_strdup_printf ("returned To: %s differs from VERP recipient %s",
                                                   to, verp_rcpt));
        }
    }
  if (h->trace_recipient != NULL && !same_address (att, verp_rcpt, h->trace_recipient))
    g_ptr_array_add (notes, g_strdup_printf ("X-KumoRef recipient %s differs from VERP recipient %s",
                                             h->trace_recipient, verp_rcpt));
  if (verp_campaign != NULL && h->campaign != NULL
      && g_ascii_strcasecmp (verp_campaign, h->campaign) != 0)
    g_ptr_array_add (notes, g_strdup_printf ("%s %s differs from VERP campaign %s",
                                             h->campaign_header, h->campaign, verp_campaign));
}

static char *
strip_angle_brackets (const char *id)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (id));
  gsize len = strlen (trimmed);
  if (len >= 2 && trimmed[0] == '<' && trimmed[len - 1] == '>')
    return g_strndup (trimmed + 1, len - 2);
  return g_steal_pointer (&trimmed);
}

OobAttribution *
oob_attribute (const OobVerpConfig *verp, const OobAttributionConfig *acfg,
               const OobEnvelope *env, const OobReport *report, gint64 today)
{
  return oob_attribute_returned (verp, acfg, env, report, NULL, today);
}

OobAttribution *
oob_attribute_returned (const OobVerpConfig *verp, const OobAttributionConfig *acfg,
                        const OobEnvelope *env, const OobReport *report, GMimeMessage *returned,
                        gint64 today)
{
  g_autoptr (OobVerpConfig) default_verp = verp ? NULL : oob_verp_config_new (NULL, NULL);
  g_autoptr (OobAttributionConfig) default_acfg = acfg ? NULL
                                                       : oob_attribution_config_new (NULL, NULL);
  verp = verp ? verp : default_verp;
  acfg = acfg ? acfg : default_acfg;

  OobAttribution *att = g_new0 (OobAttribution, 1);
  att->canonical_ = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *verp_campaign = NULL;
  attribute_envelope (att, verp, env, today, &verp_campaign);

  ReturnedHeaders h = { 0 };
  read_returned_headers (&h, acfg, report, returned);

  if (report != NULL && report->original_envelope_id != NULL)
    att->envid = g_strdup (report->original_envelope_id);
  else if (env != NULL && env->envid != NULL)
    att->envid = g_strdup (env->envid);

  g_autofree char *header_source = h.campaign_header ? g_strconcat ("header:", h.campaign_header, NULL) : NULL;
  if (att->verp_status == OOB_VERP_VERIFIED)
    take_first (&att->campaign, &att->campaign_source, verp_campaign, "verp");
  take_first (&att->campaign, &att->campaign_source, h.campaign, header_source);
  take_first (&att->campaign, &att->campaign_source, h.trace_campaign, acfg->trace_header);
  if (acfg->envid == OOB_ENVID_CAMPAIGN)
    take_first (&att->campaign, &att->campaign_source, att->envid, "envid");
  take_first (&att->campaign, &att->campaign_source, verp_campaign, "verp");

  g_autofree char *tenant_source = h.tenant_header ? g_strconcat ("header:", h.tenant_header, NULL) : NULL;
  take_first (&att->tenant, &att->tenant_source, h.tenant, tenant_source);
  take_first (&att->tenant, &att->tenant_source, h.trace_tenant, acfg->trace_header);
  if (acfg->envid == OOB_ENVID_TENANT)
    take_first (&att->tenant, &att->tenant_source, att->envid, "envid");

  const char *message_id = report && report->orig_message_id ? report->orig_message_id : h.message_id;
  if (message_id == NULL && acfg->envid == OOB_ENVID_MESSAGE_ID)
    message_id = att->envid;
  if (message_id != NULL)
    att->message_id = strip_angle_brackets (message_id);

  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  cross_check (att, report, &h, verp_campaign, notes);
  if (notes->len > 0)
    {
      g_ptr_array_add (notes, NULL);
      att->note = g_strjoinv ("; ", (char **) notes->pdata);
    }
  returned_headers_clear (&h);
  return att;
}

const char *
oob_attribution_recipient (const OobAttribution *att, const OobReport *report,
                           const OobRecipient *rcpt)
{
  guint n = report != NULL ? report->recipients->len : 0;
  const char *named = rcpt != NULL ? oob_recipient_address (rcpt) : NULL;
  if (att != NULL && att->verp_recipient != NULL && (n <= 1 || named == NULL))
    return att->verp_recipient;
  return named;
}

static void
append_note (char **slot, const char *note)
{
  if (note == NULL)
    return;
  char *joined = *slot ? g_strdup_printf ("%s; %s", *slot, note) : g_strdup (note);
  g_free (*slot);
  *slot = joined;
}

void
oob_attribution_apply (const OobAttribution *att, OobReport *report)
{
  if (att->campaign != NULL)
    oob_set_string (&report->campaign, att->campaign);
  if (att->tenant != NULL)
    oob_set_string (&report->tenant, att->tenant);
  report->unverified = !att->verified;
  if (report->orig_message_id == NULL)
    oob_set_string (&report->orig_message_id, att->message_id);
  if (report->original_envelope_id == NULL)
    oob_set_string (&report->original_envelope_id, att->envid);

  if (report->recipients->len == 0 && att->verp_recipient != NULL
      && report->type != OOB_REPORT_UNKNOWN)
    oob_report_add_recipient (report);

  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      const char *address = oob_attribution_recipient (att, report, rcpt);
      const char *named = oob_recipient_address (rcpt);
      if (address != NULL && (named == NULL || !same_address (att, address, named)))
        {
          /* Keep what the report said in the note unless the
           * cross-check already did. */
          if (named == NULL)
            append_note (&rcpt->note, "recipient from the VERP address only");
          else if (att->note == NULL || strstr (att->note, named) == NULL)
            {
              g_autofree char *kept = g_strdup_printf ("report recipient %s attributed to VERP recipient %s",
                                                       named, address);
              append_note (&rcpt->note, kept);
            }
          /* The VERP address is the one we sent to: the original recipient. */
          oob_set_string (&rcpt->original_recipient, address);
        }
      append_note (&rcpt->note, att->note);
    }
}
