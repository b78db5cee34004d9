/* derive.c - a status for bounces that do not state one (see derive.h).
 *
 * The phrase table maps what bounce texts say to a failure reason and its
 * pseudo status x.0.9NN; x is 4 for a temporary failure (4xx reply code),
 * 5 otherwise.  The first phrase family that matches wins.
 */
#include "config.h"

#include "derive.h"
#include "pattern.h"
#include "smtp_command.h"
#include "status.h"

enum {
  DETAIL_FILTERED = 910,
  DETAIL_USER_UNKNOWN = 911,
  DETAIL_BLOCKED = 971,
};

typedef struct {
  OobPattern pattern;
  int detail;  /* the NNN of x.0.NNN */
} Phrase;

static Phrase phrases[] = {
  /* A reply to MAIL FROM (Exim names the stage) is about the sender or the
   * session: the recipient was never tried, its fate is on hold. */
  { OOB_PATTERN ("(?i)\\bafter MAIL FROM:", 0), 901 },
  /* A DNS lookup that may succeed later is a network error, not a bad host. */
  { OOB_PATTERN ("(?i)host not found, try again|name service error .* try again", 0), 944 },
  /* Before the unknown user: "domain does not exist" names a host. */
  { OOB_PATTERN ("(?i)host (or domain name )?not found|host unknown|unrouteable|domain (does not|doesn'?t) exist|"
                 "no such domain|name or service not known|unknown host|illegal host/domain|"
                 /* resolver wording in provider notices */
                 "domain name not found|\\bnxdomain\\b|"
                 /* "mx.example.net does not exist": a bare domain, not an address */
                 "(^|[\\s:])[a-z0-9-]+(\\.[a-z0-9-]+)+\\.? does not exist", 0), 912 },
  { OOB_PATTERN ("(?i)user unknown|unknown user|no such (user|mailbox|recipient)|"
                 "mailbox (does not|doesn't) exist|does not exist|recipient (address )?rejected|"
                 "invalid recipient|unknown recipient|no mailbox here|"
                 /* directory servers (Domino, Exchange) and handsets (MMS gateways) */
                 "not listed in (?:the |public )?(?:Domino Directory|Name (?:&|and) Address Book|directory)|"
                 "recipient (?:name )?is not recognized|recipient not found|no valid recipients|"
                 "invalid (?:user|recipient) address|(?:user|address) (?:does not|doesn't) have an? \\S+ account|check if (?:the )?(?:e-?mail )?address is correct|"
                 /* Japanese: "not in the directory list", "no such address" */
                 "ディレクトリのリストにありません|宛先のアドレスは存在しません", 0), DETAIL_USER_UNKNOWN },
  { OOB_PATTERN ("(?i)(mailbox|mail ?folder|inbox) (is )?full|over ?quota|quota exceeded|exceeded storage|insufficient (disk )?space|"
                 "mailbox exceeds (?:the )?(?:allowed|maximum) size|mailbox exceeded (?:the |its )?(?:local )?limit|"
                 /* Japanese: "the mailbox is full" */
                 "メールボックスが(?:一杯|いっぱい|満杯)", 0), 922 },
  { OOB_PATTERN ("(?i)message (is )?too (big|large)|size limit|size exceeds|exceeds? .*size|"
                 /* a line longer than the server accepts (RFC 5322's 998) */
                 "line (?:length )?limit exceeded|line (?:is )?too long", 0), 934 },
  { OOB_PATTERN ("(?i)account (has been |is )?(disabled|suspended|deactivated|locked)|mailbox (is )?(disabled|inactive)", 0), 921 },
  { OOB_PATTERN ("(?i)relay(ing)? (access )?(is )?(denied|not permitted|prohibited|not allowed)|insecure mail relay|"
                 "not (allowed|permitted) to relay|unable to relay", 0), 909 },
  { OOB_PATTERN ("(?i)could not be delivered for \\d+ days|retry time(out)? exceeded|too long in (the )?queue|"
                 "(message|envelope) (has )?expired|delivery time expired|in the queue too long|"
                 "not delivered within \\d+ (?:days?|hours?)|delivery failed \\d+ attempts|"
                 "could not (be )?deliver(ed)? for (the last )?\\d+ (seconds|minutes|hours|days)", 0), 947 },
  /* Mailing-list managers refusing a poster, and a sender refused as such. */
  { OOB_PATTERN ("(?i)not (?:a )?member|members? only|not allowed to post|sender (?:address )?rejected", 0), 918 },
  /* The way to the recipient's server: unreachable, refused, routing loops.
   * (A timed-out connection is left alone: in a final bounce it means the
   * message expired.) */
  { OOB_PATTERN ("(?i)too many hops|hop count exceeded|forwarding loop|no route to host|host is unreachable|"
                 "network error|connection refused|(unable|wasn't able|failed) to (establish|open) an? (smtp )?connection", 0), 944 },
  /* The reporting system's own trouble: loops back to itself, internal errors. */
  { OOB_PATTERN ("(?i)mail(?:ing)? loop|loops? back to myself|loop (?:alert|detected)|duplicated message-id|"
                 "system error|internal (?:server )?error|local error in processing|configuration error|"
                 /* a required TLS session the remote server cannot offer */
                 "(?:does not|doesn'?t) (?:support|offer|advertise) (?:STARTTLS|TLS)|(?:STARTTLS|TLS) (?:is )?not (?:supported|available|offered)", 0), 930 },
  /* A domain that takes no mail at all (null MX, no MX). */
  { OOB_PATTERN ("(?i)does not accept (?:any )?(?:e-?)?mail|null MX|no mx (?:record|host)s?(?: found)?", 0), 932 },
  /* A sending host without (valid) reverse DNS. */
  { OOB_PATTERN ("(?i)ptr record|reverse dns|\\brdns\\b|reverse (lookup|hostname)", 0), 973 },
  { OOB_PATTERN ("(?i)spam|blacklist|blocklist|listed (at|in|on)|blocked|open relay|access denied|"
                 /* the sending IP is not one the sender's domain may use */
                 "invalid ip (?:address )?for sending|ip (?:address )?(?:is )?not (?:allowed|authori[sz]ed|permitted) to send", 0), DETAIL_BLOCKED },
};

/* KDDI (au, ezweb) leaves the address out, "550 : User unknown", when the
 * recipient's own filter refuses the sender; for a mailbox it does not
 * have it names the address, "550 <user@ezweb.ne.jp>: User unknown". */
static OobPattern re_filter_unknown_user = OOB_PATTERN ("(?i)\\b[45]\\d\\d\\s*:?\\s+:\\s*user unknown", 0);

gboolean
oob_status_filtered (const char *status, const char *text)
{
  return (status && g_str_has_suffix (status, ".0.910")) ||
         (text && oob_pattern_match (&re_filter_unknown_user, text, NULL));
}

/* The detail the stage of the session makes of what the words say. */
static int
detail_at_stage (int detail, const char *smtp_command)
{
  /* The mailbox was accepted at RCPT TO: "no such user" now is a filter's. */
  if (detail == DETAIL_USER_UNKNOWN && oob_smtp_command_after_recipients (smtp_command))
    return DETAIL_FILTERED;
  return detail;
}

char *
oob_status_derive (const char *text, int smtp_code, const char *smtp_command)
{
  char *found = oob_status_find (text);
  if (found)
    return found;
  int class = smtp_code / 100 == 4 ? 4 : 5;
  if (oob_status_filtered (NULL, text))
    return g_strdup_printf ("%d.0.%d", class, DETAIL_FILTERED);
  if (text)
    for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
      if (oob_pattern_match (&phrases[i].pattern, text, NULL))
        return g_strdup_printf ("%d.0.%d", class, detail_at_stage (phrases[i].detail, smtp_command));
  /* A refused connection or greeting, for no reason given: our host is blocked. */
  if (smtp_code / 100 >= 4 && oob_smtp_command_before_addresses (smtp_command))
    return g_strdup_printf ("%d.0.%d", class, DETAIL_BLOCKED);
  return oob_status_from_code (smtp_code);
}
