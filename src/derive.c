/* derive.c - a status for bounces that do not state one (see derive.h).
 *
 * The phrase table maps what bounce texts say to a failure reason and its
 * pseudo status x.0.9NN; x is 4 for a temporary failure (4xx reply code),
 * 5 otherwise.  The first phrase family that matches wins.
 */
#include "config.h"

#include "derive.h"
#include "pattern.h"
#include "status.h"

typedef struct {
  OobPattern pattern;
  int detail;  /* the NNN of x.0.NNN */
} Phrase;

static Phrase phrases[] = {
  /* A DNS lookup that may succeed later is a network error, not a bad host. */
  { OOB_PATTERN ("(?i)host not found, try again|name service error .* try again", 0), 944 },
  { OOB_PATTERN ("(?i)host (or domain name )?not found|host unknown|unrouteable|domain (does not|doesn't) exist|"
                 "no such domain|name or service not known|unknown host|"
                 /* "mx.example.net does not exist": a bare domain, not an address */
                 "(^|[\\s:])[a-z0-9-]+(\\.[a-z0-9-]+)+\\.? does not exist", 0), 912 },
  { OOB_PATTERN ("(?i)user unknown|unknown user|no such (user|mailbox|recipient)|"
                 "mailbox (does not|doesn't) exist|does not exist|recipient (address )?rejected|"
                 "invalid recipient|unknown recipient|no mailbox here|(doesn't|does not) have an? [^.]{0,60}account", 0), 911 },
  { OOB_PATTERN ("(?i)no mx (record|host)s? (found )?for|null mx|does not accept (e-?)?mail", 0), 932 },
  { OOB_PATTERN ("(?i)(mailbox|mail ?folder|inbox) (is )?full|over ?quota|quota exceeded|exceeded storage|insufficient (disk )?space", 0), 922 },
  { OOB_PATTERN ("(?i)message (is )?too (big|large)|size limit|size exceeds|exceeds? .*size", 0), 934 },
  { OOB_PATTERN ("(?i)account (is |has been )?(disabled|suspended|deactivated|locked)|mailbox (is )?(disabled|inactive)", 0), 921 },
  { OOB_PATTERN ("(?i)relay(ing)? (access )?(is )?(denied|not permitted|prohibited|not allowed)|insecure mail relay|"
                 "not (allowed|permitted) to relay|unable to relay", 0), 909 },
  { OOB_PATTERN ("(?i)could not be delivered for \\d+ days|retry time(out)? exceeded|too long in (the )?queue|"
                 "(message|envelope) (has )?expired|delivery time expired|"
                 "could not (be )?deliver(ed)? for (the last )?\\d+ (seconds|minutes|hours|days)", 0), 947 },
  { OOB_PATTERN ("(?i)network error|connection (timed out|refused)|no route to host|"
                 "(unable|wasn't able|failed) to (establish|open) an? (smtp )?connection", 0), 944 },
  { OOB_PATTERN ("(?i)ptr record|reverse dns|\\brdns\\b|reverse (lookup|hostname)", 0), 973 },
  { OOB_PATTERN ("(?i)spam|blacklist|blocklist|listed (at|in|on)|blocked|open relay|access denied", 0), 971 },
};

char *
oob_status_derive (const char *text, int smtp_code)
{
  char *found = oob_status_find (text);
  if (found)
    return found;
  if (text)
    for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
      if (oob_pattern_match (&phrases[i].pattern, text, NULL))
        return g_strdup_printf ("%d.0.%d", smtp_code / 100 == 4 ? 4 : 5, phrases[i].detail);
  return oob_status_from_code (smtp_code);
}
