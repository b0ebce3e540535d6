namespace HikiConsult.Server.Storage;

/// <summary>
/// The server's tables in the embedded SQLite file; PostgreSQL has the same in HikiConsult.Storage.Postgres's
/// migrations (grain state has its own table, created by the grain storage provider). Times are Unix
/// milliseconds (UTC) so that they compare as numbers. Session events are append-only: triggers refuse
/// updates and deletes, except the deletes of a client's erasure.
/// </summary>
internal static class Schema
{
    public const string Create = """
        PRAGMA journal_mode = WAL;

        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL);

        CREATE TABLE IF NOT EXISTS users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT NOT NULL,
            role TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            disabled_at INTEGER NULL);

        CREATE TABLE IF NOT EXISTS client_directory (
            client_id TEXT PRIMARY KEY,
            created_at INTEGER NOT NULL);

        CREATE TABLE IF NOT EXISTS devices (
            id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            paired_at INTEGER NOT NULL,
            revoked_at INTEGER NULL);
        CREATE INDEX IF NOT EXISTS ix_devices_client ON devices (client_id);

        CREATE TABLE IF NOT EXISTS pairing_codes (
            code_hash TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            used_at INTEGER NULL,
            device_id TEXT NULL);

        CREATE TABLE IF NOT EXISTS session_events (
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            at INTEGER NOT NULL,
            sender_id TEXT NOT NULL,
            sender_role TEXT NOT NULL,
            sender_name TEXT NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            client_msg_id TEXT NULL,
            PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
        -- Resends are recognised by the session grain (ConsultationSessionGrain); this index, made by earlier
        -- versions, cost a page written per message.
        DROP INDEX IF EXISTS ux_session_events_client_msg;
        CREATE TRIGGER IF NOT EXISTS session_events_no_update BEFORE UPDATE ON session_events
            BEGIN SELECT RAISE(ABORT, 'session_events is append-only'); END;
        -- The one permitted delete: erasure of a client, whose transaction lists the client's sessions in
        -- erasing_sessions and empties it again before it commits (src/HikiConsult.Server/Erasure).
        CREATE TABLE IF NOT EXISTS erasing_sessions (
            session_id TEXT PRIMARY KEY);
        DROP TRIGGER IF EXISTS session_events_no_delete;
        CREATE TRIGGER session_events_no_delete BEFORE DELETE ON session_events
            WHEN NOT EXISTS (SELECT 1 FROM erasing_sessions WHERE session_id = OLD.session_id)
            BEGIN SELECT RAISE(ABORT, 'session_events is append-only'); END;

        CREATE TABLE IF NOT EXISTS audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at INTEGER NOT NULL,
            actor_id TEXT NOT NULL,
            actor_role TEXT NOT NULL,
            action TEXT NOT NULL,
            target_type TEXT NOT NULL,
            target_id TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_audit_target ON audit_log (target_type, target_id);
        CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
        CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

        -- One row per staff sign-in (the sid of its access tokens); refresh tokens by hash, each used once.
        CREATE TABLE IF NOT EXISTS auth_sessions (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER NULL,
            revoked_reason TEXT NULL);
        CREATE INDEX IF NOT EXISTS ix_auth_sessions_user ON auth_sessions (user_id);
        CREATE TABLE IF NOT EXISTS refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            session_id TEXT NOT NULL,
            issued_at INTEGER NOT NULL,
            used_at INTEGER NULL);
        CREATE INDEX IF NOT EXISTS ix_refresh_tokens_session ON refresh_tokens (session_id);

        -- Failed sign-ins per account, for the lockout; reset by a successful one.
        CREATE TABLE IF NOT EXISTS login_failures (
            username TEXT PRIMARY KEY COLLATE NOCASE,
            failures INTEGER NOT NULL,
            lockouts INTEGER NOT NULL,
            locked_until INTEGER NULL);

        -- Early consultation: one alert per alerted message; clinical records append-only (assessments, isolation
        -- records, biomarker records as JSON), in insertion order (rowid).
        CREATE TABLE IF NOT EXISTS risk_alerts (
            alert_id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            session_id TEXT NOT NULL,
            seq INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            alert TEXT NOT NULL,
            note TEXT NULL,
            UNIQUE (session_id, seq));
        CREATE INDEX IF NOT EXISTS ix_risk_alerts_status ON risk_alerts (status, client_id, created_at);
        CREATE INDEX IF NOT EXISTS ix_risk_alerts_client ON risk_alerts (client_id, created_at);

        CREATE TABLE IF NOT EXISTS clinical_records (
            record_id TEXT PRIMARY KEY,
            client_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            at INTEGER NOT NULL,
            record TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_clinical_records_client ON clinical_records (client_id, kind, at);
        CREATE TRIGGER IF NOT EXISTS clinical_records_no_update BEFORE UPDATE ON clinical_records
            BEGIN SELECT RAISE(ABORT, 'clinical_records is append-only'); END;
        """;
}
