package sentiment

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
)

// ScoreStream reads JSONL records {"id":...,"text":"..."} from r and writes
// one JSON line per record to w with keys id, compound, pos, neu, neg, label,
// language and terms (an array of the contributing words or phrases,
// strongest first). For posts in a language that is not scored, compound,
// pos, neu, neg and label are null. The id is copied through unchanged (null
// when absent). Blank lines are skipped; a malformed line stops the stream
// with an error naming its line number.
func ScoreStream(s *Scorer, r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, 32*1024)
	out := bufio.NewWriterSize(w, 32*1024)
	var (
		res  Result
		dec  lineDecoder
		buf  []byte
		line int
	)
	res.Terms = make([]Term, 0, MaxTerms)
	for {
		raw, err := readLine(in, &dec.long)
		if len(raw) > 0 {
			line++
			if !isBlank(raw) {
				id, text, perr := dec.decode(raw)
				if perr != nil {
					out.Flush()
					return fmt.Errorf("score stream line %d: %w", line, perr)
				}
				s.ScoreInto(text, &res)
				buf = appendResult(buf[:0], id, &res)
				if _, werr := out.Write(buf); werr != nil {
					return fmt.Errorf("score stream: %w", werr)
				}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			out.Flush()
			return fmt.Errorf("score stream line %d: %w", line+1, err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("score stream: %w", err)
	}
	return nil
}

// ScoreArgs scores each argument as one post and writes the same JSON lines
// as ScoreStream, with id set to the argument's 1-based position.
func ScoreArgs(s *Scorer, args []string, w io.Writer) error {
	out := bufio.NewWriter(w)
	var res Result
	var buf []byte
	for i, a := range args {
		s.ScoreInto(a, &res)
		buf = appendResult(buf[:0], strconv.AppendInt(nil, int64(i+1), 10), &res)
		if _, err := out.Write(buf); err != nil {
			return fmt.Errorf("score args: %w", err)
		}
	}
	if err := out.Flush(); err != nil {
		return fmt.Errorf("score args: %w", err)
	}
	return nil
}

// readLine returns the next line without its newline. Lines longer than the
// reader's buffer are assembled in *long.
func readLine(r *bufio.Reader, long *[]byte) ([]byte, error) {
	b, err := r.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		*long = append((*long)[:0], b...)
		for err == bufio.ErrBufferFull {
			b, err = r.ReadSlice('\n')
			*long = append(*long, b...)
		}
		b = *long
	}
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b, err
}

func isBlank(b []byte) bool {
	for _, c := range b {
		if !isSpaceByte(c) {
			return false
		}
	}
	return true
}
