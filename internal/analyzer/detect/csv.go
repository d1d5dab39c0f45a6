package detect

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// inferRows is how many leading rows RunCSV buffers to infer the interval.
const inferRows = 64

// timeLayouts are the timestamp layouts RunCSV accepts besides unix seconds.
var timeLayouts = [...]string{
	"2006-01-02 15:04:05.999999999",
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04",
	"2006-01-02",
}

// ParseTime parses a CSV timestamp: "2006-01-02 15:04:05" (optionally with
// fractional seconds), RFC 3339, or unix seconds (integer or decimal).
// Timestamps without a zone are UTC.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) &&
		math.Abs(f) < 1e11 {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(math.Round(frac*1e9))).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("unrecognised timestamp %q (want \"2006-01-02 15:04:05\", RFC 3339 or unix seconds)", s)
}

type csvRow struct {
	line  int
	ts    string
	val   string
	t     time.Time
	v     float64
	empty bool
}

// RunCSV reads a timestamp,value CSV from r (header optional, any regular
// interval), runs a Detector built from cfg over it and writes
// timestamp,value,anomaly_score to w, one row per input row, timestamps and
// values echoed as given. An empty value is a missing observation (score
// 0). When cfg.Interval is 0 the interval is the median spacing of the
// first rows. An invalid cfg is an error (see Config.Validate); errors about
// the input name the CSV line.
func RunCSV(r io.Reader, w io.Writer, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	cr.TrimLeadingSpace = true
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.WriteString("timestamp,value,anomaly_score\n"); err != nil {
		return fmt.Errorf("write header: %w", err)
	}

	var (
		d       *Detector
		pending []csvRow
		first   = true
		buf     []byte
	)
	emit := func(row csvRow) error {
		var p Point
		if row.empty {
			p = d.Update(row.t, math.NaN())
		} else {
			p = d.Update(row.t, row.v)
		}
		buf = buf[:0]
		buf = appendCSVField(buf, row.ts)
		buf = append(buf, ',')
		buf = appendCSVField(buf, row.val)
		buf = append(buf, ',')
		buf = strconv.AppendFloat(buf, p.AlertScore(), 'f', 6, 64)
		buf = append(buf, '\n')
		if _, err := bw.Write(buf); err != nil {
			return fmt.Errorf("write line for input line %d: %w", row.line, err)
		}
		return nil
	}
	start := func() error {
		c := cfg
		if c.Interval == 0 {
			c.Interval = inferInterval(pending)
		}
		d = New(c)
		for _, row := range pending {
			if err := emit(row); err != nil {
				return err
			}
		}
		pending = nil
		return nil
	}

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read CSV: %w", err) // a csv.ParseError names the line
		}
		line, _ := cr.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 2 {
			return fmt.Errorf("CSV line %d: want timestamp,value, got %d field(s)", line, len(rec))
		}
		row := csvRow{line: line, ts: strings.Clone(rec[0]), val: strings.Clone(rec[1])}
		t, terr := ParseTime(rec[0])
		vs := strings.TrimSpace(rec[1])
		var v float64
		var verr error
		if vs == "" {
			row.empty = true
		} else {
			v, verr = strconv.ParseFloat(vs, 64)
		}
		if first {
			first = false
			if terr != nil || verr != nil {
				continue // header
			}
		}
		if terr != nil {
			return fmt.Errorf("CSV line %d: %w", line, terr)
		}
		if verr != nil {
			return fmt.Errorf("CSV line %d: value %q is not a number", line, vs)
		}
		row.t, row.v = t, v
		if d != nil {
			if err := emit(row); err != nil {
				return err
			}
			continue
		}
		pending = append(pending, row)
		if cfg.Interval != 0 || len(pending) >= inferRows {
			if err := start(); err != nil {
				return err
			}
		}
	}
	if d == nil && len(pending) > 0 {
		if err := start(); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("flush output: %w", err)
	}
	return nil
}

// inferInterval returns the bucket width of rows: the shortest positive
// spacing that recurs (at least an eighth of the spacings, and twice), so
// a series sampled every 5 minutes with many readings missing is read as
// 5-minute buckets with gaps rather than 10-minute buckets with
// duplicates. Without a recurring spacing it is the median spacing, and 0
// (let the detector infer it) when there is none.
func inferInterval(rows []csvRow) time.Duration {
	var ds []time.Duration
	for i := 1; i < len(rows); i++ {
		if dt := rows[i].t.Sub(rows[i-1].t); dt > 0 {
			ds = append(ds, dt)
		}
	}
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	need := max(2, len(ds)/8)
	for i := 0; i < len(ds); {
		j := i
		for j < len(ds) && ds[j] == ds[i] {
			j++
		}
		if j-i >= need {
			return ds[i]
		}
		i = j
	}
	return ds[len(ds)/2]
}

// appendCSVField appends s, quoted if CSV requires it.
func appendCSVField(b []byte, s string) []byte {
	if !strings.ContainsAny(s, ",\"\r\n") && (s == "" || (s[0] != ' ' && s[0] != '\t')) {
		return append(b, s...)
	}
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
