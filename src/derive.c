/* derive.c - a status for bounces that do not state one (see derive.h).
 *
 * The phrase table maps what bounce texts say to a failure reason and its
 * pseudo status x.0.9NN; x is 4 for a temporary failure (4xx reply code),
 * 5 otherwise.  The first phrase family that matches wins: where two meet,
 * the order is sisimai's (a full mailbox before an unknown user, a listed
 * host before the word spam), and a bare "recipient rejected" comes last,
 * so that the reason a server gives after it is read first.
 */
#include "config.h"

#include <string.h>

#include "derive.h"
#include "pattern.h"
#include "smtp_command.h"
#include "status.h"

enum {
  DETAIL_FILTERED = 910,
  DETAIL_USER_UNKNOWN = 911,
  DETAIL_BLOCKED = 971,
  DETAIL_SYNTAX_ERROR = 902,
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
  { OOB_PATTERN ("(?i)host not found, try again|name service error .* try again|unrouteable mail domain", 0), 944 },
  /* Too many connections, messages or errors from us at once: throttling,
   * before any "quota" of a mailbox. */
  { OOB_PATTERN ("(?i)too many (?:(?:(?:concurrent|simultaneous|smtp) )*(?:connections|sessions)|errors from|recipients)|"
                 "(?:connection|sending|message) rate (?:limit )?exceeded|\\bthrottl(?:ed|ing)\\b|"
                 "(?:maximum|per-domain|per-ip) connection limit|max(?:imum)? (?:e-?mails|messages) per (?:hour|day)|"
                 "frequency limit(?:ed)?|message threshold exceeded|trop de connexions", 0), 945 },
  /* Our sending IP address named as listed or blocked: before the words
   * of a refused connection, an invalid recipient or spam that may give
   * the cause ("This IP has been blocked for ... too many invalid
   * recipients"). */
  { OOB_PATTERN ("(?i)\\b(?:this|your|the sending|sending|client|connecting) ip(?: address)? (?:has been |is |was )?"
                 "(?:temporarily |permanently )?(?:blocked|listed|blacklisted|banned)\\b|"
                 "\\bip(?: address)? has (?:a )?(?:poor|bad|low) reputation", 0), DETAIL_BLOCKED },
  /* The receiving system itself is out of space (not one mailbox). */
  { OOB_PATTERN ("(?i)mail system full|insufficient system (?:storage|resources)|not enough free space|"
                 /* procmail: the file system filled while writing */
                 "no space left to finish writing", 0), 931 },
  /* Before the unknown user: "mailbox unavailable: over quota" is a full one. */
  { OOB_PATTERN ("(?i)(mailbox|mail ?folder|inbox) (is )?full|full mailbox|over ?(?:the )?(?:allowed |disk |mailbox )?quota|"
                 "(?:quota|storage) (?:exceed(?:ed)?\\b|violation|usage exceeded)|(?:disk|mailbox|storage|userdisk|domaindisk) quota|"
                 "exceed(?:ed|s|ing)? (?:its |their |his |her |the )?(?:mailbox |disk |storage )?(?:quota|storage|disk space)|"
                 "reached (?:its |their |the )?(?:disk |mailbox |storage )?quota|insufficient (disk )?space|"
                 "(?:not|does not have) enough (?:storage |disk )?space|space has been used up|"
                 "mailbox (?:size (?:limit )?exceeded|would exceed)|account storage limit|mail ?file size exceeds|too much mail data|"
                 "too many messages (?:on the server|in (?:the|this|his|her) mailbox)|exceeding (?:its |their )?receiving limits|"
                 "mailbox exceeds (?:the )?(?:allowed|maximum) size|mailbox exceeded (?:the |its )?(?:local )?limit|"
                 /* French: "the recipient's mailbox is full"; Japanese: "the mailbox is full" */
                 "boite du destinataire pleine|メールボックスが(?:一杯|いっぱい|満杯)", 0), 922 },
  /* Headers or MIME the receiving system will not take. */
  { OOB_PATTERN ("(?i)header size(?:, or recipient list,)? exceeds|headers? (?:is |are )?too (?:large|long)|duplicate(?:d)? header|message (?:is )?malformed|malformed message|"
                 "media not supported|conversion (?:required|failed)|message content not available|non-ascii addresses not permitted|"
                 "8-bit data in (?:the )?(?:message )?header|"
                 "mime (?:complexity|headers? (?:are )?invalid)|invalid mime|improperly[- ]formatted|unnecessary base64|"
                 "too many \"?received:?\"? headers|\\bbad header", 0), 960 },
  { OOB_PATTERN ("(?i)message (is )?too (big|large)|message file too big|size limit|size exceed(?:s|ed)|exceeds? .*size|"
                 "max(?:imum)? (?:(?:inbound|incoming|allowed) )?message size|message length exceeds|taille limite du message|"
                 /* a line longer than the server accepts (RFC 5322's 998) */
                 "line (?:length )?limit exceeded|line (?:is )?too long|"
                 /* qmail-ldap: the recipient's own limit */
                 "maximum size the user accepts", 0), 934 },
  { OOB_PATTERN ("(?i)account (has been |is )?(disabled|suspended|deactivated|locked|frozen|discontinued)|"
                 "(?:account|mailbox) that you tried to reach is disabled|mailbox (is )?(?:temporarily )?(disabled|inactive|frozen|suspended)|"
                 "(?:account|mailbox|user|address|recipient|@[\\w.-]+>?)[^.;:]{0,40}?(?:is|has been|currently) suspended|user suspended|suspend(?:ed)? the service|deactivated (?:mailbox|account)|"
                 "temporar(?:il)?y (?:locked|inactive)|user(?:\\(s\\))?(?:'s)? account is temporarily limited|invalid/inactive user|mailbox unavailable or access denied|"
                 "recipient(?:'s)? account (?:has been |is )?blocked|"
                 /* French: "the recipient's mailbox is archived" */
                 "boite du destinataire archivee|"
                 /* qmail-ldap, in its own spelling */
                 "administrativ(?:e?ly|ley) disabled", 0), 921 },
  { OOB_PATTERN ("(?i)has been replaced by|destination mailbox has moved|(?:mailbox|domain) owner has changed|"
                 "no longer on (?:this |the )?server", 0), 916 },
  { OOB_PATTERN ("(?i)relay(ing)? (access )?(is )?(denied|disallowed|not permitted|prohibited|not allowed)|insecure mail relay|"
                 "not (allowed|permitted|configured) to relay|unable to relay(?! message back to)|not an open relay|\\bas a relay\\b|not a gateway|"
                 "not local host|(?:do not|don'?t) handle mail for|that domain isn'?t in my list of allowed rcpthosts?|"
                 "requires authentication when (?:attempting to )?send(?:ing)? to a non-local|\\bno relaying\\b|"
                 /* a submission service refusing a sender identity not verified with it */
                 "(?:e-?mail )?address is not verified", 0), 909 },
  /* A sender or envelope refused as such: before a bad host or user (the
   * words name the sender's domain or address), and mailing-list managers
   * refusing a poster. */
  { OOB_PATTERN ("(?i)not (?:a )?member|members? only|not allowed to post|"
                 "sender (?:e-?mail )?(?:address )?(?:rejected|has been blacklisted|blacklisted)|invalid sender|unroutable sender|"
                 "sender (?:verify|verification) failed|(?:unable to|could not|cannot) verify sender|(?:null|empty) (?:envelope )?senders? (?:is |are )?not allowed|"
                 "sender (?:is in my black ?list|is spammer|not pre-approved|domain is empty)|domain of sender address|"
                 "bogus mail from|mail from not owned|syntax error: empty (?:e-?mail )?address|\\bbatv\\b|backscatter|no third-party dsns|unsigned dsn|"
                 "returned mail not accepted|administrative prohibition|fully qualified (?:e-?mail )?address required|"
                 "sender isn'?t on the recipient's list|bad sender'?s (?:mailbox|system) address|"
                 "does not accept mail from|sending to/from an address that has been blacklisted|"
                 /* qmail: "Connected to 192.0.2.1 but sender was rejected." */
                 "but sender was rejected|"
                 /* the recipient's own list of blocked senders */
                 "blocked senders?\\b|envelope blocked|block policy for (?:envelope|header) from|"
                 /* French: "invalid sender" */
                 "emetteur invalide", 0), 918 },
  /* Before the unknown user: "domain does not exist" names a host. */
  { OOB_PATTERN ("(?i)host (or domain name )?not found|host unknown|lookups? failed permanently|point to non-existent hosts|"
                 "couldn'?t find any host|answer with no data|bad destination system address|\\bhost unreachable|unrouteable|unroutable address|"
                 "domain (does not|doesn'?t|may not|must) exist|no such domain|unknown domain|domain is not reachable|"
                 "domain (?:\\S+ ){0,5}is unknown|name or service not known|unknown host|illegal host/domain|"
                 /* resolver wording in provider notices */
                 "domain (?:name )?not found|\\bnxdomain\\b|"
                 /* "mx.example.net does not exist": a bare domain, not an address */
                 "(^|[\\s:])[a-z0-9-]+(\\.[a-z0-9-]+)+\\.? does not exist|invalid domain name|non-?existent domain", 0), 912 },
  { OOB_PATTERN ("(?i)(?:user|recipient) unknown|unknown (?:user|recipient|mailbox|local[- ]part|e-?mail address|virtual user)|"
                 "no such (user|mailbox|recipient|address|person)|no (?:mail ?box|account)\\b.{0,30}?(?:by that name|found|available for)|"
                 "(?:mailbox|user|account|address|recipient) (does not|doesn't) exist|does not exist|bad destination mailbox address|(?:unknown|illegal) alias|inactive (?:e-?mail )?address|"
                 "recipient (?:address )?rejected: (?:access denied|invalid user|unknown user|user \\S+ does not exist)|"
                 "(?:user|recipient|mailbox|address)(?: \\S+)? (?:was )?not (?:found|present|exist|known|active|ok)\\b|"
                 "(?:mailbox|address|account) (?:invalid|unknown|unavailable|is unavailable)|"
                 "(?:address|name)(?: you entered)? (?:could not be|couldn'?t be|is not|was not) found|does not like recipient|<[^\\s>]+> not found|"
                 "invalid (?:recipient|mailbox|address)|non-?existent (?:user|recipient|mailbox|address)|"
                 "is not (?:a |an )?(?:known|valid|active) (?:user|mailbox|recipient|address)|"
                 "not a (?:valid|known|local) (?:user|recipient|mailbox|address)|recipient is not local|"
                 "no mailbox here|there is no one at this address|no longer accepts mail|(?:address|account) is (?:wrong|no longer valid)|"
                 "bad[-_ ]?(?:recipient|rcpt)|badrcptto|validrcptto|archived recipient|can'?t accept (?:user|recipient)|"
                 "envelope recipient has been denied|or user isn'?t in my list of allowed rcpthosts|missing home directory|"
                 "(?:addresses|recipients) were unknown|destination server rejected recipients|"
                 /* a directory (ph, X.500) lookup of the name found no one */
                 "\\bin name directory|no matches to nameserver query|"
                 /* directory servers (Domino, Exchange) and handsets (MMS gateways) */
                 "not listed in (?:the |public )?(?:Domino Directory|Name (?:&|and) Address Book|directory)|non r[ée]pertori[ée] dans l'annuaire|"
                 "recipient (?:name )?is not recognized|recip(?:ient)? ?not ?found|no valid recipients|"
                 /* IMail: no mailbox for the final delivery's user id */
                 "invalid final delivery userid|"
                 /* delivery agents: maildrop, vmailmgr's vdeliver */
                 "invalid user specified|cannot find system user|invalid or unknown (?:base|virtual) user|"
                 "does not refer to a virtual user|"
                 /* McAfee: "User (a@example.org) unknown." */
                 "\\buser \\([^()\\s]+@[^()\\s]+\\) unknown|"
                 "invalid (?:user|recipient) address|(?:user|address) (?:does not|doesn'?t) have an? \\S+ account|check if (?:the )?(?:e-?mail )?address is correct|"
                 /* French, Italian, Spanish: "unknown user", "no such user", "no such person" */
                 "utilisateur inconnu|nessun utente|no existe (?:dicha persona|ese usuario)|"
                 /* Japanese: "not in the directory list", "no such address" */
                 "ディレクトリ(?:のリストにありません|には見つかりません)|宛先のアドレスは存在しません", 0), DETAIL_USER_UNKNOWN },
  /* The recipient's own rules refuse the sender or all mail. */
  { OOB_PATTERN ("(?i)only accept(?:s|ing)? mail from|recipient(?:'s)? (?:preferences|rules)|user rules|user reject|"
                 "refuses? to receive|not accepting any mail|blocked by the recipient|account is protected by|"
                 "restricted sms e-?mail|rst\\.notauthorized|not currently being accepted for this mailbox|"
                 "(?:previously )?bounced address|not found recipient account|message filtered\\b|"
                 /* Domino: the recipient's mail rules route nothing to it */
                 "cannot route mail to user|"
                 /* a Sieve script's "reject" (Cyrus, Dovecot's Pigeonhole) */
                 "rejected by (?:a |the )?sieve\\b", 0), DETAIL_FILTERED },
  /* The way to the recipient's server: unreachable, refused, routing loops.
   * Before the queue's lifetime: a notice that gave up names why it failed. */
  { OOB_PATTERN ("(?i)too many hops|hop count exceeded|maximum hop count|forwarding loop|in a routing loop|message looping|"
                 "lost connection with|dns lookup failed|lookup of \\S+ had no relevant answers|temporary failure in (?:mx |dns )?lookup|no valid route to|"
                 "no route to host|host is unreachable|network error|connection refused|"
                 "(unable|wasn't able|failed) to (establish|open) an? (smtp )?connection|could not connect|"
                 "host name lookup failure|malformed (?:or unexpected )?name server reply|could not contact dns servers|"
                 /* OpenSMTPD's reasons for a destination it could not reach */
                 "address family mismatch|bad dns lookup|could not retrieve source address|all routes to destination|"
                 /* qmail: no MX or address, or an MX pointing back at itself */
                 "couldn'?t find a mail exchanger|listed as a best-preference mx|unable to resolve route|exceeded \\d+ hops|"
                 "dns records for the destination (?:computer|host|server) could not be found|^\\s*loop detected", 0), 944 },
  { OOB_PATTERN ("(?i)could not be delivered for \\d+ days|retry time(out)? exceeded|too long in (the )?queue|"
                 "(message|envelope) (has )?expired|delivery time expired|in the queue too long|"
                 "not delivered within \\d+ (?:days?|hours?)|delivery failed \\d+ attempts|"
                 "could not (be )?deliver(ed)? for (the last )?\\d+ (seconds|minutes|hours|days)|"
                 "could not be delivered for more than|(?:connection|message) timed out|server did not respond|"
                 "giving up on|failing for a long time|after (?:multiple|repeated|many) (?:retries|attempts)|"
                 "(?:allowed|maximum) queue (?:period|time)|has not been collected after|long failure period|"
                 "delivery attempts will continue|has been delayed|delivery (?:expired|timeout)|could not find a gateway|"
                 /* Sendmail, at the end of the queue lifetime */
                 "could not be delivered for too long|will be deleted from (?:the )?queue", 0), 947 },
  /* The reporting system's own trouble: loops back to itself, internal errors. */
  { OOB_PATTERN ("(?i)mail(?:ing)? loop|loops? back to myself|loop (?:alert|detected)|loop was found|duplicated message-id|"
                 "system error|internal (?:server )?error|local error in processing|configuration error|system config error|"
                 "misconfigured|interrupted system call|(?:queue|temporary) file write error|can'?t create (?:user )?output file|"
                 "temporary local problem|delivery to (?:file|pipe) forbidden|local delivery failed|lmtp error after|bad interpreter|"
                 "several matches found|not capable of selected features|incorrectly configured|directory server failure|"
                 "non-compliant mailer|service (?:is )?(?:currently|temporarily) unavailable|timeout waiting for input|"
                 "error while being processed|transaction failed|temporary system problem|"
                 /* its directory (qmail-ldap and others) or mailbox creation failing */
                 "\\bldap (?:server|lookup|attribute)|ldap attribute|homedir creat|"
                 /* (RFC 5321's 421 "Service not available, closing transmission
                  * channel" refuses our connection: blocked, below) */
                 "service not available(?!,? closing transmission channel)|"
                 /* Courier: a domain whose DNS answers break the protocol */
                 "dns violates rfc ?1035|"
                 /* a required TLS session the remote server cannot offer */
                 "(?:does not|doesn'?t) (?:support|offer|advertise) (?:STARTTLS|TLS)|(?:STARTTLS|TLS) (?:is )?not (?:supported|available|offered)|"
                 /* qmail-ldap: its search or its forwarding helper failing */
                 "search on ldap server|needs to be unique|executing qmail-forward|"
                 /* amavisd-new: the MTA it hands mail to, or back to, failing */
                 "(?:temporary mta failure|rejected by next-hop mta) on relaying|unable to relay message back to mta", 0), 930 },
  /* A domain that takes no mail at all (null MX, no MX). */
  { OOB_PATTERN ("(?i)does not accept (?:any )?(?:e-?)?mail|reject all mails?\\b|indicated no smtp service|no host found for existing smtp connection|not accepting network messages|null ?MX|no mx(?: (?:record|host)s?)?(?: found)?\\b", 0), 932 },
  /* A sending host without (valid) reverse DNS. */
  { OOB_PATTERN ("(?i)ptr (?:resource )?record|dns ptr|ip name lookup failed|missing ptr|reverse dns|\\brdns\\b|reverse (lookup|hostname)", 0), 973 },
  /* Links in the message on a blocklist: its content, not our host. */
  { OOB_PATTERN ("(?i)(?:blacklisted|listed) url|\\buribl\\b|\\bsurbl\\b", 0), 980 },
  /* Our host or network listed or refused, before any word of spam. */
  { OOB_PATTERN ("(?i)blacklist|blocklist|block list|black list|listed (at|in|on)|blocked using|dnsbl|\\brbl\\b|spamhaus|spamcop|"
                 "open (?:relay|proxy)|access denied|access forbidden|access from ip|(?:sending|sender|client) ip|from your ip|"
                 "sent from (?:the following|your) ip|bad ip\\b|(?:are|is|currently) sending spam|spam ips|suspiciously like (?:a )?spammer|"
                 "not (?:allowed to connect|accepting connections)|(?:smtp|mail) server of your (?:isp|provider)|dynamic ips?\\b|generic dns|reputation|user complaints|abusive|"
                 "client host rejected|helo command rejected|but my name was rejected|cannot (?:find your hostname|resolve your (?:address|hostname))|"
                 "no access from mail server|network not allowed|\\bspf\\b|"
                 /* the sending IP is not one the sender's domain may use */
                 "invalid ip (?:address )?for sending|ip (?:address )?(?:is )?not (?:allowed|authori[sz]ed|permitted) to send|"
                 "is not allowed to send (?:mail )?from|can'?t determine purported responsible address|has not passed validation|"
                 /* a connection refused at the greeting, or a sending host that must identify itself */
                 "service not available,? closing transmission channel|\\bgo away\\b|unresolvable relay host|"
                 "server requires confirmation|confirm this mail server|"
                 "submit messages to this e-?mail system has been rejected|ip not in (?:the )?whitelist", 0), DETAIL_BLOCKED },
  /* The message judged spam or bulk by a content filter. */
  { OOB_PATTERN ("(?i)\\bspam\\b|unsolicited|bulk (?:e-?mail|mail|advertising)|mass mailer|content filter|"
                 "message content rejected|(?:banned|mail|unacceptable) content|spamassassin|antispam|"
                 "spam ?profiler|spamming|by our (?:spam |content )?filters?|recurrent pattern detection|bulk\\.advertising", 0), 980 },
  { OOB_PATTERN ("(?i)blocked", 0), DETAIL_BLOCKED },
  /* A virus or a forbidden kind of attachment. */
  { OOB_PATTERN ("(?i)\\bvirus|malware|infected|potentially executable", 0), DETAIL_BLOCKED },
  /* A policy of the receiving organisation, a list or DMARC. */
  { OOB_PATTERN ("(?i)(?:local|organi[sz]ation(?:al)?|security) (?:policy|policies|settings)|policy violation|"
                 "(?:denied|rejected|not accepted) (?:by|for|due to) (?:\\S+ )?polic|dmarc policy|protocol violation|"
                 "header error|header are not accepted|(?:forbidden|prohibited|illegal|banned) attachment|attachment type (?:that )?is not allowed|(?:images|attachments) or other attachments|"
                 "closed mailing list|members-only list|not subscribed to this group|given low priority|"
                 "multiple addresses|without solving a captcha|anti-spoofing policy|attachment extension is forbidden|"
                 "recipient is not accepting mail with|no data before greeting", 0), 972 },
  /* Authentication the receiving system requires and we did not pass. */
  { OOB_PATTERN ("(?i)authentication (?:is )?(?:required|failure|failed|credentials)|authentification|"
                 "unauthenticated senders? not allowed|(?:do not|don'?t) authenticate|not authori[sz]ed to (?:send|perform)|"
                 "tls required but not supported|verification failure|dead domain|not subscribed to ses|"
                 "executable files are not allowed|turn on (?:smtp )?authentication|delivery not authorized|security features not supported|"
                 "cryptographic (?:failure|algorithm)|message integrity failure|mechanism is too weak|encryption (?:needed|required)|"
                 "trust relationship required|dkim signature|incorrect authentication data|\\btls (?:is )?required|"
                 "(?:retrieve|invalid) credentials|cannot achieve .{0,30}authentication", 0), 970 },
  /* An address or a command the server could not parse. */
  { OOB_PATTERN ("(?i)malformed address|source-routed address|angle-brackets nested|expected word or \"<\"|sequence of commands|out of sequence|syntax error|"
                 "unrecognized command|command unrecognized", 0), DETAIL_SYNTAX_ERROR },
  /* A local delivery program (pipe, procmail, maildrop) failed. */
  { OOB_PATTERN ("(?i)\\bprocmail\\b|\\bmaildrop\\b|command (?:failed|died with status|output)|mailer error|"
                 "pipe to \\||\\bx-unix;", 0), 939 },
  /* Last: a recipient refused for no reason the families above know. */
  { OOB_PATTERN ("(?i)recipient (address )?rejected", 0), DETAIL_USER_UNKNOWN },
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

static char *
derive (const char *text, int smtp_code, const char *smtp_command)
{
  g_autofree char *found = oob_status_find (text);
  /* A success code in a failure's text is a transcript's earlier step. */
  if (found && !(found[0] == '2' && smtp_code >= 400))
    return g_steal_pointer (&found);
  int class = smtp_code / 100 == 4 ? 4 : 5;
  if (oob_status_filtered (NULL, text))
    return g_strdup_printf ("%d.0.%d", class, DETAIL_FILTERED);
  if (text)
    for (gsize i = 0; i < G_N_ELEMENTS (phrases); i++)
      if (oob_pattern_match (&phrases[i].pattern, text, NULL))
        return g_strdup_printf ("%d.0.%d", class, detail_at_stage (phrases[i].detail, smtp_command));
  /* A reply in RFC 5321's 50z "syntax" category (500 unrecognized, 501
   * bad arguments, 502 and 504 not implemented, 503 bad sequence) that no
   * words explain is a syntax error.  (Callers pass 400 for "temporary,
   * code unknown": no reply of its own.) */
  if (smtp_code >= 500 && smtp_code <= 509)
    return g_strdup_printf ("%d.0.%d", class, DETAIL_SYNTAX_ERROR);
  /* A refused connection or greeting, for no reason given: our host is blocked. */
  if (smtp_code / 100 >= 4 && oob_smtp_command_before_addresses (smtp_command))
    return g_strdup_printf ("%d.0.%d", class, DETAIL_BLOCKED);
  return oob_status_from_code (smtp_code);
}

/* The last question and its answer, per thread (scan reads in threads): a
 * notice that gives many recipients one reason asks the same for each, and
 * each answer costs every phrase's search of the text. */
typedef struct {
  char *text;
  int smtp_code;
  char *smtp_command;
  char *status;
} DeriveMemo;

static void
derive_memo_free (gpointer data)
{
  DeriveMemo *memo = data;
  g_free (memo->text);
  g_free (memo->smtp_command);
  g_free (memo->status);
  g_free (memo);
}

static GPrivate derive_memo = G_PRIVATE_INIT (derive_memo_free);

char *
oob_status_derive (const char *text, int smtp_code, const char *smtp_command)
{
  if (text == NULL)
    return derive (text, smtp_code, smtp_command);
  DeriveMemo *memo = g_private_get (&derive_memo);
  if (memo == NULL)
    {
      memo = g_new0 (DeriveMemo, 1);
      g_private_set (&derive_memo, memo);
    }
  else if (memo->smtp_code == smtp_code && g_strcmp0 (memo->smtp_command, smtp_command) == 0 &&
           strcmp (memo->text, text) == 0)
    return g_strdup (memo->status);
  char *status = derive (text, smtp_code, smtp_command);
  g_free (memo->text);
  g_free (memo->smtp_command);
  g_free (memo->status);
  memo->text = g_strdup (text);
  memo->smtp_code = smtp_code;
  memo->smtp_command = g_strdup (smtp_command);
  memo->status = g_strdup (status);
  return status;
}
