-- The CHECKs that name three or more values with IN, rewritten as ORs of equalities: the same
-- constraint (a NULL still passes), cheaper to check. SQLite checks a constant IN list through
-- an ephemeral index that it builds again for every row written (a CHECK is coded per row,
-- without the OP_Once that keeps the index of an IN in a query): four such indexes per ticket
-- inserted were a quarter of the insert's work (an escalation run inserts a thousand tickets).
-- Likewise the partial index of active tickets' predicate (migration 5), which every ticket
-- written evaluates; UserRepository::agentsWithLoad repeats it word for word.
--
-- CHECK texts are not part of the stored rows, so this is SQLite's documented procedure for
-- such changes (https://www.sqlite.org/lang_altertable.html, "Making Other Kinds Of Table
-- Schema Changes"): the tables' CREATE statements edited in sqlite_schema, in the migration's
-- transaction; RESET reloads this connection's schema and the index's DDL moves the schema
-- version, so that every other connection reloads it too. A text that does not match (a
-- store made by an older 0001) is left as it was: the constraint holds either way. No
-- PostgreSQL counterpart: it checks IN lists as arrays, without building anything.

PRAGMA writable_schema = ON;

UPDATE sqlite_schema SET sql = replace(replace(sql,
    'CHECK (role IN (''customer'', ''technician'', ''support'', ''admin''))',
    'CHECK (role = ''customer'' OR role = ''technician'' OR role = ''support''
       OR role = ''admin'')'),
    'CHECK (availability IN (''online'', ''away'', ''offline''))',
    'CHECK (availability = ''online'' OR availability = ''away''
       OR availability = ''offline'')')
WHERE type = 'table' AND name = 'users';

UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    'CHECK (status IN (''pending'', ''confirmed'', ''in_progress'', ''completed'',
                                           ''verified'', ''disputed'', ''cancelled''))',
    'CHECK (status = ''pending'' OR status = ''confirmed''
       OR status = ''in_progress'' OR status = ''completed''
       OR status = ''verified'' OR status = ''disputed''
       OR status = ''cancelled'')'),
    'CHECK (cr_status IN (''pending'', ''approved'', ''rejected'', ''escalated'',
                                        ''auto_approved''))',
    'CHECK (cr_status = ''pending'' OR cr_status = ''approved''
       OR cr_status = ''rejected'' OR cr_status = ''escalated''
       OR cr_status = ''auto_approved'')'),
    'CHECK (fu_outcome IN (''customer_confirmed'', ''customer_disputed'',
                                          ''unreachable'', ''auto_completed''))',
    'CHECK (fu_outcome = ''customer_confirmed''
       OR fu_outcome = ''customer_disputed''
       OR fu_outcome = ''unreachable''
       OR fu_outcome = ''auto_completed'')')
WHERE type = 'table' AND name = 'bookings';

UPDATE sqlite_schema SET sql = replace(replace(replace(sql,
    'CHECK (category IN (''account'', ''booking'', ''payment'', ''technical'',
                                               ''billing'', ''complaint'', ''service_quality'', ''other''))',
    'CHECK (category = ''account'' OR category = ''booking''
       OR category = ''payment'' OR category = ''technical''
       OR category = ''billing'' OR category = ''complaint''
       OR category = ''service_quality'' OR category = ''other'')'),
    'CHECK (priority IN (''low'', ''medium'', ''high'', ''urgent''))',
    'CHECK (priority = ''low'' OR priority = ''medium'' OR priority = ''high''
       OR priority = ''urgent'')'),
    'CHECK (status IN (''open'', ''assigned'', ''in_progress'', ''pending'',
                                           ''resolved'', ''closed''))',
    'CHECK (status = ''open'' OR status = ''assigned'' OR status = ''in_progress''
       OR status = ''pending'' OR status = ''resolved''
       OR status = ''closed'')')
WHERE type = 'table' AND name = 'tickets';

PRAGMA writable_schema = RESET;

DROP INDEX IF EXISTS tickets_agent_load;
CREATE INDEX tickets_agent_load ON tickets (assigned_to)
    WHERE status = 'assigned' OR status = 'in_progress' OR status = 'pending';
