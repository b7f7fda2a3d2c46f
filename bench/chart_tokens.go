package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// barGroup is one labelled row of a bar chart: a bar per series, and the
// row's limit (0: none), drawn as a dashed line.
type barGroup struct {
	label  string
	values []float64
	limit  float64
}

// barPanel draws a horizontal bar chart panel at y0 and returns its height.
func barPanel(b *strings.Builder, y0 int, title, unit string, series, colors []string, rows []barGroup) int {
	const (
		width  = 820
		left   = 250
		right  = 60
		barH   = 12
		header = 46
		footer = 30
	)
	rowH := 10 + len(series)*(barH+2)
	top := 0.0
	for _, r := range rows {
		top = math.Max(top, r.limit)
		for _, v := range r.values {
			top = math.Max(top, v)
		}
	}
	if top == 0 {
		top = 1
	}
	step := math.Pow(10, math.Floor(math.Log10(top)))
	if top/step < 3 {
		step /= 2
	}
	top = math.Ceil(top/step) * step
	plot := float64(width - left - right)
	x := func(v float64) float64 { return left + plot*v/top }
	fmt.Fprintf(b, `<text x="12" y="%d" font-size="14" font-weight="bold">%s</text>`+"\n", y0+20, html.EscapeString(title))
	lx := left
	for i, s := range series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n", lx, y0+28, colors[i], lx+14, y0+37, html.EscapeString(s))
		lx += 24 + 7*len(s)
	}
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#d62728" stroke-width="2" stroke-dasharray="4 3"/><text x="%d" y="%d">budget / target</text>`+"\n", lx, y0+33, lx+16, y0+33, lx+20, y0+37)
	body := rowH * len(rows)
	for v := 0.0; v <= top+step/2; v += step {
		fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e3e3e3"/>`, x(v), y0+header, x(v), y0+header+body)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%g</text>`+"\n", x(v), y0+header+body+14, v)
	}
	for i, r := range rows {
		y := y0 + header + i*rowH
		fmt.Fprintf(b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n", left-8, y+rowH/2+4, html.EscapeString(r.label))
		for j, v := range r.values {
			by := y + 5 + j*(barH+2)
			fmt.Fprintf(b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"/>`, left, by, x(v)-left, barH, colors[j])
			fmt.Fprintf(b, `<text x="%.1f" y="%d" font-size="10" fill="#333">%s</text>`+"\n", x(v)+4, by+barH-2, strings.TrimSuffix(fmt.Sprintf("%.2f", v), ".00"))
		}
		if r.limit > 0 {
			fmt.Fprintf(b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#d62728" stroke-width="2" stroke-dasharray="4 3"/>`+"\n", x(r.limit), y+2, x(r.limit), y+rowH-2)
		}
	}
	fmt.Fprintf(b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", left+plot/2, y0+header+body+footer-4, html.EscapeString(unit))
	return header + body + footer
}

// tokensChart draws the tokens of tools/list per preset (what the model
// sees, and the whole answer) against issue 18's budgets, and start-up and
// memory as ratios to the one-tool mcp-go floor against its targets.
func tokensChart(s *sizes, c *coldFigures) string {
	var rows []barGroup
	for _, l := range s.Lists {
		limit := 0.0
		switch l.Preset {
		case "default":
			limit = 4000
		case "all":
			limit = 9000
		}
		rows = append(rows, barGroup{label: l.Preset + " (" + fmt.Sprint(l.Tools) + " tools)", values: []float64{float64(l.ModelTokens), float64(l.Tokens)}, limit: limit})
	}
	var b strings.Builder
	var body strings.Builder
	h := 12
	h += barPanel(&body, h, "tools/list per preset, o200k tokens", "tokens (budgets: default 4,000 and all 9,000 model-visible; 6,000 on the wire for default)",
		[]string{"model-visible (name, description, input schema)", "whole answer on the wire"}, []string{"#4e79a7", "#f28e2b"}, rows)
	h += 16
	h += barPanel(&body, h, "Start-up and memory as ratios to the floor (one-tool mcp-go stdio server)", "ratio to the floor (targets: start 1.15x, RSS 1.3x)",
		[]string{"time to the first tools/list answer", "RSS after it"}, []string{"#59a14f", "#b07aa1"}, []barGroup{
			{label: "floor", values: []float64{1, 1}},
			{label: "clickup-mcp, token", values: []float64{c.StartRatio(), c.RSSRatio()}, limit: 1.15},
			{label: "clickup-mcp, --sandbox", values: []float64{float64(c.Sandbox.ToolsList.P50) / float64(c.Floor.ToolsList.P50), float64(c.Sandbox.IdleRSSKB) / float64(c.Floor.IdleRSSKB)}},
		})
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="820" height="%d" viewBox="0 0 820 %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+"\n", h, h)
	fmt.Fprintf(&b, `<rect width="820" height="%d" fill="#ffffff"/>`+"\n", h)
	b.WriteString(body.String())
	b.WriteString("</svg>\n")
	return b.String()
}
