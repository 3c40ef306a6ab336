-- What the audit log does not hold, made harder to change behind the server's back.
--
-- A web session row now carries tag, a keyed hash (HMAC-SHA256 with the vault's index
-- key, which the database holds only wrapped by the master key in vault.key) of the
-- row's secret_hash, user_id, second_factor, created_at and last_seen_at; see
-- sessionTag in sqlstore/auth.go. A row written or altered by anyone without the
-- master key (a session forged for some user, a session moved to another user, given
-- a second factor or made younger) does not match its tag and is refused, deleted and
-- audited as session.forged. Sessions made before this migration have no tag: they
-- are ended, and their users sign in again.
DELETE FROM sessions;
ALTER TABLE sessions ADD COLUMN tag TEXT NOT NULL DEFAULT '';

-- Whether an account is locked is read from the audit log too (the latest of its
-- user.lock and user.unlock entries), so that clearing sign_in_state does not unlock
-- it; this index finds those entries without reading the whole log.
CREATE INDEX audit_log_account_locks ON audit_log (object_id, seq) WHERE action IN ('user.lock', 'user.unlock');
