-- Demo data for real forms (issue 20), generated from
-- screens/doctypes/cms1500.conf (the fields and rules JSON are what the
-- doctype loader makes of it; tests/db/test_field_rules.c checks that the
-- stored screen equals the shipped file and that reloading it is a no-op):
-- the CMS-1500-like claim for ACME beside the claim and the invoice, and
-- ACME's code tables icd10 and cpt behind its diagnosis and procedure
-- fields (a real floor loads them with `backdesk codes load`). `backdesk
-- demo` then imports a batch of three of these claims with the sample page
-- as their image (src/cli/cli_demo.c: images are files, not SQL).
-- Runs as a superuser after seed.sql.
SET SESSION AUTHORIZATION super1;
SELECT entry.doctype_load('ACME', 'cms1500', $t$CMS-1500 claim$t$, $screen$# CMS-1500 health insurance claim (a subset), a data-entry document type
# (backdesk doctype load CLIENT FILE). Keyed from the paper form (US: month
# first, two-digit years). The boxes' numbers lead the labels. Diagnoses are
# lines 1-12 of box 21, which the service lines' pointers (box 24E) name as
# A-L; F4 on a diagnosis or a procedure searches the client's code tables
# icd10 and cpt (backdesk codes load). The database checks every rule below
# on submit, adjudication and QA (lines starting "# sum:" are read by the
# doctype loader).
#
# sum: total_charge = charges1 + charges2 + charges3 + charges4 + charges5 + charges6
screen = {
  name = "cms1500";
  title = "CMS-1500 claim";
  help = "Key the claim as printed. Dates month first (03/15/24). Diagnoses: line 1 is A, line 12 is L; a service line's pointer names up to four of them (ACD). A service line is filled in whole or left empty. F4 on a code searches by code or by a word of its description.";
  date_order = "mdy";
  two_digit_years = "window";
  fields = (
    { name = "patient"; label = "2 Patient"; row = 3; col = 1; input_col = 13; type = "text";
      width = 28; length = 60; upshift = true; required = true;
      help = "LAST, FIRST as in box 2"; zone = "0.03 0.12 0.45 0.04"; },
    { name = "dob"; label = "3 Birth date"; row = 3; col = 44; input_col = 58; type = "date";
      two_digit_years = "past"; required = true; zone = "0.50 0.12 0.22 0.04"; },
    { name = "insured_id"; label = "1a Insured"; row = 4; col = 1; input_col = 13; type = "text";
      width = 20; upshift = true; required = true; pattern = "^[A-Z0-9-]+$";
      help = "The insured's ID number, box 1a"; zone = "0.55 0.06 0.40 0.04"; },
    { name = "billing_npi"; label = "33a NPI"; row = 4; col = 44; input_col = 58; type = "text";
      picture = "9999999999"; check_digit = "luhn:80840"; required = true;
      help = "Billing provider's NPI: ten digits, the last a check digit";
      zone = "0.70 0.91 0.25 0.04"; },
    { name = "total_charge"; label = "28 Total"; row = 19; col = 1; input_col = 13;
      type = "money"; min = "0.01"; max = "999999.99"; required = true;
      help = "Must equal the sum of the lines' charges"; zone = "0.55 0.85 0.18 0.04"; },
    { name = "paid"; label = "29 Paid"; row = 19; col = 44; input_col = 58; type = "money";
      min = "0.00"; max = "999999.99"; zone = "0.75 0.85 0.18 0.04"; }
  );
  grids = (
    { name = "diagnoses"; rows = 12; visible = 4; row = 5; col = 1;
      columns = (
        { name = "dx"; label = "21 Diagnosis"; type = "lookup"; width = 12; length = 8;
          upshift = true; codes = "icd10"; pattern = "^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$";
          help = "ICD-10-CM code such as J20.9; F4 to search; line 1 is A";
          zone = "0.03 0.36 0.22 0.022 0.022"; }
      ); },
    { name = "lines"; rows = 6; visible = 6; row = 11; col = 1;
      columns = (
        { name = "from"; label = "24A From"; type = "date"; dup = true;
          zone = "0.03 0.64 0.10 0.03 0.032"; },
        { name = "to"; label = "To"; type = "date"; dup = true; zone = "0.14 0.64 0.10 0.03 0.032"; },
        { name = "pos"; label = "POS"; type = "text"; width = 3; length = 2;
          pattern = "^[0-9]{2}$"; dup = true; help = "Place of service, two digits";
          zone = "0.25 0.64 0.05 0.03 0.032"; },
        { name = "cpt"; label = "CPT"; type = "lookup"; width = 5; upshift = true; codes = "cpt";
          help = "CPT/HCPCS code; F4 to search"; zone = "0.31 0.64 0.09 0.03 0.032"; },
        { name = "ptr"; label = "Ptr"; type = "text"; width = 4; upshift = true;
          pattern = "^[A-L]{1,4}$"; help = "Diagnosis pointer: letters A-L";
          zone = "0.41 0.64 0.06 0.03 0.032"; },
        { name = "charges"; label = "Charges"; type = "money"; width = 9; min = "0.01";
          max = "99999.99"; zone = "0.48 0.64 0.12 0.03 0.032"; },
        { name = "units"; label = "Units"; type = "integer"; width = 5; min = "1"; max = "999";
          zone = "0.61 0.64 0.07 0.03 0.032"; },
        { name = "npi"; label = "J NPI"; type = "text"; picture = "9999999999";
          check_digit = "luhn:80840"; dup = true; help = "Rendering provider's NPI";
          zone = "0.69 0.64 0.25 0.03 0.032"; }
      ); }
  );
  rules = ( "dob <= today", "from <= today", "from >= dob", "to >= from",
            "all_or_none from pos cpt ptr charges units", "pointer ptr to dx" );
};
$screen$,
	$j$[{"name":"patient","type":"text","label":"2 Patient","length":60,"upshift":true,"required":true},{"name":"dob","type":"date","label":"3 Birth date","length":10,"required":true},{"name":"insured_id","type":"text","label":"1a Insured","length":20,"upshift":true,"pattern":"^[A-Z0-9-]+$","required":true},{"name":"billing_npi","type":"text","label":"33a NPI","length":10,"picture":"9999999999","required":true,"check_digit":"luhn:80840"},{"name":"total_charge","type":"money","label":"28 Total","scale":2,"length":12,"min":"0.01","max":"999999.99","required":true},{"name":"paid","type":"money","label":"29 Paid","scale":2,"length":12,"min":"0.00","max":"999999.99"},{"name":"dx1","type":"lookup","label":"21 Diagnosis (line 1)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx2","type":"lookup","label":"21 Diagnosis (line 2)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx3","type":"lookup","label":"21 Diagnosis (line 3)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx4","type":"lookup","label":"21 Diagnosis (line 4)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx5","type":"lookup","label":"21 Diagnosis (line 5)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx6","type":"lookup","label":"21 Diagnosis (line 6)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx7","type":"lookup","label":"21 Diagnosis (line 7)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx8","type":"lookup","label":"21 Diagnosis (line 8)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx9","type":"lookup","label":"21 Diagnosis (line 9)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx10","type":"lookup","label":"21 Diagnosis (line 10)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx11","type":"lookup","label":"21 Diagnosis (line 11)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"dx12","type":"lookup","label":"21 Diagnosis (line 12)","length":8,"upshift":true,"pattern":"^[A-Z][0-9]{2}(\\.[0-9A-Z]{1,4})?$","codes":"icd10"},{"name":"from1","type":"date","label":"24A From (line 1)","length":10},{"name":"to1","type":"date","label":"To (line 1)","length":10},{"name":"pos1","type":"text","label":"POS (line 1)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt1","type":"lookup","label":"CPT (line 1)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr1","type":"text","label":"Ptr (line 1)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges1","type":"money","label":"Charges (line 1)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units1","type":"integer","label":"Units (line 1)","length":5,"min":"1","max":"999"},{"name":"npi1","type":"text","label":"J NPI (line 1)","length":10,"picture":"9999999999","check_digit":"luhn:80840"},{"name":"from2","type":"date","label":"24A From (line 2)","length":10},{"name":"to2","type":"date","label":"To (line 2)","length":10},{"name":"pos2","type":"text","label":"POS (line 2)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt2","type":"lookup","label":"CPT (line 2)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr2","type":"text","label":"Ptr (line 2)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges2","type":"money","label":"Charges (line 2)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units2","type":"integer","label":"Units (line 2)","length":5,"min":"1","max":"999"},{"name":"npi2","type":"text","label":"J NPI (line 2)","length":10,"picture":"9999999999","check_digit":"luhn:80840"},{"name":"from3","type":"date","label":"24A From (line 3)","length":10},{"name":"to3","type":"date","label":"To (line 3)","length":10},{"name":"pos3","type":"text","label":"POS (line 3)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt3","type":"lookup","label":"CPT (line 3)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr3","type":"text","label":"Ptr (line 3)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges3","type":"money","label":"Charges (line 3)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units3","type":"integer","label":"Units (line 3)","length":5,"min":"1","max":"999"},{"name":"npi3","type":"text","label":"J NPI (line 3)","length":10,"picture":"9999999999","check_digit":"luhn:80840"},{"name":"from4","type":"date","label":"24A From (line 4)","length":10},{"name":"to4","type":"date","label":"To (line 4)","length":10},{"name":"pos4","type":"text","label":"POS (line 4)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt4","type":"lookup","label":"CPT (line 4)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr4","type":"text","label":"Ptr (line 4)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges4","type":"money","label":"Charges (line 4)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units4","type":"integer","label":"Units (line 4)","length":5,"min":"1","max":"999"},{"name":"npi4","type":"text","label":"J NPI (line 4)","length":10,"picture":"9999999999","check_digit":"luhn:80840"},{"name":"from5","type":"date","label":"24A From (line 5)","length":10},{"name":"to5","type":"date","label":"To (line 5)","length":10},{"name":"pos5","type":"text","label":"POS (line 5)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt5","type":"lookup","label":"CPT (line 5)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr5","type":"text","label":"Ptr (line 5)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges5","type":"money","label":"Charges (line 5)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units5","type":"integer","label":"Units (line 5)","length":5,"min":"1","max":"999"},{"name":"npi5","type":"text","label":"J NPI (line 5)","length":10,"picture":"9999999999","check_digit":"luhn:80840"},{"name":"from6","type":"date","label":"24A From (line 6)","length":10},{"name":"to6","type":"date","label":"To (line 6)","length":10},{"name":"pos6","type":"text","label":"POS (line 6)","length":2,"pattern":"^[0-9]{2}$"},{"name":"cpt6","type":"lookup","label":"CPT (line 6)","length":5,"upshift":true,"codes":"cpt"},{"name":"ptr6","type":"text","label":"Ptr (line 6)","length":4,"upshift":true,"pattern":"^[A-L]{1,4}$"},{"name":"charges6","type":"money","label":"Charges (line 6)","scale":2,"length":9,"min":"0.01","max":"99999.99"},{"name":"units6","type":"integer","label":"Units (line 6)","length":5,"min":"1","max":"999"},{"name":"npi6","type":"text","label":"J NPI (line 6)","length":10,"picture":"9999999999","check_digit":"luhn:80840"}]$j$,
	$j$[{"target":"total_charge","terms":["charges1","charges2","charges3","charges4","charges5","charges6"]},{"kind":"compare","target":"dob","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from1","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from2","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from3","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from4","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from5","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from6","terms":[],"op":"<=","cmp":"date"},{"kind":"compare","target":"from1","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"from2","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"from3","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"from4","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"from5","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"from6","terms":["dob"],"op":">=","cmp":"date"},{"kind":"compare","target":"to1","terms":["from1"],"op":">=","cmp":"date"},{"kind":"compare","target":"to2","terms":["from2"],"op":">=","cmp":"date"},{"kind":"compare","target":"to3","terms":["from3"],"op":">=","cmp":"date"},{"kind":"compare","target":"to4","terms":["from4"],"op":">=","cmp":"date"},{"kind":"compare","target":"to5","terms":["from5"],"op":">=","cmp":"date"},{"kind":"compare","target":"to6","terms":["from6"],"op":">=","cmp":"date"},{"kind":"all_or_none","target":"from1","terms":["pos1","cpt1","ptr1","charges1","units1"]},{"kind":"all_or_none","target":"from2","terms":["pos2","cpt2","ptr2","charges2","units2"]},{"kind":"all_or_none","target":"from3","terms":["pos3","cpt3","ptr3","charges3","units3"]},{"kind":"all_or_none","target":"from4","terms":["pos4","cpt4","ptr4","charges4","units4"]},{"kind":"all_or_none","target":"from5","terms":["pos5","cpt5","ptr5","charges5","units5"]},{"kind":"all_or_none","target":"from6","terms":["pos6","cpt6","ptr6","charges6","units6"]},{"kind":"pointer","target":"ptr1","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]},{"kind":"pointer","target":"ptr2","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]},{"kind":"pointer","target":"ptr3","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]},{"kind":"pointer","target":"ptr4","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]},{"kind":"pointer","target":"ptr5","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]},{"kind":"pointer","target":"ptr6","terms":["dx1","dx2","dx3","dx4","dx5","dx6","dx7","dx8","dx9","dx10","dx11","dx12"]}]$j$);
SELECT entry.codes_load('ACME', 'icd10', (SELECT jsonb_agg(jsonb_build_array(code, description, NULL, NULL)) FROM (VALUES
	('J20.9', 'Acute bronchitis, unspecified'),
	('J06.9', 'Acute upper respiratory infection, unspecified'),
	('R05.9', 'Cough, unspecified'),
	('I10', 'Essential (primary) hypertension'),
	('E11.9', 'Type 2 diabetes mellitus without complications'),
	('M54.50', 'Low back pain, unspecified'),
	('Z00.00', 'Encounter for general adult medical examination without abnormal findings'),
	('K21.9', 'Gastro-esophageal reflux disease without esophagitis'),
	('F41.1', 'Generalized anxiety disorder'),
	('E78.5', 'Hyperlipidemia, unspecified'),
	('N39.0', 'Urinary tract infection, site not specified'),
	('R51.9', 'Headache, unspecified'),
	('J45.909', 'Unspecified asthma, uncomplicated'),
	('H10.9', 'Unspecified conjunctivitis'),
	('S93.401A', 'Sprain of unspecified ligament of right ankle, initial encounter')) v(code, description)));
SELECT entry.codes_load('ACME', 'cpt', (SELECT jsonb_agg(jsonb_build_array(code, description, NULL, NULL)) FROM (VALUES
	('99213', 'Office visit, established patient, low complexity'),
	('99214', 'Office visit, established patient, moderate complexity'),
	('99203', 'Office visit, new patient, low complexity'),
	('99204', 'Office visit, new patient, moderate complexity'),
	('93000', 'Electrocardiogram, routine, with interpretation and report'),
	('85025', 'Blood count, complete, automated, with differential'),
	('80053', 'Comprehensive metabolic panel'),
	('71046', 'Chest X-ray, two views'),
	('36415', 'Venipuncture, routine collection of blood'),
	('81002', 'Urinalysis, non-automated, without microscopy'),
	('90471', 'Immunization administration, one vaccine'),
	('J1100', 'Injection, dexamethasone sodium phosphate, 1 mg')) v(code, description)));
RESET SESSION AUTHORIZATION;
