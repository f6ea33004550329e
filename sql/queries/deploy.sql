-- Queries of `backdesk deploy check`.

-- name: deploy.operator_roles
-- The operators' PostgreSQL roles, from catalogs any role may read: login
-- (the role name, which is the Unix login) and can_login (false once
-- disabled).
SELECT r.rolname AS login, r.rolcanlogin AS can_login
FROM pg_catalog.pg_auth_members m
JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
JOIN pg_catalog.pg_roles r ON r.oid = m.member
WHERE g.rolname IN ('bd_clerk', 'bd_accountant', 'bd_supervisor', 'bd_admin')
GROUP BY r.rolname, r.rolcanlogin
ORDER BY r.rolname;
