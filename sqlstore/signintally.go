package sqlstore

import (
	"context"
	"fmt"
	"time"

	"caseroom"
)

// UnknownSignInPeriod is how often, at most, the audit log gets an entry about failed
// sign-ins under user names that do not exist. Anyone can make such attempts, as fast
// as the server answers them; one entry each would let them grow the log without
// limit. The first failure after a quiet period is an entry of its own (signin.fail,
// object "unknown"); the failures that follow within the period are counted, and
// written as one signin.fail.tally entry (a row of sign_in_tallies: how many, the first
// and the last at) by the first failure after the period, or by WriteSignInTally,
// which the server calls every ten seconds. See migrations/0017_sign_in_tally.sql.
//
// A failure counted costs what any other failure costs: one write transaction, here
// updating the count, so that an unknown name and a wrong password still take the same
// time to refuse.
const UnknownSignInPeriod = time.Minute

// prefixSignInTally is the id prefix of sign_in_tallies rows.
const prefixSignInTally = "sit"

// unknownSignIns is the row of unknown_sign_in_tally.
type unknownSignIns struct {
	pending         int64
	firstAt, lastAt string // of the pending failures; "" when none
	auditedAt       string // "" if no entry about unknown names was ever written
	audited         time.Time
}

func loadUnknownSignIns(ctx context.Context, q querier) (unknownSignIns, error) {
	var t unknownSignIns
	var first, last, audited *string
	err := q.QueryRowContext(ctx, `SELECT pending, first_at, last_at, audited_at FROM unknown_sign_in_tally WHERE id = 'unknown'`).
		Scan(&t.pending, &first, &last, &audited)
	if err != nil {
		return t, fmt.Errorf("unknown sign-ins: %w", err)
	}
	t.firstAt, t.lastAt, t.auditedAt = deref(first), deref(last), deref(audited)
	if t.auditedAt != "" {
		if t.audited, err = parseTime(t.auditedAt); err != nil {
			return t, err
		}
	}
	return t, nil
}

// periodOver reports whether an entry about unknown names may be written at now.
func (t unknownSignIns) periodOver(now time.Time) bool {
	return t.auditedAt == "" || now.Sub(t.audited) >= UnknownSignInPeriod
}

// deref returns *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (tx *Tx) saveUnknownSignIns(t unknownSignIns) error {
	if err := tx.exec(`UPDATE unknown_sign_in_tally SET pending = ?, first_at = ?, last_at = ?, audited_at = ? WHERE id = 'unknown'`,
		t.pending, nullable(t.firstAt), nullable(t.lastAt), nullable(t.auditedAt)); err != nil {
		return fmt.Errorf("save unknown sign-ins: %w", err)
	}
	return nil
}

// failUnknownSignIn records a failed sign-in under a user name that does not exist:
// an entry of its own after a quiet period, else one more in the tally, which is
// written if its period is over.
func (tx *Tx) failUnknownSignIn() error {
	t, err := loadUnknownSignIns(tx.ctx, tx)
	if err != nil {
		return err
	}
	now := formatTime(tx.now)
	if t.pending == 0 && t.periodOver(tx.now) {
		if err := tx.appendEvent("signin.fail", "user", "unknown", "", map[string]string{"reason": "unknown user"}); err != nil {
			return err
		}
		t.auditedAt = now
		return tx.saveUnknownSignIns(t)
	}
	t.pending++
	if t.firstAt == "" {
		t.firstAt = now
	}
	t.lastAt = now
	if t.periodOver(tx.now) {
		if err := tx.writeUnknownSignIns(&t); err != nil {
			return err
		}
	}
	return tx.saveUnknownSignIns(t)
}

// writeUnknownSignIns writes the pending failures as one signin.fail.tally entry and
// starts a new period.
func (tx *Tx) writeUnknownSignIns(t *unknownSignIns) error {
	seq, err := tx.reserveSeq()
	if err != nil {
		return err
	}
	id := newID(prefixSignInTally)
	if err := tx.exec(`INSERT INTO sign_in_tallies (id, failures, first_at, last_at, entry) VALUES (?, ?, ?, ?, ?)`,
		id, t.pending, t.firstAt, t.lastAt, seq); err != nil {
		return fmt.Errorf("insert sign-in tally: %w", err)
	}
	if err := tx.appendAudit(seq, "signin.fail.tally", "sign_in_tally", id, ""); err != nil {
		return err
	}
	t.pending, t.firstAt, t.lastAt, t.auditedAt = 0, "", "", formatTime(tx.now)
	return nil
}

// WriteSignInTally writes the failed sign-ins under unknown user names counted since
// the last entry about them, if there are any and UnknownSignInPeriod is over; else it
// writes nothing. The server calls it every ten seconds, so that a tally does not wait for
// the next failure to be written. Its entry's actor is "(unknown)".
func (db *DB) WriteSignInTally(ctx context.Context) error {
	t, err := loadUnknownSignIns(ctx, db.reader())
	if err != nil {
		return err
	}
	if t.pending == 0 || !t.periodOver(db.Now().UTC()) {
		return nil
	}
	return db.write(caseroom.NewContextWithUser(ctx, unknownActor), func(tx *Tx) error {
		t, err := loadUnknownSignIns(ctx, tx)
		if err != nil || t.pending == 0 || !t.periodOver(tx.now) {
			return err
		}
		if err := tx.writeUnknownSignIns(&t); err != nil {
			return err
		}
		return tx.saveUnknownSignIns(t)
	})
}
