/**
 * The SQL front end shared by the migration and rollback probes: a hand-written tokenizer ({@code Lexer}) that knows
 * comments, quoted strings and identifiers, escape strings, dollar quotes and MySQL delimiters; a statement splitter
 * and recursive-descent parser ({@code SqlParser}) producing the statement model ({@link
 * dev.tollgate.probes.migration.sql.Command}, {@link dev.tollgate.probes.migration.sql.AlterAction}). Entry point:
 * {@link dev.tollgate.probes.migration.sql.SqlScript#parse(String, Dialect)}. Never throws for bad SQL.
 */
package dev.tollgate.probes.migration.sql;
