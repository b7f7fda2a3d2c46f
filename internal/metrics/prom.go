package metrics

import (
	"bufio"
	"math"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	rtmetrics "runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The instruments and their exposition in Prometheus' text format
// (version 0.0.4), written here instead of linking
// prometheus/client_golang: it linked the protobuf runtime, procfs and
// their initialisers into every start (1.15x the floor's start, 1.18x its
// memory) for counters, gauges and histograms that are an atomic each.
// The names, labels, buckets and help texts are those client_golang
// served; so are the Go and process metrics that dashboards read most
// (go_goroutines, go_memstats_*, go_gc_duration_seconds, process_*).

type kind int

const (
	counterKind kind = iota
	gaugeKind
	histogramKind
)

func (k kind) String() string {
	return [...]string{"counter", "gauge", "histogram"}[k]
}

// registry holds the families in the order they were made.
type registry struct {
	mu       sync.Mutex
	families []*family
}

// family is one metric name and its series by label values.
type family struct {
	name, help string
	kind       kind
	labels     []string
	order      []int     // label indexes by name: client_golang writes labels sorted
	buckets    []float64 // upper bounds, ascending, without +Inf

	mu     sync.RWMutex
	series map[labelKey]*series
	one    *series // the series of a family without labels
}

// maxLabels is the most labels a family has (clickup_requests_total's
// method, route and status).
const maxLabels = 3

// labelKey is a series' label values as a map key: an array, so that a
// look-up allocates nothing (a joined string did, on every observation).
type labelKey [maxLabels]string

// series is one set of label values: a float (counter, gauge) or a
// histogram's buckets (not cumulative), sum and count.
type series struct {
	values []string
	bits   atomic.Uint64 // the float64 value; the sum of a histogram
	counts []atomic.Uint64
	count  atomic.Uint64
	upper  []float64
}

func (r *registry) add(name, help string, k kind, buckets []float64, labels []string) *family {
	f := &family{name: namespace + "_" + name, help: help, kind: k, labels: labels, buckets: buckets, series: map[labelKey]*series{}}
	f.order = make([]int, len(labels))
	for i := range f.order {
		f.order[i] = i
	}
	slices.SortFunc(f.order, func(a, b int) int { return strings.Compare(labels[a], labels[b]) })
	if len(labels) == 0 {
		f.one = f.newSeries(nil)
		f.series[labelKey{}] = f.one
	}
	r.mu.Lock()
	r.families = append(r.families, f)
	r.mu.Unlock()
	return f
}

func (f *family) newSeries(values []string) *series {
	s := &series{values: values, upper: f.buckets}
	if f.kind == histogramKind {
		s.counts = make([]atomic.Uint64, len(f.buckets)+1)
	}
	return s
}

// with is the series for label values, made on first use. Callers pass
// exactly one value per label (every caller is in this package).
func (f *family) with(values ...string) *series {
	var key labelKey
	copy(key[:], values)
	if len(values) > maxLabels { // more labels than any family has today: the rest share the last slot
		key[maxLabels-1] = strings.Join(values[maxLabels-1:], "\xff")
	}
	f.mu.RLock()
	s := f.series[key]
	f.mu.RUnlock()
	if s != nil {
		return s
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if s = f.series[key]; s == nil {
		s = f.newSeries(slices.Clone(values))
		f.series[key] = s
	}
	return s
}

// vec is a family with labels.
type vec struct{ f *family }

// WithLabelValues is the series for the values, one per label.
func (v vec) WithLabelValues(values ...string) *series { return v.f.with(values...) }

func (s *series) Add(d float64) {
	for {
		old := s.bits.Load()
		if s.bits.CompareAndSwap(old, math.Float64bits(math.Float64frombits(old)+d)) {
			return
		}
	}
}

func (s *series) Inc()          { s.Add(1) }
func (s *series) Dec()          { s.Add(-1) }
func (s *series) Set(v float64) { s.bits.Store(math.Float64bits(v)) }
func (s *series) value() float64 {
	return math.Float64frombits(s.bits.Load())
}

// Observe counts v in its bucket (the first whose bound is at least v).
func (s *series) Observe(v float64) {
	i, _ := slices.BinarySearch(s.upper, v)
	s.counts[i].Add(1)
	s.Add(v)
	s.count.Add(1)
}

// exponentialBucketsRange is client_golang's ExponentialBucketsRange, to
// the last bit (the bounds are label values): count bounds from lo to hi,
// each a constant factor above the last.
func exponentialBucketsRange(lo, hi float64, count int) []float64 {
	growth := math.Pow(hi/lo, 1.0/float64(count-1))
	b := make([]float64, count)
	for i := 1; i <= count; i++ {
		b[i-1] = lo * math.Pow(growth, float64(i-1))
	}
	return b
}

// serve writes every family with at least one series, then the Go and
// process metrics.
func (r *registry) serve(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	bw := &textWriter{bufio.NewWriterSize(w, 16<<10)}
	r.mu.Lock()
	fams := slices.Clone(r.families)
	r.mu.Unlock()
	for _, f := range fams {
		f.write(bw)
	}
	writeRuntime(bw)
	_ = bw.b.Flush() // the client went away: nothing to tell it
}

func (f *family) write(w *textWriter) {
	f.mu.RLock()
	ss := make([]*series, 0, len(f.series))
	for _, s := range f.series {
		ss = append(ss, s)
	}
	f.mu.RUnlock()
	slices.SortFunc(ss, func(a, b *series) int { return slices.Compare(a.values, b.values) })
	if len(ss) == 0 {
		return
	}
	header(w, f.name, f.help, f.kind.String())
	for _, s := range ss {
		if f.kind != histogramKind {
			sample(w, f.name, f.labels, f.order, s.values, "", "", s.value())
			continue
		}
		var cum uint64
		for i := range s.counts {
			cum += s.counts[i].Load()
			le := "+Inf"
			if i < len(f.buckets) {
				le = formatFloat(f.buckets[i])
			}
			sample(w, f.name+"_bucket", f.labels, f.order, s.values, "le", le, float64(cum))
		}
		sample(w, f.name+"_sum", f.labels, f.order, s.values, "", "", s.value())
		sample(w, f.name+"_count", f.labels, f.order, s.values, "", "", float64(s.count.Load()))
	}
}

// textWriter writes the exposition; a bufio.Writer keeps its first error
// and Flush reports it, so the writes in between need no checks.
type textWriter struct{ b *bufio.Writer }

func (w *textWriter) str(s string) { _, _ = w.b.WriteString(s) }
func (w *textWriter) char(c byte)  { _ = w.b.WriteByte(c) }

var helpEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`)
var valueEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func header(w *textWriter, name, help, typ string) {
	w.str("# HELP " + name + " " + helpEscaper.Replace(help) + "\n# TYPE " + name + " " + typ + "\n")
}

// sample writes one line, the labels in order (indexes into labels and
// values); extra (le, quantile) follows them.
func sample(w *textWriter, name string, labels []string, order []int, values []string, extra, extraValue string, v float64) {
	w.str(name)
	if len(labels) > 0 || extra != "" {
		w.char('{')
		for n, i := range order {
			if n > 0 {
				w.char(',')
			}
			w.str(labels[i] + `="` + valueEscaper.Replace(values[i]) + `"`)
		}
		if extra != "" {
			if len(labels) > 0 {
				w.char(',')
			}
			w.str(extra + `="` + extraValue + `"`)
		}
		w.char('}')
	}
	w.char(' ')
	w.str(formatFloat(v))
	w.char('\n')
}

func formatFloat(v float64) string {
	switch {
	case math.IsInf(v, 1):
		return "+Inf"
	case math.IsInf(v, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func gauge(w *textWriter, name, help string, v float64) {
	header(w, name, help, "gauge")
	sample(w, name, nil, nil, nil, "", "", v)
}

func counter(w *textWriter, name, help string, v float64) {
	header(w, name, help, "counter")
	sample(w, name, nil, nil, nil, "", "", v)
}

// writeRuntime writes the Go runtime's and the process's metrics under
// client_golang's names.
func writeRuntime(w *textWriter) {
	var gc debug.GCStats
	gc.PauseQuantiles = make([]time.Duration, 5)
	debug.ReadGCStats(&gc)
	header(w, "go_gc_duration_seconds", "A summary of the wall-time pause (stop-the-world) duration in garbage collection cycles.", "summary")
	for i, q := range []string{"0", "0.25", "0.5", "0.75", "1"} {
		sample(w, "go_gc_duration_seconds", nil, nil, nil, "quantile", q, gc.PauseQuantiles[i].Seconds())
	}
	sample(w, "go_gc_duration_seconds_sum", nil, nil, nil, "", "", gc.PauseTotal.Seconds())
	sample(w, "go_gc_duration_seconds_count", nil, nil, nil, "", "", float64(gc.NumGC))
	rt := []rtmetrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/gomemlimit:bytes"}}
	rtmetrics.Read(rt)
	if rt[0].Value.Kind() == rtmetrics.KindUint64 {
		gauge(w, "go_gc_gogc_percent", "Heap size target percentage configured by the user, otherwise 100.", float64(rt[0].Value.Uint64()))
	}
	if rt[1].Value.Kind() == rtmetrics.KindUint64 {
		gauge(w, "go_gc_gomemlimit_bytes", "Go runtime memory limit configured by the user, otherwise math.MaxInt64.", float64(rt[1].Value.Uint64()))
	}
	gauge(w, "go_goroutines", "Number of goroutines that currently exist.", float64(runtime.NumGoroutine()))
	header(w, "go_info", "Information about the Go environment.", "gauge")
	sample(w, "go_info", []string{"version"}, []int{0}, []string{runtime.Version()}, "", "", 1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	gauge(w, "go_memstats_alloc_bytes", "Number of bytes allocated in heap and currently in use.", float64(ms.Alloc))
	counter(w, "go_memstats_alloc_bytes_total", "Total number of bytes allocated in heap until now, even if released already.", float64(ms.TotalAlloc))
	gauge(w, "go_memstats_buck_hash_sys_bytes", "Number of bytes used by the profiling bucket hash table.", float64(ms.BuckHashSys))
	counter(w, "go_memstats_frees_total", "Total number of heap objects frees.", float64(ms.Frees))
	gauge(w, "go_memstats_gc_sys_bytes", "Number of bytes used for garbage collection system metadata.", float64(ms.GCSys))
	gauge(w, "go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use.", float64(ms.HeapAlloc))
	gauge(w, "go_memstats_heap_idle_bytes", "Number of heap bytes waiting to be used.", float64(ms.HeapIdle))
	gauge(w, "go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use.", float64(ms.HeapInuse))
	gauge(w, "go_memstats_heap_objects", "Number of currently allocated objects.", float64(ms.HeapObjects))
	gauge(w, "go_memstats_heap_released_bytes", "Number of heap bytes released to OS.", float64(ms.HeapReleased))
	gauge(w, "go_memstats_heap_sys_bytes", "Number of heap bytes obtained from system.", float64(ms.HeapSys))
	gauge(w, "go_memstats_last_gc_time_seconds", "Number of seconds since 1970 of last garbage collection.", float64(ms.LastGC)/1e9)
	counter(w, "go_memstats_mallocs_total", "Total number of heap objects allocated, both live and gc-ed.", float64(ms.Mallocs))
	gauge(w, "go_memstats_mcache_inuse_bytes", "Number of bytes in use by mcache structures.", float64(ms.MCacheInuse))
	gauge(w, "go_memstats_mcache_sys_bytes", "Number of bytes used for mcache structures obtained from system.", float64(ms.MCacheSys))
	gauge(w, "go_memstats_mspan_inuse_bytes", "Number of bytes in use by mspan structures.", float64(ms.MSpanInuse))
	gauge(w, "go_memstats_mspan_sys_bytes", "Number of bytes used for mspan structures obtained from system.", float64(ms.MSpanSys))
	gauge(w, "go_memstats_next_gc_bytes", "Number of heap bytes when next garbage collection will take place.", float64(ms.NextGC))
	gauge(w, "go_memstats_other_sys_bytes", "Number of bytes used for other system allocations.", float64(ms.OtherSys))
	gauge(w, "go_memstats_stack_inuse_bytes", "Number of bytes obtained from system for stack allocator in non-CGO environments.", float64(ms.StackInuse))
	gauge(w, "go_memstats_stack_sys_bytes", "Number of bytes obtained from system for stack allocator.", float64(ms.StackSys))
	gauge(w, "go_memstats_sys_bytes", "Number of bytes obtained from system.", float64(ms.Sys))
	gauge(w, "go_sched_gomaxprocs_threads", "The current runtime.GOMAXPROCS setting, or the number of operating system threads that can execute user-level Go code simultaneously.", float64(runtime.GOMAXPROCS(0)))
	threads, _ := runtime.ThreadCreateProfile(nil)
	gauge(w, "go_threads", "Number of OS threads created.", float64(threads))
	writeProcess(w)
}

// clockTicks is USER_HZ, 100 on every Linux the server runs on.
const clockTicks = 100

// writeProcess writes the process metrics from /proc (Linux only; elsewhere
// there are none, as with client_golang on most systems).
func writeProcess(w *textWriter) {
	stat, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return
	}
	// Fields after the command name, which is in parentheses and may hold
	// spaces: state is field 3, utime 14, stime 15, starttime 22, vsize
	// 23, rss 24.
	s := string(stat)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 22 {
		return
	}
	num := func(k int) float64 { // k: the field's number in proc(5)
		v, _ := strconv.ParseFloat(f[k-3], 64)
		return v
	}
	counter(w, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", (num(14)+num(15))/clockTicks)
	if n, ok := maxFDs(); ok {
		gauge(w, "process_max_fds", "Maximum number of open file descriptors.", n)
	}
	if ents, err := os.ReadDir("/proc/self/fd"); err == nil {
		gauge(w, "process_open_fds", "Number of open file descriptors.", float64(len(ents)))
	}
	gauge(w, "process_resident_memory_bytes", "Resident memory size in bytes.", num(24)*float64(os.Getpagesize()))
	if bt, ok := bootTime(); ok {
		gauge(w, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", bt+num(22)/clockTicks)
	}
	gauge(w, "process_virtual_memory_bytes", "Virtual memory size in bytes.", num(23))
}

func maxFDs() (float64, bool) {
	b, err := os.ReadFile("/proc/self/limits")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "Max open files"); ok {
			if f := strings.Fields(rest); len(f) > 0 {
				if f[0] == "unlimited" {
					return math.Inf(1), true
				}
				v, err := strconv.ParseFloat(f[0], 64)
				return v, err == nil
			}
		}
	}
	return 0, false
}

func bootTime() (float64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "btime "); ok {
			v, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
			return v, err == nil
		}
	}
	return 0, false
}
