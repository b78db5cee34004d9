/* test-autoreply.c - RFC 3834 auto-replies and out-of-office messages (autoreply.c).
 *
 * Each auto-reply fixture must give one autoreply recipient, the address
 * that replied, with no action; bounces that carry Auto-Submitted:
 * auto-replied, reports, and ordinary messages must not.
 */
#include "config.h"

#include <string.h>

#include "fixture.h"
#include "parse.h"

static void
assert_autoreply (const OobReport *report, const char *address)
{
  g_assert_cmpint (report->type, ==, OOB_REPORT_AUTOREPLY);
  g_assert_cmpstr (report->parser, ==, "rfc3834");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (oob_recipient_address (rcpt), ==, address);
  g_assert_null (rcpt->action);
  g_assert_null (rcpt->status);
  g_assert_cmpint (oob_recipient_kind (report, rcpt), ==, OOB_KIND_AUTOREPLY);
}

typedef struct {
  const char *file;
  const char *address;
  const char *marker;  /* the report field that says why */
} AutoreplyCase;

static const AutoreplyCase fixture_cases[] = {
  { "autoreply/rfc3834-vacation.eml", "uma@example.org", "Auto-Submitted" },
  { "autoreply/precedence-auto-reply.eml", "victor@example.net", "Precedence" },
  { "autoreply/x-autoreply.eml", "wendy@example.org", "X-Autoreply" },
  { "autoreply/x-autorespond.eml", "xavier@example.net", "X-Autorespond" },
  { "autoreply/icloud-vacation.eml", "yara@icloud.test", "X-Apple-Action" },
  { "autoreply/exchange-automatic-reply.eml", "karl@corp.example.net", "X-MS-Exchange-Inbox-Rules-Loop" },
  { "autoreply/de-abwesenheitsnotiz.eml", "zeno@example.test", "Subject" },
  { "autoreply/fr-reponse-automatique.eml", "amelie@example.fr.test", "Subject" },
  { "autoreply/es-respuesta-automatica.eml", "bruno@example.es.test", "Subject" },
  { "autoreply/ja-iso2022jp.eml", "sato@example.jp.test", "Subject" },
  /* A program's answer to our message: generated, and a reply. */
  { "autoreply/auto-generated-reply.eml", "support@example.net", "Auto-Submitted" },
};

static void
test_fixture (gconstpointer data)
{
  const AutoreplyCase *c = data;
  g_autofree char *message = oob_test_read_fixture (c->file, NULL, NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  assert_autoreply (report, c->address);
  g_assert_nonnull (oob_report_get_field (report, c->marker));
}

static void
test_in_reply_to (void)
{
  g_autofree char *message = oob_test_read_fixture ("autoreply/rfc3834-vacation.eml", NULL, NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  assert_autoreply (report, "uma@example.org");
  g_assert_cmpstr (oob_report_get_field (report, "Auto-Submitted"), ==, "auto-replied (vacation)");
  g_assert_cmpstr (report->orig_message_id, ==, "20261101.cea123@mailer.example.com");
}

static void
test_line_ends (void)
{
  g_autofree char *data = oob_test_read_fixture ("autoreply/fr-reponse-automatique.eml", NULL, NULL);
  g_auto (GStrv) lines = g_strsplit (data, "\n", -1);
  const char *const ends[] = { "\r\n", "\r" };
  for (gsize i = 0; i < G_N_ELEMENTS (ends); i++)
    {
      g_autofree char *converted = g_strjoinv (ends[i], lines);
      g_autoptr (OobReport) report = oob_parse_message (converted, strlen (converted));
      assert_autoreply (report, "amelie@example.fr.test");
    }
}

/* A plain reply from someone@example.net with the given subject (UTF-8,
 * sent RFC 2047-encoded) and extra header lines. */
static char *
reply_with (const char *subject, const char *headers, const char *body)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) subject, strlen (subject));
  return g_strdup_printf ("From: Someone <someone@example.net>\n"
                          "To: bounces+someone=example.net@bounce.example.com\n"
                          "Subject: =?UTF-8?B?%s?=\n"
                          "%s"
                          "MIME-Version: 1.0\n"
                          "Content-Type: text/plain; charset=utf-8\n"
                          "\n"
                          "%s\n",
                          encoded, headers, body);
}

static const char *const out_of_office_subjects[] = {
  "Out of Office: Spring sale",
  "Automatic reply: Spring sale",
  "[Auto-Reply] Spring sale",
  "Jo Bloggs is out of the office.",
  "AUTO: Jo Bloggs is away until 9 November",
  "Automatische Antwort: Frühjahrsangebot",
  "Absence : soldes de printemps",
  "Message d'absence : soldes de printemps",
  "OOO: Spring sale",
  "Fuera de la oficina: rebajas",
  "Risposta automatica: saldi di primavera",
  "Automatisch antwoord: voorjaarsuitverkoop",
  "Resposta automática: promoção",
  "自动回复: 春季促销",
  "自動回覆：春季特賣",
  "Автоматический ответ: весенняя распродажа",
  "Odpowiedź automatyczna: wyprzedaż",
  "Autosvar: vårrea",
};

static void
test_subjects (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (out_of_office_subjects); i++)
    {
      g_test_message ("subject: %s", out_of_office_subjects[i]);
      g_autofree char *message = reply_with (out_of_office_subjects[i], "", "I am away this week.");
      g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
      assert_autoreply (report, "someone@example.net");
      g_assert_cmpstr (oob_report_get_field (report, "Subject"), ==, out_of_office_subjects[i]);
    }
}

/* Replies by people, and mailings, whose subject mentions an absence
 * somewhere other than at the start, or that are sent to a list. */
static void
test_subject_negatives (void)
{
  static const struct {
    const char *subject;
    const char *headers;
  } cases[] = {
    { "Re: Out of office chairs on sale", "" },
    { "Re: Spring sale", "" },
    { "Autumn sale: AUTO: parts half price", "" },
    { "Out of office ideas for the summer", "List-Unsubscribe: <mailto:leave@lists.example.net>\n" },
    { "Automatic reply: our digest", "Precedence: list\n" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *message = reply_with (cases[i].subject, cases[i].headers, "Thanks for writing.");
      g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
      g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
    }
}

static void
test_not_autoreply_fixtures (gconstpointer name)
{
  g_autofree char *message = oob_test_read_fixture (name, NULL, NULL);
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, !=, OOB_REPORT_AUTOREPLY);
  for (guint i = 0; i < report->recipients->len; i++)
    g_assert_cmpint (oob_recipient_kind (report, g_ptr_array_index (report->recipients, i)), !=, OOB_KIND_AUTOREPLY);
}

/* Auto-Submitted: auto-replied on a bounce from a mail gateway that is not
 * called MAILER-DAEMON: its text reads like a bounce. */
static void
test_gateway_bounce (void)
{
  g_autofree char *message = reply_with ("Automatic reply: message rejected", "Auto-Submitted: auto-replied\n",
                                         "Your message to someone@example.net was rejected:\n"
                                         "    554 5.7.1 Message refused by content filter");
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, !=, OOB_REPORT_AUTOREPLY);
}

/* The same marks on a message from MAILER-DAEMON, or with a bounce header. */
static void
test_daemon_and_bounce_headers (void)
{
  static const char *const variants[] = {
    "From: Mail Delivery System <MAILER-DAEMON@mx.example.net>\n",
    "From: postmaster@mx.example.net\n",
    "From: someone@example.net\nX-Failed-Recipients: someone@example.net\n",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *message = g_strconcat (variants[i],
                                              "To: bounces+someone=example.net@bounce.example.com\n"
                                              "Subject: Automatic reply: Spring sale\n"
                                              "Auto-Submitted: auto-replied\n"
                                              "\n"
                                              "Your message could not be sent.\n", NULL);
      g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
      g_assert_cmpint (report->type, !=, OOB_REPORT_AUTOREPLY);
    }
}

/* A read receipt (RFC 8098 MDN) is auto-replied but is a report. */
static void
test_read_receipt (void)
{
  static const char message[] =
    "From: someone@example.net\n"
    "To: bounces+someone=example.net@bounce.example.com\n"
    "Subject: Read: Spring sale\n"
    "Auto-Submitted: auto-replied\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"mdn\"\n"
    "\n"
    "--mdn\n"
    "Content-Type: text/plain\n"
    "\n"
    "Your message was displayed.\n"
    "--mdn\n"
    "Content-Type: message/disposition-notification\n"
    "\n"
    "Final-Recipient: rfc822; someone@example.net\n"
    "Disposition: manual-action/MDN-sent-manually; displayed\n"
    "--mdn--\n";
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, !=, OOB_REPORT_AUTOREPLY);
}

/* Auto-Submitted: auto-generated (what reports carry) is not an auto-reply
 * mark, nor is X-Auto-Response-Suppress. */
static void
test_auto_generated (void)
{
  g_autofree char *message = reply_with ("Your invoice", "Auto-Submitted: auto-generated\nX-Auto-Response-Suppress: All\n",
                                         "Please find your invoice online.");
  g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
  g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
  /* Answering our message, it is an automatic reply; a list's posting in
   * the thread is not, nor a person's reply that asks for no
   * out-of-office answers (Outlook's X-Auto-Response-Suppress). */
  g_autofree char *answer = reply_with ("Your invoice", "Auto-Submitted: auto-generated\nReferences: <20261101.x@mailer.example.com>\n",
                                        "We received your message.");
  g_autoptr (OobReport) answered = oob_parse_message (answer, strlen (answer));
  assert_autoreply (answered, "someone@example.net");
  g_autofree char *person = reply_with ("Your invoice", "X-Auto-Response-Suppress: DR, OOF, AutoReply\nReferences: <20261101.x@mailer.example.com>\n",
                                        "Thanks, but I paid it last week.");
  g_autoptr (OobReport) personal = oob_parse_message (person, strlen (person));
  g_assert_cmpint (personal->type, ==, OOB_REPORT_UNKNOWN);
  g_autofree char *posting = reply_with ("Your invoice", "Auto-Submitted: auto-generated\nIn-Reply-To: <20261101.x@mailer.example.com>\n"
                                         "List-Id: <news.lists.example.net>\n", "A digest.");
  g_autoptr (OobReport) posted = oob_parse_message (posting, strlen (posting));
  g_assert_cmpint (posted->type, ==, OOB_REPORT_UNKNOWN);
  /* An issue tracker's or a calendar's update threads its own messages
   * (ids of its own domain): it answers nobody.  Its answer to our
   * message, referring to our id, is an automatic reply. */
  g_autofree char *update = reply_with ("[PROJ-12] Bounce handling", "Auto-Submitted: auto-generated\n"
                                        "Message-ID: <PROJ-12.1700000000@tracker.example.net>\n"
                                        "In-Reply-To: <PROJ-12@tracker.example.net>\n"
                                        "References: <PROJ-12@tracker.example.net>\n",
                                        "Heidi commented on PROJ-12.");
  g_autoptr (OobReport) updated = oob_parse_message (update, strlen (update));
  g_assert_cmpint (updated->type, ==, OOB_REPORT_UNKNOWN);
  g_autofree char *ticket = reply_with ("[PROJ-13] Your invoice", "Auto-Submitted: auto-generated\n"
                                        "Message-ID: <PROJ-13.1700000001@tracker.example.net>\n"
                                        "References: <PROJ-13@tracker.example.net> <20261101.x@mailer.example.com>\n",
                                        "Your request PROJ-13 was opened.");
  g_autoptr (OobReport) opened = oob_parse_message (ticket, strlen (ticket));
  assert_autoreply (opened, "someone@example.net");
}

/* A host's own system mail marked auto-replied is no one's reply: sudo's
 * security report, Exim's "Mail failure -" error messages, mail from root;
 * the same marker on a person's away message is one. */
static void
test_system_mail (void)
{
  static const char *const subjects[] = {
    "*** SECURITY information for host.example.net ***",
    "Mail failure - malformed recipient address",
  };
  for (gsize i = 0; i < G_N_ELEMENTS (subjects); i++)
    {
      g_autofree char *message = reply_with (subjects[i], "Auto-Submitted: auto-replied\n", "host.example.net : a note");
      g_autoptr (OobReport) report = oob_parse_message (message, strlen (message));
      g_assert_cmpint (report->type, ==, OOB_REPORT_UNKNOWN);
    }
  g_autofree char *away = reply_with ("Away until Monday", "Auto-Submitted: auto-replied\n", "I am away.");
  g_autoptr (OobReport) person = oob_parse_message (away, strlen (away));
  assert_autoreply (person, "someone@example.net");
  g_autoptr (GString) from_root = g_string_new (away);
  g_string_replace (from_root, "Someone <someone@example.net>", "root@host.example.net", 1);
  g_autoptr (OobReport) root = oob_parse_message (from_root->str, from_root->len);
  g_assert_cmpint (root->type, ==, OOB_REPORT_UNKNOWN);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (fixture_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/autoreply/fixture/%s", fixture_cases[i].file);
      g_test_add_data_func (path, &fixture_cases[i], test_fixture);
    }
  g_test_add_func ("/autoreply/in-reply-to", test_in_reply_to);
  g_test_add_func ("/autoreply/line-ends", test_line_ends);
  g_test_add_func ("/autoreply/subjects", test_subjects);
  g_test_add_func ("/autoreply/subject-negatives", test_subject_negatives);
  g_test_add_data_func ("/autoreply/negative/x-auto-response-suppress", "other/x-auto-response-suppress.eml",
                        test_not_autoreply_fixtures);
  g_test_add_data_func ("/autoreply/negative/human-reply", "other/human-reply-address-gone.eml",
                        test_not_autoreply_fixtures);
  g_test_add_data_func ("/autoreply/negative/postfix-bounce", "other/postfix-text-bounce-auto-replied.eml",
                        test_not_autoreply_fixtures);
  g_test_add_data_func ("/autoreply/negative/apple-unsubscribe", "arf/apple-unsubscribe.eml",
                        test_not_autoreply_fixtures);
  g_test_add_data_func ("/autoreply/negative/dsn", "dsn/postfix-550-user-unknown.eml", test_not_autoreply_fixtures);
  g_test_add_func ("/autoreply/negative/gateway-bounce", test_gateway_bounce);
  g_test_add_func ("/autoreply/negative/daemon", test_daemon_and_bounce_headers);
  g_test_add_func ("/autoreply/negative/read-receipt", test_read_receipt);
  g_test_add_func ("/autoreply/negative/auto-generated", test_auto_generated);
  g_test_add_func ("/autoreply/negative/system-mail", test_system_mail);
  return g_test_run ();
}
