-- A schema version this build does not know, as a newer Atelier would leave it (CatalogMigrationTest).
CREATE TABLE collections (id TEXT PRIMARY KEY, name TEXT NOT NULL);
