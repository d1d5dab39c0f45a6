package fetch

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// ErrBlockedAddress is returned, wrapped in a *BlockedError, when a request
// would connect to an address a source may not reach.
var ErrBlockedAddress = errors.New("address not allowed")

// BlockedError says which address a connection was refused to.
type BlockedError struct {
	// Addr is the resolved address that was refused.
	Addr string
	// Reason names the kind of address ("loopback", "private", ...).
	Reason string
	// Always is set for addresses allow_private does not open.
	Always bool
}

// Error names the address and how to allow it.
func (e *BlockedError) Error() string {
	if e.Always {
		return fmt.Sprintf("refusing to connect to %s (%s address, never reachable, even with allow_private)", e.Addr, e.Reason)
	}
	return fmt.Sprintf("refusing to connect to %s (%s address; set allow_private: true on the source to permit it)", e.Addr, e.Reason)
}

// metadataAddrs are the cloud providers' instance metadata services,
// which hand out the machine's credentials.
var metadataAddrs = []netip.Addr{
	netip.MustParseAddr("169.254.169.254"),
	netip.MustParseAddr("fd00:ec2::254"),
}

// IsMetadata reports whether ip is a cloud metadata address, refused to
// every source whatever allow_private says.
func IsMetadata(ip netip.Addr) bool {
	ip = ip.Unmap().WithZone("")
	for _, m := range metadataAddrs {
		if ip == m {
			return true
		}
	}
	return false
}

// Unwrap makes errors.Is(err, ErrBlockedAddress) true.
func (e *BlockedError) Unwrap() error { return ErrBlockedAddress }

var blockedPrefixes = []struct {
	p      netip.Prefix
	reason string
}{
	{netip.MustParsePrefix("169.254.169.254/32"), "cloud metadata"},
	{netip.MustParsePrefix("fd00:ec2::254/128"), "cloud metadata"},
	{netip.MustParsePrefix("0.0.0.0/8"), "unspecified"},
	{netip.MustParsePrefix("127.0.0.0/8"), "loopback"},
	{netip.MustParsePrefix("10.0.0.0/8"), "private"},
	{netip.MustParsePrefix("172.16.0.0/12"), "private"},
	{netip.MustParsePrefix("192.168.0.0/16"), "private"},
	{netip.MustParsePrefix("100.64.0.0/10"), "CGNAT"},
	{netip.MustParsePrefix("169.254.0.0/16"), "link-local"},
	{netip.MustParsePrefix("192.0.0.0/24"), "IETF protocol"},
	{netip.MustParsePrefix("198.18.0.0/15"), "benchmarking"},
	{netip.MustParsePrefix("224.0.0.0/4"), "multicast"},
	{netip.MustParsePrefix("240.0.0.0/4"), "reserved"},
	{netip.MustParsePrefix("::/128"), "unspecified"},
	{netip.MustParsePrefix("::1/128"), "loopback"},
	{netip.MustParsePrefix("fc00::/7"), "private"},
	{netip.MustParsePrefix("fe80::/10"), "link-local"},
	{netip.MustParsePrefix("ff00::/8"), "multicast"},
	{netip.MustParsePrefix("64:ff9b::/96"), "NAT64"},
	{netip.MustParsePrefix("2001:db8::/32"), "documentation"},
}

// Classify returns why ip may not be reached without allow_private, or ""
// when it is a public address.
func Classify(ip netip.Addr) string {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return "invalid"
	}
	for _, b := range blockedPrefixes {
		if b.p.Contains(ip) {
			return b.reason
		}
	}
	return ""
}

// guard returns a net.Dialer Control function that refuses blocked
// addresses. exact lists host:port addresses allowed anyway (tests use it to
// reach their own listener and nothing else).
func guard(allowPrivate bool, exact map[string]bool) func(network, address string, _ syscall.RawConn) error {
	return func(network, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return &BlockedError{Addr: address, Reason: "unparsable"}
		}
		ip, err := netip.ParseAddr(host)
		if err != nil {
			return &BlockedError{Addr: address, Reason: "unparsable"}
		}
		if IsMetadata(ip) {
			// Cloud credentials live there: no source may reach it.
			return &BlockedError{Addr: address, Reason: "cloud metadata", Always: true}
		}
		if allowPrivate || exact[address] {
			return nil
		}
		if reason := Classify(ip.WithZone("")); reason != "" {
			return &BlockedError{Addr: address, Reason: reason}
		}
		return nil
	}
}
