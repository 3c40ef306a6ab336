package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"caseroom"
)

func TestUIDashboard(t *testing.T) {
	site := newDemoSite(t)
	lead := signInPages(t, site, string(caseroom.RoleLead))

	status, body := lead.get(lead.casePage())
	if status != http.StatusOK {
		t.Fatalf("the lead's dashboard: %d\n%s", status, body)
	}
	// demo.go: 18 complaints, 15 suspects, three arrests.
	for _, want := range []string{
		`<span class="n">18</span><span class="l">complaints</span>`,
		`<span class="n">15</span><span class="l">suspects</span>`,
		"Statements by giver", "Medical examinations", "Open actions", "Deadline clocks",
		"Production before a magistrate",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard does not show %q", want)
		}
	}
	charts := regexp.MustCompile(`<svg [^>]*role="img" aria-label="([^"]+)"`).FindAllStringSubmatch(body, -1)
	var titles []string
	for _, c := range charts {
		titles = append(titles, c[1])
	}
	if len(titles) != 4 {
		t.Errorf("charts %q, want 4", titles)
	}
	if n := strings.Count(body, "<summary>Show the numbers</summary>"); n != 4 {
		t.Errorf("%d charts have their numbers as a table, want 4", n)
	}
	// The arrests chart's bars add up to the demo's three arrests.
	arrests := body[strings.Index(body, `id="chart-arrests"`):]
	arrests = arrests[:strings.Index(arrests, "</section>")]
	total := 0
	for _, m := range regexp.MustCompile(`Arrests: (\d+)</title>`).FindAllStringSubmatch(arrests, -1) {
		n, _ := strconv.Atoi(m[1])
		total += n
	}
	if total != 3 {
		t.Errorf("the arrests chart's bars add up to %d, want 3", total)
	}

	t.Run("an investigator reads the same counts", func(t *testing.T) {
		inv := signInPages(t, site, string(caseroom.RoleInvestigator))
		status, body := inv.get(inv.casePage())
		if status != http.StatusOK || !strings.Contains(body, `<span class="l">complaints</span>`) {
			t.Errorf("%d\n%s", status, body)
		}
	})
	t.Run("an advocate, who may not read the counts, gets the page without them", func(t *testing.T) {
		adv := signInPages(t, site, string(caseroom.RoleAdvocate))
		status, body := adv.get(adv.casePage())
		if status != http.StatusOK || strings.Contains(body, `<span class="l">complaints</span>`) || strings.Contains(body, "Deadline clocks") {
			t.Errorf("%d\n%s", status, body)
		}
		if !strings.Contains(body, "not shown to your role") {
			t.Errorf("the advocate's dashboard does not say why it is empty")
		}
	})
	t.Run("a case the user is not a member of is not found", func(t *testing.T) {
		status, _ := lead.get("/cases/cas_nosuchcase")
		if status != http.StatusNotFound {
			t.Errorf("status %d, want 404", status)
		}
	})

	lead.t = t
	t.Logf("render time (median of 10): dashboard %v", lead.timePage(lead.casePage(), 10))
}

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0:                            "0 min",
		59 * time.Second:             "0 min",
		5 * time.Minute:              "5 min",
		3*time.Hour + 20*time.Minute: "3 h 20 min",
		2 * time.Hour:                "2 h",
		26 * time.Hour:               "1 d 2 h",
		72 * time.Hour:               "3 d",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
	now := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)
	if got := lateness(now.Add(-90*time.Minute), now); got != "1 h 30 min late" {
		t.Errorf("lateness of a clock due 90 minutes ago: %q", got)
	}
	if got := lateness(now.Add(5*time.Hour), now); got != "due in 5 h" {
		t.Errorf("lateness of a clock due in 5 hours: %q", got)
	}
}
