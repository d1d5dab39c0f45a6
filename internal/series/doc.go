// Package series is the model of a topic's time series: the 5-minute
// Bucket of the rollups and the WindowStats of a span of posts, as the
// analyzer reads them.
//
// It holds types only; store computes them in ClickHouse, analyzer judges
// them.
package series
