/* test-smtp-command.c - the SMTP stage a refusal answered, read from MTA
 * words, and what it changes: the derived status and the class. */
#include "config.h"

#include "classify.h"
#include "cmd_rules.h"
#include "derive.h"
#include "fixture.h"
#include "parse.h"
#include "smtp_command.h"

static void
test_find (void)
{
  static const struct {
    const char *text;
    const char *command;
  } cases[] = {
    /* Postfix, folded where its notice wraps */
    { "host mx.example.net[192.0.2.1] said: 550 5.1.1 <a@example.net>: Recipient address rejected (in reply to RCPT TO command)", "RCPT" },
    { "550 Unknown user a@example.net (in reply to end of DATA\n    command)", "DATA" },
    { "554 5.7.1 Client host rejected (in reply to MAIL FROM command)", "MAIL" },
    { "501 Syntax error (in reply to EHLO command)", "EHLO" },
    { "host mx.example.net[192.0.2.1] refused to talk to me: 554 Go away", "CONN" },
    /* a command that is no stage of its own */
    { "530 Must issue a STARTTLS command first (in reply to XFORWARD command)", NULL },
    /* Exim */
    { "SMTP error from remote mail server after RCPT TO:<a@example.net>:\n    550 no such user", "RCPT" },
    { "SMTP error from remote mail server after pipelined RCPT TO:<a@example.net>: 550 no", "RCPT" },
    { "SMTP error from remote mail server after end of data: 550 : User unknown", "DATA" },
    { "SMTP error from remote mail server after initial connection: host mx [192.0.2.1]: 554", "CONN" },
    { "SMTP error from remote mail server after MAIL FROM:<b@example.com> SIZE=1024: 550 no", "MAIL" },
    { "SMTP error from remote server for HELO command: 501 bad name", "EHLO" },
    { "SMTP error from remote mailer after RCPT TO:<a@example.net>: host mx [192.0.2.1]: 550 no", "RCPT" },
    /* qmail */
    { "Connected to 192.0.2.1 but greeting failed. Remote host said: 554 no", "CONN" },
    { "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 bad", "EHLO" },
    { "Connected to 192.0.2.1 but sender was rejected. Remote host said: 553 no", "MAIL" },
    { "192.0.2.1 does not like recipient. Remote host said: 550 no such user", "RCPT" },
    { "192.0.2.1 failed after I sent the message. Remote host said: 554 spam", "DATA" },
    /* Sendmail transcripts */
    { "... while talking to mx.example.net.:\n>>> RCPT To:<a@example.net>\n<<< 550 5.1.1 User unknown\n", "RCPT" },
    { "... while talking to mx.example.net.:\n>>> DATA\n<<< 554 5.7.1 Spam rejected\n", "DATA" },
    /* pipelined: the refusal read after DATA answered RCPT TO */
    { "... while talking to mx.example.net.:\n>>> DATA\n<<< 550 5.1.1 <a@example.net>... User unknown\n"
      "550 5.1.1 <a@example.net>... User unknown\n<<< 503 5.0.0 Need RCPT (recipient)\n", "RCPT" },
    /* no stage said */
    { "550 5.1.1 <a@example.net>: User unknown", NULL },
    { "This user doesn't have an account here", NULL },
    { NULL, NULL },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpstr (oob_smtp_command_find (cases[i].text), ==, cases[i].command);
}

static void
test_derive (void)
{
  static const struct {
    const char *text;
    int code;
    const char *command;
    const char *status;
  } cases[] = {
    /* the same words, by stage */
    { "550 User unknown", 550, "RCPT", "5.0.911" },
    { "550 User unknown", 550, NULL, "5.0.911" },
    { "550 User unknown", 550, "DATA", "5.0.910" },
    /* a stated code stands whatever the stage */
    { "550 5.1.1 User unknown", 550, "DATA", "5.1.1" },
    /* other words after DATA keep their meaning */
    { "552 Mailbox full", 552, "DATA", "5.0.922" },
    /* the widened user-unknown words follow the stage too */
    { "550 Requested action not taken: mailbox unavailable", 550, "RCPT", "5.0.911" },
    { "550 Requested action not taken: mailbox unavailable", 550, "DATA", "5.0.910" },
    /* a full mailbox is never taken for an unknown one, whatever the stage */
    { "550 Mailbox unavailable: over quota", 550, "DATA", "5.0.922" },
    /* a refused greeting with no reason: blocked; a reason given stands */
    { "554 mx.example.net", 554, "CONN", "5.0.971" },
    { "421 mx.example.net busy", 421, "EHLO", "4.0.971" },
    { "554 mx.example.net", 554, "RCPT", "5.0.0" },
    { "554 relay access denied", 554, "CONN", "5.0.909" },
    /* KDDI's filter leaves the address out; its unknown mailbox names it */
    { "550 : User unknown", 550, NULL, "5.0.910" },
    { "550: : User unknown", 550, NULL, "5.0.910" },
    { "550 <a@ezweb.example.jp>: User unknown", 550, NULL, "5.0.911" },
    /* the same words asked again with another code, then another stage
     * (derive.c remembers the last question, not only its text) */
    { "User unknown", 450, "RCPT", "4.0.911" },
    { "User unknown", 550, "RCPT", "5.0.911" },
    { "User unknown", 550, "DATA", "5.0.910" },
    { "User unknown", 550, "RCPT", "5.0.911" },
  };
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *status = oob_status_derive (cases[i].text, cases[i].code, cases[i].command);
      g_assert_cmpstr (status, ==, cases[i].status);
    }
}

static void
test_class (void)
{
  const char *why = NULL;
  /* after DATA, a vague status: the mailbox verdict is a filter's */
  g_assert_cmpstr (oob_smtp_command_class ("DATA", "5.0.0", "InvalidRecipient", &why), ==, "PolicyRelated");
  g_assert_cmpstr (why, ==, "refused at DATA");
  g_assert_cmpstr (oob_smtp_command_class ("DATA", NULL, "InvalidRecipient", &why), ==, "PolicyRelated");
  /* a specific status stands, so do other classes, and any class at RCPT */
  g_assert_null (oob_smtp_command_class ("DATA", "5.1.1", "InvalidRecipient", &why));
  g_assert_null (why);
  g_assert_null (oob_smtp_command_class ("DATA", "5.0.0", "InactiveMailbox", &why));
  g_assert_null (oob_smtp_command_class ("RCPT", "5.0.0", "InvalidRecipient", &why));
  g_assert_null (oob_smtp_command_class (NULL, "5.0.0", "InvalidRecipient", &why));
  /* before any address: nothing is about an address */
  g_assert_cmpstr (oob_smtp_command_class ("EHLO", "5.0.0", "InvalidSender", &why), ==, "PolicyRelated");
  g_assert_cmpstr (why, ==, "refused at EHLO");
  g_assert_cmpstr (oob_smtp_command_class ("CONN", "5.1.1", "InvalidRecipient", &why), ==, "PolicyRelated");
  g_assert_cmpstr (oob_smtp_command_class ("CONN", "5.0.0", "Uncategorized", &why), ==, "PolicyRelated");
  g_assert_null (oob_smtp_command_class ("CONN", "5.0.971", "SpamBlock", &why));
  /* "Spam" before any content was sent judges the sender, not the message. */
  g_assert_cmpstr (oob_smtp_command_class ("RCPT", "5.7.1", "SpamContent", &why), ==, "SpamBlock");
  g_assert_cmpstr (why, ==, "refused before DATA");
  g_assert_cmpstr (oob_smtp_command_class ("MAIL", "5.0.980", "SpamContent", &why), ==, "SpamBlock");
  g_assert_null (oob_smtp_command_class ("DATA", "5.7.1", "SpamContent", &why));
  g_assert_null (oob_smtp_command_class (NULL, "5.7.1", "SpamContent", &why));
  g_assert_null (oob_smtp_command_class ("MAIL", "5.0.0", "InvalidSender", &why));
}

/* "User unknown" as a filter's word, whatever the status: not suppressed. */
static void
test_filtered (void)
{
  g_assert_true (oob_status_filtered ("5.0.910", "550 User unknown"));
  g_assert_true (oob_status_filtered ("5.2.0", "550 : User unknown"));
  g_assert_true (oob_status_filtered (NULL, "550: : User unknown"));
  g_assert_false (oob_status_filtered ("5.0.911", "550 <a@ezweb.example.jp>: User unknown"));
  g_assert_false (oob_status_filtered (NULL, NULL));

  g_auto (GStrv) files = oob_rules_default_files (NULL);
  g_autoptr (OobRules) rules = oob_rules_load ((const char *const *) files, NULL);
  g_autoptr (OobReport) report = oob_report_new ();
  report->type = OOB_REPORT_DSN;
  OobRecipient *rcpt = oob_report_add_recipient (report);
  oob_set_string (&rcpt->final_recipient, "a@ezweb.example.jp");
  oob_set_string (&rcpt->action, "failed");
  oob_set_string (&rcpt->status, "5.2.0");
  rcpt->smtp_code = 550;
  oob_set_string (&rcpt->diagnostic, "550 : User unknown");
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_classify_recipient (rules, NULL, NULL, report, rcpt, NULL, NULL, &error));
  g_assert_cmpstr (rcpt->classification, ==, "PolicyRelated");
  g_assert_cmpstr (rcpt->policy_action, !=, "suppress");
  g_assert_true (g_str_has_suffix (rcpt->rule, ": InvalidRecipient, filtered"));
  /* the same mailbox named: unknown, suppressed */
  oob_set_string (&rcpt->diagnostic, "550 <a@ezweb.example.jp>: User unknown");
  g_assert_true (oob_classify_recipient (rules, NULL, NULL, report, rcpt, NULL, NULL, &error));
  g_assert_cmpstr (rcpt->classification, ==, "InvalidRecipient");
  g_assert_cmpstr (rcpt->policy_action, ==, "suppress");
}

/* One fixture through parsing and the shipped rules. */
static void
classify_fixture (const char *dir, const char *file, const char *command, const char *class_name,
                  const char *action)
{
  g_autoptr (OobReport) report = oob_test_parse_fixture (dir, file);
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->smtp_command, ==, command);

  g_auto (GStrv) files = oob_rules_default_files (NULL);
  g_autoptr (OobRules) rules = oob_rules_load ((const char *const *) files, NULL);
  g_assert_nonnull (rules);
  g_autoptr (GError) error = NULL;
  g_assert_true (oob_classify_recipient (rules, NULL, NULL, report, rcpt, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rcpt->classification, ==, class_name);
  g_assert_cmpstr (rcpt->policy_action, ==, action);
}

static void
test_fixtures (void)
{
  /* Postfix says the stage only in its notice; the DSN gives 5.0.0 */
  classify_fixture ("dsn", "postfix-unknown-after-data.eml", "DATA", "PolicyRelated", "ignore");
  /* 5.1.1 decides; the stage, read from the notice all the same, agrees */
  classify_fixture ("dsn", "postfix-550-user-unknown.eml", "RCPT", "InvalidRecipient", "suppress");
  /* a forward's notice names the final address, the event the original */
  classify_fixture ("dsn", "postfix-alias-forward.eml", "RCPT", "InactiveMailbox", "suppress");
  classify_fixture ("nonstandard", "exim-greeting-refused.eml", "CONN", "SpamBlock", "ignore");
  classify_fixture ("nonstandard", "exim-failed.eml", "RCPT", "InvalidRecipient", "suppress");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/smtp-command/find", test_find);
  g_test_add_func ("/smtp-command/derive", test_derive);
  g_test_add_func ("/smtp-command/class", test_class);
  g_test_add_func ("/smtp-command/filtered", test_filtered);
  g_test_add_func ("/smtp-command/fixtures", test_fixtures);
  return g_test_run ();
}
