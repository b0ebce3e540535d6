-- Erasure of a client is the one permitted delete on the session log: its transaction lists the client's sessions in
-- erasing_sessions and empties it again before it commits (src/HikiConsult.Server/Erasure). Updates stay refused.
CREATE TABLE erasing_sessions (
    session_id text PRIMARY KEY);

CREATE FUNCTION refuse_session_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM erasing_sessions WHERE session_id = OLD.session_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'session_events is append-only';
END $$;

DROP TRIGGER session_events_append_only ON session_events;
CREATE TRIGGER session_events_append_only BEFORE UPDATE OR DELETE ON session_events
    FOR EACH ROW EXECUTE FUNCTION refuse_session_event_change();
