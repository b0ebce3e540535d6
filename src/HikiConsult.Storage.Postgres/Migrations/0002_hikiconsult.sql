-- The product's own tables: the same tables, columns and rules as the embedded SQLite schema. Times are Unix
-- milliseconds (UTC) in bigint, as there; user names are unique without case (lower()), as there (COLLATE NOCASE).

CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL);

CREATE TABLE users (
    id text PRIMARY KEY,
    username text NOT NULL,
    display_name text NOT NULL,
    role text NOT NULL,
    password_hash text NOT NULL,
    created_at bigint NOT NULL,
    disabled_at bigint NULL);
CREATE UNIQUE INDEX ux_users_username ON users (lower(username));

CREATE TABLE client_directory (
    client_id text PRIMARY KEY,
    created_at bigint NOT NULL);

CREATE TABLE devices (
    id text PRIMARY KEY,
    client_id text NOT NULL,
    kind text NOT NULL,
    name text NOT NULL,
    paired_at bigint NOT NULL,
    revoked_at bigint NULL);
CREATE INDEX ix_devices_client ON devices (client_id);

CREATE TABLE pairing_codes (
    code_hash text PRIMARY KEY,
    client_id text NOT NULL,
    kind text NOT NULL,
    created_by text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint NULL,
    device_id text NULL);

-- The session log: (session, seq) unique, so a second writer can never overwrite an event or leave a gap.
CREATE TABLE session_events (
    session_id text NOT NULL,
    seq bigint NOT NULL,
    at bigint NOT NULL,
    sender_id text NOT NULL,
    sender_role text NOT NULL,
    sender_name text NOT NULL,
    kind text NOT NULL,
    body text NOT NULL,
    client_msg_id text NULL,
    PRIMARY KEY (session_id, seq));

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

CREATE TRIGGER session_events_append_only BEFORE UPDATE OR DELETE ON session_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at bigint NOT NULL,
    actor_id text NOT NULL,
    actor_role text NOT NULL,
    action text NOT NULL,
    target_type text NOT NULL,
    target_id text NOT NULL);
CREATE INDEX ix_audit_target ON audit_log (target_type, target_id);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE auth_sessions (
    id text PRIMARY KEY,
    user_id text NOT NULL,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint NULL,
    revoked_reason text NULL);
CREATE INDEX ix_auth_sessions_user ON auth_sessions (user_id);

CREATE TABLE refresh_tokens (
    token_hash text PRIMARY KEY,
    session_id text NOT NULL,
    issued_at bigint NOT NULL,
    used_at bigint NULL);
CREATE INDEX ix_refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE login_failures (
    username text PRIMARY KEY, -- lower case
    failures bigint NOT NULL,
    lockouts bigint NOT NULL,
    locked_until bigint NULL);

-- Early consultation: one alert per alerted message; clinical records append-only, in insertion order (id).
CREATE TABLE risk_alerts (
    alert_id text PRIMARY KEY,
    client_id text NOT NULL,
    session_id text NOT NULL,
    seq bigint NOT NULL,
    created_at bigint NOT NULL,
    status text NOT NULL,
    alert text NOT NULL,
    note text NULL,
    UNIQUE (session_id, seq));
CREATE INDEX ix_risk_alerts_status ON risk_alerts (status, client_id, created_at);
CREATE INDEX ix_risk_alerts_client ON risk_alerts (client_id, created_at);

CREATE TABLE clinical_records (
    id bigint GENERATED ALWAYS AS IDENTITY,
    record_id text PRIMARY KEY,
    client_id text NOT NULL,
    kind text NOT NULL,
    at bigint NOT NULL,
    record text NOT NULL);
CREATE INDEX ix_clinical_records_client ON clinical_records (client_id, kind, at);
CREATE TRIGGER clinical_records_no_update BEFORE UPDATE ON clinical_records
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
