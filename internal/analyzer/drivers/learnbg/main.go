// Command learnbg rebuilds the drivers' background table
// (internal/analyzer/drivers/background.tsv.gz, gzipped text): for each language, how many
// posts of the train splits in ../shared/data/sentiment hold each term,
// for the most common terms. It reads train splits only, writes counts
// and no text, and gives the same table for the same data.
//
//	go run ./internal/analyzer/drivers/learnbg                 # rewrites the table
//	go run ./internal/analyzer/drivers/learnbg -out /tmp/b.gz  # experiment outside the repository
package main

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/backlash-monitor/backlash/internal/analyzer/drivers"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
)

func main() {
	if err := run(); err != nil {
		slog.Error("learnbg", "err", err)
		os.Exit(1)
	}
}

func run() error {
	def := sentiment.DefaultTrainConfig(filepath.Join("..", "shared", "data", "sentiment"))
	data := flag.String("data", def.Data, "directory with umsab/ and zh-reviews-train.jsonl")
	out := flag.String("out", filepath.Join("internal", "analyzer", "drivers", "background.tsv.gz"), "table to write")
	labels := flag.String("labels", "negative,neutral,positive", "labels of the posts counted, comma-separated")
	top := flag.Int("top", 40000, "most terms kept per language")
	minPosts := flag.Int("min", 2, "fewest posts a kept term is held by")
	flag.Parse()
	keep := map[string]bool{}
	for _, l := range strings.Split(*labels, ",") {
		keep[strings.TrimSpace(l)] = true
	}
	tok, err := sentiment.New(sentiment.Options{})
	if err != nil {
		return err
	}
	files := map[string]string{"zh": filepath.Join(*data, "zh-reviews-train.jsonl")}
	for _, l := range def.Langs {
		files[l] = filepath.Join(*data, "umsab", l+"-train.jsonl")
	}
	posts := map[string]int{}
	counts := map[string]map[string]int{}
	for lang, path := range files {
		ps, err := sentiment.ReadTrainFile(path)
		if err != nil {
			return err
		}
		c := map[string]int{}
		for _, p := range ps {
			if !keep[p.Label] {
				continue
			}
			posts[lang]++
			ts, _ := drivers.BackgroundTerms(tok, p.Text)
			for _, t := range ts {
				c[t]++
			}
		}
		counts[lang] = c
	}
	var buf bytes.Buffer
	// No name or time in the gzip header: the same data gives the same bytes.
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	fmt.Fprintf(zw, "# How many posts of each language's training texts hold each term (labels %s, top %d held by at least %d).\n", *labels, *top, *minPosts)
	fmt.Fprintf(zw, "# Rebuilt by go run ./internal/analyzer/drivers/learnbg from the train splits in ../shared/data/sentiment; do not edit.\n")
	if err := drivers.WriteBackground(zw, posts, counts, *top, *minPosts); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes)\n", *out, st.Size())
	return nil
}
