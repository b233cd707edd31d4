-- tst_migrator: fails half-way, after a statement that worked.
INSERT INTO migrator_probe (id) VALUES (2);
INSERT INTO no_such_table (id) VALUES (1);
