package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// retryConn retries, once, the calls that start a query when a pooled
// connection turns out to be broken before the server answered: the driver
// can hand out a connection the server or the pool already closed ("use of
// closed network connection", "broken pipe"). Reads and the start of a batch
// (PrepareBatch, which sends the INSERT and waits for its header) are safe
// to repeat; a batch's Send and Exec are not retried, since the server may
// have applied them.
type retryConn struct {
	driver.Conn
}

// brokenConn reports errors of a connection that broke under the driver.
func brokenConn(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, net.ErrClosed) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "use of closed network connection") || strings.Contains(msg, "broken pipe") ||
		strings.Contains(msg, "connection reset by peer")
}

func (c retryConn) Query(ctx context.Context, query string, args ...any) (driver.Rows, error) {
	rows, err := c.Conn.Query(ctx, query, args...)
	if brokenConn(err) && ctx.Err() == nil {
		return c.Conn.Query(ctx, query, args...)
	}
	return rows, err
}

func (c retryConn) QueryRow(ctx context.Context, query string, args ...any) driver.Row {
	row := c.Conn.QueryRow(ctx, query, args...)
	if brokenConn(row.Err()) && ctx.Err() == nil {
		return c.Conn.QueryRow(ctx, query, args...)
	}
	return row
}

func (c retryConn) Select(ctx context.Context, dest any, query string, args ...any) error {
	err := c.Conn.Select(ctx, dest, query, args...)
	if brokenConn(err) && ctx.Err() == nil {
		return c.Conn.Select(ctx, dest, query, args...)
	}
	return err
}

func (c retryConn) PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error) {
	b, err := c.Conn.PrepareBatch(ctx, query, opts...)
	if brokenConn(err) && ctx.Err() == nil {
		return c.Conn.PrepareBatch(ctx, query, opts...)
	}
	return b, err
}
