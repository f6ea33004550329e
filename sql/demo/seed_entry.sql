-- Demo data for data entry (generated from screens/doctypes/*.conf; the
-- entry tests check that the stored screens equal the shipped files):
-- the claim document type for ACME and the invoice type for GLOBEX, their
-- lookup tables, and batches in the three keying modes so the demo queue
-- has work. Runs as a superuser after seed.sql; acts as the demo supervisor
-- so the functions' checks and the RLS policies apply as in production.
SET SESSION AUTHORIZATION super1;
SELECT entry.doctype_load('ACME', 'claim', $t$Health insurance claim$t$, $screen$# Health-insurance claim: a data-entry document type (backdesk doctype load CLIENT FILE).
# Keyed from the paper claim form; F4 looks up procedure and diagnosis codes
# in the client's code tables. The database checks the sum rule below on
# every submit (lines starting "# sum:" are read by the doctype loader).
#
# sum: total = amount1 + amount2 + amount3 + amount4
screen = {
  name = "claim";
  title = "Health insurance claim";
  help = "Key the claim as written. Policy number: two letters and eight digits, the last a check digit. F4 on a code lists the client's codes; F6 copies the field from your previous claim.";
  fields = (
    { name = "patient"; label = "Patient name"; row = 3; col = 2; input_col = 18; type = "text";
      width = 30; length = 60; required = true; help = "Family name, given names"; },
    { name = "birth_date"; label = "Date of birth"; row = 3; col = 52; input_col = 67;
      type = "date"; min = "1900-01-01"; required = true; },
    { name = "policy"; label = "Policy no"; row = 4; col = 2; input_col = 18; type = "text";
      picture = "AA-99999999"; upshift = true; check_digit = "luhn"; required = true;
      auto_advance = true; help = "Two letters, then eight digits; the last digit is a check digit"; },
    { name = "relation"; label = "Relation"; row = 4; col = 52; input_col = 67; type = "choice";
      values = ["SELF", "SPOUSE", "CHILD", "OTHER"]; upshift = true; default = "SELF"; },
    { name = "service_from"; label = "Service from"; row = 6; col = 2; input_col = 18;
      type = "date"; min = "2000-01-01"; required = true; dup = true; },
    { name = "service_to"; label = "Service to"; row = 6; col = 52; input_col = 67; type = "date";
      min = "2000-01-01"; dup = true; help = "Last date of service; empty for one day"; },
    { name = "provider"; label = "Provider"; row = 7; col = 2; input_col = 18; type = "text";
      width = 30; length = 80; dup = true; help = "Doctor or clinic as printed"; },
    { name = "proc1"; label = "Procedure 1"; row = 9; col = 2; input_col = 18; type = "lookup";
      width = 5; lookup = "entry.procedure_lookup"; pattern = "^[0-9]{5}$"; required = true;
      auto_advance = true; help = "Five-digit procedure code; F4 to search"; },
    { name = "diag1"; label = "Diagnosis"; row = 9; col = 28; input_col = 40; type = "lookup";
      width = 7; upshift = true; lookup = "entry.diagnosis_lookup";
      pattern = "^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$"; required = true;
      help = "ICD-10 code such as J20.9; F4 to search"; },
    { name = "amount1"; label = "Amount"; row = 9; col = 54; input_col = 62; type = "money";
      scale = 2; min = "0.01"; max = "999999.99"; required = true; },
    { name = "proc2"; label = "Procedure 2"; row = 10; col = 2; input_col = 18; type = "lookup";
      width = 5; lookup = "entry.procedure_lookup"; pattern = "^[0-9]{5}$"; auto_advance = true; },
    { name = "diag2"; label = "Diagnosis"; row = 10; col = 28; input_col = 40; type = "lookup";
      width = 7; upshift = true; lookup = "entry.diagnosis_lookup";
      pattern = "^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$"; },
    { name = "amount2"; label = "Amount"; row = 10; col = 54; input_col = 62; type = "money";
      scale = 2; min = "0.00"; max = "999999.99"; },
    { name = "proc3"; label = "Procedure 3"; row = 11; col = 2; input_col = 18; type = "lookup";
      width = 5; lookup = "entry.procedure_lookup"; pattern = "^[0-9]{5}$"; auto_advance = true; },
    { name = "diag3"; label = "Diagnosis"; row = 11; col = 28; input_col = 40; type = "lookup";
      width = 7; upshift = true; lookup = "entry.diagnosis_lookup";
      pattern = "^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$"; },
    { name = "amount3"; label = "Amount"; row = 11; col = 54; input_col = 62; type = "money";
      scale = 2; min = "0.00"; max = "999999.99"; },
    { name = "proc4"; label = "Procedure 4"; row = 12; col = 2; input_col = 18; type = "lookup";
      width = 5; lookup = "entry.procedure_lookup"; pattern = "^[0-9]{5}$"; auto_advance = true; },
    { name = "diag4"; label = "Diagnosis"; row = 12; col = 28; input_col = 40; type = "lookup";
      width = 7; upshift = true; lookup = "entry.diagnosis_lookup";
      pattern = "^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$"; },
    { name = "amount4"; label = "Amount"; row = 12; col = 54; input_col = 62; type = "money";
      scale = 2; min = "0.00"; max = "999999.99"; },
    { name = "total"; label = "Total billed"; row = 14; col = 46; input_col = 62; type = "money";
      scale = 2; min = "0.01"; max = "9999999.99"; required = true;
      help = "Must equal the sum of the amounts"; },
    { name = "patient_paid"; label = "Patient paid"; row = 15; col = 46; input_col = 62;
      type = "money"; scale = 2; min = "0.00"; max = "9999999.99"; },
    { name = "emergency"; label = "Emergency"; row = 14; col = 2; input_col = 18; type = "flag";
      default = "N"; },
    { name = "remarks"; label = "Remarks"; row = 17; col = 2; input_col = 18; type = "text";
      width = 60; length = 200; }
  );
};
$screen$,
	$j$[{"name":"patient","type":"text","label":"Patient name","length":60,"required":true},{"name":"birth_date","type":"date","label":"Date of birth","length":10,"min":"1900-01-01","required":true},{"name":"policy","type":"text","label":"Policy no","length":11,"upshift":true,"picture":"AA-99999999","required":true,"check_digit":"luhn"},{"name":"relation","type":"choice","label":"Relation","length":6,"upshift":true,"values":["SELF","SPOUSE","CHILD","OTHER"]},{"name":"service_from","type":"date","label":"Service from","length":10,"min":"2000-01-01","required":true},{"name":"service_to","type":"date","label":"Service to","length":10,"min":"2000-01-01"},{"name":"provider","type":"text","label":"Provider","length":80},{"name":"proc1","type":"lookup","label":"Procedure 1","length":5,"pattern":"^[0-9]{5}$","required":true,"lookup":"procedure"},{"name":"diag1","type":"lookup","label":"Diagnosis","length":7,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","required":true,"lookup":"diagnosis"},{"name":"amount1","type":"money","label":"Amount","scale":2,"length":12,"min":"0.01","max":"999999.99","required":true},{"name":"proc2","type":"lookup","label":"Procedure 2","length":5,"pattern":"^[0-9]{5}$","lookup":"procedure"},{"name":"diag2","type":"lookup","label":"Diagnosis","length":7,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","lookup":"diagnosis"},{"name":"amount2","type":"money","label":"Amount","scale":2,"length":12,"min":"0.00","max":"999999.99"},{"name":"proc3","type":"lookup","label":"Procedure 3","length":5,"pattern":"^[0-9]{5}$","lookup":"procedure"},{"name":"diag3","type":"lookup","label":"Diagnosis","length":7,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","lookup":"diagnosis"},{"name":"amount3","type":"money","label":"Amount","scale":2,"length":12,"min":"0.00","max":"999999.99"},{"name":"proc4","type":"lookup","label":"Procedure 4","length":5,"pattern":"^[0-9]{5}$","lookup":"procedure"},{"name":"diag4","type":"lookup","label":"Diagnosis","length":7,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","lookup":"diagnosis"},{"name":"amount4","type":"money","label":"Amount","scale":2,"length":12,"min":"0.00","max":"999999.99"},{"name":"total","type":"money","label":"Total billed","scale":2,"length":12,"min":"0.01","max":"9999999.99","required":true},{"name":"patient_paid","type":"money","label":"Patient paid","scale":2,"length":12,"min":"0.00","max":"9999999.99"},{"name":"emergency","type":"flag","label":"Emergency","length":1},{"name":"remarks","type":"text","label":"Remarks","length":200}]$j$,
	$j$[{"target":"total","terms":["amount1","amount2","amount3","amount4"]}]$j$);
SELECT entry.doctype_load('GLOBEX', 'invoice', $t$Supplier invoice$t$, $screen$# Supplier invoice: a data-entry document type (backdesk doctype load CLIENT FILE).
# Up to five lines; the database checks on every submit that the lines add
# up to the net amount and net plus tax to the total (lines starting
# "# sum:" are read by the doctype loader).
#
# sum: net = line1_amount + line2_amount + line3_amount + line4_amount + line5_amount
# sum: total = net + tax
screen = {
  name = "invoice";
  title = "Supplier invoice";
  help = "Key the invoice as printed. F4 on Supplier lists the client's suppliers. The lines must add up to the net amount, and net plus tax to the total.";
  fields = (
    { name = "supplier"; label = "Supplier"; row = 3; col = 2; input_col = 18; type = "lookup";
      width = 8; upshift = true; lookup = "entry.supplier_lookup"; pattern = "^[A-Z0-9]+$";
      required = true; dup = true; help = "Supplier code; F4 to search by name"; },
    { name = "currency"; label = "Currency"; row = 3; col = 52; input_col = 67; type = "choice";
      values = ["EUR", "USD", "GBP", "CHF"]; upshift = true; default = "EUR"; dup = true; },
    { name = "invoice_no"; label = "Invoice no"; row = 4; col = 2; input_col = 18; type = "text";
      width = 20; upshift = true; required = true; pattern = "^[A-Z0-9/._-]+$";
      help = "As printed, letters, digits and / . _ -"; },
    { name = "po_number"; label = "PO number"; row = 4; col = 52; input_col = 67; type = "text";
      width = 10; pattern = "^[0-9]*$"; help = "Our purchase order, digits only"; },
    { name = "invoice_date"; label = "Invoice date"; row = 5; col = 2; input_col = 18;
      type = "date"; min = "2000-01-01"; required = true; },
    { name = "due_date"; label = "Due date"; row = 5; col = 52; input_col = 67; type = "date";
      min = "2000-01-01"; },
    { name = "line1_desc"; label = "Line 1"; row = 9; col = 2; input_col = 18; type = "text";
      width = 34; length = 80; required = true; },
    { name = "line1_amount"; label = "Amount"; row = 9; col = 54; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; required = true; },
    { name = "line2_desc"; label = "Line 2"; row = 10; col = 2; input_col = 18; type = "text";
      width = 34; length = 80; },
    { name = "line2_amount"; label = "Amount"; row = 10; col = 54; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; },
    { name = "line3_desc"; label = "Line 3"; row = 11; col = 2; input_col = 18; type = "text";
      width = 34; length = 80; },
    { name = "line3_amount"; label = "Amount"; row = 11; col = 54; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; },
    { name = "line4_desc"; label = "Line 4"; row = 12; col = 2; input_col = 18; type = "text";
      width = 34; length = 80; },
    { name = "line4_amount"; label = "Amount"; row = 12; col = 54; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; },
    { name = "line5_desc"; label = "Line 5"; row = 13; col = 2; input_col = 18; type = "text";
      width = 34; length = 80; },
    { name = "line5_amount"; label = "Amount"; row = 13; col = 54; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; },
    { name = "net"; label = "Net amount"; row = 15; col = 46; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; required = true;
      help = "Must equal the sum of the lines"; },
    { name = "tax"; label = "Tax"; row = 16; col = 46; input_col = 62; type = "money"; scale = 2;
      min = "-9999999.99"; max = "9999999.99"; },
    { name = "total"; label = "Invoice total"; row = 17; col = 46; input_col = 62; type = "money";
      scale = 2; min = "-9999999.99"; max = "9999999.99"; required = true;
      help = "Must equal net plus tax"; }
  );
};
$screen$,
	$j$[{"name":"supplier","type":"lookup","label":"Supplier","length":8,"upshift":true,"pattern":"^[A-Z0-9]+$","required":true,"lookup":"supplier"},{"name":"currency","type":"choice","label":"Currency","length":3,"upshift":true,"values":["EUR","USD","GBP","CHF"]},{"name":"invoice_no","type":"text","label":"Invoice no","length":20,"upshift":true,"pattern":"^[A-Z0-9/._-]+$","required":true},{"name":"po_number","type":"text","label":"PO number","length":10,"pattern":"^[0-9]*$"},{"name":"invoice_date","type":"date","label":"Invoice date","length":10,"min":"2000-01-01","required":true},{"name":"due_date","type":"date","label":"Due date","length":10,"min":"2000-01-01"},{"name":"line1_desc","type":"text","label":"Line 1","length":80,"required":true},{"name":"line1_amount","type":"money","label":"Amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99","required":true},{"name":"line2_desc","type":"text","label":"Line 2","length":80},{"name":"line2_amount","type":"money","label":"Amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99"},{"name":"line3_desc","type":"text","label":"Line 3","length":80},{"name":"line3_amount","type":"money","label":"Amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99"},{"name":"line4_desc","type":"text","label":"Line 4","length":80},{"name":"line4_amount","type":"money","label":"Amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99"},{"name":"line5_desc","type":"text","label":"Line 5","length":80},{"name":"line5_amount","type":"money","label":"Amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99"},{"name":"net","type":"money","label":"Net amount","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99","required":true},{"name":"tax","type":"money","label":"Tax","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99"},{"name":"total","type":"money","label":"Invoice total","scale":2,"length":12,"min":"-9999999.99","max":"9999999.99","required":true}]$j$,
	$j$[{"target":"net","terms":["line1_amount","line2_amount","line3_amount","line4_amount","line5_amount"]},{"target":"total","terms":["net","tax"]}]$j$);
SELECT entry.set_qa_rate('ACME', 'claim', 0.10);
RESET SESSION AUTHORIZATION;

-- Lookup tables: small per-client code lists (loaded by the DBA).
INSERT INTO entry.lookups (client_id, lookup, code, description)
SELECT c.client_id, v.lookup, v.code, v.description
FROM core.clients c, (VALUES
	('procedure', '99203', 'Office visit, new patient, 30 min'),
	('procedure', '99213', 'Office visit, established patient, 15 min'),
	('procedure', '99214', 'Office visit, established patient, 25 min'),
	('procedure', '80053', 'Comprehensive metabolic panel'),
	('procedure', '85025', 'Complete blood count with differential'),
	('procedure', '71046', 'Chest X-ray, 2 views'),
	('procedure', '93000', 'Electrocardiogram with interpretation'),
	('procedure', '36415', 'Venipuncture'),
	('procedure', '90471', 'Immunization administration'),
	('procedure', '97110', 'Therapeutic exercise, 15 min'),
	('procedure', '73030', 'Shoulder X-ray, 2 views'),
	('procedure', '81002', 'Urinalysis, non-automated')) v(lookup, code, description)
WHERE c.code = 'ACME';
INSERT INTO entry.lookups (client_id, lookup, code, description)
SELECT c.client_id, v.lookup, v.code, v.description
FROM core.clients c, (VALUES
	('diagnosis', 'E11.9', 'Type 2 diabetes mellitus without complications'),
	('diagnosis', 'I10', 'Essential (primary) hypertension'),
	('diagnosis', 'J06.9', 'Acute upper respiratory infection'),
	('diagnosis', 'J20.9', 'Acute bronchitis, unspecified'),
	('diagnosis', 'K21.9', 'Gastro-oesophageal reflux disease'),
	('diagnosis', 'M54.5', 'Low back pain'),
	('diagnosis', 'N39.0', 'Urinary tract infection'),
	('diagnosis', 'R51', 'Headache'),
	('diagnosis', 'F41.1', 'Generalized anxiety disorder'),
	('diagnosis', 'S43.4', 'Sprain of shoulder joint'),
	('diagnosis', 'Z00.00', 'General adult medical examination'),
	('diagnosis', 'Z23', 'Encounter for immunization')) v(lookup, code, description)
WHERE c.code = 'ACME';
INSERT INTO entry.lookups (client_id, lookup, code, description)
SELECT c.client_id, v.lookup, v.code, v.description
FROM core.clients c, (VALUES
	('supplier', 'ACMEPAP', 'Acme Paper Co.'),
	('supplier', 'HOOLI', 'Hooli Cloud Services'),
	('supplier', 'INITECH', 'Initech Software Ltd'),
	('supplier', 'STARK', 'Stark Industrial Supply'),
	('supplier', 'UMBRELLA', 'Umbrella Chemicals plc'),
	('supplier', 'WAYNE', 'Wayne Logistics GmbH')) v(lookup, code, description)
WHERE c.code = 'GLOBEX';

-- Batches: double keying (urgent), single with QA sampling, single.
SET SESSION AUTHORIZATION super1;
SELECT entry.batch_import('ACME', 'claim', 'double', 5, 8, 'acme-claims-urgent.csv',
	$rows$[{"line": 2, "ref": "CLM-24U-0001", "source": "/scans/acme/2024-06-03/CLM-24U-0001.tif", "values": {}}, {"line": 3, "ref": "CLM-24U-0002", "source": "/scans/acme/2024-06-03/CLM-24U-0002.tif", "values": {}}, {"line": 4, "ref": "CLM-24U-0003", "source": "/scans/acme/2024-06-03/CLM-24U-0003.tif", "values": {"policy": "AC-10237576"}}, {"line": 5, "ref": "CLM-24U-0004", "source": "/scans/acme/2024-06-03/CLM-24U-0004.tif", "values": {}}, {"line": 6, "ref": "CLM-24U-0005", "source": "/scans/acme/2024-06-03/CLM-24U-0005.tif", "values": {}}, {"line": 7, "ref": "CLM-24U-0006", "source": "/scans/acme/2024-06-03/CLM-24U-0006.tif", "values": {"policy": "AC-10475143"}}, {"line": 8, "ref": "CLM-24U-0007", "source": "/scans/acme/2024-06-03/CLM-24U-0007.tif", "values": {}}, {"line": 9, "ref": "CLM-24U-0008", "source": "/scans/acme/2024-06-03/CLM-24U-0008.tif", "values": {}}, {"line": 10, "ref": "CLM-24U-0009", "source": "/scans/acme/2024-06-03/CLM-24U-0009.tif", "values": {"policy": "AC-10712719"}}, {"line": 11, "ref": "CLM-24U-0010", "source": "/scans/acme/2024-06-03/CLM-24U-0010.tif", "values": {}}, {"line": 12, "ref": "CLM-24U-0011", "source": "/scans/acme/2024-06-03/CLM-24U-0011.tif", "values": {}}, {"line": 13, "ref": "CLM-24U-0012", "source": "/scans/acme/2024-06-03/CLM-24U-0012.tif", "values": {"policy": "AC-10950285"}}]$rows$);
SELECT entry.batch_import('ACME', 'claim', 'single_qa', 2, 24, 'acme-claims-routine.csv',
	$rows$[{"line": 2, "ref": "CLM-24R-0001", "source": "/scans/acme/2024-06-03/CLM-24R-0001.tif", "values": {}}, {"line": 3, "ref": "CLM-24R-0002", "source": "/scans/acme/2024-06-03/CLM-24R-0002.tif", "values": {}}, {"line": 4, "ref": "CLM-24R-0003", "source": "/scans/acme/2024-06-03/CLM-24R-0003.tif", "values": {}}, {"line": 5, "ref": "CLM-24R-0004", "source": "/scans/acme/2024-06-03/CLM-24R-0004.tif", "values": {}}, {"line": 6, "ref": "CLM-24R-0005", "source": "/scans/acme/2024-06-03/CLM-24R-0005.tif", "values": {}}, {"line": 7, "ref": "CLM-24R-0006", "source": "/scans/acme/2024-06-03/CLM-24R-0006.tif", "values": {}}, {"line": 8, "ref": "CLM-24R-0007", "source": "/scans/acme/2024-06-03/CLM-24R-0007.tif", "values": {}}, {"line": 9, "ref": "CLM-24R-0008", "source": "/scans/acme/2024-06-03/CLM-24R-0008.tif", "values": {}}, {"line": 10, "ref": "CLM-24R-0009", "source": "/scans/acme/2024-06-03/CLM-24R-0009.tif", "values": {}}, {"line": 11, "ref": "CLM-24R-0010", "source": "/scans/acme/2024-06-03/CLM-24R-0010.tif", "values": {}}, {"line": 12, "ref": "CLM-24R-0011", "source": "/scans/acme/2024-06-03/CLM-24R-0011.tif", "values": {}}, {"line": 13, "ref": "CLM-24R-0012", "source": "/scans/acme/2024-06-03/CLM-24R-0012.tif", "values": {}}, {"line": 14, "ref": "CLM-24R-0013", "source": "/scans/acme/2024-06-03/CLM-24R-0013.tif", "values": {}}, {"line": 15, "ref": "CLM-24R-0014", "source": "/scans/acme/2024-06-03/CLM-24R-0014.tif", "values": {}}, {"line": 16, "ref": "CLM-24R-0015", "source": "/scans/acme/2024-06-03/CLM-24R-0015.tif", "values": {}}]$rows$);
SELECT entry.batch_import('GLOBEX', 'invoice', 'single', 3, 48, 'globex-ap-week23.csv',
	$rows$[{"line": 2, "ref": "INV-IN-40001", "source": "/scans/globex/inbox/INV-IN-40001.pdf", "values": {}}, {"line": 3, "ref": "INV-IN-40002", "source": "/scans/globex/inbox/INV-IN-40002.pdf", "values": {"supplier": "INITECH"}}, {"line": 4, "ref": "INV-IN-40003", "source": "/scans/globex/inbox/INV-IN-40003.pdf", "values": {}}, {"line": 5, "ref": "INV-IN-40004", "source": "/scans/globex/inbox/INV-IN-40004.pdf", "values": {"supplier": "UMBRELLA"}}, {"line": 6, "ref": "INV-IN-40005", "source": "/scans/globex/inbox/INV-IN-40005.pdf", "values": {}}, {"line": 7, "ref": "INV-IN-40006", "source": "/scans/globex/inbox/INV-IN-40006.pdf", "values": {"supplier": "ACMEPAP"}}, {"line": 8, "ref": "INV-IN-40007", "source": "/scans/globex/inbox/INV-IN-40007.pdf", "values": {}}, {"line": 9, "ref": "INV-IN-40008", "source": "/scans/globex/inbox/INV-IN-40008.pdf", "values": {"supplier": "INITECH"}}, {"line": 10, "ref": "INV-IN-40009", "source": "/scans/globex/inbox/INV-IN-40009.pdf", "values": {}}, {"line": 11, "ref": "INV-IN-40010", "source": "/scans/globex/inbox/INV-IN-40010.pdf", "values": {"supplier": "UMBRELLA"}}]$rows$);
RESET SESSION AUTHORIZATION;
