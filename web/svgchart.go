package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"
)

// Small bar charts drawn on the server as inline SVG, so that a page shows its figures
// without script and without anything loaded from elsewhere.
//
// A barChart is a list of bars (one per category: a day, a state), each split into
// stacked segments, one per series. The SVG has role="img" with a <title> and an
// aria-label saying what it shows; the same numbers go into a table under the chart
// (barChart.Rows) for those who cannot see it. Colours are the Okabe–Ito palette,
// which stays distinct for the common kinds of colour blindness; every series also has
// a legend entry with its name, so colour is never the only cue.
//
// Layout, in SVG user units (the SVG scales to its box): the plot area starts
// chartLeft from the left (room for the y-axis labels) and ends chartBottom above the
// bottom (room for the x-axis labels). The y axis runs from 0 to the first "nice" value
// (1, 2 or 5 times a power of ten, times the tick count) at or above the tallest bar,
// with 4 or 5 ticks; bars share the width equally, with a gap of a quarter bar.

// chartPalette is the Okabe–Ito palette, in the order series take it.
var chartPalette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442"}

// chartSeries is one named set of values, one per category of its chart.
type chartSeries struct {
	Name   string
	Values []float64
}

// barChart is a stacked bar chart: a bar per category, a segment per series.
type barChart struct {
	Title      string // what the chart shows: the <title> and aria-label
	Categories []string
	Series     []chartSeries
	// Empty is said in the chart when there is nothing to show (all values 0).
	Empty string
	// MaxLabels is the most x-axis labels shown; with more categories every nth is
	// labelled (0: 12).
	MaxLabels int
}

const (
	chartWidth  = 560
	chartHeight = 230
	chartLeft   = 38
	chartRight  = 8
	chartTop    = 30 // room for the legend
	chartBottom = 34
)

// Total is the sum of every value of the chart.
func (c *barChart) Total() float64 {
	var t float64
	for _, s := range c.Series {
		for _, v := range s.Values {
			t += v
		}
	}
	return t
}

// value is series s's value for category i (0 where the series is short).
func (c *barChart) value(s, i int) float64 {
	if i < len(c.Series[s].Values) {
		v := c.Series[s].Values[i]
		if v > 0 && !math.IsInf(v, 0) && !math.IsNaN(v) {
			return v
		}
	}
	return 0
}

// Rows is the chart's numbers as a table: per category, each series's value.
func (c *barChart) Rows() [][]string {
	rows := make([][]string, len(c.Categories))
	for i, cat := range c.Categories {
		row := []string{cat}
		for s := range c.Series {
			row = append(row, formatChartValue(c.value(s, i)))
		}
		rows[i] = row
	}
	return rows
}

// SeriesNames lists the names of the series, for the table's header.
func (c *barChart) SeriesNames() []string {
	names := make([]string, len(c.Series))
	for i, s := range c.Series {
		names[i] = s.Name
	}
	return names
}

// niceScale returns the top of the y axis and the step between ticks for values up to
// max: the step is 1, 2 or 5 times a power of ten, so that at most 5 steps reach max.
func niceScale(max float64) (top, step float64) {
	if max <= 0 {
		return 1, 1
	}
	raw := max / 5
	pow := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		step = m * pow
		if step >= raw {
			break
		}
	}
	if step < 1 {
		step = 1 // counts: no fractional ticks
	}
	return math.Ceil(max/step) * step, step
}

// SVG draws the chart. Every text it holds is escaped.
func (c *barChart) SVG() template.HTML {
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" aria-label="%s" class="barchart">`,
		chartWidth, chartHeight, chartWidth, chartHeight, esc(c.Title))
	fmt.Fprintf(&b, `<title>%s</title>`, esc(c.Title))

	// The legend, top left, one swatch and name per series.
	x := float64(chartLeft)
	for s, series := range c.Series {
		fmt.Fprintf(&b, `<rect x="%s" y="6" width="12" height="12" rx="2" fill="%s"/>`, num(x), chartPalette[s%len(chartPalette)])
		fmt.Fprintf(&b, `<text x="%s" y="16" class="c-legend">%s</text>`, num(x+17), esc(series.Name))
		x += 17 + 7.2*float64(len([]rune(series.Name))) + 18
	}

	plotW := float64(chartWidth - chartLeft - chartRight)
	plotH := float64(chartHeight - chartTop - chartBottom)
	base := float64(chartTop) + plotH
	var max float64
	for i := range c.Categories {
		var t float64
		for s := range c.Series {
			t += c.value(s, i)
		}
		max = math.Max(max, t)
	}
	top, step := niceScale(max)

	// Grid lines and y-axis labels.
	for v := 0.0; v <= top+step/2; v += step {
		y := base - v/top*plotH
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" class="c-grid"/>`, chartLeft, chartWidth-chartRight, num(y), num(y))
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" class="c-tick">%s</text>`, chartLeft-6, num(y+4), formatChartValue(v))
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" class="c-axis"/>`, chartLeft, chartWidth-chartRight, num(base), num(base))

	n := len(c.Categories)
	if n == 0 || max == 0 {
		empty := c.Empty
		if empty == "" {
			empty = "Nothing recorded yet"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" class="c-empty">%s</text></svg>`,
			num(chartLeft+plotW/2), num(float64(chartTop)+plotH/2), esc(empty))
		return template.HTML(b.String())
	}

	slot := plotW / float64(n)
	barW := slot * 0.75
	maxLabels := c.MaxLabels
	if maxLabels <= 0 {
		maxLabels = 12
	}
	every := (n + maxLabels - 1) / maxLabels
	for i, cat := range c.Categories {
		x := float64(chartLeft) + slot*float64(i) + (slot-barW)/2
		y := base
		var parts []string
		for s := range c.Series {
			v := c.value(s, i)
			if v == 0 {
				continue
			}
			h := v / top * plotH
			y -= h
			fmt.Fprintf(&b, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s, %s: %s</title></rect>`,
				num(x), num(y), num(barW), num(h), chartPalette[s%len(chartPalette)], esc(cat), esc(c.Series[s].Name), formatChartValue(v))
			parts = append(parts, formatChartValue(v))
		}
		// The bar's total above it, when bars are wide enough to carry it.
		if len(parts) > 0 && slot >= 22 {
			var t float64
			for s := range c.Series {
				t += c.value(s, i)
			}
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" class="c-total">%s</text>`, num(x+barW/2), num(y-4), formatChartValue(t))
		}
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" class="c-tick">%s</text>`, num(x+barW/2), chartHeight-chartBottom+16, esc(cat))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// num writes a coordinate with at most one decimal.
func num(f float64) string {
	return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64)
}

// formatChartValue writes a count without decimals, another value with at most one.
func formatChartValue(v float64) string {
	if v == math.Trunc(v) {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

// dayBuckets spreads times over consecutive days (in loc) from the first to the last,
// so that quiet days show as gaps; over more than maxDays days it uses weeks starting
// on Monday. It returns the bucket labels (the day, or the week's Monday, as "2 Jan"),
// a function that gives a time's bucket index, and whether the buckets are weeks.
// With no times it returns no buckets.
func dayBuckets(times []time.Time, loc *time.Location, maxDays int) (labels []string, index func(time.Time) int, weekly bool) {
	if len(times) == 0 {
		return nil, func(time.Time) int { return -1 }, false
	}
	day := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	}
	first, last := day(times[0]), day(times[0])
	for _, t := range times[1:] {
		d := day(t)
		if d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
	}
	days := func(a, b time.Time) int { // calendar days from a to b, whatever the DST
		return int(math.Round(b.Sub(a).Hours() / 24))
	}
	width, format := 1, "2 Jan"
	if days(first, last)+1 > maxDays {
		width = 7
		first = first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7)) // back to Monday
	}
	if first.Year() != last.Year() {
		format = "2 Jan 06"
	}
	n := days(first, last)/width + 1
	labels = make([]string, n)
	for i := range labels {
		labels[i] = first.AddDate(0, 0, i*width).Format(format)
	}
	return labels, func(t time.Time) int {
		i := days(first, day(t)) / width
		if i < 0 || i >= n {
			return -1
		}
		return i
	}, width == 7
}
