/* test-verp.c - VERP decoding tables, encoding, the signed tag, expiry,
 * key rotation, configuration errors and the docs/verp.md test vector. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "mime.h"

#include "cmd_verp.h"
#include "verp.h"

#define TODAY 20779 /* 2026-11-22 */
#define SECRET_A "first-secret-of-the-test-suite"
#define SECRET_B "second-secret-of-the-test-suite"

static OobVerpConfig *
config_from (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  g_assert_no_error (error);
  OobVerpConfig *cfg = oob_verp_config_new (json_node_get_object (node), &error);
  g_assert_no_error (error);
  g_assert_nonnull (cfg);
  return cfg;
}

static const char *const BASE_CONFIG =
  "{ \"domain\": \"bounce.example.net\","
  "  \"domains\": { \"qmail.example.org\": { \"prefix\": \"ret\", \"delimiters\": \"-=\" },"
  "                 \"strict.example.net\": { \"require_signature\": true,"
  "                                           \"secrets\": [\"" SECRET_A "\"] } } }";

typedef struct {
  const char *address;
  OobVerpStatus status;
  const char *recipient;   /* NULL: none */
  const char *wrappers;    /* NULL: none */
  const char *bounce_domain;
} DecodeCase;

static const DecodeCase decode_cases[] = {
  /* Postfix style */
  { "bounces+john=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john@example.com", NULL, "bounce.example.net" },
  { "<bounces+john=example.com@bounce.example.net>", OOB_VERP_UNSIGNED, "john@example.com", NULL, "bounce.example.net" },
  { "Bounce Handler <bounces+john=example.com@bounce.example.net>", OOB_VERP_UNSIGNED, "john@example.com", NULL, "bounce.example.net" },
  /* '=' inside the local part: split at the last '=' */
  { "bounces+a=b=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "a=b@example.com", NULL, "bounce.example.net" },
  /* plus-addressing in the recipient */
  { "bounces+john+news=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john+news@example.com", NULL, "bounce.example.net" },
  { "bounces+john+2d=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john+2d@example.com", NULL, "bounce.example.net" },
  /* upper case: prefix matched case-insensitively, domains lowered, local part kept */
  { "BOUNCES+JOHN=EXAMPLE.COM@BOUNCE.EXAMPLE.NET", OOB_VERP_UNSIGNED, "JOHN@example.com", NULL, "bounce.example.net" },
  /* IDN domains, A-label and UTF-8 */
  { "bounces+user=xn--bcher-kva.example@bounce.example.net", OOB_VERP_UNSIGNED, "user@xn--bcher-kva.example", NULL, "bounce.example.net" },
  { "bounces+user=B\xc3\xbc" "cher.example@bounce.example.net", OOB_VERP_UNSIGNED, "user@xn--bcher-kva.example", NULL, "bounce.example.net" },
  /* UTF-8 local part, raw and escaped */
  { "bounces+jos\xc3\xa9=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "jos\xc3\xa9@example.com", NULL, "bounce.example.net" },
  { "bounces+jos+C3+A9=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "jos\xc3\xa9@example.com", NULL, "bounce.example.net" },
  /* a lone high-byte escape is not UTF-8: left literal */
  { "bounces+john+ad=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john+ad@example.com", NULL, "bounce.example.net" },
  /* Courier-style escapes */
  { "bounces+a+3Db=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "a=b@example.com", NULL, "bounce.example.net" },
  { "bounces+a+2bb=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "a+b@example.com", NULL, "bounce.example.net" },
  { "bounces+john+20doe=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "\"john doe\"@example.com", NULL, "bounce.example.net" },
  { "bounces+a.+2Eb=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "\"a..b\"@example.com", NULL, "bounce.example.net" },
  /* quoted local part in the bounce address itself */
  { "\"bounces+john doe=example.com\"@bounce.example.net", OOB_VERP_UNSIGNED, "\"john doe\"@example.com", NULL, "bounce.example.net" },
  /* not VERP: no delimiter, empty parts, other prefixes, bad domains */
  { "bounces@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "bounces+johnexample.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "bounces+=example.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "bounces+john=@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "bounces+john=exa_mple.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  /* GMime refuses a local part with ".." (not a dot-atom) */
  { "bounces+john=example..com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, NULL },
  { "bouncesx+john=example.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "bounces-john=example.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  { "postmaster@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  /* qmail / ezmlm style on a listener with its own prefix and delimiters */
  { "ret-john=example.com@qmail.example.org", OOB_VERP_UNSIGNED, "john@example.com", NULL, "qmail.example.org" },
  { "ret-john-smith=example.com@qmail.example.org", OOB_VERP_UNSIGNED, "john-smith@example.com", NULL, "qmail.example.org" },
  { "RET-John=Example.Com@Qmail.Example.Org", OOB_VERP_UNSIGNED, "John@example.com", NULL, "qmail.example.org" },
  { "bounces+john=example.com@qmail.example.org", OOB_VERP_NOT_VERP, NULL, NULL, "qmail.example.org" },
  /* a tag suffix that is not a tag is a bad signature, recipient kept */
  { "bounces+john=example.com+@bounce.example.net", OOB_VERP_BAD_SIGNATURE, "john@example.com", NULL, "bounce.example.net" },
  { "bounces+john=example.com+xyz@bounce.example.net", OOB_VERP_BAD_SIGNATURE, "john@example.com", NULL, "bounce.example.net" },
  { "bounces+john=example.com+0123456789ab.q1@bounce.example.net", OOB_VERP_BAD_SIGNATURE, "john@example.com", NULL, "bounce.example.net" },
  /* BATV */
  { "prvs=1234abcdef=bounces+john=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john@example.com", "prvs", "bounce.example.net" },
  { "PRVS=0207c3a1f9=bounces+a=b=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "a=b@example.com", "prvs", "bounce.example.net" },
  { "prvs=bounces+john=example.com/1234abcdef@bounce.example.net", OOB_VERP_UNSIGNED, "john@example.com", "prvs", "bounce.example.net" },
  { "btv1==0123456789a==bounces+john=example.com@bounce.example.net", OOB_VERP_UNSIGNED, "john@example.com", "btv1", "bounce.example.net" },
  { "prvs=short=bounces+john=example.com@bounce.example.net", OOB_VERP_NOT_VERP, NULL, NULL, "bounce.example.net" },
  /* SRS */
  { "SRS0=HHH1=TT=bounce.example.net=bounces+john=example.com@forwarder.example.org", OOB_VERP_UNSIGNED, "john@example.com", "srs0", "bounce.example.net" },
  { "srs0+HHH1=TT=bounce.example.net=bounces+a=b=example.com@forwarder.example.org", OOB_VERP_UNSIGNED, "a=b@example.com", "srs0", "bounce.example.net" },
  { "SRS1=HHH2=first.example.org==HHH1=TT=bounce.example.net=bounces+john=example.com@second.example.org", OOB_VERP_UNSIGNED, "john@example.com", "srs1,srs0", "bounce.example.net" },
  { "prvs=1234abcdef=SRS0=HHH1=TT=qmail.example.org=ret-john=example.com@forwarder.example.org", OOB_VERP_UNSIGNED, "john@example.com", "prvs,srs0", "qmail.example.org" },
  { "SRS0=HHH1=TT=bounce.example.net@forwarder.example.org", OOB_VERP_NOT_VERP, NULL, NULL, "forwarder.example.org" },
};

static void
test_decode_table (void)
{
  g_autoptr (OobVerpConfig) cfg = config_from (BASE_CONFIG);
  for (guint i = 0; i < G_N_ELEMENTS (decode_cases); i++)
    {
      const DecodeCase *c = &decode_cases[i];
      g_test_message ("decode %s", c->address);
      g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, c->address, TODAY);
      g_assert_cmpstr (oob_verp_status_to_string (r->status), ==,
                       oob_verp_status_to_string (c->status));
      g_assert_cmpstr (r->recipient, ==, c->recipient);
      g_assert_cmpstr (r->wrappers, ==, c->wrappers);
      g_assert_cmpstr (r->bounce_domain, ==, c->bounce_domain);
      g_assert_false (r->require_signature);
    }
}

static void
test_decode_unparsable (void)
{
  g_autoptr (OobVerpConfig) cfg = config_from (BASE_CONFIG);
  const char *bad[] = { "", "<>", "no-at-sign", "@bounce.example.net" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, bad[i], TODAY);
      g_assert_cmpint (r->status, ==, OOB_VERP_NOT_VERP);
      g_assert_null (r->recipient);
    }
  g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, NULL, TODAY);
  g_assert_cmpint (r->status, ==, OOB_VERP_NOT_VERP);
}

static void
test_require_signature_per_domain (void)
{
  g_autoptr (OobVerpConfig) cfg = config_from (BASE_CONFIG);
  g_autoptr (OobVerpResult) strict = oob_verp_decode (cfg, "bounces+john=example.com@STRICT.example.net", TODAY);
  g_assert_true (strict->require_signature);
  g_assert_cmpint (strict->status, ==, OOB_VERP_UNSIGNED);
  g_autoptr (OobVerpResult) lax = oob_verp_decode (cfg, "bounces+john=example.com@bounce.example.net", TODAY);
  g_assert_false (lax->require_signature);
  const OobVerpDomain *q = oob_verp_config_lookup (cfg, "qmail.example.org");
  g_assert_cmpstr (q->prefix, ==, "ret");
  g_assert_cmpint (q->delimiter, ==, '-');
  g_assert_cmpint (q->tag_length, ==, 12);    /* inherited */
  g_assert_cmpint (q->max_age_days, ==, 30);  /* inherited */
  g_assert_cmpstr (cfg->default_domain, ==, "bounce.example.net");
}

/* The docs/verp.md test vector; the expected values were computed with
 * Python's hmac module, independently of this code. */
static void
test_vector (void)
{
  g_autofree char *full = oob_verp_tag ("oobproc-test-vector-secret-1", "john.doe@example.com",
                                        "spring-2026", 20779, 64);
  g_assert_cmpstr (full, ==, "a82d1b1f1ed5435f69c400e962c346b536c7c8e19dccd1f9c9d955bc8c0ff586");
  g_autofree char *bare = oob_verp_tag ("oobproc-test-vector-secret-1", "john.doe@example.com",
                                        NULL, -1, 12);
  g_assert_cmpstr (bare, ==, "747e4c9fb3ed");

  g_autoptr (OobVerpConfig) cfg = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"oobproc-test-vector-secret-1\"] }");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = oob_verp_encode (cfg, NULL, "John.Doe@Example.COM", "Spring-2026", 20779, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, "bounces+John.Doe=example.com+a82d1b1f1ed5.d20779.cspring-2026@bounce.example.net");
  g_autofree char *plain = oob_verp_encode (cfg, NULL, "John.Doe@Example.COM", NULL, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain, ==, "bounces+John.Doe=example.com+747e4c9fb3ed@bounce.example.net");

  g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, path, 20779);
  g_assert_cmpint (r->status, ==, OOB_VERP_VERIFIED);
  g_assert_cmpstr (r->recipient, ==, "John.Doe@example.com");
  g_assert_cmpstr (r->campaign, ==, "spring-2026");
  g_assert_cmpint (r->day, ==, 20779);
  g_assert_cmpstr (r->tag, ==, "a82d1b1f1ed5");
}

static void
test_signature_accept_reject (void)
{
  g_autoptr (OobVerpConfig) cfg = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_A "\"] }");
  g_autoptr (GError) error = NULL;
  g_autofree char *path = oob_verp_encode (cfg, NULL, "john@example.com", "c1", TODAY, &error);
  g_assert_no_error (error);

  g_autoptr (OobVerpResult) ok = oob_verp_decode (cfg, path, TODAY);
  g_assert_cmpint (ok->status, ==, OOB_VERP_VERIFIED);

  /* An MTA that upper-cases the whole return path does not break it. */
  g_autofree char *upper = g_ascii_strup (path, -1);
  g_autoptr (OobVerpResult) up = oob_verp_decode (cfg, upper, TODAY);
  g_assert_cmpint (up->status, ==, OOB_VERP_VERIFIED);
  g_assert_cmpstr (up->campaign, ==, "c1");

  /* Forgeries: each changes one thing the tag covers. */
  struct { const char *from, *to; } edits[] = {
    { "john=", "jon=" },              /* another recipient */
    { "example.com+", "example.org+" },
    { ".cc1", ".cc2" },               /* another campaign */
    { ".cc1", "" },                   /* campaign dropped */
    { ".d20779", ".d20778" },         /* another day */
    { ".d20779", "" },                /* day dropped */
  };
  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_auto (GStrv) parts = g_strsplit (path, edits[i].from, 2);
      g_assert_cmpuint (g_strv_length (parts), ==, 2);
      g_autofree char *forged = g_strjoin (edits[i].to, parts[0], parts[1], NULL);
      g_test_message ("forged %s", forged);
      g_autoptr (OobVerpResult) r = oob_verp_decode (cfg, forged, TODAY);
      g_assert_cmpint (r->status, ==, OOB_VERP_BAD_SIGNATURE);
      g_assert_nonnull (r->recipient);
    }

  /* A truncated tag, and a listener without secrets. */
  g_autoptr (OobVerpResult) shortened = oob_verp_decode (
      cfg, "bounces+john=example.com+0123abcd@bounce.example.net", TODAY);
  g_assert_cmpint (shortened->status, ==, OOB_VERP_BAD_SIGNATURE);
  g_autoptr (OobVerpConfig) none = config_from ("{}");
  g_autoptr (OobVerpResult) unverifiable = oob_verp_decode (none, path, TODAY);
  g_assert_cmpint (unverifiable->status, ==, OOB_VERP_BAD_SIGNATURE);

  /* Another secret does not verify it. */
  g_autoptr (OobVerpConfig) other = config_from ("{ \"secrets\": [\"" SECRET_B "\"] }");
  g_autoptr (OobVerpResult) wrong = oob_verp_decode (other, path, TODAY);
  g_assert_cmpint (wrong->status, ==, OOB_VERP_BAD_SIGNATURE);
}

static void
test_signature_expiry (void)
{
  g_autoptr (OobVerpConfig) cfg = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_A "\"], \"max_age_days\": 10 }");
  g_autoptr (GError) error = NULL;
  g_autofree char *dated = oob_verp_encode (cfg, NULL, "john@example.com", NULL, TODAY, &error);
  g_assert_no_error (error);
  g_autofree char *undated = oob_verp_encode (cfg, NULL, "john@example.com", NULL, -1, &error);
  g_assert_no_error (error);

  struct { gint64 today; OobVerpStatus dated, undated; } cases[] = {
    { TODAY, OOB_VERP_VERIFIED, OOB_VERP_VERIFIED },
    { TODAY + 10, OOB_VERP_VERIFIED, OOB_VERP_VERIFIED },
    { TODAY + 11, OOB_VERP_EXPIRED, OOB_VERP_VERIFIED },
    { TODAY + 400, OOB_VERP_EXPIRED, OOB_VERP_VERIFIED },
    { TODAY - 1, OOB_VERP_VERIFIED, OOB_VERP_VERIFIED },  /* one day of clock skew */
    { TODAY - 2, OOB_VERP_EXPIRED, OOB_VERP_VERIFIED },   /* from the future */
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (OobVerpResult) d = oob_verp_decode (cfg, dated, cases[i].today);
      g_autoptr (OobVerpResult) u = oob_verp_decode (cfg, undated, cases[i].today);
      g_assert_cmpstr (oob_verp_status_to_string (d->status), ==,
                       oob_verp_status_to_string (cases[i].dated));
      g_assert_cmpstr (oob_verp_status_to_string (u->status), ==,
                       oob_verp_status_to_string (cases[i].undated));
    }

  /* max_age_days = 0: dated tags never expire. */
  g_autoptr (OobVerpConfig) forever = config_from (
      "{ \"secrets\": [\"" SECRET_A "\"], \"max_age_days\": 0 }");
  g_autoptr (OobVerpResult) old = oob_verp_decode (forever, dated, TODAY + 5000);
  g_assert_cmpint (old->status, ==, OOB_VERP_VERIFIED);
}

static void
test_key_rotation (void)
{
  g_autoptr (OobVerpConfig) before = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_A "\"] }");
  g_autoptr (OobVerpConfig) during = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_B "\", \"" SECRET_A "\"] }");
  g_autoptr (OobVerpConfig) after = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_B "\"] }");
  g_autoptr (GError) error = NULL;
  g_autofree char *old_path = oob_verp_encode (before, NULL, "john@example.com", NULL, TODAY, &error);
  g_assert_no_error (error);
  g_autofree char *new_path = oob_verp_encode (during, NULL, "john@example.com", NULL, TODAY, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (old_path, !=, new_path);

  /* During rotation both verify; the new one is signed with the first secret. */
  g_autoptr (OobVerpResult) a = oob_verp_decode (during, old_path, TODAY);
  g_autoptr (OobVerpResult) b = oob_verp_decode (during, new_path, TODAY);
  g_assert_cmpint (a->status, ==, OOB_VERP_VERIFIED);
  g_assert_cmpint (b->status, ==, OOB_VERP_VERIFIED);
  g_autoptr (OobVerpResult) c = oob_verp_decode (after, new_path, TODAY);
  g_assert_cmpint (c->status, ==, OOB_VERP_VERIFIED);
  g_autoptr (OobVerpResult) d = oob_verp_decode (after, old_path, TODAY);
  g_assert_cmpint (d->status, ==, OOB_VERP_BAD_SIGNATURE);
  g_autoptr (OobVerpResult) e = oob_verp_decode (before, new_path, TODAY);
  g_assert_cmpint (e->status, ==, OOB_VERP_BAD_SIGNATURE);
}

/* Every recipient survives encode -> decode, signed and unsigned. */
static void
test_round_trip (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "john@example.com", "john@example.com" },
    { "John.Doe@EXAMPLE.com", "John.Doe@example.com" },
    { "a=b@example.com", "a=b@example.com" },
    { "john+news@example.com", "john+news@example.com" },
    { "john+2b@example.com", "john+2b@example.com" },
    { "\"john doe\"@example.com", "\"john doe\"@example.com" },
    { "\"a..b\"@example.com", "\"a..b\"@example.com" },
    { "\"we\\\"ird@x\"@example.com", "\"we\\\"ird@x\"@example.com" },
    { "jos\xc3\xa9@example.com", "jos\xc3\xa9@example.com" },
    { "user@b\xc3\xbc" "cher.example", "user@xn--bcher-kva.example" },
    { "o'brien@example.org", "o'brien@example.org" },
  };
  g_autoptr (OobVerpConfig) plain = config_from ("{ \"domain\": \"bounce.example.net\","
      " \"domains\": { \"qmail.example.org\": { \"prefix\": \"ret\", \"delimiters\": \"-=\" } } }");
  g_autoptr (OobVerpConfig) signed_cfg = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_A "\"] }");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const OobVerpConfig *cfgs[] = { plain, signed_cfg };
      const char *domains[] = { NULL, "qmail.example.org" };
      for (guint k = 0; k < G_N_ELEMENTS (cfgs); k++)
        for (guint j = 0; j < G_N_ELEMENTS (domains); j++)
          {
            g_autoptr (GError) error = NULL;
            g_autofree char *path = oob_verp_encode (cfgs[k], domains[j], cases[i].in,
                                                     k ? "c-1" : NULL, k ? TODAY : -1, &error);
            g_assert_no_error (error);
            g_test_message ("%s -> %s", cases[i].in, path);
            /* The local part must need no quoting and be ASCII. */
            g_autofree char *local = NULL, *domain = NULL;
            g_assert_true (oob_address_split (path, &local, &domain));
            g_assert_false (g_str_has_prefix (path, "\""));
            for (const char *p = path; *p; p++)
              g_assert_cmpint ((guchar) *p, <, 0x80);
            g_autoptr (OobVerpResult) r = oob_verp_decode (cfgs[k], path, TODAY);
            g_assert_cmpint (r->status, ==, k ? OOB_VERP_VERIFIED : OOB_VERP_UNSIGNED);
            g_assert_cmpstr (r->recipient, ==, cases[i].out);
          }
    }
}

static void
test_encode_errors (void)
{
  g_autoptr (OobVerpConfig) nodomain = config_from ("{}");
  g_autoptr (OobVerpConfig) cfg = config_from (
      "{ \"domain\": \"bounce.example.net\", \"secrets\": [\"" SECRET_A "\"] }");
  struct { const OobVerpConfig *cfg; const char *domain, *rcpt, *campaign; gint64 day; } cases[] = {
    { nodomain, NULL, "john@example.com", NULL, -1 },          /* no listener domain */
    { nodomain, "bad domain", "john@example.com", NULL, -1 },
    { nodomain, "bounce.example.net", "john@example.com", "c1", -1 }, /* campaign needs a secret */
    { nodomain, "bounce.example.net", "john@example.com", NULL, TODAY }, /* so does a day */
    { cfg, NULL, "not an address", NULL, -1 },
    { cfg, NULL, "john@", NULL, -1 },
    { cfg, NULL, "john@example.com", "spring sale", -1 },
    { cfg, NULL, "john@example.com", "a.b", -1 },
    { cfg, NULL, "john@example.com", "", -1 },
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *path = oob_verp_encode (cases[i].cfg, cases[i].domain, cases[i].rcpt,
                                               cases[i].campaign, cases[i].day, &error);
      g_assert_null (path);
      g_assert_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_ENCODE);
    }
}

static void
test_config_errors (void)
{
  const char *bad[] = {
    "{ \"prefx\": \"bounces\" }",
    "{ \"prefix\": \"\" }",
    "{ \"prefix\": 3 }",
    "{ \"delimiters\": \"+\" }",
    "{ \"delimiters\": \"++\" }",
    "{ \"delimiters\": \"=+\" }",
    "{ \"delimiters\": \"a=\" }",
    "{ \"delimiters\": \"+@\" }",
    "{ \"secrets\": \"one-secret-not-an-array\" }",
    "{ \"secrets\": [\"short\"] }",
    "{ \"secrets\": [42] }",
    "{ \"tag_length\": 4 }",
    "{ \"tag_length\": 65 }",
    "{ \"max_age_days\": -1 }",
    "{ \"require_signature\": \"yes\" }",
    "{ \"domain\": \"not a domain\" }",
    "{ \"domains\": [] }",
    "{ \"domains\": { \"bounce.example.net\": 1 } }",
    "{ \"domains\": { \"bounce.example.net\": { \"domain\": \"x.example\" } } }",
    "{ \"domains\": { \"bounce.example.net\": { \"tag_length\": 2 } } }",
    "{ \"domains\": { \"Bounce.example.net\": {}, \"bounce.example.net\": {} } }",
  };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonNode) node = json_from_string (bad[i], &error);
      g_assert_no_error (error);
      g_test_message ("config %s", bad[i]);
      g_autoptr (OobVerpConfig) cfg = oob_verp_config_new (json_node_get_object (node), &error);
      g_assert_null (cfg);
      g_assert_error (error, OOB_VERP_ERROR, OOB_VERP_ERROR_CONFIG);
    }

  g_autoptr (GError) error = NULL;
  g_autoptr (OobVerpConfig) defaults = oob_verp_config_new (NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (defaults->defaults.prefix, ==, "bounces");
  g_assert_cmpint (defaults->defaults.delimiter, ==, '+');
  g_assert_cmpint (defaults->defaults.at_delimiter, ==, '=');
  g_assert_cmpint (defaults->defaults.tag_length, ==, 12);
  g_assert_cmpint (defaults->defaults.max_age_days, ==, 30);
  g_assert_false (defaults->defaults.require_signature);
  g_assert_null (defaults->defaults.secrets[0]);
}

static void
test_address_helpers (void)
{
  g_autofree char *a = oob_address_canonical ("John Doe <John.Doe@Example.COM>");
  g_assert_cmpstr (a, ==, "john.doe@example.com");
  g_autofree char *b = oob_address_canonical ("\"John Doe\"@B\xc3\xbc" "cher.example");
  g_assert_cmpstr (b, ==, "john doe@xn--bcher-kva.example");
  g_autofree char *c = oob_address_canonical ("nobody");
  g_assert_null (c);
  g_autofree char *d = oob_address_join ("a b", "example.com");
  g_assert_cmpstr (d, ==, "\"a b\"@example.com");
  g_autofree char *e = oob_address_join ("a.b", "example.com");
  g_assert_cmpstr (e, ==, "a.b@example.com");
  g_autofree char *f = oob_address_join (".a", "example.com");
  g_assert_cmpstr (f, ==, "\".a\"@example.com");
}

/* `oobproc verp` through oob_cmd_verp, run in a subprocess so its
 * output and exit status can be checked. */
static int
run_verp (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (argv, g_strdup ("verp"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  g_autofree char **shallow = g_new (char *, argv->len);
  memcpy (shallow, argv->pdata, argv->len * sizeof (char *));
  return oob_cmd_verp ((int) argv->len - 1, shallow);
}

static void
test_command_encode (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "encode", "John.Doe@Example.COM", "--campaign", "Spring-2026",
                             "--domain", "bounce.example.net", "--day", "20779",
                             "--secret", "oobproc-test-vector-secret-1", NULL };
      exit (run_verp (args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("bounces+John.Doe=example.com+a82d1b1f1ed5.d20779.cspring-2026@bounce.example.net\n");
}

static void
test_command_decode (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "decode",
                             "bounces+John.Doe=example.com+a82d1b1f1ed5.d20779.cspring-2026@bounce.example.net",
                             "--secret", "oobproc-test-vector-secret-1", "--today", "20780", NULL };
      exit (run_verp (args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*recipient: John.Doe@example.com\n"
                             "campaign: spring-2026\n"
                             "day: 20779 (2026-11-22)\n"
                             "signature: verified\n");
}

static void
test_command_decode_expired (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "decode",
                             "bounces+John.Doe=example.com+a82d1b1f1ed5.d20779.cspring-2026@bounce.example.net",
                             "--secret", "oobproc-test-vector-secret-1", "--today", "20810", NULL };
      exit (run_verp (args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*signature: expired\n");
}

static void
test_command_usage (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "frobnicate", "x@example.com", NULL };
      exit (run_verp (args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*usage: oobproc verp encode*");
}

/* A [verp] table from the configuration file, with --secret laid over
 * both the defaults and the listener's own entry. */
static void
test_command_with_table (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (JsonNode) node = json_from_string (
          "{ \"domain\": \"bounce.example.net\","
          "  \"domains\": { \"bounce.example.net\": { \"prefix\": \"ret\", \"secrets\": [\"" SECRET_B "\"] } } }",
          NULL);
      const char *args[] = { "verp", "encode", "john@example.com", "--secret", SECRET_A, "--no-day", NULL };
      exit (oob_cmd_verp_with_table (json_node_get_object (node), 6, (char **) args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *tag = oob_verp_tag (SECRET_A, "john@example.com", NULL, -1, 12);
  g_autofree char *expected = g_strdup_printf ("ret+john=example.com+%s@bounce.example.net\n", tag);
  g_test_trap_assert_stdout (expected);
}

static void
test_command_bad_setting (void)
{
  if (g_test_subprocess ())
    {
      const char *args[] = { "decode", "bounces+john=example.com@bounce.example.net",
                             "--delimiters", "++", NULL };
      exit (run_verp (args));
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*delimiters*differ*");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  oob_mime_init ();
  g_test_add_func ("/verp/decode-table", test_decode_table);
  g_test_add_func ("/verp/decode-unparsable", test_decode_unparsable);
  g_test_add_func ("/verp/require-signature-per-domain", test_require_signature_per_domain);
  g_test_add_func ("/verp/test-vector", test_vector);
  g_test_add_func ("/verp/signature-accept-reject", test_signature_accept_reject);
  g_test_add_func ("/verp/signature-expiry", test_signature_expiry);
  g_test_add_func ("/verp/key-rotation", test_key_rotation);
  g_test_add_func ("/verp/round-trip", test_round_trip);
  g_test_add_func ("/verp/encode-errors", test_encode_errors);
  g_test_add_func ("/verp/config-errors", test_config_errors);
  g_test_add_func ("/verp/address-helpers", test_address_helpers);
  g_test_add_func ("/verp/command/encode", test_command_encode);
  g_test_add_func ("/verp/command/decode", test_command_decode);
  g_test_add_func ("/verp/command/decode-expired", test_command_decode_expired);
  g_test_add_func ("/verp/command/usage", test_command_usage);
  g_test_add_func ("/verp/command/with-table", test_command_with_table);
  g_test_add_func ("/verp/command/bad-setting", test_command_bad_setting);
  return g_test_run ();
}
