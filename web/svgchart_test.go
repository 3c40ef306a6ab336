package web

import (
	"encoding/xml"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// svgElements parses an SVG and counts its elements by name, failing the test if it
// is not well-formed XML.
func svgElements(t *testing.T, svg string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	d := xml.NewDecoder(strings.NewReader(svg))
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return counts
		}
		if err != nil {
			t.Fatalf("the chart is not well-formed: %v\n%s", err, svg)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
		}
	}
}

func TestBarChartEscapesLabels(t *testing.T) {
	c := &barChart{Title: `Actions <by> "state" & more`, Categories: []string{`<script>alert(1)</script>`, "b&b"},
		Series: []chartSeries{{Name: `</svg><img src=x>`, Values: []float64{2, 3}}}}
	svg := string(c.SVG())
	for _, bad := range []string{"<script>", "</svg><img", `"state"`, "b&b"} {
		if strings.Contains(svg, bad) {
			t.Errorf("the chart holds %q unescaped:\n%s", bad, svg)
		}
	}
	n := svgElements(t, svg)
	if n["svg"] != 1 || n["rect"] != 3 || n["img"] != 0 || n["script"] != 0 {
		t.Errorf("elements %v, want one svg, a legend swatch and two bars", n)
	}
	if !strings.Contains(svg, `role="img"`) || !strings.Contains(svg, `aria-label="Actions &lt;by&gt; &#34;state&#34; &amp; more"`) {
		t.Errorf("the chart does not name itself for assistive technology:\n%s", svg)
	}
}

func TestBarChartEmpty(t *testing.T) {
	for _, c := range []*barChart{
		{Title: "No categories", Series: []chartSeries{{Name: "Arrests"}}, Empty: "No arrests recorded"},
		{Title: "All zero", Categories: []string{"raised", "allocated"}, Series: []chartSeries{{Name: "Actions", Values: []float64{0, 0}}}, Empty: "No arrests recorded"},
	} {
		t.Run(c.Title, func(t *testing.T) {
			svg := string(c.SVG())
			n := svgElements(t, svg)
			if n["rect"] != 1 { // the legend's swatch only
				t.Errorf("an empty chart draws %d rects", n["rect"])
			}
			if !strings.Contains(svg, "No arrests recorded") {
				t.Errorf("an empty chart does not say so:\n%s", svg)
			}
		})
	}
}

func TestBarChartScales(t *testing.T) {
	for _, tc := range []struct {
		max, top, step float64
	}{
		{0, 1, 1}, {1, 1, 1}, {3, 3, 1}, {5, 5, 1}, {7, 8, 2}, {18, 20, 5}, {23, 25, 5}, {140, 150, 50}, {1000, 1000, 200},
	} {
		top, step := niceScale(tc.max)
		if top != tc.top || step != tc.step {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tc.max, top, step, tc.top, tc.step)
		}
	}
	// The tallest stacked bar reaches the top of its scale: with bars 2+3 and 4, the
	// scale runs to 5 and the first bar's segments fill the plot height.
	c := &barChart{Title: "t", Categories: []string{"a", "b"},
		Series: []chartSeries{{Name: "x", Values: []float64{2, 4}}, {Name: "y", Values: []float64{3}}}}
	svg := string(c.SVG())
	plotH := float64(chartHeight - chartTop - chartBottom)
	for _, want := range []string{`height="` + num(plotH*2/5) + `"`, `height="` + num(plotH*3/5) + `"`, `height="` + num(plotH*4/5) + `"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("no bar with %s:\n%s", want, svg)
		}
	}
	if diff := cmp.Diff([][]string{{"a", "2", "3"}, {"b", "4", "0"}}, c.Rows()); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// Many categories: at most MaxLabels labels on the x axis.
	many := &barChart{Title: "many", MaxLabels: 10, Series: []chartSeries{{Name: "n"}}}
	for i := 0; i < 95; i++ {
		many.Categories = append(many.Categories, "d"+num(float64(i)))
		many.Series[0].Values = append(many.Series[0].Values, float64(i%4))
	}
	labels := strings.Count(string(many.SVG()), `class="c-tick">d`)
	if labels > 10 || labels < 5 {
		t.Errorf("95 categories get %d labels, want at most 10", labels)
	}
}

func TestDayBuckets(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Karachi")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	// 20:30 UTC on 1 March is 01:30 on 2 March in Karachi: days are the case's days.
	times := []time.Time{at("2026-03-01T20:30:00Z"), at("2026-03-04T05:00:00Z"), at("2026-03-02T10:00:00Z")}
	labels, index, weekly := dayBuckets(times, loc, 60)
	if weekly {
		t.Errorf("three days are bucketed by week")
	}
	if diff := cmp.Diff([]string{"2 Mar", "3 Mar", "4 Mar"}, labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	if got := []int{index(times[0]), index(times[1]), index(times[2])}; !cmp.Equal(got, []int{0, 2, 0}) {
		t.Errorf("indexes %v, want [0 2 0]", got)
	}
	// Over more days than maxDays: weeks starting on Monday (2 March 2026 is one).
	labels, index, weekly = dayBuckets([]time.Time{at("2026-03-04T05:00:00Z"), at("2026-04-20T05:00:00Z")}, loc, 30)
	if !weekly || labels[0] != "2 Mar" || len(labels) != 8 || index(at("2026-04-20T05:00:00Z")) != 7 {
		t.Errorf("weekly labels %v", labels)
	}
	if labels, _, _ := dayBuckets(nil, loc, 30); len(labels) != 0 {
		t.Errorf("no times give labels %v", labels)
	}
}
