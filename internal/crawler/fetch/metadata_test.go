package fetch

import (
	"errors"
	"strings"
	"testing"
)

// TestMetadataRefusedEvenWhenPrivateAllowed: allow_private opens loopback
// and private addresses but never the cloud metadata services.
func TestMetadataRefusedEvenWhenPrivateAllowed(t *testing.T) {
	open := guard(true, nil)
	for _, addr := range []string{"169.254.169.254:80", "[fd00:ec2::254]:80", "[::ffff:169.254.169.254]:80"} {
		err := open("tcp", addr, nil)
		var be *BlockedError
		if !errors.As(err, &be) || !be.Always || !strings.Contains(err.Error(), "even with allow_private") {
			t.Errorf("%s with allow_private: %v, want refused always", addr, err)
		}
	}
	for _, addr := range []string{"127.0.0.1:8080", "10.1.2.3:443", "[::1]:80", "169.254.1.1:80"} {
		if err := open("tcp", addr, nil); err != nil {
			t.Errorf("%s with allow_private: %v, want allowed", addr, err)
		}
	}
	if err := guard(false, map[string]bool{"169.254.169.254:80": true})("tcp", "169.254.169.254:80", nil); err == nil {
		t.Error("an exact allowance opened the metadata address")
	}
}
