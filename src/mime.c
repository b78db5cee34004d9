/* mime.c - small GMime helpers shared by the parsers (see mime.h). */
#include "config.h"

#include <string.h>

#include "mime.h"
#include "pattern.h"

void
oob_mime_init (void)
{
  static gsize once;
  if (g_once_init_enter (&once))
    {
      g_mime_init ();
      g_once_init_leave (&once, 1);
    }
}

/* GMime reads LF and CRLF line ends but not old Mac CR-only ones: a
 * message with CRs and no LF at all gets LF line ends. */
static char *
cr_only_to_lf (const char *data, gsize len)
{
  if (memchr (data, '\n', len) != NULL || memchr (data, '\r', len) == NULL)
    return NULL;
  char *copy = g_memdup2 (data, len);
  for (gsize i = 0; i < len; i++)
    if (copy[i] == '\r')
      copy[i] = '\n';
  return copy;
}

GMimeMessage *
oob_mime_parse (const char *data, gsize len)
{
  oob_mime_init ();
  g_autofree char *converted = cr_only_to_lf (data, len);
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (converted ? converted : data, len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_mime_parser_set_format (parser, GMIME_FORMAT_MESSAGE);
  return g_mime_parser_construct_message (parser, NULL);
}

GMimeObject *
oob_mime_parse_header_block (const char *text, gsize len)
{
  oob_mime_init ();
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (text, len);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  return g_mime_parser_construct_part (parser, NULL);
}

static GMimeObject *
find_rec (GMimeObject *parent, GMimeObject *object, gboolean into_messages, int depth,
          OobMimeVisitFunc func, gpointer user_data)
{
  if (object == NULL || depth > OOB_MIME_MAX_DEPTH)
    return NULL;
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int count = g_mime_multipart_get_count (multipart);
      for (int i = 0; i < count; i++)
        {
          GMimeObject *found = find_rec (object, g_mime_multipart_get_part (multipart, i),
                                         into_messages, depth + 1, func, user_data);
          if (found)
            return found;
        }
      return NULL;
    }
  if (func (parent, object, depth, user_data))
    return object;
  if (into_messages && GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      if (inner)
        return find_rec (object, g_mime_message_get_mime_part (inner), into_messages, depth + 1,
                         func, user_data);
    }
  return NULL;
}

GMimeObject *
oob_mime_find (GMimeObject *root, gboolean into_messages, OobMimeVisitFunc func, gpointer user_data)
{
  if (root && GMIME_IS_MESSAGE (root))
    root = g_mime_message_get_mime_part (GMIME_MESSAGE (root));
  return find_rec (NULL, root, into_messages, 0, func, user_data);
}

static gboolean
too_deep_rec (GMimeObject *object, int depth)
{
  if (object == NULL)
    return FALSE;
  if (depth > OOB_MIME_MAX_DEPTH)
    return TRUE;
  if (GMIME_IS_MULTIPART (object))
    {
      GMimeMultipart *multipart = GMIME_MULTIPART (object);
      int count = g_mime_multipart_get_count (multipart);
      for (int i = 0; i < count; i++)
        if (too_deep_rec (g_mime_multipart_get_part (multipart, i), depth + 1))
          return TRUE;
      return FALSE;
    }
  if (GMIME_IS_MESSAGE_PART (object))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (object));
      return inner && too_deep_rec (g_mime_message_get_mime_part (inner), depth + 1);
    }
  return FALSE;
}

gboolean
oob_mime_too_deep (GMimeObject *root)
{
  if (root && GMIME_IS_MESSAGE (root))
    root = g_mime_message_get_mime_part (GMIME_MESSAGE (root));
  return too_deep_rec (root, 0);
}

typedef struct {
  const char *type;
  const char *subtype;
} TypeQuery;

static gboolean
is_type (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  TypeQuery *query = user_data;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  return ct && g_mime_content_type_is_type (ct, query->type, query->subtype);
}

GMimeObject *
oob_mime_find_type (GMimeObject *root, const char *type, const char *subtype)
{
  TypeQuery query = { type, subtype };
  return oob_mime_find (root, FALSE, is_type, &query);
}

/* The transfer encoding a part names under a misspelt field name
 * ("Content-Transfer-Encodeing: base64", as some bounces write it), when
 * it names none under the right one. */
static GMimeContentEncoding
misspelt_encoding (GMimeObject *part)
{
  if (g_mime_object_get_header (part, "Content-Transfer-Encoding") != NULL)
    return GMIME_CONTENT_ENCODING_DEFAULT;
  const char *value = g_mime_object_get_header (part, "Content-Transfer-Encodeing");
  return value ? g_mime_content_encoding_from_string (value) : GMIME_CONTENT_ENCODING_DEFAULT;
}

GBytes *
oob_mime_part_bytes (GMimeObject *part)
{
  g_autoptr (GMimeStream) out = g_mime_stream_mem_new ();
  if (GMIME_IS_PART (part))
    {
      GMimeDataWrapper *content = g_mime_part_get_content (GMIME_PART (part));
      GMimeContentEncoding misspelt = content ? misspelt_encoding (part) : GMIME_CONTENT_ENCODING_DEFAULT;
      if (misspelt != GMIME_CONTENT_ENCODING_DEFAULT &&
          g_mime_data_wrapper_get_encoding (content) == GMIME_CONTENT_ENCODING_DEFAULT)
        {
          /* Read the same bytes as encoded, leaving the part as parsed. */
          g_autoptr (GMimeDataWrapper) decoded =
            g_mime_data_wrapper_new_with_stream (g_mime_data_wrapper_get_stream (content), misspelt);
          g_mime_data_wrapper_write_to_stream (decoded, out);
        }
      else if (content)
        g_mime_data_wrapper_write_to_stream (content, out);
    }
  else if (GMIME_IS_MESSAGE_PART (part))
    {
      GMimeMessage *inner = g_mime_message_part_get_message (GMIME_MESSAGE_PART (part));
      if (inner)
        g_mime_object_write_to_stream (GMIME_OBJECT (inner), NULL, out);
    }
  GByteArray *array = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (out));
  return g_bytes_new (array->data, array->len);
}

/* Bytes to valid UTF-8 with LF line ends. */
static char *
normalise_text (const char *data, gsize len, const char *charset)
{
  g_autofree char *utf8 = NULL;
  if (charset && g_ascii_strcasecmp (charset, "utf-8") != 0 && g_ascii_strcasecmp (charset, "us-ascii") != 0)
    {
      const char *iconv_name = g_mime_charset_iconv_name (charset);
      utf8 = g_convert_with_fallback (data, len, "UTF-8", iconv_name, "?", NULL, NULL, NULL);
    }
  if (utf8 == NULL)
    utf8 = g_utf8_make_valid (data, len);
  else
    {
      char *valid = g_utf8_make_valid (utf8, -1);
      g_free (utf8);
      utf8 = valid;
    }
  if (strchr (utf8, '\r') == NULL)
    return g_steal_pointer (&utf8);
  GString *out = g_string_sized_new (strlen (utf8));
  for (const char *p = utf8; *p; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else if (*p != '\0')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

char *
oob_mime_part_text (GMimeObject *part)
{
  g_autoptr (GBytes) bytes = oob_mime_part_bytes (part);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  const char *charset = g_mime_object_get_content_type_parameter (part, "charset");
  if (len == 0)
    data = "";
  if (memchr (data, '\0', len) == NULL)
    return normalise_text (data, len, charset);
  /* NUL bytes would end the text early: drop them. */
  g_autofree char *copy = g_malloc (len + 1);
  if (len)
    memcpy (copy, data, len);
  gsize w = 0;
  for (gsize r = 0; r < len; r++)
    if (copy[r] != '\0')
      copy[w++] = copy[r];
  return normalise_text (copy, w, charset);
}

typedef struct {
  const char *subtype;
  char *text;  /* the text of the part found */
} BodySearch;

/* The notice's own text part: not an attachment named like a file, nor a
 * blank alternative (a plain part left empty beside the HTML one). */
static gboolean
is_body_text (GMimeObject *parent, GMimeObject *part, int depth, gpointer user_data)
{
  BodySearch *search = user_data;
  GMimeContentType *ct = g_mime_object_get_content_type (part);
  if (!GMIME_IS_PART (part) || !ct || !g_mime_content_type_is_type (ct, "text", search->subtype))
    return FALSE;
  const char *disposition = g_mime_object_get_disposition (part);
  if (disposition && g_ascii_strcasecmp (disposition, "attachment") == 0 && g_mime_part_get_filename (GMIME_PART (part)) != NULL)
    return FALSE;
  g_autofree char *text = oob_mime_part_text (part);
  GMimeContentType *parent_ct = parent ? g_mime_object_get_content_type (parent) : NULL;
  gboolean alternative = parent_ct && g_mime_content_type_is_type (parent_ct, "multipart", "alternative");
  for (const char *c = text; *c && alternative; c++)
    if (!g_ascii_isspace (*c))
      alternative = FALSE;
  if (alternative)
    return FALSE;
  search->text = g_steal_pointer (&text);
  return TRUE;
}

static OobPattern re_html_drop = OOB_PATTERN ("(?is)<(style|script|head)\\b.*?</\\1\\s*>", 0);
/* A line break the markup makes; the source line break after it is the
 * same break, not a blank line. */
static OobPattern re_html_break = OOB_PATTERN ("(?i)<\\s*(br|/p|/div|/tr|/li|/h\\d|p|div|tr)\\b[^>]*>[ \\t]*(?:\\r?\\n)?", 0);
static OobPattern re_html_tag = OOB_PATTERN ("<[^>]*>", 0);

char *
oob_mime_body_text (GMimeMessage *message)
{
  GMimeObject *root = GMIME_OBJECT (message);
  BodySearch plain = { "plain", NULL };
  if (oob_mime_find (root, FALSE, is_body_text, &plain))
    return plain.text;
  BodySearch markup = { "html", NULL };
  if (oob_mime_find (root, FALSE, is_body_text, &markup) == NULL)
    return g_strdup ("");
  g_autofree char *html = markup.text;
  g_autofree char *a = oob_pattern_replace (&re_html_drop, html, "");
  g_autofree char *b = oob_pattern_replace (&re_html_break, a, "\n");
  g_autofree char *c = oob_pattern_replace (&re_html_tag, b, "");
  static const char *const entities[][2] = {
    { "&nbsp;", " " }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&amp;", "&" },
  };
  char *text = g_strdup (c);
  for (gsize i = 0; i < G_N_ELEMENTS (entities); i++)
    {
      g_auto (GStrv) pieces = g_strsplit (text, entities[i][0], -1);
      g_free (text);
      text = g_strjoinv (entities[i][1], pieces);
    }
  return text;
}

GMimeHeaderList *
oob_mime_parse_fields (const char *text, gsize len)
{
  oob_mime_init ();
  /* GMime's parser reads the block as the header of an empty message. */
  GString *block = g_string_sized_new (len + 2);
  for (gsize i = 0; i < len; i++)
    if (text[i] != '\r')
      g_string_append_c (block, text[i]);
  g_string_append (block, "\n\n");
  g_autoptr (GMimeStream) stream = g_mime_stream_mem_new_with_buffer (block->str, block->len);
  g_string_free (block, TRUE);
  g_autoptr (GMimeParser) parser = g_mime_parser_new_with_stream (stream);
  g_autoptr (GMimeObject) part = g_mime_parser_construct_part (parser, NULL);
  if (part == NULL)
    return NULL;
  /* The caller keeps the part's own list, which outlives the part: no copy
   * (copying re-encoded every value, a third of a delivery-status part's
   * cost). */
  GMimeHeaderList *headers = g_mime_object_get_header_list (part);
  if (headers == NULL || g_mime_header_list_get_count (headers) == 0)
    return NULL;
  return g_object_ref (headers);
}

const char *
oob_mime_header (GMimeHeaderList *headers, const char *name)
{
  if (headers == NULL)
    return NULL;
  GMimeHeader *header = g_mime_header_list_get_header (headers, name);
  return header ? g_mime_header_get_value (header) : NULL;
}

char *
oob_mime_headers_text (GMimeObject *object)
{
  GMimeHeaderList *headers = g_mime_object_get_header_list (object);
  return headers ? g_mime_header_list_to_string (headers, NULL) : NULL;
}

char *
oob_mime_first_address (const char *header_value)
{
  if (header_value == NULL)
    return NULL;
  oob_mime_init ();
  g_autoptr (InternetAddressList) list = internet_address_list_parse (NULL, header_value);
  if (list == NULL)
    return NULL;
  for (int i = 0; i < internet_address_list_length (list); i++)
    {
      InternetAddress *address = internet_address_list_get_address (list, i);
      if (INTERNET_ADDRESS_IS_MAILBOX (address))
        {
          const char *addr = internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (address));
          if (addr && *addr)
            return g_strdup (addr);
        }
    }
  return NULL;
}
