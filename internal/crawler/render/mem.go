package render

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tree returns pid and its descendants, with their CPU time (user and
// system, reaped children's included) in clock ticks. It follows the
// kernel's children lists, so it reads a few files per process rather
// than every process on the machine; where the kernel has no children
// lists it scans /proc.
func tree(pid int) (pids []int, ticks int64) {
	if pid <= 0 {
		return nil, 0
	}
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		_, t, ok := procStat(p)
		if !ok {
			continue
		}
		pids = append(pids, p)
		ticks += t
		kids, ok := children(p)
		if !ok {
			return scanTree(pid)
		}
		queue = append(queue, kids...)
	}
	return pids, ticks
}

// children lists the child processes of pid from
// /proc/pid/task/*/children; ok is false when the kernel has none.
func children(pid int) (kids []int, ok bool) {
	tasks, _ := filepath.Glob("/proc/" + strconv.Itoa(pid) + "/task/*/children")
	if len(tasks) == 0 {
		_, err := os.Stat("/proc/" + strconv.Itoa(pid))
		return nil, err != nil // a process that has exited has no children
	}
	for _, f := range tasks {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range strings.Fields(string(b)) {
			if n, err := strconv.Atoi(s); err == nil {
				kids = append(kids, n)
			}
		}
	}
	return kids, true
}

// procStat reads a process's parent and CPU time in clock ticks from
// /proc/pid/stat.
func procStat(pid int) (ppid int, ticks int64, ok bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, 0, false
	}
	return parseStat(b)
}

// parseStat parses a /proc stat line: pid (comm) state ppid ...; comm
// may hold spaces and parentheses. utime, stime, cutime and cstime are
// fields 14-17.
func parseStat(b []byte) (ppid int, ticks int64, ok bool) {
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, 0, false
	}
	fields := strings.Fields(string(b[i+1:]))
	if len(fields) < 15 {
		return 0, 0, false
	}
	ppid, err := strconv.Atoi(fields[1])
	if err != nil {
		return 0, 0, false
	}
	for _, k := range fields[11:15] {
		n, _ := strconv.ParseInt(k, 10, 64)
		ticks += n
	}
	return ppid, ticks, true
}

// scanTree is tree by reading every process's stat.
func scanTree(pid int) (pids []int, ticks int64) {
	kids := map[int][]int{}
	cpu := map[int]int64{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		p, err := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		ppid, t, ok := parseStat(b)
		if err != nil || !ok {
			continue
		}
		kids[ppid] = append(kids[ppid], p)
		cpu[p] = t
	}
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		pids = append(pids, p)
		ticks += cpu[p]
		queue = append(queue, kids[p]...)
	}
	return pids, ticks
}

// ticksPerSecond is Linux's USER_HZ, the unit of /proc's CPU times.
const ticksPerSecond = 100

// pageSize converts /proc/pid/statm's pages to bytes.
var pageSize = int64(os.Getpagesize())

// sumRSS returns the plain sum of the resident set sizes of pids (shared
// pages counted once per process), read cheaply from /proc/pid/statm.
// Zero when /proc is not available.
func sumRSS(pids []int) (rss int64) {
	for _, p := range pids {
		b, err := os.ReadFile("/proc/" + strconv.Itoa(p) + "/statm")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 1 {
			n, _ := strconv.ParseInt(f[1], 10, 64)
			rss += n * pageSize
		}
	}
	return rss
}

// sumPSS returns the sum of the proportional set sizes of pids (shared
// pages divided among the processes sharing them; the resident set size
// where PSS cannot be read). The kernel walks every page table to answer,
// so it is read less often than sumRSS.
func sumPSS(pids []int) (pss int64) {
	for _, p := range pids {
		dir := "/proc/" + strconv.Itoa(p)
		v := kbFields(dir+"/smaps_rollup", "Pss:")
		if v[0] == 0 {
			v[0] = kbFields(dir+"/status", "VmRSS:")[0]
		}
		pss += v[0]
	}
	return pss
}

// kbFields reads "Name:   123 kB" lines of a /proc file, in bytes, in the
// order of names; a missing line reads 0.
func kbFields(path string, names ...string) []int64 {
	out := make([]int64, max(len(names), 2))
	f, err := os.Open(path)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		for i, name := range names {
			if !strings.HasPrefix(line, name) {
				continue
			}
			if fields := strings.Fields(line[len(name):]); len(fields) > 0 {
				if n, err := strconv.ParseInt(fields[0], 10, 64); err == nil {
					out[i] = n << 10
				}
			}
		}
	}
	return out
}
