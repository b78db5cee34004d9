/* fields.h - a block of "Name: value" fields, as in the per-message and
 * per-recipient blocks of a delivery-status part (RFC 3464 section 2.1:
 * RFC 822 field syntax, folding included).
 *
 * Owns finding the fields of such a block without building GMime objects:
 * GMime's header parser makes a part, a header list and one GObject per
 * field for every block, and freeing them costs as much again.  The block
 * is split into fields the way GMime's parser splits headers (which lines
 * start a field, continue one, or are skipped; when nothing is read), and
 * each value is unfolded and RFC 2047-decoded by GMime itself
 * (g_mime_utils_header_unfold, g_mime_utils_header_decode_text), so every
 * value is the one oob_mime_parse_fields would give.  A block with a line
 * longer than RFC 5322's 998 characters goes to GMime's parser whole
 * (where GMime's own line buffering decides what is read).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _OobFieldBlock OobFieldBlock;

/* The fields of text (CRs ignored), or NULL when it holds none: exactly
 * when oob_mime_parse_fields would return NULL. */
OobFieldBlock *oob_field_block_read (const char *text, gsize len);

/* Unfolded, decoded value of the first field named name (any case), or
 * NULL; owned by the block. */
const char *oob_field_block_get (OobFieldBlock *block, const char *name);

void oob_field_block_free (OobFieldBlock *block);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OobFieldBlock, oob_field_block_free)

G_END_DECLS
