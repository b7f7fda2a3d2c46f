//go:build race

package tools

// raceEnabled scales down tests whose cost is mostly encoding/json, which
// the race detector slows about tenfold.
const raceEnabled = true
