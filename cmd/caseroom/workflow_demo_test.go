package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"caseroom"
)

// demoServer is "caseroom demo" running in-process: its URL, the demo case and the
// API token of each demo user, read from what the command prints.
type demoServer struct {
	base, caseID string
	tokens       map[string]string // by user name
}

// startDemo runs "caseroom demo" on a free port, reads the URL, the case and the
// logins table it prints, and returns them with a function that stops it.
func startDemo(t *testing.T) (*demoServer, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"demo", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	stop := func() {
		cancel()
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("demo exited with %d", code)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("demo did not stop")
		}
	}
	d := &demoServer{tokens: map[string]string{}}
	rd := bufio.NewReader(pr)
	table := false
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			stop()
			t.Fatalf("demo output ended before the logins were printed: %v", err)
		}
		fields := strings.Fields(line)
		switch {
		case strings.HasPrefix(line, "Caseroom demo serving on "):
			d.base = regexp.MustCompile(`https?://\S+`).FindString(line)
		case strings.HasPrefix(line, "Case: "):
			d.caseID = strings.TrimSpace(strings.TrimPrefix(line, "Case: "))
		case strings.HasPrefix(line, "USER"):
			table = true
		case table && len(fields) == 5:
			d.tokens[fields[0]] = fields[4]
		case strings.HasPrefix(line, "Try:"):
			go io.Copy(io.Discard, rd)
			if d.base == "" || d.caseID == "" || len(d.tokens) != len(caseroom.Roles)+1 {
				stop()
				t.Fatalf("demo printed URL %q, case %q, %d logins", d.base, d.caseID, len(d.tokens))
			}
			return d, stop
		}
	}
}

// apiError is the body of a refused request.
type apiError struct {
	Error struct{ Code, Message string }
}

// TestDemoWorkflowDoneWhen is issue 7's "done when", tried as a new user would on the
// demo case, through the API with the demo logins' tokens: raise and allocate a medical
// examination of a minor victim to the medical officer; fail to result it without the
// guardian's consent; record it and result it with a medical report; arrest a suspect
// on one statement; have the giver retract that statement; see the suspect flagged
// single-source and grounds-retracted and the review action allocated to the
// protection officer; and find the summary's counts changed by exactly what was
// entered.
func TestDemoWorkflowDoneWhen(t *testing.T) {
	d, stop := startDemo(t)
	defer stop()
	lead, med, prot, inv := d.tokens["lead.rana"], d.tokens["med.qureshi"], d.tokens["prot.kazmi"], d.tokens["inv.shah"]
	if lead == "" || med == "" || prot == "" || inv == "" {
		t.Fatalf("demo logins: %v", d.tokens)
	}
	api := d.base + "/api/v1/cases/" + d.caseID
	must := func(want int, token, method, path, body string, out any) {
		t.Helper()
		if code := call(t, token, method, api+path, body, out); code != want {
			var e apiError
			call(t, token, method, api+path, body, &e)
			t.Fatalf("%s %s: status %d, want %d (%s)", method, path, code, want, e.Error.Message)
		}
	}
	// parentOf returns the id of a parent or guardian linked to the person, or "".
	parentOf := func(person string) string {
		t.Helper()
		var links struct{ Links []caseroom.Link }
		must(200, lead, "GET", "/links?type=parent_of&entity="+person, "", &links)
		if len(links.Links) == 0 {
			return ""
		}
		return links.Links[0].From
	}
	var before caseroom.CaseSummary
	must(200, lead, "GET", "/summary", "", &before)

	// A minor victim with no medical examination yet, and the parent linked to them.
	var victims struct{ Persons []caseroom.Person }
	must(200, lead, "GET", "/persons?role=victim", "", &victims)
	var actions struct{ Actions []caseroom.Action }
	must(200, lead, "GET", "/actions", "", &actions)
	examined := map[string]bool{}
	for _, a := range actions.Actions {
		for _, s := range a.Subjects {
			if a.Kind == caseroom.ActionMedicalExamination {
				examined[s.Label] = true
			}
		}
	}
	var victim, guardian string
	for _, p := range victims.Persons {
		if examined[p.Pseudonym] || p.AgeBand == "" || p.DateOfBirth != "" {
			continue
		}
		if guardian = parentOf(p.Pseudonym); guardian != "" {
			victim = p.Pseudonym
			break
		}
	}
	if victim == "" {
		t.Fatal("the demo has no minor victim with a parent linked and no medical examination")
	}

	// Raise the examination and allocate it to the medical officer.
	var exam caseroom.Action
	must(201, lead, "POST", "/actions", fmt.Sprintf(`{"kind":"medical-examination","title":"Medical examination of %s","subjects":[%q],"priority":"high"}`, victim, victim), &exam)
	if !strings.HasPrefix(exam.Ref, "A-") || exam.State != caseroom.ActionRaised {
		t.Fatalf("raised %+v", exam)
	}
	must(201, lead, "POST", "/actions/"+exam.ID+"/allocate", `{"to":"med.qureshi"}`, &exam)
	if exam.State != caseroom.ActionAllocated || exam.AllocatedTo != "med.qureshi" {
		t.Fatalf("allocated %+v", exam)
	}
	must(201, med, "POST", "/actions/"+exam.Ref+"/consents", fmt.Sprintf(`{"person":%q,"by":%q,"given":true,"note":"Consent given in writing."}`, victim, victim), nil)

	// The medical officer's report is restricted from the moment it is registered.
	var report caseroom.Document
	must(201, med, "POST", "/documents", fmt.Sprintf(`{"kind":"medical-report","title":"Medical examination of %s","text":"Examined with the consents recorded; findings on the standard form."}`, victim), &report)
	if !strings.HasPrefix(report.Ref, "MR-") {
		t.Fatalf("medical report registered as %s", report.Ref)
	}
	must(404, inv, "GET", "/documents/"+report.Ref, "", nil)

	// Without the guardian's consent it cannot be resulted: 409, naming what is missing.
	var refused apiError
	if code := call(t, med, "POST", api+"/actions/"+exam.Ref+"/result", fmt.Sprintf(`{"document":%q}`, report.Ref), &refused); code != http.StatusConflict ||
		!strings.Contains(refused.Error.Message, "parent's or guardian's consent") || !strings.Contains(refused.Error.Message, victim) {
		t.Fatalf("result without the guardian's consent: %d %+v; want 409 naming the guardian's consent for %s", code, refused, victim)
	}
	must(201, med, "POST", "/actions/"+exam.Ref+"/consents", fmt.Sprintf(`{"person":%q,"by":%q,"given":true,"note":"Written consent of the parent."}`, victim, guardian), nil)
	must(201, med, "POST", "/actions/"+exam.Ref+"/result", fmt.Sprintf(`{"document":%q}`, report.Ref), &exam)
	if exam.State != caseroom.ActionResulted || exam.Result != report.Ref {
		t.Fatalf("resulted %+v", exam)
	}

	// A suspect not yet arrested, implicated by two people, one of them a victim's
	// statement: arrested on that statement alone.
	var acc caseroom.AccountabilityReport
	must(200, lead, "GET", "/accountability", "", &acc)
	var suspect caseroom.SuspectAccount
	var ground caseroom.ImplicationSource
	for _, s := range acc.Suspects {
		if s.IndependentSources != 2 || len(s.Arrests) > 0 {
			continue
		}
		for _, src := range s.Sources {
			if src.Via == "implicates" && strings.HasPrefix(src.Ref, "S-") && strings.HasPrefix(src.GiverLabel, "V-") && src.RetractedBy == "" {
				suspect, ground = s, src
			}
		}
		if ground.Ref != "" {
			break
		}
	}
	if ground.Ref == "" {
		t.Fatal("the demo has no suspect, not arrested, implicated by a victim's statement and one other source")
	}
	at := time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	var arrest caseroom.Arrest
	must(201, lead, "POST", "/arrests", fmt.Sprintf(`{"person":%q,"at":%q,"by":"lead.rana","place":"At his house","grounds":[%q]}`, suspect.Person, at, ground.Ref), &arrest)
	if !arrest.Due.Equal(arrest.At.Add(caseroom.ProductionWithin)) {
		t.Errorf("arrest %s: due %v, want 24 hours after %v", arrest.Ref, arrest.Due, arrest.At)
	}

	// The victim retracts that statement: a new statement; the old one is unchanged.
	var original caseroom.Document
	must(200, lead, "GET", "/documents/"+ground.Ref, "", &original)
	var retraction caseroom.Document
	must(201, lead, "POST", "/documents", fmt.Sprintf(`{"kind":"statement","title":"Statement of %s withdrawing %s","text":"%s states that %s wishes to withdraw the earlier statement.","giver":%q,"recordedAt":%q,"place":"Police Station Qandeelabad Saddar","present":[{"person":%q,"capacity":"guardian"}],"retracts":%q,"circumstances":"Came to the station with a relative who asked for the withdrawal.","requestedBy":%q}`,
		ground.GiverLabel, ground.Ref, ground.GiverLabel, ground.GiverLabel, ground.Giver, time.Now().UTC().Format(time.RFC3339), parentOf(ground.Giver), ground.Ref, ground.Giver), &retraction)
	if retraction.Retraction == nil || retraction.Retraction.Retracts != ground.Ref || retraction.Retraction.Review == "" {
		t.Fatalf("retraction %+v", retraction.Retraction)
	}
	var after caseroom.Document
	must(200, lead, "GET", "/documents/"+ground.Ref, "", &after)
	if after.Text != original.Text || after.SHA256 != original.SHA256 || !cmp.Equal(after.RetractedBy, []string{retraction.Ref}) {
		t.Errorf("%s after the retraction: text changed %v, retractedBy %v", ground.Ref, after.Text != original.Text, after.RetractedBy)
	}

	// The review is in the protection officer's queue.
	var queue struct{ Actions []caseroom.Action }
	must(200, prot, "GET", "/actions?to=prot.kazmi&state=allocated", "", &queue)
	found := false
	for _, a := range queue.Actions {
		if a.Ref == retraction.Retraction.Review {
			found = strings.Contains(a.Title, "Independent review of retraction of "+ground.Ref)
		}
	}
	if !found {
		t.Errorf("review %s of the retraction is not in prot.kazmi's queue: %+v", retraction.Retraction.Review, queue.Actions)
	}

	// The suspect is flagged.
	must(200, lead, "GET", "/accountability", "", &acc)
	flagged := false
	for _, s := range acc.Suspects {
		if s.Person != suspect.Person {
			continue
		}
		flagged = true
		if !cmp.Equal(s.Flags, []string{caseroom.FlagSingleSource, caseroom.FlagGroundsRetracted}) || s.IndependentSources != 1 || !cmp.Equal(s.Arrests, []string{arrest.Ref}) {
			t.Errorf("suspect %s after the retraction: flags %v, %d independent sources, arrests %v; want single-source and grounds-retracted, 1, [%s]",
				s.Label, s.Flags, s.IndependentSources, s.Arrests, arrest.Ref)
		}
	}

	if !flagged {
		t.Errorf("suspect %s is missing from the accountability report", suspect.Label)
	}
	t.Logf("examined %s (%s, result %s); arrested %s (%s) on %s, retracted by %s, review %s",
		victim, exam.Ref, report.Ref, suspect.Label, arrest.Ref, ground.Ref, retraction.Ref, retraction.Retraction.Review)

	// The summary changed by exactly what was entered: one medical examination,
	// consented and done; one statement by a victim (the retraction, by a victim who
	// had come forward already); one more person arrested; one more action allocated
	// (the review).
	var got caseroom.CaseSummary
	must(200, lead, "GET", "/summary", "", &got)
	want := before
	want.MedicalExaminations.Ordered++
	want.MedicalExaminations.Consented++
	want.MedicalExaminations.Done++
	want.Statements.Total++
	want.Statements.Victim++
	want.Arrested++
	want.OpenActions = map[caseroom.ActionState]int64{}
	for k, v := range before.OpenActions {
		want.OpenActions[k] = v
	}
	want.OpenActions[caseroom.ActionAllocated]++
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("summary after the workflow (-want +got):\n%s", diff)
	}
}
