package main

import (
	"context"
	"fmt"
	"os"

	"github.com/backlash-monitor/backlash/internal/analyzer/detect"
	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
	"github.com/backlash-monitor/backlash/internal/config"
)

// scorerFromFlags builds the scorer from the configuration when one is
// given or found, else with the built-in lexicons only; rulesOnly leaves
// out the learned models.
func scorerFromFlags(g *globalFlags, rulesOnly bool) (*sentiment.Scorer, error) {
	opts := sentiment.Options{}
	path := config.Path(g.config)
	if _, err := os.Stat(path); err == nil || g.config != "" {
		cfg, err := g.load()
		if err != nil {
			return nil, err
		}
		opts = sentiment.Options{Lexicons: cfg.Analyzer.Lexicons, PositiveCutoff: cfg.Analyzer.PositiveCutoff,
			NegativeCutoff: cfg.Analyzer.NegativeCutoff}
	}
	opts.RulesOnly = rulesOnly
	s, err := sentiment.New(opts)
	if err != nil {
		return nil, usageError{err}
	}
	return s, nil
}

func cmdScore(_ context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "score", "score [TEXT...]   (no TEXT: JSONL {\"id\",\"text\"} on stdin)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := scorerFromFlags(g, false)
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return sentiment.ScoreArgs(s, fs.Args(), e.stdout)
	}
	return sentiment.ScoreStream(s, e.stdin, e.stdout)
}

func cmdEval(_ context.Context, e *env, args []string) error {
	fs, g := flagSet(e, "eval", "eval sentiment FILE.jsonl   (lines {\"id\",\"text\",\"rating\"} or {\"id\",\"label\",\"text\"})")
	rulesOnly := fs.Bool("rules-only", false, "score by the rules alone, without the learned models (English as before them)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || fs.Arg(0) != "sentiment" {
		fs.Usage()
		return usagef("want: eval sentiment FILE")
	}
	s, err := scorerFromFlags(g, *rulesOnly)
	if err != nil {
		return err
	}
	labelled, err := sentiment.IsLabelled(fs.Arg(1))
	if err != nil {
		return err
	}
	if labelled {
		rep, err := sentiment.EvaluateLabels(fs.Arg(1), s)
		if err != nil {
			return err
		}
		return rep.Write(e.stdout)
	}
	rep, err := sentiment.Evaluate(fs.Arg(1), s)
	if err != nil {
		return err
	}
	return rep.Write(e.stdout)
}

func cmdDetect(_ context.Context, e *env, args []string) error {
	fs, _ := flagSet(e, "detect", "detect --input series.csv   (timestamp,value; writes timestamp,value,anomaly_score)")
	input := fs.String("input", "", "CSV of timestamp,value at a regular interval (- for stdin)")
	twoSided := fs.Bool("two-sided", false, "score drops as well as rises (for metrics where a fall matters; volumes default to rises only)")
	threshold := fs.Float64("threshold", detect.DefaultConfig().Threshold, "score at which an event starts, in (0,1]")
	if err := parse(fs, args); err != nil {
		return err
	}
	cfg := detect.DefaultConfig()
	cfg.TwoSided = *twoSided
	cfg.Threshold = *threshold
	if err := cfg.Validate(); err != nil || *threshold == 0 {
		return usagef("--threshold %v is outside (0,1]", *threshold)
	}
	if *input == "" {
		fs.Usage()
		return usagef("--input is required")
	}
	in := e.stdin
	if *input != "-" {
		f, err := os.Open(*input)
		if err != nil {
			return usageError{err}
		}
		defer f.Close()
		in = f
	}
	if err := detect.RunCSV(in, e.stdout, cfg); err != nil {
		return fmt.Errorf("%s: %w", *input, err)
	}
	return nil
}
