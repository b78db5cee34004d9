/* test-envelope.c - envelope collection: argv, each MTA's environment
 * convention, the delivery headers, and their order. */
#include "config.h"

#include <string.h>


#include "envelope.h"
#include "mime.h"

static GMimeMessage *
message_from (const char *text)
{
  GMimeMessage *message = oob_mime_parse (text, strlen (text));
  g_assert_nonnull (message);
  return message;
}

static void
assert_candidates (const OobEnvelope *env, const char *const *expected)
{
  guint n = g_strv_length ((char **) expected) / 2;
  g_assert_cmpuint (env->candidates->len, ==, n);
  for (guint i = 0; i < n; i++)
    {
      const OobEnvelopeAddress *a = g_ptr_array_index (env->candidates, i);
      g_assert_cmpstr (a->address, ==, expected[2 * i]);
      g_assert_cmpstr (a->source, ==, expected[2 * i + 1]);
    }
  if (n > 0)
    {
      g_assert_cmpstr (env->recipient, ==, expected[0]);
      g_assert_cmpstr (env->source, ==, expected[1]);
    }
  else
    {
      g_assert_null (env->recipient);
      g_assert_null (env->source);
    }
}

typedef struct {
  const char *name;
  const char *opt_sender, *opt_recipient;
  const char *envp[12];
  const char *sender, *envid, *extension;
  const char *candidates[9]; /* address, source pairs */
} EnvCase;

static const EnvCase env_cases[] = {
  { "argv only", "<mailer-daemon@example.com>", "bounces+john=example.com@bounce.example.net",
    { NULL }, "mailer-daemon@example.com", NULL, NULL,
    { "bounces+john=example.com@bounce.example.net", "argv" } },
  { "null sender from argv", "<>", " <bounces+john=example.com@bounce.example.net> ",
    { NULL }, "", NULL, NULL,
    { "bounces+john=example.com@bounce.example.net", "argv" } },
  { "postfix local(8)", NULL, NULL,
    { "ORIGINAL_RECIPIENT=bounces+john=example.com@bounce.example.net",
      "RECIPIENT=oob@localhost.example.net", "SENDER=", "EXTENSION=john=example.com",
      "LOCAL=oob", "DOMAIN=localhost.example.net", "ENVID=cmp-42.msg-7", "USER=oob", NULL },
    "", "cmp-42.msg-7", "john=example.com",
    { "bounces+john=example.com@bounce.example.net", "env:postfix",
      "oob@localhost.example.net", "env:postfix" } },
  { "postfix without ORIGINAL_RECIPIENT", NULL, NULL,
    { "RECIPIENT=bounces+john=example.com@bounce.example.net", "EXTENSION=john=example.com",
      "SENDER=MAILER-DAEMON", NULL },
    "MAILER-DAEMON", NULL, "john=example.com",
    { "bounces+john=example.com@bounce.example.net", "env:postfix" } },
  { "exim pipe transport", NULL, NULL,
    { "LOCAL_PART=bounces", "LOCAL_PART_SUFFIX=+john=example.com", "DOMAIN=bounce.example.net",
      "RECIPIENT=bounces+john=example.com@bounce.example.net", "SENDER=",
      "MESSAGE_ID=1abcDE-000123-Xy", NULL },
    "", NULL, "+john=example.com",
    { "bounces+john=example.com@bounce.example.net", "env:exim" } },
  { "exim without RECIPIENT", NULL, NULL,
    { "LOCAL_PART_PREFIX=", "LOCAL_PART=bounces", "LOCAL_PART_SUFFIX=+john=example.com",
      "DOMAIN=bounce.example.net", NULL },
    NULL, NULL, "+john=example.com",
    { "bounces+john=example.com@bounce.example.net", "env:exim" } },
  { "qmail-local", NULL, NULL,
    { "RECIPIENT=bounces-john=example.com@bounce.example.net", "EXT=john=example.com",
      "HOST=bounce.example.net", "LOCAL=bounces-john=example.com", "SENDER=",
      "DTLINE=Delivered-To: bounces-john=example.com@bounce.example.net", NULL },
    "", NULL, "john=example.com",
    { "bounces-john=example.com@bounce.example.net", "env:qmail" } },
  { "plain RECIPIENT", NULL, NULL,
    { "RECIPIENT=bounces+john=example.com@bounce.example.net", "SENDER=<>", NULL },
    "", NULL, NULL,
    { "bounces+john=example.com@bounce.example.net", "env" } },
  { "argv before the environment, duplicates dropped", "", "BOUNCES+john=example.com@bounce.example.net",
    { "ORIGINAL_RECIPIENT=bounces+john=example.com@bounce.example.net",
      "RECIPIENT=oob@localhost.example.net", "SENDER=someone@example.org", NULL },
    "", NULL, NULL,
    { "BOUNCES+john=example.com@bounce.example.net", "argv",
      "oob@localhost.example.net", "env:postfix" } },
  { "empty values are absent", NULL, "",
    { "RECIPIENT=", "ORIGINAL_RECIPIENT=", "HOST=", NULL },
    NULL, NULL, NULL,
    { NULL } },
  { "nothing at all", NULL, NULL, { NULL }, NULL, NULL, NULL, { NULL } },
};

static void
test_environment_conventions (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (env_cases); i++)
    {
      const EnvCase *c = &env_cases[i];
      g_test_message ("%s", c->name);
      g_autoptr (OobEnvelope) env = oob_envelope_collect (c->opt_sender, c->opt_recipient,
                                                          c->envp, NULL);
      g_assert_cmpstr (env->sender, ==, c->sender);
      g_assert_cmpstr (env->envid, ==, c->envid);
      g_assert_cmpstr (env->extension, ==, c->extension);
      assert_candidates (env, c->candidates);
    }
}

static const char DELIVERED[] =
  "Return-Path: <>\n"
  "X-Original-To: bounces+john=example.com@bounce.example.net\n"
  "Delivered-To: oob@localhost.example.net\n"
  "Delivered-To: bounces+john=example.com@bounce.example.net\n"
  "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\n"
  "To: Bounces <bounces+john=example.com@bounce.example.net>, other@example.net\n"
  "Subject: Undelivered Mail Returned to Sender\n"
  "\n"
  "body\n";

static void
test_headers (void)
{
  g_autoptr (GMimeMessage) message = message_from (DELIVERED);
  g_autoptr (OobEnvelope) env = oob_envelope_collect (NULL, NULL, NULL, message);
  const char *expected[] = {
    "bounces+john=example.com@bounce.example.net", "header:X-Original-To",
    "oob@localhost.example.net", "header:Delivered-To",
    "other@example.net", "header:To",
    NULL,
  };
  assert_candidates (env, expected);
  g_assert_cmpstr (env->sender, ==, "");  /* from Return-Path: <> */
}

static void
test_order_argv_env_headers (void)
{
  g_autoptr (GMimeMessage) message = message_from (
      "Delivered-To: bounces+jane=example.org@bounce.example.net\n"
      "To: bounces+joe=example.org@bounce.example.net\n"
      "Subject: x\n\nbody\n");
  const char *envp[] = { "ORIGINAL_RECIPIENT=bounces+env=example.org@bounce.example.net",
                         "SENDER=sender@example.org", NULL };
  g_autoptr (OobEnvelope) env = oob_envelope_collect (NULL, "bounces+argv=example.org@bounce.example.net",
                                                      envp, message);
  const char *expected[] = {
    "bounces+argv=example.org@bounce.example.net", "argv",
    "bounces+env=example.org@bounce.example.net", "env:postfix",
    "bounces+jane=example.org@bounce.example.net", "header:Delivered-To",
    "bounces+joe=example.org@bounce.example.net", "header:To",
    NULL,
  };
  assert_candidates (env, expected);
  g_assert_cmpstr (env->sender, ==, "sender@example.org");
}

static void
test_headers_without_addresses (void)
{
  g_autoptr (GMimeMessage) message = message_from ("Subject: nothing\nTo: undisclosed-recipients:;\n\nbody\n");
  g_autoptr (OobEnvelope) env = oob_envelope_collect (NULL, NULL, NULL, message);
  const char *expected[] = { NULL };
  assert_candidates (env, expected);
  g_assert_null (env->sender);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  oob_mime_init ();
  g_test_add_func ("/envelope/environment-conventions", test_environment_conventions);
  g_test_add_func ("/envelope/headers", test_headers);
  g_test_add_func ("/envelope/order", test_order_argv_env_headers);
  g_test_add_func ("/envelope/headers-without-addresses", test_headers_without_addresses);
  return g_test_run ();
}
