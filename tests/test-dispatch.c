/* test-dispatch.c - choosing the parser cheaply must not change the choice.
 *
 * Every family in oob_bounce_parsers that has a candidate test is run on
 * every fixture (and on the messages below, for families no fixture
 * shows): whenever the family answers, its candidate test must hold, and
 * whenever the test fails, the family must decline and leave the report
 * as it found it (so skipping it is the same as running it).  Set
 * OOB_DISPATCH_EXTRA_DIR to a directory of messages to check those too.
 * Also: oob_pattern_match_length() against matching a copy.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "pattern.h"

/* Families whose wording no fixture shows: our own short samples. */
static const char *const extra_messages[] = {
  /* x1: "---The following addresses had delivery errors---" */
  "From: postmaster@mail.example.net\n"
  "To: sender@example.com\n"
  "Subject: Delivery failure\n"
  "Content-Type: text/plain\n"
  "\n"
  "---The following addresses had delivery errors---\n"
  "\n"
  "<ann@example.org> [550 5.1.1 no such mailbox here]\n"
  "\n",
};

typedef struct {
  guint answered;   /* messages the family recognised */
  guint ruled_out;  /* messages its candidate test ruled out */
} FamilyCount;

static gboolean
report_is_pristine (const OobReport *r)
{
  return r->type == OOB_REPORT_UNKNOWN && r->parser == NULL && r->reporting_mta == NULL &&
         r->arrival_date == NULL && r->original_envelope_id == NULL && r->received_from_mta == NULL &&
         r->orig_message_id == NULL && r->orig_from == NULL && r->orig_to == NULL &&
         r->orig_subject == NULL && r->orig_headers == NULL && r->feedback_type == NULL &&
         r->fields->len == 0 && r->campaign == NULL && r->tenant == NULL && !r->unverified &&
         r->note == NULL && r->recipients->len == 0;
}

static void
check_message (const char *label, const char *data, gsize len, FamilyCount *counts)
{
  g_autoptr (GMimeMessage) message = oob_mime_parse (data, len);
  g_assert_nonnull (message);
  guint i = 0;
  for (const OobParser *parser = oob_bounce_parsers; parser->name; parser++, i++)
    {
      if (parser->candidate == NULL)
        continue;
      /* A fresh view for each: the test sees what the family sees first. */
      OobMessageView view;
      oob_view_init (&view, message);
      gboolean candidate = parser->candidate (&view);
      oob_view_clear (&view);
      oob_view_init (&view, message);
      g_autoptr (OobReport) report = oob_report_new ();
      gboolean answered = parser->parse (&view, report);
      oob_view_clear (&view);
      if (answered && !candidate)
        g_error ("%s: %s answers but its candidate test ruled it out", label, parser->name);
      if (!candidate && !report_is_pristine (report))
        g_error ("%s: %s was ruled out but writes to the report when run", label, parser->name);
      counts[i].answered += answered;
      counts[i].ruled_out += !candidate;
    }
}

static void
check_directory (const char *path, FamilyCount *counts, guint *messages)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_assert_nonnull (dir);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        check_directory (child, counts, messages);
      else if (g_str_has_suffix (name, ".eml"))
        {
          g_autofree char *data = NULL;
          gsize len = 0;
          g_assert_true (g_file_get_contents (child, &data, &len, NULL));
          check_message (child, data, len, counts);
          (*messages)++;
        }
    }
}

static void
test_candidates_sound (void)
{
  guint families = 0;
  for (const OobParser *parser = oob_bounce_parsers; parser->name; parser++)
    families++;
  g_autofree FamilyCount *counts = g_new0 (FamilyCount, families);
  guint messages = 0;
  g_autofree char *fixtures = g_build_filename (OOB_SRCDIR, "fixtures", NULL);
  check_directory (fixtures, counts, &messages);
  for (gsize i = 0; i < G_N_ELEMENTS (extra_messages); i++)
    check_message ("extra message", extra_messages[i], strlen (extra_messages[i]), counts);
  const char *extra = g_getenv ("OOB_DISPATCH_EXTRA_DIR");
  if (extra && *extra)
    check_directory (extra, counts, &messages);
  g_assert_cmpuint (messages, >, 50);

  /* Not vacuous: each tested family answered somewhere, and each
   * candidate test ruled out some message. */
  guint i = 0;
  for (const OobParser *parser = oob_bounce_parsers; parser->name; parser++, i++)
    {
      if (parser->candidate == NULL)
        continue;
      if (counts[i].answered == 0)
        g_error ("no message shows %s: its candidate test is untested", parser->name);
      if (counts[i].ruled_out == 0)
        g_error ("the candidate test of %s never rules anything out", parser->name);
    }
}

/* The whole dispatch agrees with the family answering first: a family
 * ruled out never wins, and the winner of each sample is the right one. */
static void
test_extra_messages_dispatch (void)
{
  g_autoptr (OobReport) report = oob_parse_message (extra_messages[0], strlen (extra_messages[0]));
  g_assert_cmpstr (report->parser, ==, "x1");
  g_assert_cmpuint (report->recipients->len, ==, 1);
  OobRecipient *rcpt = g_ptr_array_index (report->recipients, 0);
  g_assert_cmpstr (rcpt->final_recipient, ==, "ann@example.org");
  g_assert_cmpstr (rcpt->status, ==, "5.1.1");
}

static OobPattern re_line_end = OOB_PATTERN ("done\\s*$", 0);
static OobPattern re_lookahead = OOB_PATTERN ("^alpha(?!\\nbeta)", 0);
static OobPattern re_whole_line = OOB_PATTERN ("^\\s*alpha\\s*$", PCRE2_CASELESS);

static void
test_match_length (void)
{
  const char *text = "alpha\nbeta done\ngamma";
  /* Each line in place, as matching a copy of it. */
  const char *line = text;
  for (const char *end; line != NULL; line = end ? end + 1 : NULL)
    {
      end = strchr (line, '\n');
      gsize length = end ? (gsize) (end - line) : strlen (line);
      g_autofree char *copy = g_strndup (line, length);
      OobPattern *patterns[] = { &re_line_end, &re_lookahead, &re_whole_line };
      for (gsize i = 0; i < G_N_ELEMENTS (patterns); i++)
        g_assert_cmpint (oob_pattern_match_length (patterns[i], line, length), ==,
                         oob_pattern_match (patterns[i], copy, NULL));
    }
  /* The text after length is not seen: "$" holds at the cut, and the
   * lookahead cannot see the next line. */
  g_assert_true (oob_pattern_match_length (&re_lookahead, text, 5));
  g_assert_false (oob_pattern_match (&re_lookahead, text, NULL));
  g_assert_true (oob_pattern_match_length (&re_line_end, text + 6, 9));
  g_assert_true (oob_pattern_match_length (&re_whole_line, text, 5));
  g_assert_false (oob_pattern_match_length (&re_whole_line, text, 7));
}

/* Captures through the shared match data: groups of one match do not leak
 * into the next, and a pattern with more groups than the shared block
 * holds still gets them all. */
static OobPattern re_two = OOB_PATTERN ("(a)(b)?", 0);
static OobPattern re_many = OOB_PATTERN (
  "(1)(2)(3)(4)(5)(6)(7)(8)(9)(10)(11)(12)(13)(14)(15)(16)(17)(18)(19)(20)"
  "(21)(22)(23)(24)(25)(26)(27)(28)(29)(30)(31)(32)(33)(34)(35)", 0);

static void
test_match_groups (void)
{
  g_auto (GStrv) first = NULL;
  g_assert_true (oob_pattern_match (&re_two, "ab", &first));
  g_assert_cmpuint (g_strv_length (first), ==, 3);
  g_assert_cmpstr (first[2], ==, "b");
  g_auto (GStrv) second = NULL;
  g_assert_true (oob_pattern_match (&re_two, "a", &second));
  g_assert_cmpuint (g_strv_length (second), ==, 3);
  g_assert_cmpstr (second[2], ==, "");

  g_autoptr (GString) digits = g_string_new (NULL);
  for (int i = 1; i <= 35; i++)
    g_string_append_printf (digits, "%d", i);
  g_auto (GStrv) many = NULL;
  g_assert_true (oob_pattern_match (&re_many, digits->str, &many));
  g_assert_cmpuint (g_strv_length (many), ==, 36);
  g_assert_cmpstr (many[35], ==, "35");
  g_autofree char *last = oob_pattern_capture (&re_many, digits->str, 35);
  g_assert_cmpstr (last, ==, "35");
  g_auto (GStrv) all = oob_pattern_capture_all (&re_two, "ab a ab", 2);
  g_assert_cmpuint (g_strv_length (all), ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dispatch/candidates-sound", test_candidates_sound);
  g_test_add_func ("/dispatch/extra-messages", test_extra_messages_dispatch);
  g_test_add_func ("/dispatch/pattern-match-length", test_match_length);
  g_test_add_func ("/dispatch/pattern-groups", test_match_groups);
  return g_test_run ();
}
