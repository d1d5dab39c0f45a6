package render

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// tree returns pid and its descendants, with each process's CPU time
// (user and system, its reaped children's included) in clock ticks.
func tree(pid int) (pids []int, ticks int64) {
	children := map[int][]int{}
	cpu := map[int]int64{}
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, f := range stats {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		fields := strings.Fields(string(b[i+1:]))
		if len(fields) < 15 {
			continue
		}
		ppid, err1 := strconv.Atoi(fields[1])
		p, err2 := strconv.Atoi(filepath.Base(filepath.Dir(f)))
		if err1 != nil || err2 != nil {
			continue
		}
		children[ppid] = append(children[ppid], p)
		// utime, stime, cutime, cstime are fields 14-17 of the line.
		for _, k := range fields[11:15] {
			n, _ := strconv.ParseInt(k, 10, 64)
			cpu[p] += n
		}
	}
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		pids = append(pids, p)
		ticks += cpu[p]
		queue = append(queue, children[p]...)
	}
	return pids, ticks
}

// ticksPerSecond is Linux's USER_HZ, the unit of /proc's CPU times.
const ticksPerSecond = 100

// treeMemory returns the memory of process pid and its descendants: the
// sum of their proportional set sizes (shared pages divided among the
// processes sharing them, so the browser's shared libraries count once;
// the resident set size where PSS cannot be read) and the plain sum of
// their resident set sizes (which counts shared pages once per process).
// Zero when /proc is not available.
func treeMemory(pid int) (pss, rss int64) {
	if pid <= 0 {
		return 0, 0
	}
	pids, _ := tree(pid)
	for _, p := range pids {
		dir := "/proc/" + strconv.Itoa(p)
		v := kbFields(dir+"/smaps_rollup", "Pss:", "Rss:")
		if v[0] == 0 {
			v[0] = kbFields(dir+"/status", "VmRSS:")[0]
			v[1] = v[0]
		}
		pss += v[0]
		rss += v[1]
	}
	return pss, rss
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
