package web

import (
	"fmt"
	"net/http"
	"time"

	"caseroom"
)

// The case dashboard: where the case stands, for the morning briefing. The counts come
// from the summary service; the charts from one list call each (documents, actions,
// arrests), never a call per record; the clocks from the clock service. A section the
// user's role may not read (the service answers EFORBIDDEN) is left out.

// dashboardView is the dashboard's data.
type dashboardView struct {
	Now     time.Time             // when the page was made, for "as of"
	Summary *caseroom.CaseSummary // nil if the role may not read the counts
	// Open lists the open actions per state, in the order of caseroom.ActionStates.
	Open   []stateCount
	Charts []*dashChart
	// Clocks lists the running deadline clocks, earliest due first; ClocksShown is
	// false when the role may not read them.
	Clocks      []clockRow
	ClocksShown bool
	Overdue     int
}

// stateCount is a number of actions in one state.
type stateCount struct {
	State caseroom.ActionState
	N     int64
}

// dashChart is one chart of the dashboard, with the table of its numbers.
type dashChart struct {
	ID      string // the anchor of its card
	Heading string
	Note    string // what it counts, under the heading
	// Category heads the first column of the chart's table: Day, Week of, State.
	Category string
	*barChart
}

// clockRow is one deadline clock as the dashboard lists it.
type clockRow struct {
	caseroom.Clock
	What     string // arrest production, medical examination, action due
	Link     string // the page of the action, or of the person arrested
	Person   string // the page of the person it concerns, if known
	Lateness string // "3 h 20 min late", "due in 5 h"
}

// dashboardMaxDays is the most days the per-day charts show one bar each for; a
// longer span is shown by week.
const dashboardMaxDays = 45

// uiDashboard is the case's start page: where the case stands.
func (s *Server) uiDashboard(w http.ResponseWriter, r *http.Request) {
	p, err := s.newCasePage(r, "Dashboard", "dashboard")
	if err != nil {
		s.uiError(w, r, nil, err)
		return
	}
	ctx, caseID := r.Context(), p.Case.ID
	v := &dashboardView{Now: s.now()}
	// allowed turns a refusal into "leave the section out", and keeps other errors.
	allowed := func(err error) (bool, error) {
		if caseroom.ErrorCode(err) == caseroom.EFORBIDDEN {
			return false, nil
		}
		return err == nil, err
	}

	sum, err := s.Summary.Summary(ctx, caseID)
	if ok, err := allowed(err); err != nil {
		s.uiError(w, r, p, err)
		return
	} else if ok {
		v.Summary = sum
		for _, st := range caseroom.ActionStates {
			if n, ok := sum.OpenActions[st]; ok {
				v.Open = append(v.Open, stateCount{st, n})
			}
		}
	}

	docs, err := s.Documents.FindDocuments(ctx, caseID, caseroom.DocumentFilter{})
	if ok, err := allowed(err); err != nil {
		s.uiError(w, r, p, err)
		return
	} else if ok {
		v.Charts = append(v.Charts, documentsPerDay(docs, p.location()))
	}

	var actionsByRef map[string]*caseroom.Action
	actions, err := s.Actions.FindActions(ctx, caseID, caseroom.ActionFilter{})
	if ok, err := allowed(err); err != nil {
		s.uiError(w, r, p, err)
		return
	} else if ok {
		v.Charts = append(v.Charts, actionsByState(actions))
		actionsByRef = make(map[string]*caseroom.Action, len(actions))
		for _, a := range actions {
			actionsByRef[a.Ref] = a
		}
	}

	var arrestsByRef map[string]*caseroom.Arrest
	arrests, err := s.Arrests.FindArrests(ctx, caseID)
	if ok, err := allowed(err); err != nil {
		s.uiError(w, r, p, err)
		return
	} else if ok {
		v.Charts = append(v.Charts, arrestsPerDay(arrests, p.location()))
		arrestsByRef = make(map[string]*caseroom.Arrest, len(arrests))
		for _, a := range arrests {
			arrestsByRef[a.Ref] = a
		}
	}
	if v.Summary != nil {
		v.Charts = append(v.Charts, mediaChart(v.Summary.Media))
	}

	clocks, err := s.Clocks.Clocks(ctx, caseID)
	if ok, err := allowed(err); err != nil {
		s.uiError(w, r, p, err)
		return
	} else if ok {
		v.ClocksShown = true
		for _, c := range clocks {
			row := clockRow{Clock: c, Lateness: lateness(c.Due, v.Now)}
			switch c.Kind {
			case caseroom.ClockProduction:
				row.What = "Production before a magistrate"
				if a := arrestsByRef[c.Ref]; a != nil {
					row.Person = p.CasePath("people", a.Person)
				}
			case caseroom.ClockMedicalExamination:
				row.What = "Medical examination"
			default:
				row.What = "Action due"
			}
			if c.Kind != caseroom.ClockProduction {
				row.Link = p.CasePath("actions", c.Ref)
				if a := actionsByRef[c.Ref]; a != nil {
					for _, sub := range a.Subjects {
						if sub.Kind == string(caseroom.EntityPerson) {
							row.Person = p.CasePath("people", sub.ID)
							break
						}
					}
				}
			} else if row.Person != "" {
				row.Link = row.Person
			}
			if c.Overdue {
				v.Overdue++
			}
			v.Clocks = append(v.Clocks, row)
		}
	}
	p.Body = v
	s.renderUI(w, r, "dashboard", p)
}

// documentsPerDay charts the statements and complaints per day they were taken
// (recorded at; the registration time for one without it), in the case's time zone.
func documentsPerDay(docs []*caseroom.Document, loc *time.Location) *dashChart {
	var times []time.Time
	var kinds []int
	for _, d := range docs {
		if d.Kind != caseroom.DocStatement && d.Kind != caseroom.DocComplaint {
			continue
		}
		t := d.RegisteredAt
		if d.Statement != nil && !d.Statement.RecordedAt.IsZero() {
			t = d.Statement.RecordedAt
		}
		k := 0
		if d.Kind == caseroom.DocComplaint {
			k = 1
		}
		times, kinds = append(times, t), append(kinds, k)
	}
	labels, index, weekly := dayBuckets(times, loc, dashboardMaxDays)
	c := &barChart{Title: "Statements and complaints per day", Categories: labels, Empty: "No statements or complaints yet",
		Series: []chartSeries{{Name: "Statements", Values: make([]float64, len(labels))}, {Name: "Complaints", Values: make([]float64, len(labels))}}}
	for i, t := range times {
		if j := index(t); j >= 0 {
			c.Series[kinds[i]].Values[j]++
		}
	}
	note := "By the day they were taken, in the case's time zone."
	if weekly {
		c.Title = "Statements and complaints per week"
		note = "By the week they were taken (weeks start on Monday), in the case's time zone."
	}
	return &dashChart{ID: "chart-documents", Heading: "Statements and complaints", Note: note, Category: category(weekly), barChart: c}
}

// actionsByState charts every action of the case by the state it is in.
func actionsByState(actions []*caseroom.Action) *dashChart {
	c := &barChart{Title: "Actions by state", Empty: "No actions raised yet",
		Series: []chartSeries{{Name: "Actions"}}}
	for _, st := range caseroom.ActionStates {
		var n float64
		for _, a := range actions {
			if a.State == st {
				n++
			}
		}
		c.Categories = append(c.Categories, string(st))
		c.Series[0].Values = append(c.Series[0].Values, n)
	}
	return &dashChart{ID: "chart-actions", Heading: "Actions by state", Note: "Every action of the case, open and closed.", Category: "State", barChart: c}
}

// arrestsPerDay charts the arrests per day they were made, in the case's time zone.
func arrestsPerDay(arrests []*caseroom.Arrest, loc *time.Location) *dashChart {
	times := make([]time.Time, len(arrests))
	for i, a := range arrests {
		times[i] = a.At
	}
	labels, index, weekly := dayBuckets(times, loc, dashboardMaxDays)
	c := &barChart{Title: "Arrests per day", Categories: labels, Empty: "No arrests recorded",
		Series: []chartSeries{{Name: "Arrests", Values: make([]float64, len(labels))}}}
	for _, t := range times {
		if j := index(t); j >= 0 {
			c.Series[0].Values[j]++
		}
	}
	note := "By the day of the arrest, in the case's time zone."
	if weekly {
		c.Title, note = "Arrests per week", "By the week of the arrest (weeks start on Monday), in the case's time zone."
	}
	return &dashChart{ID: "chart-arrests", Heading: "Arrests over time", Note: note, Category: category(weekly), barChart: c}
}

// category heads the table of a chart by day or by week.
func category(weekly bool) string {
	if weekly {
		return "Week of"
	}
	return "Day"
}

// mediaChart charts the files found on the exhibits: unique contents and copies.
func mediaChart(m caseroom.MediaSummary) *dashChart {
	c := &barChart{Title: "Media files: unique contents and copies", Empty: "No media ingested yet",
		Categories: []string{"Unique contents", "Copies"},
		Series:     []chartSeries{{Name: "Unique contents", Values: []float64{float64(m.Unique), 0}}, {Name: "Copies", Values: []float64{0, float64(m.Copies)}}}}
	return &dashChart{ID: "chart-media", Heading: "Media unique vs copies",
		Note: fmt.Sprintf("%d files: %d unique contents, %d copies of them.", m.Files, m.Unique, m.Copies), Category: "Files", barChart: c}
}

// lateness says how far past due (or how long until due) a clock is, to the minute.
func lateness(due, now time.Time) string {
	d := now.Sub(due)
	if d >= 0 {
		return humanDuration(d) + " late"
	}
	return "due in " + humanDuration(-d)
}

// humanDuration writes a duration as days, hours and minutes, the two largest units.
func humanDuration(d time.Duration) string {
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case hours > 0 && m > 0:
		return fmt.Sprintf("%d h %d min", hours, m)
	case hours > 0:
		return fmt.Sprintf("%d h", hours)
	}
	return fmt.Sprintf("%d min", m)
}
