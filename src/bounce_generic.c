/* bounce_generic.c - the last resort for plain-text failure and delay
 * notices from MTAs no other family knows.  Tried after every
 * fingerprinted family (registered last in bounce.c).
 *
 * Owns three steps, none of them tied to one MTA's wording:
 *  - the gate: the headers must show a mail system wrote the message
 *    (its sender is MAILER-DAEMON / postmaster / "Mail Delivery System",
 *    or the Return-Path is null or MAILER-DAEMON, or an automated-looking
 *    sender or an Auto-Submitted header goes with a failure-notice
 *    subject), it must not be a person's forward or reply, and its text,
 *    up to the quoted original message, must state a failure or a delay
 *    (in words, or by quoting a 4xx/5xx reply as a reply: at a line's
 *    start with its enhanced code, or after "Reason:", "said:"...);
 *  - the recipients: the address after a lead-in phrase that many MTAs
 *    use ("Intended recipient:", "addressed to 'x'", "did not reach the
 *    following recipient: x", "Error-for: x", "your message to x"...),
 *    and every line led by an address ("x", "<x>:", "> x", "x - reason",
 *    "x... reason"), an address alone on its line only under words of
 *    failure or delay or with such a reason under it; never the notice's
 *    own sender or addressee, a system or no-reply mailbox, an address
 *    given to contact or write to instead, a quoted passage's, nor one
 *    after the original message or the notice's signature begins;
 *  - the reason: for a lead-in line, that line and the paragraph under it;
 *    for an address line, the rest of it, else the SMTP reply line of the
 *    notice that quotes the address, else the paragraph under it, else the
 *    notice's first reply line, else the reason it states once for all
 *    ("undeliverable due to the following reason:").  A notice that says
 *    delivery is still being tried (and not that it gave up) reports
 *    delays, with a temporary status.
 */
#include "config.h"

#include <string.h>

#include "bounce.h"
#include "bounce_text.h"
#include "plaintext.h"

/* ---- the gate ---------------------------------------------------------- */

/* A mail system's own mailbox or name anywhere in From: (address or display
 * name; "Postmaster <>" names no address at all). */
static OobPattern re_system_sender = OOB_PATTERN (
  "(?:^|[^a-z])(?:mailer[-_. ]?daemon|m-?daemon|postmaster|mail[-_. ]?delivery[-_. ]?(?:sub)?system|"
  "mail[-_. ]?administrator)(?:[^a-z]|$)",
  PCRE2_CASELESS);
/* "Mail Delivery Service" is a mail system's name only as the whole display
 * name: within a longer one it is a company's service ("Parcel Mail
 * Delivery Service", a postal service's notices). */
static OobPattern re_system_service_name = OOB_PATTERN (
  "^\\s*\"?\\s*mail[-_. ]?delivery[-_. ]?service\\s*\"?\\s*<", PCRE2_CASELESS);
/* A sender that looks automated but could be anything: a gateway, a virus
 * scanner, an administrator's, root's or a no-reply mailbox.  Weak alone. */
static OobPattern re_automated_sender = OOB_PATTERN (
  "smtp|mail[-_. ]?(?:service|server|gateway|system|robot)|gateway|anti-?virus|"
  "system[-_. ]?administrator|sysadmin|(?:^|[^a-z])(?:root|admin|administrator|nobody)@|no-?reply|do-?not-?reply",
  PCRE2_CASELESS);
/* Subjects of failure and delay notices. */
static OobPattern re_failure_subject = OOB_PATTERN (
  "undeliver(?:able|ed)|non-?deliver|not\\s+(?:been\\s+)?delivered|could\\s*not\\s+be\\s+delivered|"
  "delivery\\s+(?:status|fail|problem|error|warning|report|notification|delay)|failure\\s+notice|"
  "mail\\s+(?:delivery|error|failure|system\\s+error)|returned\\s+(?:mail|to\\s+sender)|returning\\s+message",
  PCRE2_CASELESS);
static OobPattern re_null_return_path = OOB_PATTERN ("^\\s*<\\s*>|mailer-daemon", PCRE2_CASELESS);
static OobPattern re_auto_generated = OOB_PATTERN ("^\\s*auto-generated", PCRE2_CASELESS);
static OobPattern re_auto_replied = OOB_PATTERN ("^\\s*auto-replied", PCRE2_CASELESS);

/* A mail system wrote the message: a system sender or a null Return-Path
 * alone will do; an automated-looking sender, or Auto-Submitted:
 * auto-generated (Sendmail's notices), needs a failure-notice subject too.
 * Auto-replies (RFC 3834) go out with a null Return-Path as well: one
 * marked auto-replied from a mailbox that is no mail system's, nor looks
 * automated, and returning no message, is a person's or a help desk's
 * answer, whatever it quotes. */
static gboolean
written_by_mail_system (OobMessageView *view)
{
  const char *from = oob_plain_header (view, "From");
  if ((*view->from && oob_bounce_from_mail_system (view)) ||
      (from && (oob_pattern_match (&re_system_sender, from, NULL) ||
                oob_pattern_match (&re_system_service_name, from, NULL))))
    return TRUE;
  gboolean automated = *view->from == '\0' || (from && oob_pattern_match (&re_automated_sender, from, NULL));
  const char *auto_submitted = oob_plain_header (view, "Auto-Submitted");
  if (!automated && auto_submitted && oob_pattern_match (&re_auto_replied, auto_submitted, NULL) &&
      oob_view_returned (view) == NULL)
    return FALSE;
  const char *return_path = oob_plain_header (view, "Return-Path");
  if (return_path && oob_pattern_match (&re_null_return_path, return_path, NULL))
    return TRUE;
  if (!oob_pattern_match (&re_failure_subject, view->subject, NULL))
    return FALSE;
  return automated || (auto_submitted && oob_pattern_match (&re_auto_generated, auto_submitted, NULL));
}

/* The notice states that delivery failed, in words MTAs use in general, or
 * names a failure reason itself (a few other languages' statements too). */
static OobPattern re_generic_failure = OOB_PATTERN (
  "following\\s+(?:e-?mail\\s+)?(?:address(?:es|\\(es\\))?|recipients?(?:\\(s\\))?)\\s+"
  "(?:failed|had|returned|(?:could|can|did|were|was|are|is)\\s*(?:not|n't))|"
  "addresses\\s+had\\s+(?:delivery|permanent|fatal)\\s+errors|"
  "(?:could\\s*not|can\\s*not|can't|couldn't)\\s+(?:be\\s+)?deliver|(?:unable|not\\s+able|failed)\\s+to\\s+deliver|"
  "not\\s+(?:been\\s+)?delivered|did\\s*(?:not|n't)\\s+(?:reach|receive\\s+a\\s+copy)|undeliver(?:able|ed)|"
  "delivery\\s+(?:has\\s+)?failed|delivery\\s+(?:failure|problems?|errors?)|failed\\s+permanently|"
  "(?:permanent|fatal)\\s+(?:\\w+\\s+)?errors?|failed\\s+(?:recipients?|addresses)|no\\s+valid\\s+recipients?|"
  "error-for:|"
  "(?:has\\s+been|was|is\\s+being)\\s+(?:returned|sent\\s+back|bounced)|(?:encountered|reported)\\s+an\\s+error|"
  "(?:mailbox|quota)\\s+(?:is\\s+)?(?:full|exceed)|no\\s+such\\s+(?:user|mailbox|recipient|address)|"
  "(?:error|problem|trouble)\\b[^.\\n]{0,40}?\\bdeliver|(?:wasn't|weren't|hasn't\\s+been|haven't\\s+been)\\s+delivered|"
  "(?:rejected|refused|bounced)\\s+(?:your|the|this)\\s+(?:message|mail|e-?mail)|(?:was|were|been)\\s+aborted|"
  /* "Your message to <a> was automatically rejected:" (Dovecot, Sieve) */
  "(?:message|mail|e-?mail)\\s+(?:to\\s+\\S+\\s+)?(?:was|has\\s+been)\\s+automatically\\s+(?:rejected|refused)|"
  "address\\s+(?:not\\s+found|couldn't\\s+be\\s+found)|failure\\s+reasons?|"
  "user\\s+(?:unknown|not\\s+(?:known|found))|unknown\\s+(?:user|host|domain)|host\\s+(?:unknown|not\\s+found)|"
  "invalid\\s+(?:address|recipient|mailbox|user)|"
  "(?:address|mailbox|account|user)\\s+"
  "(?:does\\s*(?:not|n't)\\s+exist|is\\s+(?:wrong|invalid|disabled|no\\s+longer\\s+valid))|"
  /* "could not send / deliver" in Chinese and Japanese, then German,
   * French, Spanish, Portuguese, Italian and Russian statements. */
  "无法(?:发送|送达|投递)|(?:配信|送信|配達)(?:でき|出来)ませんでした|届きませんでした|"
  "konnte\\s+nicht\\s+zugestellt|zustellung\\b.{0,60}?fehlgeschlagen|[eé]chec\\s+de\\s+(?:la\\s+)?remise|"
  "error\\s+en\\s+la\\s+entrega|n'a\\s+pas\\s+pu\\s+[eê]tre\\s+(?:remis|d[eé]livr|livr)|"
  "no\\s+(?:se\\s+)?(?:pudo|ha\\s+podido)\\s+(?:ser\\s+)?entregar|"
  "n[aã]o\\s+(?:p[oô]de|foi\\s+poss[ií]vel)\\s+(?:ser\\s+)?entreg|"
  "non\\s+\\S+\\s+stato\\s+(?:possibile\\s+)?consegna|"
  "не\\s+может\\s+быть\\s+доставлен|не\\s+(?:удалось|смогли)\\s+доставить|"
  "не\\s+доставлен",
  PCRE2_CASELESS);
/* The notice says delivery is still being tried... */
static OobPattern re_generic_delayed = OOB_PATTERN (
  "warning\\s+message\\s+only|warning\\s+only|has\\s+been\\s+delayed|(?:is|was)\\s+delayed|"
  "not\\s+yet\\s+been\\s+delivered|will\\s+(?:be\\s+)?retr(?:y|ied)|"
  "will\\s+(?:continue|keep)\\s+(?:to\\s+)?(?:try|trying|attempt)|attempts?\\s+will\\s+continue|"
  "been\\s+postponed|still\\s+(?:being\\s+retried|in\\s+the\\s+queue|trying)|"
  "delivery\\s+(?:is\\s+|has\\s+been\\s+)?(?:delayed|deferred)",
  PCRE2_CASELESS);
/* ...unless it also says it has given up. */
static OobPattern re_generic_given_up = OOB_PATTERN (
  "(?:given|giving)\\s+up|will\\s+not\\s+be\\s+retried|no\\s+(?:further|more)\\s+(?:delivery\\s+)?attempts|"
  "removed\\s+from\\s+the\\s+(?:mail\\s+)?queue",
  PCRE2_CASELESS);

/* The line where the quoted original message (or its description) begins:
 * a heading naming it, a sentence announcing it, or its first header; or
 * where the notice's signature begins. */
static OobPattern re_generic_original = OOB_PATTERN (
  "^[\\s>|]*[-=_*#]*\\s*(?:(?:original|returned|unsent|old)\\s+(?:message|mail|e-?mail)\\b|"
  "message\\s+text\\s+follows|"
  "(?:start|beginning)\\s+of\\s+(?:the\\s+)?(?:returned|original)\\s+(?:message|mail)|"
  "below\\s+this\\s+line|this\\s+is\\s+a\\s+copy|here\\s+is\\s+a\\s+copy|"
  "(?:a\\s+)?copy\\s+of\\s+(?:the|your)\\s+(?:original\\s+)?message|"
  "message\\s+headers?\\s+follow|enclosed\\s+(?:is|are)|included\\s+is|"
  "the\\s+original\\s+message\\s+(?:follows|is\\s+(?:attached|included|below))|"
  "(?:a\\s+)?summary\\s+of\\s+the\\s+(?:undelivered\\s+)?message|"
  "your\\s+(?:original\\s+)?message\\s+(?:reads|follows|is\\s+(?:attached|included|below))|"
  "the\\s+(?:first|header\\s+and\\s+(?:top|first))\\s+\\d+\\s+lines|"
  /* "The non-delivered message is attached", "The attachment contains the
   * original mail headers", "Message contains 2 file attachments" */
  "(?:the\\s+)?(?:non-?delivered|undelivered|bounced)\\s+message\\s+is\\s+attached|"
  "(?:the\\s+)?attachment\\s+(?:is\\s+a\\s+copy\\s+of|contains\\s+the\\s+original)|"
  "message\\s+contains\\s+\\d+\\s+file\\s+attachments)|"
  "^(?:Return-Path|Received|Message-ID|DKIM-Signature):\\s|"
  /* the signature delimiter (RFC 3676): a footer names no recipient */
  "^-- ?$",
  PCRE2_CASELESS);

/* ---- the recipients ---------------------------------------------------- */

/* An address as notices print it; quotes, <> and brackets stay outside. */
#define GENERIC_ADDRESS "([^\\s<>()\\[\\]:;,\"'@]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+)"
/* The lead-in phrases: each names the failed address right after it.  One
 * alternative a line, each a general phrase many MTAs use. */
#define LEAD_IN_PHRASES \
  /* A labelled field: "Intended recipient: x", "Failed Recipient: x", \
   * "Unknown user: x", "Undeliverable address: x", "Recipient: x". */ \
  "(?:intended|original|failed|invalid|unknown|bad|undeliverable|rejected)\\s+" \
  "(?:recipient|address|user)(?:\\(s\\)|s)?\\s*:|^\\s*recipient(?:\\s+address)?\\s*:|" \
  /* A bare "Address: x" field, and the SMTP command naming the recipient \
   * in a quoted session ("RCPT TO:<x>"). */ \
  "^\\s*address\\s*:|\\brcpt\\s+to\\s*:|" \
  /* The field block of LISTSERV-style reports: "Error-for: x". */ \
  "error-for\\s*:|" \
  /* "The following message, addressed to 'x', failed", "(Originally addressed to x)". */ \
  "addressed\\s+to|" \
  /* "could not be delivered to: x", "cannot be delivered to x", "was not \
   * delivered to x", "Message not delivered to: x". */ \
  "(?:could\\s*not|can\\s*not|can't|couldn't)\\s+be\\s+delivered\\s+to\\s*:?|\\bnot\\s+(?:been\\s+)?delivered\\s+to\\s*:?|" \
  /* Exchange's "Delivery has failed to these recipients or groups: x". */ \
  "failed\\s+to\\s+(?:these|the\\s+following)\\s+recipients?(?:\\s+or\\s+groups)?\\s*:|" \
  /* Exchange-style "did not reach the following recipient(s): x". */ \
  "did\\s*(?:not|n't)\\s+reach(?:\\s+the\\s+following\\s+recipients?(?:\\(s\\))?\\s*:)?|" \
  /* "unable to deliver your message to x", "failed to deliver to x", \
   * "could not deliver mail to x". */ \
  "(?:unable\\s+to|not\\s+able\\s+to|failed\\s+to|could\\s*not|couldn't|can\\s*not)\\s+deliver" \
  "(?:\\s+(?:(?:your|the|this)\\s+)?(?:message|mail|e-?mail))?\\s+to\\s*:?|" \
  /* "Your message to x has reached ...", "Your message to: x". */ \
  "your\\s+(?:message|mail|e-?mail)\\s+to\\s*:?|" \
  /* "Delivery to x failed", "Delivery failed: x", "Delivery failed for x", \
   * "Delivery failed 3 attempts: x". */ \
  "delivery\\s+(?:to|failed(?:\\s+[^:@]{1,30}?)?\\s*(?::|for|to))|" \
  /* A reason naming the address: "User's mailbox is full: <x>", "User unknown: x". */ \
  "(?:mailbox|quota)\\s+(?:is\\s+)?(?:full|exceed(?:s|ed)?(?:\\s+\\w+){0,3})\\s*:|" \
  "user\\s+unknown\\s*:|no\\s+such\\s+user\\s*:|" \
  /* "There was an error delivering your mail to <x>". */ \
  "(?:error|problem|trouble)\\s+delivering\\s+(?:your\\s+)?(?:message|mail|e-?mail)\\s+to|" \
  /* "undeliverable to x". */ \
  "undeliverable\\s+to|" \
  /* "You sent mail to x". */ \
  "you\\s+sent\\s+(?:mail|a\\s+message)\\s+to|" \
  /* "SMTP server <mx> rejected recipient <x>", "refused the recipient x". */ \
  "(?:rejected|refused)\\s+(?:the\\s+)?recipient|" \
  /* "The following recipients returned permanent errors: x", "the following message to <x>". */ \
  "the\\s+following\\s+(?:message\\s+to|recipients?\\s+(?:returned\\s+\\w+\\s+errors|failed)\\s*:)"

/* A lead-in phrase, then the address on the same line (maybe quoted, or
 * in Exchange's and MailEnable's "[SMTP:address]"). */
static OobPattern re_generic_lead_in = OOB_PATTERN (
  "(?:^|\\W)(?:" LEAD_IN_PHRASES ")\\s*[\"'<(\\[]?\\s*(?:smtp:)?" GENERIC_ADDRESS, PCRE2_CASELESS);

/* A lead-in phrase ending its line: the address is on the next one. */
static OobPattern re_generic_lead_in_alone = OOB_PATTERN ("(?:^|\\W)(?:" LEAD_IN_PHRASES ")\\s*$", PCRE2_CASELESS);

/* The start of a line led by an address: bare, in <> or quotes (maybe
 * after a quoted name), maybe bulleted ("*", "-", "--"), numbered or
 * '>'-quoted, maybe with Outlook's "<mailto:address>" after it. */
#define ADDRESS_LINE_START \
  "^\\s*(?:[*\\x{2022}>]+\\s*|-+\\s+|\\d+[.)]\\s+)?(?:\"[^\"]*\"\\s*)?[\"'<]?" GENERIC_ADDRESS \
  "[\"'>]?(?:<mailto:[^>]*>)?"
/* A line led by an address, with maybe a reason after ':', ';', ' - ' or
 * '...' ("x; Action: Delayed"), in [] or (), after a wide gap, or after
 * "on DATE" (Exchange).  What follows ';' is no reason when it is another
 * address: "a; b; c" lists addresses. */
static OobPattern re_generic_recipient = OOB_PATTERN (
  ADDRESS_LINE_START
  "(?:\\s*(?::|;(?!\\s*[\"'<]?[^\\s<>()\\[\\]:;,\"'@]+@)|\\.\\.\\.)\\s*(.*?)|\\s+-+\\s+(.*?)|\\s*\\[(.*)\\]|\\s*\\((.*)\\)|(?:\\s{2,}|\\t)\\s*(.*?)|"
  "\\s+on\\s+((?:[A-Za-z]{3},?\\s+)?\\d.*?))?\\s*$", 0);
/* A line led by an address and then any text: a recipient only when that
 * text states a failure or holds a reply ("x Invalid Address, 550 ..."). */
static OobPattern re_generic_recipient_said = OOB_PATTERN (ADDRESS_LINE_START "\\s+(\\S.*?)\\s*$", 0);
/* The end of a line that introduces an address that did not fail: whom to
 * ask for help, or the message's sender ("A message sent by" / "<x>"). */
static OobPattern re_generic_contact = OOB_PATTERN (
  "(?:contact|questions?|assistance|help|support|write\\s+to|reply\\s+to|sender|sent\\s+by|from|reply-to)\\s*:?\\s*$",
  PCRE2_CASELESS);
/* Words of a successful delivery ("had successful delivery notifications",
 * "was delivered to", "relayed to mailbox")... */
static OobPattern re_generic_success = OOB_PATTERN (
  "success|succeeded|(?<!not )(?:was|were|been|is)\\s+(?:successfully\\s+)?(?:delivered|relayed)\\b|\\brelayed\\b|"
  /* a DSN's action of a success, written on the recipient's line */
  "\\baction:\\s*(?:delivered|expanded)\\b",
  PCRE2_CASELESS);
/* ...unless the same line speaks of a failure. */
static OobPattern re_generic_negation = OOB_PATTERN (
  "fail|error|\\bnot\\b|n't|undeliver|unable|reject|refus|bounce|problem", PCRE2_CASELESS);
/* A line that reads as a heading: it ends in ':' or holds a rule. */
static OobPattern re_generic_heading = OOB_PATTERN (":\\s*$|[-=*_]{3,}", 0);
/* Headings of transient and of permanent failures. */
static OobPattern re_generic_transient = OOB_PATTERN (
  "transient|temporar|non-fatal|delayed|deferred|not\\s+yet|still\\s+(?:being\\s+)?(?:tried|retried|queued)",
  PCRE2_CASELESS);
static OobPattern re_generic_permanent = OOB_PATTERN ("permanent|fatal", PCRE2_CASELESS);
/* A mail system's own mailbox, or one nobody reads, is never the failed
 * recipient ("replies addressed to noreply@... are not read"). */
static OobPattern re_generic_system_mailbox = OOB_PATTERN (
  "^(?:postmaster|mailer[-_]?daemon|mail-daemon|no-?reply|do-?not-?reply)@", PCRE2_CASELESS);
/* Advice on where to write instead ("please send your message to x"):
 * that address did not fail. */
static OobPattern re_generic_advice = OOB_PATTERN (
  "(?:please|kindly|instead|you\\s+(?:may|can|could|should|might)|try\\s+to)\\s+"
  "(?:re)?(?:send|forward|direct|write|mail)\\b",
  PCRE2_CASELESS);
static OobPattern re_generic_reply = OOB_PATTERN ("(?:^|[\\s:\"])[45]\\d\\d[ -]\\S", 0);
/* A reply the notice quotes as one, which states a failure by itself: at
 * a line's start with its enhanced code or the address it refuses ("550
 * 5.1.1 ...", "<<< 554-5.7.1 ...", "550 <a@b>... User unknown"), or after
 * a label that introduces it ("Reason: 554 ...", "host H said: 550 ...",
 * "Error-Text: 550 ...").  Not any number in prose ("ticket 512 and",
 * "Room 512 - Second floor", "answered with 550 5.7.1 a few times"). */
static OobPattern re_generic_quoted_reply = OOB_PATTERN (
  "(?m)^[ \\t>]*(?:<<<[ \\t]*)?(?:([45])[0-5]\\d[ -]\\1\\.\\d{1,3}\\.\\d{1,3}\\b|[45][0-5]\\d[ -]<[^\\s<>@]+@)|"
  "\\b(?:reason|said|error|response|responded|replied|reply|answer(?:ed)?|diagnostic(?:[- ]code)?|returned|"
  "error[- ]text|smtp[- ]error)[ \\t]*:[ \\t]*(?:smtp[ \\t]*;[ \\t]*)?[45][0-5]\\d[ -]\\S", PCRE2_CASELESS);
/* A quoted session's positive reply ("<<< 250 recipient ok"). */
static OobPattern re_generic_accepted = OOB_PATTERN ("(?m)^[^\\S\\n]*<<<\\s*2\\d\\d[ -]", 0);
/* A line asking the reader to write to someone: the notice's closing
 * words, never a recipient's reason ("Please reply to postmaster@x if you
 * feel this message to be in error"). */
static OobPattern re_generic_closing = OOB_PATTERN (
  "^\\s*(?:please\\s+)?(?:reply|write|contact)\\b|\\bif\\s+you\\s+(?:feel|believe|think)\\b", PCRE2_CASELESS);
/* The heading of the reason a notice gives for all its recipients: "This
 * Message was undeliverable due to the following reason:". */
static OobPattern re_generic_reason_heading = OOB_PATTERN ("\\breasons?\\s*:\\s*$", PCRE2_CASELESS);
static OobPattern re_generic_colon_end = OOB_PATTERN (":\\s*$", 0);
static OobPattern re_generic_rule = OOB_PATTERN ("^[\\s=*_#-]*$", 0);

/* TRUE if line is '>'-quoted text. */
static gboolean
is_quoted (const char *line)
{
  return line && line[strspn (line, " \t")] == '>';
}

/* The address a lead-in phrase on line introduces, or NULL. */
static char *
lead_in_address (const char *line)
{
  if (strchr (line, '@') == NULL || oob_pattern_match (&re_generic_advice, line, NULL))
    return NULL;
  return oob_pattern_capture (&re_generic_lead_in, line, 1);
}

/* TRUE if line names a recipient, by a lead-in or leading the line. */
static gboolean
names_recipient (const char *line)
{
  if (strchr (line, '@') == NULL)
    return FALSE;
  g_autofree char *address = lead_in_address (line);
  return address || oob_pattern_match (&re_generic_recipient, line, NULL);
}

/* The notice's lines, and its SMTP reply lines indexed once by the
 * addresses they quote (a notice may list thousands of recipients). */
typedef struct {
  char **lines;
  GHashTable *replies;      /* lower-case address -> first reply line quoting it; NULL until needed */
  const char *first_reply;  /* the notice's first reply line */
  char *common_reason;      /* the reason given for all recipients; NULL until read */
  gboolean common_reason_read;
} Notice;

/* A reason paragraph is a few lines; a longer run is not one. */
#define GENERIC_PARAGRAPH_LINES 20

static OobPattern re_generic_address = OOB_PATTERN (GENERIC_ADDRESS, 0);

/* The SMTP reply line of the notice that quotes address, else (address
 * NULL) its first reply line; never a line that names a recipient. */
static const char *
reply_line (Notice *notice, const char *address)
{
  if (notice->replies == NULL)
    {
      notice->replies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (char **line = notice->lines; *line; line++)
        {
          if (!oob_pattern_match (&re_generic_reply, *line, NULL) || names_recipient (*line))
            continue;
          if (notice->first_reply == NULL)
            notice->first_reply = *line;
          g_auto (GStrv) quoted = oob_pattern_capture_all (&re_generic_address, *line, 1);
          for (char **each = quoted; *each; each++)
            {
              char *key = g_ascii_strdown (*each, -1);
              if (g_hash_table_contains (notice->replies, key))
                g_free (key);
              else
                g_hash_table_insert (notice->replies, key, *line);
            }
        }
    }
  if (address == NULL)
    return notice->first_reply;
  g_autofree char *key = g_ascii_strdown (address, -1);
  return g_hash_table_lookup (notice->replies, key);
}

/* TRUE if line ends in ':' and the next line that is not blank names a
 * recipient: the heading of a list ("The following recipients did not
 * receive your message:"), not a reason. */
static gboolean
heads_recipients (char **line)
{
  if (!oob_pattern_match (&re_generic_colon_end, *line, NULL))
    return FALSE;
  for (line++; *line && oob_bounce_blank (*line); line++)
    ;
  return *line && names_recipient (*line);
}

/* The paragraph under a line, up to a blank line (a line ending in ':',
 * "for the following reason:", carries it over one), a rule, the heading
 * of the next list, the notice's closing words, or the next line that
 * names a recipient; NULL if empty. */
static char *
following_paragraph (char **line)
{
  GString *out = g_string_new (NULL);
  gboolean lead_in = FALSE;
  int taken = 0;
  for (line++; *line && taken < GENERIC_PARAGRAPH_LINES && !names_recipient (*line); line++)
    {
      if (oob_bounce_blank (*line))
        {
          if (out->len && !lead_in)
            break;
          continue;
        }
      if (oob_pattern_match (&re_generic_rule, *line, NULL) || oob_pattern_match (&re_generic_closing, *line, NULL) ||
          heads_recipients (line))
        break;
      g_autofree char *text = g_strstrip (g_strdup (*line));
      lead_in = g_str_has_suffix (text, ":");
      g_string_append_printf (out, "%s\n", text);
      taken++;
    }
  return g_string_free (out, out->len == 0);
}

/* The reason the notice gives for all its recipients, under a heading
 * ending in "reason:" before them, or NULL. */
static const char *
common_reason (Notice *notice)
{
  if (!notice->common_reason_read)
    {
      notice->common_reason_read = TRUE;
      for (char **line = notice->lines; *line && notice->common_reason == NULL; line++)
        {
          if (names_recipient (*line))
            break;
          if (oob_pattern_match (&re_generic_reason_heading, *line, NULL))
            notice->common_reason = following_paragraph (line);
        }
    }
  return notice->common_reason;
}

/* The reason for a recipient named by a lead-in phrase: its line and the
 * paragraph under it, with the reply line that quotes the address when
 * they give no reply code. */
static char *
lead_in_reason (Notice *notice, char **line, const char *address)
{
  g_autofree char *paragraph = following_paragraph (line);
  g_autofree char *own = g_strstrip (g_strdup (*line));
  g_autofree char *text = g_strconcat (own, "\n", paragraph, NULL);
  const char *reply = oob_bounce_smtp_code (text) ? NULL : reply_line (notice, address);
  return reply && !strstr (text, reply) ? g_strconcat (text, "\n", reply, NULL) : g_steal_pointer (&text);
}

/* The reason for a recipient on a line of its own: what follows the
 * address with the indented lines that continue it ("<x>: host ... said:"
 * and the folded reply under it), else the reply line quoting the address,
 * else the paragraph under it, else the notice's first reply line, else
 * the reason it gives for all recipients. */
static char *
address_line_reason (Notice *notice, char **line, GStrv groups, const char *address)
{
  for (int i = 2; groups[i]; i++)
    if (*groups[i])
      {
        GString *out = g_string_new (groups[i]);
        char **next = line + 1;
        for (; *next && next - line <= GENERIC_PARAGRAPH_LINES && g_ascii_isspace (**next) &&
               !oob_bounce_blank (*next) && !oob_pattern_match (&re_generic_rule, *next, NULL) &&
               !names_recipient (*next);
             next++)
          g_string_append_printf (out, "\n%s", *next);
        return g_string_free (out, FALSE);
      }
  const char *reply = reply_line (notice, address);
  if (reply)
    return g_strdup (reply);
  char *paragraph = following_paragraph (line);
  if (paragraph)
    return paragraph;
  const char *first_reply = reply_line (notice, NULL);
  return g_strdup (first_reply ? first_reply : common_reason (notice));
}

/* TRUE if address is the notice's own sender or addressee (the bounce
 * address), or a mail system's mailbox. */
static gboolean
own_address (OobMessageView *view, const char *address)
{
  if (g_ascii_strcasecmp (address, view->from) == 0 ||
      oob_pattern_match (&re_generic_system_mailbox, address, NULL))
    return TRUE;
  InternetAddressList *to = g_mime_message_get_to (view->message);
  for (int i = 0; to && i < internet_address_list_length (to); i++)
    {
      InternetAddress *ia = internet_address_list_get_address (to, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (ia) &&
          g_ascii_strcasecmp (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (ia)), address) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The previous non-blank line introduces a contact address. */
static gboolean
after_contact_line (char **lines, char **line)
{
  while (line > lines && oob_bounce_blank (*(line - 1)))
    line--;
  return line > lines && oob_pattern_match (&re_generic_contact, *(line - 1), NULL);
}

/* TRUE if text states a failure or holds an SMTP reply. */
static gboolean
states_failure (const char *text)
{
  return oob_pattern_match (&re_generic_failure, text, NULL) || oob_pattern_match (&re_generic_reply, text, NULL);
}

/* TRUE if the address line's own text gave a reason (groups of
 * re_generic_recipient or re_generic_recipient_said). */
static gboolean
has_own_reason (GStrv groups)
{
  for (int i = 2; groups[i]; i++)
    if (*groups[i])
      return TRUE;
  return FALSE;
}

/* TRUE if text (the line above a list, or a reason) states a failure
 * or a delay, or is a lead-in phrase whose address is on the next line
 * ("Your message to:"). */
static gboolean
introduces_failure (const char *text)
{
  return text && (states_failure (text) || oob_pattern_match (&re_generic_delayed, text, NULL) ||
                  oob_pattern_match (&re_generic_transient, text, NULL) ||
                  oob_pattern_match (&re_generic_permanent, text, NULL) ||
                  oob_pattern_match (&re_generic_lead_in_alone, text, NULL));
}

/* TRUE if line is the heading of a list of failures ("Delivery to the
 * following recipients failed permanently:"): every line it heads that an
 * address leads names a failed recipient, whatever words follow it ("a is
 * not a valid mailbox", "a unknown"). */
static gboolean
lists_failures (const char *line)
{
  return line && oob_pattern_match (&re_generic_colon_end, line, NULL) && introduces_failure (line);
}

static gboolean
says_success (const char *text)
{
  if (text && oob_pattern_match (&re_generic_accepted, text, NULL) && !oob_pattern_match (&re_generic_reply, text, NULL))
    return TRUE; /* the server accepted it: "RCPT TO:<a>" then "<<< 250 ok" */
  return text && oob_pattern_match (&re_generic_success, text, NULL) &&
         !oob_pattern_match (&re_generic_negation, text, NULL);
}

/* A line that heads the recipients after it (until the next such line):
 * one that ends in ':' or is framed by a rule, "----- ... -----".  A
 * notice for several recipients may sort them under headings by outcome. */
static gboolean
is_heading (const char *line)
{
  return oob_pattern_match (&re_generic_heading, line, NULL);
}

/* The action a section heading gives its recipients: "delayed" under
 * transient errors, "failed" under permanent ones, else the notice's. */
static const char *
section_action (const char *heading, const char *notice_action)
{
  if (heading && oob_pattern_match (&re_generic_transient, heading, NULL))
    return "delayed";
  if (heading && oob_pattern_match (&re_generic_permanent, heading, NULL))
    return NULL;
  return notice_action;
}

/* Adds address with reason; an address named again (a list, then a
 * detail block) keeps its first reason and gains what the later one adds. */
static void
add_recipient (OobReport *report, const char *address, const char *reason, const char *action)
{
  OobRecipient *known = oob_report_find_recipient (report, address);
  if (known == NULL)
    {
      oob_bounce_add_recipient (report, address, reason, action);
      return;
    }
  g_autofree char *more = oob_bounce_unfold (reason);
  if (more == NULL || (known->diagnostic && strstr (known->diagnostic, more)))
    return;
  char *joined = known->diagnostic ? g_strconcat (known->diagnostic, " ", more, NULL) : g_steal_pointer (&more);
  g_free (known->diagnostic);
  known->diagnostic = joined;
  if (known->smtp_code == 0)
    known->smtp_code = oob_bounce_smtp_code (reason);
  if (known->remote_mta == NULL)
    known->remote_mta = oob_bounce_remote_host (reason);
}

/* A notice states failure or delay in its prose, before any long list or
 * pasted data: its statements are looked for in the whole lines of its
 * first 64 KiB only (the failure patterns cost thousands of instructions a
 * byte: a 15 MB body of base64 took seconds). */
#define STATEMENT_WINDOW 65536

static char *
statement_window (const char *text)
{
  gsize len = strlen (text);
  if (len <= STATEMENT_WINDOW)
    return g_strdup (text);
  const char *end = g_strrstr_len (text, STATEMENT_WINDOW, "\n");
  return g_strndup (text, end ? (gsize) (end - text) : 0);
}

gboolean
oob_bounce_generic (OobMessageView *view, OobReport *report)
{
  if (oob_bounce_written_in_client (view) || !written_by_mail_system (view))
    return FALSE;
  g_autofree char *body = oob_plain_body (view);
  g_autofree char *text = oob_plain_cut (body, &re_generic_original);
  g_autofree char *prose = statement_window (text);
  gboolean delayed = oob_pattern_match (&re_generic_delayed, prose, NULL) &&
                     !oob_pattern_match (&re_generic_given_up, prose, NULL);
  if (!delayed && !oob_pattern_match (&re_generic_failure, prose, NULL) &&
      !oob_pattern_match (&re_generic_quoted_reply, prose, NULL))
    return FALSE;

  const char *action = delayed ? "delayed" : NULL;
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  Notice notice = { .lines = lines };
  /* The nearest line so far that is not blank and names no recipient. */
  const char *above = NULL;
  /* Under a heading that lists failures: its list, the run of lines an
   * address leads after it, which the first blank line after them ends. */
  enum { NO_LIST, LIST_HEADED, LIST_ITEMS } listing = NO_LIST;
  for (char **line = lines; *line && !oob_report_is_full (report); line++)
    {
      if (oob_bounce_blank (*line) && listing == LIST_ITEMS)
        listing = NO_LIST;
      /* A '>'-quoted line under quoted words is a passage a reply quotes
       * (a help desk's acknowledgement, say), which names nobody; a notice
       * may quote the addresses under its own words (MDaemon's "> a"). */
      if (is_quoted (*line) && is_quoted (above))
        continue;
      g_autofree char *address = lead_in_address (*line);
      g_autofree char *reason = NULL;
      g_auto (GStrv) groups = NULL;
      if (address)
        reason = lead_in_reason (&notice, line, address);
      else if ((oob_pattern_match (&re_generic_recipient, *line, &groups) ||
                (oob_pattern_match (&re_generic_recipient_said, *line, &groups) &&
                 (states_failure (groups[2]) || listing != NO_LIST))) &&
               !after_contact_line (lines, line))
        {
          address = g_strdup (groups[1]);
          reason = address_line_reason (&notice, line, groups, address);
        }
      if (address == NULL)
        {
          if (!oob_bounce_blank (*line))
            {
              above = *line;
              listing = lists_failures (above) ? LIST_HEADED : NO_LIST;
            }
          continue;
        }
      if (listing != NO_LIST)
        listing = LIST_ITEMS;
      const char *heading = above && is_heading (above) ? above : NULL;
      /* An address alone on its line is a failed recipient under words of
       * failure or delay, or with such a reason under it, or when named
       * again (a detail block after the list); not one given for help,
       * the sender's, or one a list of copies names. */
      if (groups && !has_own_reason (groups) && !introduces_failure (above) && !introduces_failure (reason) &&
          oob_report_find_recipient (report, address) == NULL)
        continue;
      if (!own_address (view, address) && !says_success (reason) && !says_success (heading))
        add_recipient (report, address, reason, section_action (heading, action));
    }
  g_clear_pointer (&notice.replies, g_hash_table_unref);
  g_free (notice.common_reason);
  if (!oob_plain_finish (report))
    return FALSE;
  /* The notice says it is still trying: whatever class the last reply had
   * (a 552 for a full mailbox, say), the failure is temporary so far. */
  for (guint i = 0; i < report->recipients->len; i++)
    {
      OobRecipient *rcpt = g_ptr_array_index (report->recipients, i);
      if (g_strcmp0 (rcpt->action, "delayed") == 0 && rcpt->status && rcpt->status[0] == '5')
        rcpt->status[0] = '4';
    }
  return TRUE;
}
