package sqlstore

import (
	"context"
	"sort"
	"strings"
	"time"

	"caseroom"
	"caseroom/vault"
)

var _ caseroom.ClockService = (*DB)(nil)

// Clocks lists the case's running deadline clocks. See caseroom.ClockService.
func (db *DB) Clocks(ctx context.Context, caseID string) ([]caseroom.Clock, error) {
	q, role, err := db.readerRole(ctx, caseID)
	if err != nil {
		return nil, err
	}
	switch role {
	case caseroom.RoleLead, caseroom.RoleProsecutor, caseroom.RoleOversight, caseroom.RoleInvestigator:
	default:
		return nil, caseroom.Errorf(caseroom.EFORBIDDEN, "Your role in this case (%s) does not read the deadline clocks; the lead, prosecutors, oversight and investigators do.", role)
	}
	return caseClocks(ctx, q, db.v(), caseID, db.Now())
}

// caseClocks works out a case's clocks as they stand at now:
//   - every arrest whose production before a magistrate is not yet recorded runs to
//     its stored due time; a recorded production stops it (a late production stays
//     visible on the arrest, as production.late);
//   - a medical examination, while raised or allocated, runs to its raising plus
//     caseroom.MedicalExaminationWithin (72 hours);
//   - any action with a due time, while raised or allocated, runs to that time.
//
// A clock is overdue once its due time is before now. They are listed earliest due
// first, then by kind and reference.
func caseClocks(ctx context.Context, q querier, v *vault.Vault, caseID string, now time.Time) ([]caseroom.Clock, error) {
	out := []caseroom.Clock{}
	add := func(kind caseroom.ClockKind, ref, subject string, due time.Time) {
		out = append(out, caseroom.Clock{Kind: kind, Ref: ref, Subject: subject, Due: due, Overdue: due.Before(now)})
	}
	arrests, err := loadArrests(ctx, q, v, caseID, "")
	if err != nil {
		return nil, err
	}
	for _, a := range arrests {
		if a.Production != nil {
			continue
		}
		add(caseroom.ClockProduction, a.Ref, a.PersonLabel, a.Due)
	}
	actions, err := loadActions(ctx, q, v, caseID, "")
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		if a.State != caseroom.ActionRaised && a.State != caseroom.ActionAllocated {
			continue
		}
		var labels []string
		for _, s := range a.Subjects {
			labels = append(labels, s.Label)
		}
		subject := strings.Join(labels, ", ")
		if subject == "" {
			subject = a.Title
		}
		if a.Kind == caseroom.ActionMedicalExamination {
			add(caseroom.ClockMedicalExamination, a.Ref, subject, a.RaisedAt.Add(caseroom.MedicalExaminationWithin))
		}
		if a.Due != nil {
			add(caseroom.ClockActionDue, a.Ref, subject, *a.Due)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Due.Equal(out[j].Due) {
			return out[i].Due.Before(out[j].Due)
		}
		if out[i].Kind != out[j].Kind {
			return out[i].Kind < out[j].Kind
		}
		return out[i].Ref < out[j].Ref
	})
	return out, nil
}

// FutureSkew is how far past the server's clock a time given as when something
// happened (an arrest, a production, a contact, a statement recorded) may lie before it
// is refused as in the future: clocks of the devices officers enter times on drift.
const FutureSkew = 5 * time.Minute

// notInFuture returns EINVALID naming field if t, given as when something happened,
// is later than now plus FutureSkew, or earlier than caseroom.EarliestTime; nil
// otherwise. Every write that takes such a time checks it here, so the rule and its
// message are the same everywhere.
func notInFuture(field string, t, now time.Time) error {
	if err := notBeforeEarliest(field, t); err != nil {
		return err
	}
	if t.After(now.Add(FutureSkew)) {
		return caseroom.Errorf(caseroom.EINVALID, "%s: %s is in the future (the server's time is %s); give when it happened",
			field, t.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// dueWithin returns EINVALID naming field if t, a due time, is earlier than
// caseroom.EarliestTime or more than caseroom.DueWithinYears after now.
func dueWithin(field string, t, now time.Time) error {
	if err := notBeforeEarliest(field, t); err != nil {
		return err
	}
	if latest := now.AddDate(caseroom.DueWithinYears, 0, 0); t.After(latest) {
		return caseroom.Errorf(caseroom.EINVALID, "%s: %s is more than %d years ahead (the server's time is %s); give a due time before %s",
			field, t.UTC().Format(time.RFC3339), caseroom.DueWithinYears, now.UTC().Format(time.RFC3339), latest.UTC().Format(time.DateOnly))
	}
	return nil
}

// notBeforeEarliest returns EINVALID naming field if t is earlier than
// caseroom.EarliestTime.
func notBeforeEarliest(field string, t time.Time) error {
	if t.Before(caseroom.EarliestTime) {
		return caseroom.Errorf(caseroom.EINVALID, "%s: %s is before %d; check the year",
			field, t.UTC().Format(time.RFC3339), caseroom.EarliestTime.Year())
	}
	return nil
}
