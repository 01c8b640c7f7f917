import type { Migration } from 'kysely';

/**
 * `users.session_generation`: session tokens carry it and are refused once it moved on (logout,
 * admin revocation). Existing users start at 0, the value tokens issued before it are read as,
 * so deploying it logs nobody out. Portable DDL (SQLite and PostgreSQL).
 */
export const usersSessionGenerationMigration: Migration = {
  async up(db) {
    await db.schema
      .alterTable('users')
      .addColumn('session_generation', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
  },
  async down(db) {
    await db.schema.alterTable('users').dropColumn('session_generation').execute();
  },
};
