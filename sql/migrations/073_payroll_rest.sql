-- 073_payroll_rest: what issue 17 left in the statutory packs.
--
-- A corrected pack is a new version in force from the same date as the one
-- it corrects: the PH and US packs of 2025 were checked against the
-- published tables and shipped again as version 2 (Pag-IBIG's 1% band of
-- HDMF Circular 460; Worksheet 1A's line 1g of IRS Publication 15-T), in
-- force from 2025-01-01 like version 1, which runs already computed keep.
-- One pack per country and date (040) refused loading it; the key is now
-- the pack and its version, and of two versions in force from the same
-- date the engine takes the higher (payroll.run_components).

SET ROLE bd_owner;

ALTER TABLE payroll.packs DROP CONSTRAINT packs_country_effective_from_key;

RESET ROLE;
