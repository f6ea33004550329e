-- 091_ledger_currencies_more: currencies books taken over still hold.
--
-- 060 loaded ISO 4217's active codes of that day. A firm takes over books
-- kept before a change of currency (Croatia's kuna until 2023, the Baltic
-- and other euro adopters' before), and an importer that calls HRK "not a
-- currency" refuses a real journal for a wrong reason. Added: the codes
-- ISO 4217 withdrew since the euro's notes (its list of historic
-- denominations) whose minor units were stated there, and the two active
-- codes 060 lacked (VED, Venezuela's digital bolivar of 2021; XCG, the
-- Caribbean guilder of 2025). Reference data, as in 060: written by
-- migrations only.

SET ROLE bd_owner;

INSERT INTO ledger.currencies (code, minor_units)
VALUES ('VED', 2), ('XCG', 2),
       ('HRK', 2), ('LTL', 2), ('LVL', 2), ('EEK', 2), ('SKK', 2), ('SIT', 2), ('CYP', 2),
       ('MTL', 2), ('SLL', 2), ('ZWL', 2), ('CUC', 2), ('VEF', 2), ('MRO', 2), ('STD', 2),
       ('BYR', 0), ('ZMK', 2), ('GHC', 2), ('TRL', 0), ('ROL', 2), ('AZM', 2), ('MZM', 2),
       ('SDD', 2), ('TMM', 2), ('CSD', 2)
ON CONFLICT (code) DO NOTHING;

RESET ROLE;
