-- tst_migrator: a migration that works, followed by one that fails (9002).
CREATE TABLE migrator_probe (id INTEGER PRIMARY KEY);
INSERT INTO migrator_probe (id) VALUES (1);
