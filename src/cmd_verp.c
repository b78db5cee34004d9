/* cmd_verp.c - `oobproc verp encode ADDRESS` and `oobproc verp decode RETURN-PATH`.
 *
 * Owns the command line of the two subcommands: building the [verp]
 * settings from the configuration table plus options, and printing.
 */
#include "config.h"

#include <stdio.h>

#include "mime.h"

#include "cmd_verp.h"
#include "conf.h"
#include "verp.h"

#define EXIT_NOT_VERIFIED 1
#define EXIT_USAGE 2

typedef struct {
  char *config;
  char **secrets;
  char *prefix;
  char *delimiters;
  char *domain;
  char *campaign;
  char *day_text;
  char *today_text;
  gint64 day;
  gboolean no_day;
  gint64 today;
  int tag_length;
  int max_age_days;
} VerpOptions;

static void
verp_options_clear (VerpOptions *o)
{
  g_strfreev (o->secrets);
  g_free (o->config);
  g_free (o->prefix);
  g_free (o->delimiters);
  g_free (o->domain);
  g_free (o->campaign);
  g_free (o->day_text);
  g_free (o->today_text);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VerpOptions, verp_options_clear)

/* The configuration table with the command-line settings laid over it.
 * Secrets, prefix and delimiters given on the command line apply to the
 * defaults and to the listener domain being used. */
static JsonObject *
settings_table (JsonObject *base, const VerpOptions *o)
{
  g_autofree char *text = NULL;
  JsonObject *table;
  if (base != NULL)
    {
      g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      json_node_set_object (node, base);
      g_autoptr (JsonNode) copy = json_node_copy (node);
      table = json_object_ref (json_node_get_object (copy));
    }
  else
    table = json_object_new ();

  g_autoptr (JsonObject) over = json_object_new ();
  if (o->secrets != NULL)
    {
      JsonArray *array = json_array_new ();
      for (guint i = 0; o->secrets[i] != NULL; i++)
        json_array_add_string_element (array, o->secrets[i]);
      json_object_set_array_member (over, "secrets", array);
    }
  if (o->prefix != NULL)
    json_object_set_string_member (over, "prefix", o->prefix);
  if (o->delimiters != NULL)
    json_object_set_string_member (over, "delimiters", o->delimiters);
  if (o->tag_length > 0)
    json_object_set_int_member (over, "tag_length", o->tag_length);
  if (o->max_age_days >= 0)
    json_object_set_int_member (over, "max_age_days", o->max_age_days);

  JsonNode *domains_node = json_object_get_member (table, "domains");
  JsonObject *domains = domains_node && JSON_NODE_HOLDS_OBJECT (domains_node)
                        ? json_node_get_object (domains_node) : NULL;
  g_autoptr (GList) names = json_object_get_members (over);
  for (GList *l = names; l; l = l->next)
    {
      JsonNode *value = json_object_get_member (over, l->data);
      json_object_set_member (table, l->data, json_node_copy (value));
      g_autoptr (GList) dnames = domains ? json_object_get_members (domains) : NULL;
      for (GList *d = dnames; d; d = d->next)
        {
          JsonNode *dt = json_object_get_member (domains, d->data);
          if (JSON_NODE_HOLDS_OBJECT (dt))
            json_object_set_member (json_node_get_object (dt), l->data, json_node_copy (value));
        }
    }
  return table;
}

static int
encode (const OobVerpConfig *cfg, const VerpOptions *o, const char *address)
{
  g_autoptr (GError) error = NULL;
  const OobVerpDomain *d = oob_verp_config_lookup (cfg, o->domain ? o->domain : cfg->default_domain);
  gint64 day = -1;
  if (d->secrets[0] != NULL && !o->no_day)
    day = o->day >= 0 ? o->day : (o->today >= 0 ? o->today : oob_verp_today ());
  g_autofree char *path = oob_verp_encode (cfg, o->domain, address, o->campaign, day, &error);
  if (path == NULL)
    {
      g_printerr ("oobproc verp encode: %s\n", error->message);
      return EXIT_USAGE;
    }
  printf ("%s\n", path);
  return 0;
}

static int
decode (const OobVerpConfig *cfg, const VerpOptions *o, const char *address)
{
  gint64 today = o->today >= 0 ? o->today : oob_verp_today ();
  g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, address, today);
  printf ("address: %s\n", r->address ? r->address : address);
  if (r->wrappers != NULL)
    printf ("wrappers: %s\n", r->wrappers);
  printf ("recipient: %s\n", r->recipient ? r->recipient : "");
  printf ("campaign: %s\n", r->campaign ? r->campaign : "");
  if (r->day >= 0)
    {
      g_autoptr (GDateTime) epoch = g_date_time_new_utc (1970, 1, 1, 0, 0, 0);
      g_autoptr (GDateTime) date = g_date_time_add_days (epoch, (int) r->day);
      g_autofree char *iso = g_date_time_format (date, "%Y-%m-%d");
      printf ("day: %" G_GINT64_FORMAT " (%s)\n", r->day, iso);
    }
  else
    printf ("day: \n");
  printf ("signature: %s%s\n", oob_verp_status_to_string (r->status),
          r->require_signature ? " (required)" : "");
  return r->status == OOB_VERP_VERIFIED || r->status == OOB_VERP_UNSIGNED ? 0 : EXIT_NOT_VERIFIED;
}

/* A day number option; absent leaves *out at -1. */
static gboolean
parse_day (const char *option, const char *text, gint64 *out)
{
  g_autoptr (GError) error = NULL;
  guint64 value;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT32, &value, &error))
    {
      g_printerr ("oobproc verp: %s: %s\n", option, error->message);
      return FALSE;
    }
  *out = (gint64) value;
  return TRUE;
}

/* Fills o and leaves argv[1] (encode|decode) and argv[2]; FALSE after
 * printing why the command line is wrong. */
static gboolean
parse_command_line (VerpOptions *o, int *argc, char ***argv)
{
  GOptionEntry entries[] = {
    { "config", 0, 0, G_OPTION_ARG_FILENAME, &o->config,
      "Configuration file whose [verp] table applies (default: the installed one, if any)", "FILE" },
    { "secret", 's', 0, G_OPTION_ARG_STRING_ARRAY, &o->secrets,
      "Secret (repeat: the first signs, all verify)", "S" },
    { "domain", 'd', 0, G_OPTION_ARG_STRING, &o->domain, "Bounce (listener) domain", "DOMAIN" },
    { "campaign", 'c', 0, G_OPTION_ARG_STRING, &o->campaign, "Campaign to carry in the tag", "ID" },
    { "prefix", 0, 0, G_OPTION_ARG_STRING, &o->prefix, "Local-part prefix (bounces)", "P" },
    { "delimiters", 0, 0, G_OPTION_ARG_STRING, &o->delimiters, "Delimiters (+=)", "XY" },
    { "tag-length", 0, 0, G_OPTION_ARG_INT, &o->tag_length, "Hex digits in the tag (12)", "N" },
    { "max-age-days", 0, 0, G_OPTION_ARG_INT, &o->max_age_days, "Tag lifetime, 0 for ever (30)", "N" },
    { "day", 0, 0, G_OPTION_ARG_STRING, &o->day_text, "Day to sign (days since 1970-01-01)", "N" },
    { "no-day", 0, 0, G_OPTION_ARG_NONE, &o->no_day, "Sign without a day (never expires)", NULL },
    { "today", 0, 0, G_OPTION_ARG_STRING, &o->today_text, "Today, for expiry (days since 1970-01-01)", "N" },
    { NULL }
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("encode ADDRESS | decode RETURN-PATH");
  g_option_context_set_summary (context,
      "Make a (signed) VERP return path for a recipient, or read one back.\n"
      "The algorithm is documented in docs/verp.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("oobproc verp: %s\n", error->message);
      return FALSE;
    }
  if (*argc != 3 || (!g_str_equal ((*argv)[1], "encode") && !g_str_equal ((*argv)[1], "decode")))
    {
      g_printerr ("usage: oobproc verp encode ADDRESS [--campaign ID] [--domain DOMAIN] [--secret S]...\n"
                  "       oobproc verp decode RETURN-PATH [--secret S]... [--today N]\n");
      return FALSE;
    }
  return parse_day ("--day", o->day_text, &o->day) && parse_day ("--today", o->today_text, &o->today);
}

int
oob_cmd_verp_with_table (JsonObject *base, int argc, char **argv)
{
  oob_mime_init ();
  g_auto (VerpOptions) o = { .day = -1, .today = -1, .max_age_days = -1 };
  if (!parse_command_line (&o, &argc, &argv))
    return EXIT_USAGE;

  g_autoptr (GError) error = NULL;
  g_autoptr (OobConfig) config = NULL;
  if (base == NULL)
    {
      config = oob_config_load (o.config, &error);
      if (config == NULL)
        {
          g_printerr ("oobproc verp: %s\n", error->message);
          return EXIT_USAGE;
        }
      base = oob_config_table (config, "verp");
    }
  g_autoptr (JsonObject) table = settings_table (base, &o);
  g_autoptr (OobVerpConfig) cfg = oob_verp_config_new (table, &error);
  if (cfg == NULL)
    {
      g_printerr ("oobproc verp: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (g_str_equal (argv[1], "encode"))
    return encode (cfg, &o, argv[2]);
  return decode (cfg, &o, argv[2]);
}

int
oob_cmd_verp (int argc, char **argv)
{
  return oob_cmd_verp_with_table (NULL, argc, argv);
}
