/* The data-entry module's declaration (module.h): keying, adjudication,
 * QA review, document types and batches. */
#include "backdesk/entry.h"
#include "backdesk/keying.h"
#include "backdesk/module.h"

static const struct bd_module_entry entries[] = {
    {"Key documents", BD_ROLE_CLERK, true, 10, bd_keying_documents},
    {"Adjudicate", BD_ROLE_CLERK | BD_ROLE_SUPERVISOR, true, 60, bd_keying_adjudicate},
    {"QA review", BD_ROLE_CLERK | BD_ROLE_SUPERVISOR, true, 70, bd_qa_review},
    {0},
};

/* The format of a batch import file, for `batch import --help` and the README. */
static const char batch_details[] =
    "batch import: --mode single (keyed once, the default), single_qa (once, a sample\n"
    "reviewed in QA) or double (keyed twice blind, differences adjudicated); --priority\n"
    "0-99, higher keyed first (default 0); --sla HOURS from now (default 24).\n\n"
    "FILE.csv is CSV (RFC 4180: comma-separated; a value holding a comma, a quote or a\n"
    "line break in \"double quotes\", a quote inside doubled), UTF-8 (a BOM is allowed),\n"
    "every row with as many cells as the header. The header row names the columns\n"
    "(any order, case ignored):\n"
    "  external_ref   required (or: ref, reference): the document's reference, unique\n"
    "                 in the file, at most 100 characters\n"
    "  source         optional (or: source_path): the scanned image's path, shown to\n"
    "                 the clerk\n"
    "  image          optional: an image file (PNG, JPEG, TIFF, or a PDF: FILE.pdf#N\n"
    "                 for page N), relative to FILE.csv's directory, read now and\n"
    "                 stored with the document for the keying screen; a missing or\n"
    "                 unreadable file refuses the whole file\n"
    "  FIELD          a field name of the document type (its screen file; see\n"
    "                 'backdesk doctype list CLIENT'): the value is pre-filled and\n"
    "                 checked as the keying form checks it\n"
    "Any other column is refused, and so is a file already imported for that client\n"
    "(the same references on the same lines) unless --again is given.\n"
    "Example:\n"
    "  external_ref,source,policy,patient,amount1\n"
    "  C-001,/scans/c001.tif,AB-12345674,\"Doe, John\",125.00\n";

static const char codes_details[] =
    "codes load replaces the client's code table TABLE (a-z, 0-9, _) with FILE.csv, in\n"
    "one transaction: CSV with the header code,description and optionally\n"
    "valid_from,valid_to (YYYY-MM-DD; a code is in effect between them). A bad line\n"
    "refuses the file (FILE:LINE: reason) and the old table stays. A document type's\n"
    "lookup field says codes = \"TABLE\": F4 searches the table by a code's start or\n"
    "words of the description, and a submitted code must be in effect today.\n";

static const struct bd_cli_command commands[] = {
    {"doctype", "load CLIENT FILE | list CLIENT",
     "data-entry document types (screen files stored in the database)", BD_CLI_OPERATOR, "",
     bd_entry_cli_doctype},
    {"batch",
     "import CLIENT DOCTYPE FILE.csv [--priority N] [--sla HOURS] [--mode MODE] [--again]\n"
     "         | export BATCH --format csv|json [--out FILE] [--partial] | list CLIENT",
     "data-entry batches of documents", BD_CLI_OPERATOR, batch_details, bd_entry_cli_batch},
    {"image", "DOCUMENT [--out FILE.png] | --sample CLIENT DOCTYPE [--out FILE.png]",
     "a document's stored page image, as PNG (to a file or a pipe); --sample draws a page "
     "with the document type's labels in their zones",
     BD_CLI_OPERATOR, "", bd_entry_cli_image},
    {"codes", "load CLIENT TABLE FILE.csv | list CLIENT",
     "a client's code tables, behind fields with codes = \"TABLE\"", BD_CLI_OPERATOR, codes_details,
     bd_entry_cli_codes},
    {0},
};

const struct bd_module bd_module_entry = {
    .name = "entry",
    .entries = entries,
    .commands = commands,
};
