// Command train rebuilds the sentiment analyzer's learned model from the
// train splits in ../shared/data/sentiment, deterministically.
//
//	go run ./internal/analyzer/sentiment/train                  # writes internal/analyzer/sentiment/model/sentiment.gob.gz
//	go run ./internal/analyzer/sentiment/train -out /tmp/m.gz   # keep experiments outside the repository
//	go run ./internal/analyzer/sentiment/train -cv 5            # k-fold cross-validation on train, no model written
//	go run ./internal/analyzer/sentiment/train -val             # also report the validation splits
//	go run ./internal/analyzer/sentiment/train -only zh -cv-groups category  # hold out each review category in turn
//	go run ./internal/analyzer/sentiment/train -zh-into internal/analyzer/sentiment/model/sentiment.gob.gz  # retrain the Chinese part only
//	go run ./internal/analyzer/sentiment/train -tweets-into internal/analyzer/sentiment/model/sentiment.gob.gz  # retrain the tweet model (es fr de it pt ar hi) only
//
// Training reads train splits only and refuses files named as validation
// or test splits. Validation figures are for choosing the recipe.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/backlash-monitor/backlash/internal/analyzer/sentiment"
)

func main() {
	if err := run(); err != nil {
		slog.Error("train", "err", err)
		os.Exit(1)
	}
}

func run() error {
	def := sentiment.DefaultTrainConfig(filepath.Join("..", "shared", "data", "sentiment"))
	data := flag.String("data", def.Data, "directory with umsab/ and zh-reviews-train.jsonl")
	out := flag.String("out", filepath.Join("internal", "analyzer", "sentiment", "model", "sentiment.gob.gz"), "model file to write")
	cv := flag.Int("cv", 0, "k-fold cross-validation on the train splits instead of writing a model")
	val := flag.Bool("val", false, "after training, report the validation splits (for choosing the recipe)")
	bits := flag.Int("bits", int(def.Bits), "log2 buckets of the tweet model")
	epochs := flag.Int("epochs", def.Epochs, "epochs of the tweet and language models")
	zhEpochs := flag.Int("zh-epochs", def.ZhEpochs, "epochs of the Chinese model")
	lr := flag.Float64("lr", def.LR, "AdaGrad learning rate")
	tweetLR := flag.Float64("tweet-lr", def.TweetLR, "tweet model: learning rate (0: -lr)")
	l2 := flag.Float64("l2", def.L2, "L2 regularisation")
	charMin := flag.Int("char-min", def.CharMin, "shortest character n-gram of the tweet model")
	charMax := flag.Int("char-max", def.CharMax, "longest character n-gram of the tweet model (0: none)")
	shared := flag.Bool("tweet-shared", def.TweetShared, "tweet model: also emit features shared by all languages")
	tweetBins := flag.Int("tweet-bins", def.TweetRuleBins, "tweet model: rule indicator features per language (0 none, 1, 2)")
	hiSkel := flag.Int("hi-skel", def.HiSkel, "tweet model: Hindi words read by their spelling skeleton (0 no, 1 beside the words, 2 instead of them)")
	zhGuard := flag.Float64("zh-guard-cost", def.ZhGuardCost, "Chinese, with -zh-guard 0: calibrate the negative guard to cost at most this held-out review accuracy (both 0: no guard)")
	zhBand := flag.Float64("zh-band-max", def.ZhBandMax, "Chinese: widest neutral band |p(pos)-p(neg)| the calibration may choose (0: none)")
	zhMinCats := flag.Int("zh-min-cats", def.ZhMinCats, "Chinese: keep n-gram features found in at least this many review categories (0: all)")
	zhMinDocs := flag.Int("zh-min-docs", def.ZhMinDocs, "Chinese: reviews of a category a feature must be in to count it there")
	zhBalance := flag.Bool("zh-cat-balance", def.ZhCatBalance, "Chinese: weigh reviews so every category counts as much")
	zhGuardFixed := flag.Float64("zh-guard", def.ZhGuard, "Chinese: p(neg) a post needs to read negative without a negative term (0: calibrate by -zh-guard-cost)")
	zhGuardPraise := flag.Float64("zh-guard-praise", def.ZhGuardPraise, "Chinese, with -zh-guard: the guard of posts whose rules or lexicon find praise and no complaint (0: -zh-guard)")
	zhL2 := flag.Float64("zh-l2", def.ZhL2, "Chinese: L2 regularisation of the n-gram weights (0: -l2)")
	zhDrop := flag.Float64("zh-drop", def.ZhDrop, "Chinese: probability of leaving each n-gram feature out of a training step")
	enLR := flag.Float64("en-lr", def.EnLR, "English model: learning rate")
	enEpochs := flag.Int("en-epochs", def.EnEpochs, "English model: epochs (0: English on the rules)")
	enSoften := flag.Bool("en-soften", def.EnSoften, "English model: never call negative what the rules do not, unless its guard allows")
	enChar := flag.Int("en-char-max", def.EnCharMax, "English model: longest character n-gram (0: none)")
	enCharMin := flag.Int("en-char-min", def.EnCharMin, "English model: shortest character n-gram")
	enPool := flag.Bool("en-pool", def.EnPool, "English model: also train on the other languages' tweets")
	enCal := flag.Int("en-calibrate", def.EnCalibrate, "English model: folds of the cross-validation inside train choosing class offsets and guard (0: none)")
	enSlack := flag.Float64("en-guard-slack", def.EnGuardSlack, "English model: macro-F1 the guard may cost inside train")
	enOff := flag.Bool("en-offsets", def.EnOffsets, "English model: the calibration also chooses class offsets")
	only := flag.String("only", "", "experiments: train and cross-validate only the tweets or zh part (no model written)")
	groups := flag.String("cv-groups", "", "with -only zh: cross-validate by holding out each group of reviews sharing this field (category) in turn, no model written")
	zhInto := flag.String("zh-into", "", "retrain only the Chinese part of this model file, keeping its other parts, and write the result to -out")
	tweetsInto := flag.String("tweets-into", "", "retrain only the tweet model (es, fr, de, it, pt, ar, hi) of this model file, keeping its other parts, and write the result to -out")
	preds := flag.String("cv-predictions", "", "with -cv or -cv-groups: write every held-out post's gold and predicted label to this JSONL file")
	flag.Parse()
	cfg := def
	cfg.Data, cfg.Bits, cfg.Epochs, cfg.ZhEpochs = *data, uint8(*bits), *epochs, *zhEpochs
	cfg.LR, cfg.L2, cfg.CharMin, cfg.CharMax = *lr, *l2, *charMin, *charMax
	cfg.TweetShared, cfg.TweetRuleBins, cfg.HiSkel, cfg.TweetLR = *shared, *tweetBins, *hiSkel, *tweetLR
	cfg.Log = os.Stderr
	cfg.Only, cfg.ZhGuardCost = *only, *zhGuard
	cfg.ZhL2 = *zhL2
	cfg.ZhDrop, cfg.ZhGuard, cfg.ZhGuardPraise = *zhDrop, *zhGuardFixed, *zhGuardPraise
	cfg.ZhBandMax, cfg.ZhMinCats, cfg.ZhMinDocs, cfg.ZhCatBalance = *zhBand, *zhMinCats, *zhMinDocs, *zhBalance
	cfg.EnLR, cfg.EnEpochs, cfg.EnSoften, cfg.EnCharMin, cfg.EnCharMax = *enLR, *enEpochs, *enSoften, *enCharMin, *enChar
	cfg.EnPool, cfg.EnCalibrate, cfg.EnGuardSlack, cfg.EnOffsets = *enPool, *enCal, *enSlack, *enOff
	if *cv > 0 && *groups != "" {
		return fmt.Errorf("-cv and -cv-groups are two cross-validations: choose one")
	}
	if *only != "" && *cv == 0 && *groups == "" {
		return fmt.Errorf("-only is for cross-validation experiments: a model file needs every part")
	}
	if *preds != "" {
		f, err := os.Create(*preds)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Predictions = f
	}
	td, err := sentiment.LoadTrainData(cfg)
	if err != nil {
		return err
	}
	if *groups != "" {
		figs, err := sentiment.CrossValidateGroups(cfg, td, *groups)
		if err != nil {
			return err
		}
		return sentiment.WriteGroupFigures(os.Stdout, fmt.Sprintf("Chinese reviews, each %s held out in turn (trained on the others)", *groups), figs)
	}
	if *cv > 0 {
		figs, err := sentiment.CrossValidate(cfg, td, *cv)
		if err != nil {
			return err
		}
		return sentiment.WriteFigures(os.Stdout, fmt.Sprintf("%d-fold cross-validation on train (mean over folds)", *cv), figs)
	}
	if *zhInto != "" && *tweetsInto != "" {
		return fmt.Errorf("-zh-into and -tweets-into each keep the other part: run one after the other")
	}
	var model []byte
	if *tweetsInto != "" {
		base, err := os.ReadFile(*tweetsInto)
		if err != nil {
			return err
		}
		model, err = sentiment.BuildTweetsInto(base, cfg, td)
		if err != nil {
			return fmt.Errorf("%s: %w", *tweetsInto, err)
		}
	} else if *zhInto != "" {
		base, err := os.ReadFile(*zhInto)
		if err != nil {
			return err
		}
		model, err = sentiment.BuildZhInto(base, cfg, td)
		if err != nil {
			return fmt.Errorf("%s: %w", *zhInto, err)
		}
	} else if model, err = sentiment.Build(cfg, td); err != nil {
		return err
	}
	if err := os.WriteFile(*out, model, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "wrote %s (%d bytes)\n", *out, len(model))
	if !*val {
		return nil
	}
	s, err := sentiment.New(sentiment.Options{Model: *out})
	if err != nil {
		return err
	}
	for _, l := range cfg.Langs {
		rep, err := sentiment.EvaluateLabels(filepath.Join(cfg.Data, "umsab", l+"-val.jsonl"), s)
		if err != nil {
			return err
		}
		if err := rep.Write(os.Stdout); err != nil {
			return err
		}
	}
	return nil
}
