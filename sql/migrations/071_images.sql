-- 071_images: the document's image beside the form (issue 20, item 2).
--
-- A batch line that names an image file (its `source` column) brings the
-- image along: `backdesk batch import` reads the file on the loading host
-- and stores it here in the same transaction as the batch, so every
-- application host reads it from the database, under the client isolation
-- of every business table (the tenant policy, FORCE ROW LEVEL SECURITY).
-- A file that is missing, unreadable, too large or not PNG, JPEG, TIFF or
-- PDF refuses the whole load.
--
-- What is stored is a normalised rendering, not the original: one page as
-- PNG (a PDF page rendered at 150 dpi, TIFF/JPEG/PNG decoded and re-encoded
-- at their own pixel size), so the keying screen and `backdesk image` need
-- one decoder (cairo's PNG reader) instead of four, no PDF renderer runs on
-- the application hosts while a clerk keys, and the pixel size is known
-- without decoding. media_type therefore is always image/png;
-- source_type says what the batch brought and page/page_count which page
-- of it this is.
--
-- Written only by entry.image_put (supervisors and admins, as the batch
-- import), read by clerks through entry.image_of. Not audited row by row
-- (a page is 100 KB-8 MB); the batch import's own audit covers the load.

SET ROLE bd_owner;

CREATE TABLE entry.images (
	client_id   integer NOT NULL,
	document_id bigint NOT NULL,
	media_type  text NOT NULL DEFAULT 'image/png' CHECK (media_type = 'image/png'),
	source_type text NOT NULL
		CHECK (source_type IN ('image/png', 'image/jpeg', 'image/tiff', 'application/pdf')),
	page        integer NOT NULL DEFAULT 1,
	page_count  integer NOT NULL DEFAULT 1,
	width       integer NOT NULL CHECK (width BETWEEN 1 AND 20000),
	height      integer NOT NULL CHECK (height BETWEEN 1 AND 20000),
	bytes       bytea NOT NULL CHECK (octet_length(bytes) BETWEEN 8 AND 8388608),
	created_at  timestamptz NOT NULL DEFAULT now(),
	CHECK (page BETWEEN 1 AND page_count),
	PRIMARY KEY (client_id, document_id),
	FOREIGN KEY (client_id, document_id) REFERENCES entry.documents (client_id, document_id)
);
-- PNG is compressed already: kept out of line without a second compression.
ALTER TABLE entry.images ALTER COLUMN bytes SET STORAGE EXTERNAL;
COMMENT ON TABLE entry.images IS
	'One page image per document (PNG), loaded with its batch, read by entry.image_of.';

RESET ROLE;
SELECT core.tenant_table('entry.images', ARRAY['bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin'], false);
