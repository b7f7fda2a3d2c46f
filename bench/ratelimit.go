package main

import (
	"context"
	"net/http/httptest"
	"sync"
	"time"

	"github.com/clickup-mcp/clickup-mcp/clickup"
	"github.com/clickup-mcp/clickup-mcp/clickup/clickuptest"
)

// rateRun: many calls at once for one token under ClickUp's budget.
type rateRun struct {
	Name         string
	Calls, Limit int
	Window       time.Duration // the fake's fixed window (on its clock)
	ClientRate   int           // the client's pace, requests per minute (on its clock)
	Speedup      float64       // how much faster than real time both clocks run
	Took         time.Duration // on the clocks' time
	// FloorWindows is the least time the fake's windows allow: they start
	// at the first request, so the last of ceil(Calls/Limit) batches can go
	// (ceil-1) windows later. FloorRate is Calls at the steady rate,
	// Limit per Window.
	FloorWindows, FloorRate time.Duration
	Upstream429, Errors     int
	Requests                int // what the fake saw, 429s included
}

func (r rateRun) RatioWindows() float64 { return r.Took.Seconds() / r.FloorWindows.Seconds() }
func (r rateRun) RatioRate() float64    { return r.Took.Seconds() / r.FloorRate.Seconds() }

func measureRateLimit(ctx context.Context) ([]rateRun, error) {
	var out []rateRun
	for _, c := range []struct {
		name         string
		calls, limit int
		window       time.Duration
		perMinute    int
		speedup      float64
	}{
		// ClickUp's default plan as configured out of the box, in
		// compressed time: one virtual minute lasts five real seconds (a
		// faster clock would turn scheduling noise into virtual seconds).
		{"default plan: 300 calls, pace 100/min, 100 per 60 s window, clocks ×12", 300, 100, time.Minute, 100, 12},
		// Business Plus, likewise: 1000 a minute.
		{"Business Plus: 3000 calls, pace 1000/min, 1000 per 60 s window, clocks ×12", 3000, 1000, time.Minute, 1000, 12},
		// The short window of issue 9, with the client paced at the same
		// budget (100 per 2 s = 3000/min).
		{"short window: 300 calls, pace 3000/min, 100 per 2 s window", 300, 100, 2 * time.Second, 3000, 1},
	} {
		r, err := rateOnce(ctx, c.name, c.calls, c.limit, c.window, c.perMinute, c.speedup)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// fastClock runs speedup times faster than real time from its start.
type fastClock struct {
	base    time.Time
	speedup float64
}

func (c fastClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.base)) * c.speedup))
}

func (c fastClock) After(d time.Duration) <-chan time.Time {
	return time.After(time.Duration(float64(d) / c.speedup))
}

func rateOnce(ctx context.Context, name string, calls, limit int, window time.Duration, perMinute int, speedup float64) (rateRun, error) {
	clk := fastClock{base: time.Now(), speedup: speedup}
	// A token of its own per run: budgets are per token, process-wide.
	token := "pk_81000001_BENCHRATE" + time.Now().Format("150405.000000000")
	fake := clickuptest.NewDemo(clickuptest.WithRateLimit(limit, window), clickuptest.WithClock(clk.Now))
	fake.AddToken(token, clickuptest.DemoUserID)
	api := httptest.NewServer(fake)
	defer api.Close()
	ids, err := demoTaskIDs(fake)
	if err != nil {
		return rateRun{}, err
	}
	c := clickup.New(token, clickup.WithBaseURL(api.URL+"/api"), clickup.WithRateLimit(perMinute), clickup.WithClock(clk))
	fake.ResetLog()
	out := rateRun{Name: name, Calls: calls, Limit: limit, Window: window, ClientRate: perMinute, Speedup: speedup}
	var wg sync.WaitGroup
	var mu sync.Mutex
	gate := make(chan struct{})
	for i := 0; i < calls; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			if _, err := c.Tasks.Get(ctx, clickup.Native(ids[i%len(ids)]), nil); err != nil {
				mu.Lock()
				out.Errors++
				mu.Unlock()
			}
		}()
	}
	start := clk.Now()
	close(gate)
	wg.Wait()
	out.Took = clk.Now().Sub(start)
	batches := (calls + limit - 1) / limit
	out.FloorWindows = time.Duration(batches-1) * window
	out.FloorRate = time.Duration(float64(window) * float64(calls) / float64(limit))
	for _, r := range fake.Requests() {
		if r.Status == 429 {
			out.Upstream429++
		}
	}
	out.Requests = fake.Count("")
	return out, nil
}
