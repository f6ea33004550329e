-- Demo data for the core module: two clients and an operator for every role.
-- Runs as a superuser after the migrations, on a fresh demo database (demo
-- --reset recreates the database). Roles are cluster-wide: an operator whose
-- login role already exists (an earlier demo database) is re-enabled and
-- regranted by core.operator_add.
--
-- Other modules' demo data should act as a real operator, so that their
-- functions' checks and the RLS policies apply exactly as in production:
--   SET SESSION AUTHORIZATION acct1;  ... SELECT ledger.something(...);
--   RESET SESSION AUTHORIZATION;

SELECT core.client_add('ACME', 'Acme Health Insurance');
SELECT core.client_add('GLOBEX', 'Globex Supplies');

SELECT core.operator_add('admin1', 'Ada Admin', 'admin', '{ACME,GLOBEX}');
SELECT core.operator_add('super1', 'Sam Supervisor', 'supervisor', '{ACME,GLOBEX}');
SELECT core.operator_add('acct1', 'Alice Accountant', 'accountant', '{ACME,GLOBEX}');
SELECT core.operator_add('acct2', 'Bob Accountant', 'accountant', '{ACME,GLOBEX}');
SELECT core.operator_add('clerk1', 'Carol Clerk', 'clerk', '{ACME,GLOBEX}');
SELECT core.operator_add('clerk2', 'Dan Clerk', 'clerk', '{ACME,GLOBEX}');
-- The clerk assigned to one client only.
SELECT core.operator_add('clerk3', 'Eve Clerk', 'clerk', '{ACME}');
