-- 003-smtp-command.sql: the stage of the SMTP session a refusal answered.
-- CONN, EHLO, MAIL, RCPT or DATA, as the bounce states it (Postfix "in
-- reply to RCPT TO command", Exim "after end of data", a Sendmail
-- transcript); NULL when it does not.  "User unknown" at RCPT TO is about
-- the mailbox, the same words after DATA are a filter's.

ALTER TABLE events ADD COLUMN smtp_command TEXT;
