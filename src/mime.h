/* mime.h - small GMime helpers shared by the parsers.
 *
 * Owns: turning raw bytes into a GMimeMessage, bounded walks over the MIME
 * tree, decoded text of a part, and reading a block of header fields
 * ("Name: value" lines, as in a delivery-status part) through GMime's own
 * header parser.  Knows nothing of bounces.
 */
#pragma once

#include <gmime/gmime.h>

G_BEGIN_DECLS

/* GMime 3.2 declares no g_autoptr cleanups; these are all GObjects. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeStream, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeParser, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeObject, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeMessage, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeDataWrapper, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GMimeHeaderList, g_object_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (InternetAddressList, g_object_unref)

/* Deepest MIME nesting any walk descends into. */
#define OOB_MIME_MAX_DEPTH 32

/* Initialise GMime once per process (idempotent). */
void oob_mime_init (void);

/* Parse bytes into a message (CR-only line ends read as LF); NULL only if
 * GMime finds no message at all. */
GMimeMessage *oob_mime_parse (const char *data, gsize len);

/* Parse a header block ("Name: value" lines, then a blank line) as the
 * header of an empty part: cheaper than a message, as no address, date or
 * body is decoded.  The object's header list holds every field in order,
 * Content-* ones included.  NULL when GMime reads no header at all (also
 * for a block opening with an mbox "From " line, which oob_mime_parse()
 * skips). */
GMimeObject *oob_mime_parse_header_block (const char *text, gsize len);

/* Calls func for each leaf part and each message/rfc822 part, depth first,
 * up to OOB_MIME_MAX_DEPTH levels; descends into attached messages only if
 * into_messages.  Stops when func returns TRUE and returns that object. */
typedef gboolean (*OobMimeVisitFunc) (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data);
GMimeObject *oob_mime_find (GMimeObject *root, gboolean into_messages, OobMimeVisitFunc func, gpointer user_data);

/* TRUE when the MIME tree nests deeper than OOB_MIME_MAX_DEPTH levels, so
 * the walks above do not see all of it (checks no deeper than that). */
gboolean oob_mime_too_deep (GMimeObject *root);

/* First part whose content type is type/subtype (either may be "*"), or NULL.
 * Does not descend into attached messages. */
GMimeObject *oob_mime_find_type (GMimeObject *root, const char *type, const char *subtype);

/* Decoded content of a leaf part as UTF-8 with LF line ends (charset
 * converted for text parts; invalid bytes replaced).  Never NULL. */
char *oob_mime_part_text (GMimeObject *part);

/* Raw decoded bytes of a leaf part (transfer encoding removed). */
GBytes *oob_mime_part_bytes (GMimeObject *part);

/* Text of the first text/plain part outside attached messages (a blank
 * one in a multipart/alternative does not count), else the first
 * text/html with tags stripped, else "".  Never NULL. */
char *oob_mime_body_text (GMimeMessage *message);

/* Parse "Name: value" lines (folded, any case) into a header list using
 * GMime's header parser.  Returns NULL if the text holds no field. */
GMimeHeaderList *oob_mime_parse_fields (const char *text, gsize len);

/* Unfolded, RFC 2047-decoded value of the first header named name, or NULL. */
const char *oob_mime_header (GMimeHeaderList *headers, const char *name);

/* The header block of a message serialised as text (for storage). */
char *oob_mime_headers_text (GMimeObject *object);

/* First address of an address header, lower-cased domain, or NULL. */
char *oob_mime_first_address (const char *header_value);

G_END_DECLS
