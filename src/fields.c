/* fields.c - a block of "Name: value" fields (see fields.h).
 *
 * Why not oob_mime_parse_fields: measured with callgrind over `oobproc scan`
 * of the corpus (441 delivery-status blocks), GMime's parser took 40 M
 * instructions to read them (32.4 M to build a GMimeParser, a part, a
 * header list and a GObject per field, 7.8 M to free them: about 92,000
 * per block); splitting them here takes 1.9 M (4,400 per block).  Decoding
 * the values looked up is GMime's work either way (about 9.7 M).
 * tests/test-dsn.c checks, field by field, that this reads what GMime reads.
 */
#include "config.h"

#include <string.h>

#include "fields.h"
#include "mime.h"

/* RFC 5322 section 2.1.1; longer lines go to GMime's parser. */
#define MAX_LINE_LENGTH 998

typedef struct {
  char *name;
  char *name_end;
  char *raw;     /* after the colon, continuation lines included */
  char *raw_end;
  char *value;   /* unfolded and decoded on first use */
} Field;

struct _OobFieldBlock {
  char *text;               /* the block without CRs; fields point into it */
  GArray *fields;           /* Field */
  GMimeHeaderList *parsed;  /* a block GMime's parser read instead */
};

/* What GMime's parser takes as part of a field name. */
static gboolean
is_name_char (char c)
{
  return c != ':' && c != ' ' && c != '\t' && (unsigned char) c >= 32 && c != 127;
}

/* Splits block->text into fields as GMime's header parser does: a line
 * starting with a space or tab continues the field before it; any other
 * line is a field if its name (possibly empty, possibly followed by spaces)
 * ends at a colon, else it is skipped with its continuation lines; a blank
 * line ends the block.  The first line is read as a field even if it starts
 * with spaces (" : x" is a field without a name), and if it is none, or
 * starts with the colon, the block has no field at all.  FALSE if a line is
 * too long for this reader. */
static gboolean
split_fields (OobFieldBlock *block)
{
  gboolean first = TRUE;
  gboolean continuable = FALSE;
  char *line = block->text;
  while (*line)
    {
      char *end = strchr (line, '\n');
      if (end == NULL)
        end = line + strlen (line);
      if (end - line > MAX_LINE_LENGTH)
        return FALSE;
      if (end == line)
        break;
      if ((*line == ' ' || *line == '\t') && !first)
        {
          if (continuable)
            g_array_index (block->fields, Field, block->fields->len - 1).raw_end = end;
        }
      else
        {
          char *name_end = line;
          while (is_name_char (*name_end))
            name_end++;
          char *colon = name_end;
          while (*colon == ' ' || *colon == '\t')
            colon++;
          continuable = *colon == ':' && !(first && *line == ':');
          if (!continuable && first)
            break;
          if (continuable)
            {
              Field field = { line, name_end, colon + 1, end, NULL };
              g_array_append_val (block->fields, field);
            }
          first = FALSE;
        }
      line = *end ? end + 1 : end;
    }
  for (guint i = 0; i < block->fields->len; i++)
    {
      Field *field = &g_array_index (block->fields, Field, i);
      *field->name_end = '\0';
      *field->raw_end = '\0';
    }
  return TRUE;
}

OobFieldBlock *
oob_field_block_read (const char *text, gsize len)
{
  oob_mime_init ();
  g_autoptr (OobFieldBlock) block = g_new0 (OobFieldBlock, 1);
  block->fields = g_array_new (FALSE, FALSE, sizeof (Field));
  if (memchr (text, '\0', len) == NULL)
    {
      block->text = g_malloc (len + 1);
      gsize n = 0;
      for (gsize i = 0; i < len; i++)
        if (text[i] != '\r')
          block->text[n++] = text[i];
      block->text[n] = '\0';
      if (split_fields (block))
        return block->fields->len ? g_steal_pointer (&block) : NULL;
    }
  block->parsed = oob_mime_parse_fields (text, len);
  return block->parsed ? g_steal_pointer (&block) : NULL;
}

const char *
oob_field_block_get (OobFieldBlock *block, const char *name)
{
  if (block->parsed)
    return oob_mime_header (block->parsed, name);
  for (guint i = 0; i < block->fields->len; i++)
    {
      Field *field = &g_array_index (block->fields, Field, i);
      if (g_ascii_strcasecmp (field->name, name) != 0)
        continue;
      if (field->value == NULL)
        {
          g_autofree char *unfolded = g_mime_utils_header_unfold (field->raw);
          field->value = g_mime_utils_header_decode_text (NULL, unfolded);
        }
      return field->value;
    }
  return NULL;
}

void
oob_field_block_free (OobFieldBlock *block)
{
  if (block == NULL)
    return;
  for (guint i = 0; i < block->fields->len; i++)
    g_free (g_array_index (block->fields, Field, i).value);
  g_array_unref (block->fields);
  g_free (block->text);
  g_clear_object (&block->parsed);
  g_free (block);
}
