package detect_test

const expVariants = "default,twosided,minscale,both"
