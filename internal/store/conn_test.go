package store

import (
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
)

func TestBrokenConn(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("code: 60, message: Table backlash.x doesn't exist"), false},
		{fmt.Errorf("read: %w", net.ErrClosed), true},
		{errors.New("failed to read first block packet from 127.0.0.1:9000 (conn_id=4): read: read tcp 127.0.0.1:41182->127.0.0.1:9000: use of closed network connection"), true},
		{fmt.Errorf("write: %w", syscall.EPIPE), true},
		{fmt.Errorf("read: %w", io.EOF), true},
	}
	for _, tt := range tests {
		if got := brokenConn(tt.err); got != tt.want {
			t.Errorf("brokenConn(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
